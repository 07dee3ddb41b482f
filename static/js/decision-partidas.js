/*
 * Revisión estratégica: el total aprobado mientras se decide cada partida.
 *
 * Las reglas viven en el servidor (dictamenes.tramite.services.decisiones): este archivo solo suma lo
 * que aprobarían las decisiones elegidas (la partida completa, el monto por menos o, si solo
 * se baja la cantidad, cantidad × precio unitario; nada si no se aprueba). Sin JavaScript el
 * formulario funciona igual y el total se muestra al volver la página.
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

  var formulario = partidas[0].form || partidas[0].closest("form");
  formulario.addEventListener("change", actualizar);
  formulario.addEventListener("input", actualizar);
})();
