"""Issue 34, items 3 and 4, in Chromium: the strategic form shows "Área a la que se devuelve"
and "Condiciones" only when the chosen decision uses them (CSS :has(), no script), with the
keyboard; a refused action and its field read as errors.

Set DICTAMENES_CAPTURAS=<folder> to keep a screenshot of each page there."""

import re

import pytest
from playwright.sync_api import expect

from dictamenes import exceptions
from tests.backends.navegador import sesion_de
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.test_pasos_navegador import capturar, graves

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROJO_ERROR = "rgb(164, 22, 26)"  # --error
FONDO_ERROR = "rgb(253, 236, 236)"


def test_la_revision_estrategica_pide_solo_lo_que_usa_la_decision(demo, live_server, page):
    solicitud = fu.revisada(areas=("computo", "redes"), titulo="Equipo y red de la oficina")
    sesion_de(page, live_server, "estrategico")
    page.goto(f"{live_server.url}{fu.detalle(solicitud)}")
    formulario = page.locator("form.estrategica")
    area = formulario.get_by_label("Área a la que se devuelve")
    resultado = formulario.get_by_label("Resultado", exact=True)
    condiciones = formulario.get_by_label("Condiciones (si es favorable condicionado)")

    # "Decidir" comes chosen: neither the area nor the conditions apply yet.
    expect(resultado).to_be_visible()
    expect(area).to_be_hidden()
    expect(condiciones).to_be_hidden()
    capturar(page, "estrategica_decidir", full_page=True)

    # By keyboard: a favourable-with-conditions result asks for its conditions.
    resultado.focus()
    resultado.select_option(label="Favorable condicionado")
    expect(condiciones).to_be_visible()
    resultado.select_option(label="Favorable")
    expect(condiciones).to_be_hidden()

    # Sending it back asks for the area and nothing about the result.
    formulario.get_by_label("Devolver a un área para re-revisión").check()
    expect(area).to_be_visible()
    expect(resultado).to_be_hidden()
    expect(condiciones).to_be_hidden()
    area.focus()
    expect(area).to_be_focused()
    capturar(page, "estrategica_devolver", full_page=True)
    assert graves(page, "#acciones") == []


def test_el_rechazo_se_ve_como_error_en_el_aviso_y_en_el_campo(demo, live_server, page):
    solicitud = fu.revisada(titulo="Equipo con condición sin escribir")
    sesion_de(page, live_server, "estrategico")
    page.goto(f"{live_server.url}{fu.detalle(solicitud)}")
    formulario = page.locator("form.estrategica")
    formulario.get_by_label("Resultado", exact=True).select_option(label="Favorable condicionado")
    formulario.get_by_label("Motivos").fill("Procede si se acredita la garantía.")
    formulario.get_by_role("button", name="Registrar").click()

    aviso = page.locator(".mensaje--error")
    expect(aviso).to_have_text(str(exceptions.ERROR_CONDICIONES))
    expect(aviso).to_have_css("background-color", FONDO_ERROR)
    expect(aviso).to_have_css("color", ROJO_ERROR)
    campo = formulario.get_by_label("Condiciones (si es favorable condicionado)")
    expect(campo).to_be_visible()
    # Its help, then the refusal (the warning sign is seen, not read aloud).
    expect(campo).to_have_accessible_description(
        re.compile(r"con su plazo\. " + re.escape(str(exceptions.ERROR_CONDICIONES)) + "$")
    )
    expect(campo).to_have_css("border-top-color", ROJO_ERROR)
    expect(formulario.get_by_label("Motivos")).to_have_value("Procede si se acredita la garantía.")
    capturar(page, "estrategica_rechazo", full_page=True)
    assert graves(page, "#acciones") == []
