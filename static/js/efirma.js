/*
 * Firmar con la e.firma sin perder los archivos elegidos.
 *
 * Sin JavaScript, un intento fallido (p. ej. una contraseña equivocada) vuelve a dibujar la
 * página con el error dentro del formulario, y el navegador no conserva los archivos: la
 * página pide elegirlos de nuevo. La e.firma nunca se guarda en el servidor.
 *
 * Con este archivo, el mismo formulario se envía con fetch (Accept: application/json): si la
 * firma se rechaza, el error aparece en su caja (role="alert") junto a los campos, con los
 * archivos aún elegidos, y el foco va a la contraseña; si se firma, la página va al dictamen.
 * Mientras se envía, el botón queda inactivo: un doble clic no manda dos firmas.
 */
(function () {
  "use strict";

  if (!window.fetch || !window.FormData) {
    return;
  }

  var CONSERVADOS =
    "No se firmó nada. Sus archivos de e.firma siguen elegidos: corrija lo indicado y vuelva a firmar.";
  var SIN_RESPUESTA =
    "No se pudo comunicar con el servidor. Revise su conexión.";

  function mostrar(caja, mensajes) {
    var parrafos = mensajes.concat([CONSERVADOS]).map(function (texto) {
      var p = document.createElement("p");
      p.textContent = texto;
      return p;
    });
    caja.replaceChildren.apply(caja, parrafos);
    caja.hidden = false;
  }

  function ir(destino) {
    var url = new URL(destino, window.location.href);
    if (url.pathname === window.location.pathname && url.search === window.location.search) {
      // Only the anchor differs: assign() would just scroll; the page must show the dictamen.
      window.location.hash = url.hash;
      window.location.reload();
    } else {
      window.location.assign(url.href);
    }
  }

  function contrasena(formulario) {
    return formulario.querySelector('input[type="password"]');
  }

  function enviar(evento) {
    var formulario = evento.currentTarget;
    evento.preventDefault();
    if (formulario.getAttribute("aria-busy") === "true") {
      return; // ya se está enviando: el segundo clic no hace nada
    }
    var boton = formulario.querySelector('button[type="submit"]');
    var caja = formulario.querySelector("[data-efirma-error]");
    formulario.setAttribute("aria-busy", "true");
    boton.disabled = true;
    var terminar = function () {
      formulario.removeAttribute("aria-busy");
      boton.disabled = false;
    };
    fetch(formulario.action, {
      method: "POST",
      body: new FormData(formulario),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (respuesta) {
        return respuesta.json().then(function (datos) {
          return { ok: respuesta.ok, datos: datos };
        });
      })
      .then(function (r) {
        if (r.ok && r.datos.destino) {
          ir(r.datos.destino);
          return;
        }
        terminar();
        mostrar(caja, r.datos.errores || []);
        var clave = contrasena(formulario);
        if (clave) {
          clave.value = "";
          clave.setAttribute("aria-invalid", "true");
          clave.setAttribute("aria-describedby", caja.id);
          clave.focus();
        } else {
          caja.focus();
        }
      })
      .catch(function () {
        terminar();
        mostrar(caja, [SIN_RESPUESTA]);
        caja.focus();
      });
  }

  document.querySelectorAll("form[data-efirma]").forEach(function (formulario) {
    formulario.addEventListener("submit", enviar);
  });
})();
