"""The reviewer's form on the request page, as the browser lays it out: the override select
shows its whole option, and an empty opinion is answered with its message, not a bare focus."""

import pytest
from playwright.sync_api import expect

from dictamenes import exceptions
from tests.backends.navegador import abrir_solicitud, iniciar_sesion
from tests.dictamenes import flujo_utils as fu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Width the option's text needs in the select's own font, against the room the select gives
# it (its inner width less the padding and the arrow).
CABE_EL_TEXTO = """(select) => {
  const estilo = getComputedStyle(select);
  const medida = document.createElement('span');
  medida.textContent = select.options[select.selectedIndex].text;
  medida.className = 'sr-medida';
  medida.style.font = estilo.font;
  medida.style.whiteSpace = 'pre';
  medida.style.position = 'absolute';
  document.body.appendChild(medida);
  const necesita = medida.getBoundingClientRect().width;
  medida.remove();
  const espacio = select.clientWidth - parseFloat(estilo.paddingLeft)
    - parseFloat(estilo.paddingRight) - 16;
  return {necesita, espacio};
}"""


def test_el_selector_del_revisor_muestra_la_opcion_completa(
    page, live_server, demo, contrasena_demo
):
    titulo = "Switches con su revisión"
    fu.admitida(titulo=titulo, areas=("redes",))
    iniciar_sesion(page, live_server, "revisor.redes", contrasena_demo)
    abrir_solicitud(page, live_server, titulo)
    selectores = page.locator(".requisitos select")
    assert selectores.count() > 0
    for i in range(selectores.count()):
        selector = selectores.nth(i)
        expect(selector).to_have_value("")  # "Confirmar el resultado del motor"
        # A style set from a test script is not the page's own: the CSP does not apply to it.
        medidas = selector.evaluate(CABE_EL_TEXTO)
        assert medidas["necesita"] <= medidas["espacio"], medidas


def test_la_opinion_vacia_muestra_su_mensaje_junto_al_campo(
    page, live_server, demo, contrasena_demo
):
    titulo = "Computadoras con opinión pendiente"
    fu.admitida(titulo=titulo, areas=("computo",))
    iniciar_sesion(page, live_server, "revisor.computo", contrasena_demo)
    abrir_solicitud(page, live_server, titulo)
    page.get_by_label("Observaciones").fill("Revisado a medias.")
    page.get_by_role("button", name="Concluir revisión del área").click()
    mensaje = str(exceptions.ERROR_OPINION_FALTANTE % {"partida": "Partida de computo"})
    campo = page.get_by_label("Opinión técnica de «Partida de computo»")
    expect(campo).to_have_accessible_description(mensaje)
    expect(page.get_by_text(mensaje)).to_be_visible()
    expect(page.get_by_label("Observaciones")).to_have_value("Revisado a medias.")
