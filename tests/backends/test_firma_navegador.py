"""Signing in the browser: a wrong e.firma password is told inside the form, the files stay
chosen (static/js/efirma.js), and the right password then signs once, double click or not.
Without JavaScript the page comes back at the form, saying to choose the files again."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from demo.efirma_pruebas import CONTRASENA_EFIRMA_DEMO
from dictamenes.emision.documentos import efirma
from dictamenes.models import Dictamen, Solicitud
from tests.backends.navegador import abrir_solicitud, en_firma, iniciar_sesion, sesion_de

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CARPETA = settings.DICTAMENES_EFIRMA_DEMO_DIR
ARCHIVOS_ELEGIDOS = "e => Array.from(e.files).map(f => f.name)"


def elegir_archivos(formulario):
    formulario.get_by_label("Certificado (.cer)").set_input_files(str(CARPETA / "firmante.cer"))
    formulario.get_by_label("Llave privada (.key)").set_input_files(str(CARPETA / "firmante.key"))


def test_la_contrasena_equivocada_se_dice_en_el_formulario_y_los_archivos_siguen_elegidos(
    page, live_server, demo, contrasena_demo
):
    titulo = "Equipos por firmar con la contraseña correcta"
    en_firma(titulo=titulo)
    iniciar_sesion(page, live_server, "firmante", contrasena_demo)
    abrir_solicitud(page, live_server, titulo)
    pagina = page.url
    envios = []
    page.on("request", lambda r: envios.append(r) if r.method == "POST" else None)
    formulario = page.locator("form#firma")
    elegir_archivos(formulario)
    clave = formulario.get_by_label("Contraseña de la llave privada")
    clave.fill("no-es-la-contrasena")
    boton = formulario.get_by_role("button", name="Firmar y emitir el dictamen")
    boton.click()

    alerta = formulario.get_by_role("alert")
    expect(alerta).to_contain_text(str(efirma.ERROR_CONTRASENA))
    expect(alerta).to_contain_text(
        "No se firmó nada. Sus archivos de e.firma siguen elegidos: corrija lo indicado y "
        "vuelva a firmar."
    )
    expect(alerta).to_have_class("error efirma-error")  # the error style, not a banner's
    expect(page.locator(".mensaje--error")).to_have_count(0)
    expect(clave).to_be_focused()  # where the fix is typed, in view
    expect(clave).to_have_value("")
    expect(clave).to_have_accessible_description(alerta.inner_text())
    assert page.url == pagina  # the page did not reload
    assert formulario.get_by_label("Certificado (.cer)").evaluate(ARCHIVOS_ELEGIDOS) == [
        "firmante.cer"
    ]
    assert formulario.get_by_label("Llave privada (.key)").evaluate(ARCHIVOS_ELEGIDOS) == [
        "firmante.key"
    ]
    assert not Dictamen.objects.exists()

    clave.fill(CONTRASENA_EFIRMA_DEMO)
    boton.dblclick()  # the second click finds the form busy and sends nothing
    expect(page.locator("#estado-solicitud")).to_have_text("Dictaminada", timeout=30_000)
    assert page.url == f"{pagina.split('#')[0]}#t-dictamen"
    expect(page.get_by_role("main")).to_contain_text("Dictamen firmado y emitido.")
    assert Dictamen.objects.filter(solicitud__titulo=titulo).count() == 1
    assert len(envios) == 2  # the wrong password, then one signature: the double click sent one


def test_sin_javascript_la_pagina_vuelve_al_formulario_y_pide_elegir_los_archivos(
    browser, live_server, demo
):
    titulo = "Equipos por firmar sin JavaScript"
    solicitud = en_firma(titulo=titulo)
    contexto = browser.new_context(
        locale="es-MX", viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    page = contexto.new_page()
    try:
        sesion_de(page, live_server, "firmante")
        page.goto(f"{live_server.url}/solicitudes/{solicitud.pk}/")
        formulario = page.locator("form#firma")
        elegir_archivos(formulario)
        formulario.get_by_label("Contraseña de la llave privada").fill("no-es-la-contrasena")
        formulario.get_by_role("button", name="Firmar y emitir el dictamen").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/solicitudes/{solicitud.pk}/firma/")
        alerta = page.locator("form#firma").get_by_role("alert")
        expect(alerta).to_contain_text(str(efirma.ERROR_CONTRASENA))
        expect(alerta).to_contain_text("elíjalos de nuevo y escriba su contraseña")
        expect(alerta).to_be_focused()  # autofocus: the page lands on it
        expect(alerta).to_be_in_viewport()
        assert Solicitud.objects.get(pk=solicitud.pk).estado == Solicitud.Estado.FIRMA
    finally:
        contexto.close()
