"""Issue 34, items 3 and 4, and issue 36, item 2, in Chromium: the strategic form shows
"Área a la que se devuelve", each item's decision and its fields only when the chosen
decision uses them (CSS :has(), no script), with the keyboard; a refused action and its field
read as errors.

Set DICTAMENES_CAPTURAS=<folder> to keep a screenshot of each page there."""

import re

import pytest
from playwright.sync_api import expect

from dictamenes import exceptions
from dictamenes.tramite.services import decisiones
from tests.backends.navegador import sesion_de
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.tramite.test_pasos_navegador import capturar, graves

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROJO_ERROR = "rgb(164, 22, 26)"  # --error
FONDO_ERROR = "rgb(253, 236, 236)"


CONDICIONES = "Condiciones (si las hay, el dictamen es favorable condicionado)"


def test_la_revision_estrategica_pide_solo_lo_que_usa_la_decision(demo, live_server, page):
    solicitud = fu.revisada(areas=("computo", "redes"), titulo="Equipo y red de la oficina")
    sesion_de(page, live_server, "estrategico")
    page.goto(f"{live_server.url}{fu.detalle(solicitud)}")
    formulario = page.locator("form.estrategica")
    area = formulario.get_by_label("Área a la que se devuelve")
    condiciones = formulario.get_by_label(CONDICIONES)
    computo, redes = (formulario.locator("fieldset.decision-partida").nth(i) for i in (0, 1))
    cantidad = computo.get_by_label("Cantidad aprobada de «Partida de computo»")
    monto = computo.get_by_label("Monto aprobado de «Partida de computo» (MXN)")
    motivo = computo.get_by_role("group", name="Motivo de la decisión sobre «Partida de computo»")
    total = formulario.locator("#total-aprobado")

    # "Decidir cada partida" comes chosen: each item asks for its decision, and only that;
    # the conditions may be written, the area does not apply.
    expect(computo.get_by_label("Aprobada", exact=True)).to_be_visible()
    expect(condiciones).to_be_visible()
    expect(area).to_be_hidden()
    for campo in (cantidad, monto, motivo):
        expect(campo).to_be_hidden()
    capturar(page, "estrategica_decidir", full_page=True)

    # By keyboard: the arrows move along an item's decisions, each showing what it needs.
    computo.get_by_label("Aprobada", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(computo.get_by_label("Aprobada por menor monto o cantidad")).to_be_checked()
    expect(cantidad).to_be_visible()
    expect(monto).to_be_visible()
    expect(motivo).to_be_visible()  # approving less takes a reason from the catalogue too
    page.keyboard.press("ArrowRight")
    expect(computo.get_by_label("No aprobada", exact=True)).to_be_checked()
    expect(motivo).to_be_visible()
    expect(cantidad).to_be_hidden()
    # The approved total follows the choices (a script; without it, after sending).
    page.keyboard.press("ArrowLeft")
    monto.fill("12500.50")
    redes.get_by_label("Aprobada", exact=True).check()
    expect(total).to_have_text("$32,500.50")

    # Sending it back asks for the area and nothing about the items.
    formulario.get_by_label("Devolver a un área para re-revisión").check()
    expect(area).to_be_visible()
    expect(computo).to_be_hidden()
    expect(condiciones).to_be_hidden()
    area.focus()
    expect(area).to_be_focused()
    capturar(page, "estrategica_devolver", full_page=True)
    assert graves(page, "#acciones") == []


def test_el_rechazo_se_ve_como_error_en_el_aviso_y_en_el_campo(demo, live_server, page):
    solicitud = fu.revisada(titulo="Equipo no aprobado con condición")
    sesion_de(page, live_server, "estrategico")
    page.goto(f"{live_server.url}{fu.detalle(solicitud)}")
    formulario = page.locator("form.estrategica")
    formulario.get_by_label("No aprobada", exact=True).check()
    formulario.get_by_role("group", name=re.compile("^Motivo de la decisión sobre")).get_by_label(
        "Justificación insuficiente", exact=True
    ).check()
    formulario.get_by_label("Motivos").fill("No se justifica; se acreditaría la garantía.")
    formulario.get_by_label(CONDICIONES).fill("Acreditar la garantía.")
    formulario.get_by_role("button", name="Registrar").click()

    # The service refuses: nothing approved, so no conditions.
    error = str(decisiones.ERROR_CONDICIONES_SIN_APROBADAS)
    aviso = page.locator(".mensaje--error")
    expect(aviso).to_have_text(error)
    expect(aviso).to_have_css("background-color", FONDO_ERROR)
    expect(aviso).to_have_css("color", ROJO_ERROR)
    campo = formulario.get_by_label(CONDICIONES)
    expect(campo).to_be_visible()
    # Its help, then the refusal (the warning sign is seen, not read aloud).
    expect(campo).to_have_accessible_description(
        re.compile(r"sin cumplirla se señala\. " + re.escape(error) + "$")
    )
    expect(campo).to_have_css("border-top-color", ROJO_ERROR)
    # Nothing typed or chosen is lost.
    expect(formulario.get_by_label("Motivos")).to_have_value(
        "No se justifica; se acreditaría la garantía."
    )
    expect(formulario.get_by_label("No aprobada", exact=True)).to_be_checked()
    expect(
        formulario.get_by_role(
            "group", name=re.compile("^Motivo de la decisión sobre")
        ).get_by_label("Justificación insuficiente", exact=True)
    ).to_be_checked()
    capturar(page, "estrategica_rechazo", full_page=True)
    assert graves(page, "#acciones") == []


def test_borrador_prevencion_y_revision_se_leen_sin_violaciones(demo, live_server, page):
    from tests.dictamenes.tramite.test_decidir_y_siguiente_paso import (
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
    from dictamenes.tramite.services import etapas

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
