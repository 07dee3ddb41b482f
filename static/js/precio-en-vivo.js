/*
 * El precio de la partida mientras se escribe (issue 62).
 *
 * La regla vive en el servidor: este archivo envía el perfil, la unidad, los meses y el
 * precio unitario capturados a la dirección de data-precio-url y pone en la caja lo que el
 * servidor responde (la referencia del perfil en la unidad de la partida, dónde queda el
 * precio escrito y las compras de otros entes). Sin JavaScript la caja muestra lo guardado.
 */
(function () {
  "use strict";

  var ESPERA_MS = 400;
  var CAMPOS = ["perfil", "unidad", "meses", "precio_unitario"];

  var caja = document.getElementById("precio-en-vivo");
  var formulario = caja && caja.closest("form");
  if (!caja || !formulario || !window.fetch || !window.FormData || !window.DOMParser) {
    return;
  }
  var url = caja.getAttribute("data-precio-url");
  var temporizador = null;
  var turno = 0;

  function datos() {
    var todo = new FormData(formulario);
    var envio = new FormData();
    ["csrfmiddlewaretoken"].concat(CAMPOS).forEach(function (nombre) {
      if (todo.has(nombre)) {
        envio.append(nombre, todo.get(nombre));
      }
    });
    // The saved item being written: its quotes are the market research the law's tests read.
    var partida = caja.getAttribute("data-partida");
    if (partida) {
      envio.append("partida", partida);
    }
    return envio;
  }

  function consultar() {
    var miTurno = ++turno;
    var token = formulario.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(url, {
      method: "POST",
      body: datos(),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html === null || miTurno !== turno) {
          return; // Sin respuesta útil, o ya hay una consulta más reciente en camino.
        }
        var nuevo = new DOMParser().parseFromString(html, "text/html").body;
        caja.replaceChildren.apply(caja, Array.prototype.slice.call(nuevo.childNodes));
      })
      .catch(function () {});
  }

  function alCambiar(evento) {
    var nombre = evento.target && evento.target.name;
    if (CAMPOS.indexOf(nombre) < 0) {
      return;
    }
    window.clearTimeout(temporizador);
    temporizador = window.setTimeout(consultar, ESPERA_MS);
  }

  formulario.addEventListener("input", alCambiar);
  formulario.addEventListener("change", alCambiar);
})();
