/*
 * Autoevaluación de una partida mientras se escribe.
 *
 * Las reglas viven en el servidor (estandares.cumplimiento.evaluar): este archivo solo envía
 * los valores capturados a la dirección que indica data-autoevaluacion-url y muestra, bajo
 * cada requisito, lo que el motor responde. Sin JavaScript el formulario funciona igual y el
 * resultado se calcula al guardar.
 */
(function () {
  "use strict";

  var ESPERA_MS = 400;

  var grupo = document.querySelector("fieldset[data-autoevaluacion-url]");
  if (!grupo || !window.fetch || !window.FormData) {
    return;
  }
  var formulario = grupo.form || grupo.closest("form");
  var url = grupo.getAttribute("data-autoevaluacion-url");
  var perfil = grupo.getAttribute("data-perfil");
  var resumen = document.getElementById("veredicto-provisional");
  var tocados = {};
  var temporizador = null;
  var turno = 0;

  function claveDe(nombre) {
    // "esp-ram" y "esp-ram__unidad" pertenecen al requisito "ram".
    return nombre.replace(/^esp-/, "").replace(/__unidad$/, "");
  }

  function datos() {
    var todo = new FormData(formulario);
    var envio = new FormData();
    todo.forEach(function (valor, nombre) {
      if (nombre === "csrfmiddlewaretoken" || nombre.indexOf("esp-") === 0) {
        envio.append(nombre, valor);
      }
    });
    envio.append("perfil", perfil);
    return envio;
  }

  function conValor() {
    // Requisitos con algo escrito o elegido: los vacíos no se juzgan antes de que la persona
    // los toque (elegir el perfil no es equivocarse).
    var llenos = {};
    new FormData(formulario).forEach(function (valor, nombre) {
      if (nombre.indexOf("esp-") === 0 && !/__unidad$/.test(nombre) && String(valor).trim()) {
        llenos[claveDe(nombre)] = true;
      }
    });
    return llenos;
  }

  function escribir(clave, etiqueta, modificador, texto) {
    var destino = document.getElementById("req-" + clave + "-resultado");
    if (!destino) {
      return;
    }
    var nuevo = etiqueta + ": " + texto;
    if (destino.textContent === nuevo) {
      return; // Sin cambio, sin nuevo anuncio del lector de pantalla.
    }
    var marca = document.createElement("span");
    marca.className = "resultado-req resultado-req--" + modificador;
    marca.textContent = etiqueta;
    destino.replaceChildren(marca, document.createTextNode(": " + texto));
  }

  function mostrarResumen(texto, modificador) {
    if (!resumen) {
      return;
    }
    resumen.className = "veredicto-provisional veredicto-provisional--" + modificador;
    resumen.textContent = texto;
    resumen.hidden = false;
  }

  function mostrar(respuesta) {
    var visibles = conValor();
    Object.keys(tocados).forEach(function (clave) {
      visibles[clave] = true;
    });
    respuesta.resultados.forEach(function (r) {
      if (visibles[r.clave]) {
        escribir(r.clave, r.etiqueta, r.resultado, r.motivo);
      }
    });
    mostrarResumen(
      "Veredicto provisional con lo capturado, sin guardar: " + respuesta.etiqueta_veredicto,
      respuesta.veredicto
    );
  }

  function mostrarErrores(respuesta) {
    var errores = respuesta.errores || {};
    Object.keys(errores).forEach(function (clave) {
      escribir(clave, "No se puede evaluar", "revision", errores[clave].join(" "));
    });
    mostrarResumen(respuesta.error || "No se pudo evaluar lo capturado.", "revision");
  }

  function evaluar() {
    var miTurno = ++turno;
    var token = formulario.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(url, {
      method: "POST",
      body: datos(),
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "X-CSRFToken": token ? token.value : ""
      }
    })
      .then(function (r) {
        return r.json().then(
          function (cuerpo) {
            return { estado: r.status, cuerpo: cuerpo };
          },
          function () {
            return { estado: r.status, cuerpo: null };
          }
        );
      })
      .then(function (res) {
        if (miTurno !== turno) {
          return; // Llegó tarde: ya hay una evaluación más reciente en camino.
        }
        if (res.estado === 200 && res.cuerpo) {
          mostrar(res.cuerpo);
        } else if (res.estado === 400 && res.cuerpo) {
          mostrarErrores(res.cuerpo);
        } else {
          mostrarResumen(
            "No se pudo calcular el resultado ahora; se calculará al guardar.",
            "revision"
          );
        }
      })
      .catch(function () {
        if (miTurno === turno) {
          mostrarResumen(
            "No se pudo calcular el resultado ahora; se calculará al guardar.",
            "revision"
          );
        }
      });
  }

  function alCambiar(evento) {
    var nombre = evento.target && evento.target.name;
    if (!nombre || nombre.indexOf("esp-") !== 0) {
      return;
    }
    tocados[claveDe(nombre)] = true;
    window.clearTimeout(temporizador);
    temporizador = window.setTimeout(evaluar, ESPERA_MS);
  }

  grupo.addEventListener("input", alCambiar);
  grupo.addEventListener("change", alCambiar);

  // Valores que ya traía la página (una partida guardada, o lo escrito antes de elegir el
  // perfil): su resultado se muestra desde el inicio.
  if (Object.keys(conValor()).length) {
    evaluar();
  }
})();
