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


def test_borrador_prevencion_y_revision_se_leen_sin_violaciones(demo, live_server, page):
    from tests.dictamenes.test_decidir_y_siguiente_paso import (
        LICENCIA,
        _admitida_con_declaracion,
        _borrador_vacio,
    )

    # A new draft: what is missing, and "Agregar partida" as the one large action.
    borrador = _borrador_vacio()
    sesion_de(page, live_server, "requirente.sh")
    page.goto(f"{live_server.url}{fu.detalle(borrador)}")
    acciones = page.locator("#acciones")
    expect(acciones.locator(".faltantes li")).to_have_text(
        [
            str(exceptions.ERROR_SIN_PARTIDAS),
            f"{exceptions.ERROR_SIN_OFICIO} Adjuntar el oficio de solicitud",
        ]
    )
    expect(acciones.locator("a.boton")).to_have_text(["Agregar partida"])
    acciones.get_by_role("link", name="Adjuntar el oficio de solicitud").click()
    expect(page.get_by_label("Tipo de anexo")).to_have_value("oficio")
    capturar(page, "borrador_vacio", full_page=True)
    assert graves(page, "#acciones") == []

    # A prevention: what the mesa asked for, the means to fix it, then "Enviar corrección".
    prevenida = fu.presentada(titulo="Solicitud prevenida")
    from dictamenes.services import etapas

    etapas.admision_resolver(
        solicitud=prevenida,
        usuario=fu.usuario("mesa"),
        admitir=False,
        faltantes="Falta la cotización firmada.",
    )
    page.goto(f"{live_server.url}{fu.detalle(prevenida)}")
    capturar(page, "prevenida", full_page=True)
    assert graves(page, "#acciones") == []

    # The reviewer reads the declaration beside its requisito.
    revision = _admitida_con_declaracion()
    sesion_de(page, live_server, "revisor.computo")
    page.goto(f"{live_server.url}{fu.detalle(revision)}")
    fila = page.locator(".requisitos tr", has_text="Licencia del sistema operativo")
    expect(fila.locator(".declaracion")).to_have_text(f"Declaró la dependencia: {LICENCIA}")
    expect(page.get_by_label("Opinión del área", exact=True)).to_have_value("")
    capturar(page, "revision_con_declaracion", full_page=True)
    assert graves(page, "#acciones") == []
