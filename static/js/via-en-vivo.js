/*
 * La vía de revisión del borrador mientras se escribe una partida (issue 61).
 *
 * La regla vive en el servidor (dictamenes.tramite.selectors.vias.via_evaluar): este archivo
 * envía lo que tiene el formulario de la partida a la dirección que indica data-via-url y pone
 * en la página la vía y los pasos que el servidor dibuja. Sin JavaScript la página muestra la
 * vía con lo guardado y cambia al guardar. Al lector de pantalla solo se le anuncia cuando la
 * vía cambia, no con cada tecla.
 */
(function () {
  "use strict";

  var ESPERA_MS = 400;

  var caja = document.getElementById("via-en-vivo");
  var formulario = document.querySelector("form.formulario");
  if (!caja || !formulario || !window.fetch || !window.FormData || !window.DOMParser) {
    return;
  }
  var url = caja.getAttribute("data-via-url");
  var partida = caja.getAttribute("data-partida");
  var estado = document.getElementById("via-en-vivo-estado");
  var temporizador = null;
  var turno = 0;

  function viaDe(contenedor) {
    var seccion = contenedor.querySelector("[data-via]");
    return seccion ? seccion.getAttribute("data-via") : "";
  }

  var anterior = viaDe(caja);

  function anunciar(nuevo) {
    var via = viaDe(nuevo);
    if (!estado || via === anterior) {
      return;
    }
    anterior = via;
    var titulo = nuevo.querySelector("#t-via-prevista");
    estado.textContent = titulo ? titulo.textContent : "";
  }

  function calcular() {
    var miTurno = ++turno;
    var envio = new FormData(formulario);
    if (partida) {
      envio.append("partida", partida);
    }
    var token = formulario.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(url, {
      method: "POST",
      body: envio,
      credentials: "same-origin",
      headers: { "Accept": "text/html", "X-CSRFToken": token ? token.value : "" }
    })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (miTurno !== turno || html === null) {
          return; // Llegó tarde, o no se pudo: queda la vía que ya se veía.
        }
        var nuevo = new DOMParser().parseFromString(html, "text/html").body;
        caja.replaceChildren.apply(caja, Array.prototype.slice.call(nuevo.childNodes));
        anunciar(caja);
      })
      .catch(function () {});
  }

  function alCambiar(evento) {
    var nombre = evento.target && evento.target.name;
    if (!nombre || nombre === "csrfmiddlewaretoken" || nombre === "version") {
      return;
    }
    window.clearTimeout(temporizador);
    temporizador = window.setTimeout(calcular, ESPERA_MS);
  }

  formulario.addEventListener("input", alCambiar);
  formulario.addEventListener("change", alCambiar);
})();
