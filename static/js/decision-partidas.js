/*
 * Revisión estratégica: el total aprobado mientras se decide cada partida.
 *
 * Las reglas viven en el servidor (dictamenes.tramite.services.decisiones): este archivo solo suma lo
 * que aprobarían las decisiones elegidas (la partida completa, el monto por menos o, si solo
 * se baja la cantidad, cantidad × precio unitario; nada si no se aprueba). Sin JavaScript el
 * formulario funciona igual y el total se muestra al volver la página.
 * También pone los campos de «Reducir a la referencia» sin recargar (issue 62).
 */
(function () {
  "use strict";

  var salida = document.getElementById("total-aprobado");
  var partidas = document.querySelectorAll("fieldset.decision-partida");
  if (!salida || !partidas.length) {
    return;
  }
  var pesos = new Intl.NumberFormat("es-MX", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function numero(texto) {
    var valor = parseFloat(String(texto || "").replace(/,/g, ""));
    return isNaN(valor) ? null : valor;
  }

  function aprobadoDe(fieldset) {
    var elegido = fieldset.querySelector('input[type="radio"]:checked');
    if (!elegido) {
      return null;
    }
    if (elegido.value === "aprobada") {
      return numero(fieldset.dataset.importe);
    }
    if (elegido.value === "no_aprobada") {
      return 0;
    }
    var monto = numero((fieldset.querySelector('input[name$="_monto"]') || {}).value);
    if (monto !== null) {
      return monto;
    }
    var cantidad = numero((fieldset.querySelector('input[name$="_cantidad"]') || {}).value);
    return cantidad === null ? null : cantidad * numero(fieldset.dataset.precio);
  }

  function actualizar() {
    var total = 0;
    for (var i = 0; i < partidas.length; i++) {
      var monto = aprobadoDe(partidas[i]);
      if (monto === null) {
        return;
      }
      total += monto;
    }
    salida.textContent = "$" + pesos.format(total);
  }

  // «Reducir a la referencia»: sin JavaScript el botón envía el formulario y el servidor lo
  // devuelve con la partida puesta; aquí se ponen los mismos valores (los del botón, que
  // calculó el servidor) sin recargar, y no se toca nada más de lo escrito.
  function reducir(evento) {
    var boton = evento.target.closest('button[name="reducir"]');
    if (!boton) {
      return;
    }
    var fieldset = boton.closest("fieldset.decision-partida");
    var radio = fieldset.querySelector('input[type="radio"][value="reducida"]');
    var cantidad = fieldset.querySelector('input[name$="_cantidad"]');
    var monto = fieldset.querySelector('input[name$="_monto"]');
    var motivo = fieldset.querySelector(
      'input[name$="_motivo"][value="' + CSS.escape(boton.dataset.motivo || "") + '"]');
    if (!radio || !cantidad || !monto || !motivo) {
      return; // the server will do it
    }
    evento.preventDefault();
    radio.checked = true;
    cantidad.value = boton.dataset.cantidad;
    monto.value = boton.dataset.monto;
    motivo.checked = true;
    // The figures go in the text, before what was typed there (as the server does).
    var texto = fieldset.querySelector('textarea[name$="_texto"]');
    var cifras = boton.dataset.texto || "";
    if (texto && cifras && texto.value.indexOf(cifras) === -1) {
      texto.value = texto.value.trim() ? cifras + " " + texto.value.trim() : cifras;
    }
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    var aviso = fieldset.querySelector(".reducir-referencia__hecho");
    if (!aviso) {
      aviso = document.createElement("p");
      aviso.className = "reducir-referencia__hecho";
      aviso.setAttribute("role", "status");
      boton.parentNode.after(aviso);
    }
    aviso.textContent = "Reducida a la referencia: $" + pesos.format(numero(boton.dataset.monto)) +
      ". Se guarda al registrar.";
  }

  var formulario = partidas[0].form || partidas[0].closest("form");
  formulario.addEventListener("change", actualizar);
  formulario.addEventListener("input", actualizar);
  formulario.addEventListener("click", reducir);
})();
