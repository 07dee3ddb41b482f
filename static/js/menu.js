/*
 * El menú del encabezado (base.html) es un <details>: en una pantalla angosta se abre y se
 * cierra con «Menú», con el teclado y sin JavaScript. En una ancha, app.css oculta «Menú» y
 * muestra su contenido con ::details-content; donde el navegador no lo conoce, este archivo
 * abre el menú para que la navegación no quede escondida.
 */
(function () {
  "use strict";
  var menu = document.querySelector("details[data-menu]");
  if (!menu || !window.matchMedia) {
    return;
  }
  var soportado = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (soportado) {
    return;
  }
  var ancha = window.matchMedia("(min-width: 60.01rem)");
  function ajustar() {
    if (ancha.matches) {
      menu.open = true;
    }
  }
  ajustar();
  if (ancha.addEventListener) {
    ancha.addEventListener("change", ajustar);
  }
})();
