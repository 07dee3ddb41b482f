/*
 * El formulario del contrato dice, mientras se escribe el monto, en cuánto quedaría el total
 * contratado bajo el dictamen y si pasa de lo aprobado (issue 61).
 *
 * La regla vive en el servidor (models.contratos.excede_lo_aprobado): este archivo solo envía
 * el monto a la dirección de data-contrato-revisar y pone lo que responde en la región
 * #contrato-tope-aviso, que un lector de pantalla anuncia (aria-live). El motivo para contratar
 * más de lo aprobado se pide solo cuando hace falta. Sin JavaScript el formulario funciona
 * igual: el servidor hace la misma revisión al guardar.
 */
(function () {
  "use strict";

  var ESPERA_MS = 300;

  var formulario = document.querySelector("form[data-contrato-revisar]");
  if (!formulario || !window.fetch || !window.FormData) {
    return;
  }
  var url = formulario.getAttribute("data-contrato-revisar");
  var monto = formulario.querySelector("[name='contrato-monto']");
  var region = document.getElementById("contrato-tope-aviso");
  var motivo = formulario.querySelector("[name='contrato-motivo_exceso']");
  var campoMotivo = motivo && motivo.closest(".campo");
  if (!monto || !region) {
    return;
  }
  var temporizador = null;
  var turno = 0;

  function ajustarMotivo() {
    // El motivo a la vista solo cuando el total pasa de lo aprobado, o si ya trae algo escrito
    // o un error: nada de lo que la persona escribió se esconde.
    if (!campoMotivo) {
      return;
    }
    var excede = !!region.querySelector("[data-excede='si']");
    var conAlgo = motivo.value.trim() !== "" || campoMotivo.classList.contains("campo--error");
    campoMotivo.hidden = !(excede || conAlgo);
  }

  function revisar() {
    var miTurno = ++turno;
    var envio = new FormData();
    var token = formulario.querySelector("input[name=csrfmiddlewaretoken]");
    envio.append("contrato-monto", monto.value);
    fetch(url, {
      method: "POST",
      body: envio,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (miTurno !== turno || html === null) {
          return; // Llegó tarde, o no se pudo: el servidor revisa al guardar.
        }
        var nuevo = html.trim();
        if (region.innerHTML.trim() !== nuevo) {
          region.innerHTML = nuevo; // Solo un cambio se anuncia de nuevo.
        }
        ajustarMotivo();
      })
      .catch(function () {});
  }

  function alEscribir() {
    window.clearTimeout(temporizador);
    temporizador = window.setTimeout(revisar, ESPERA_MS);
  }

  monto.addEventListener("input", alEscribir);
  monto.addEventListener("change", alEscribir);
  ajustarMotivo();
})();
