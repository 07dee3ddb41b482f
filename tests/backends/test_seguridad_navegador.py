"""In Chromium: the Content Security Policy stops an injected script, the pages that rely on
scripts still work under it, and a firmante turns on the second factor and logs in with it.
(The `page` fixture fails any test whose pages the policy had to refuse something on.)"""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.backends.navegador import iniciar_sesion, salir, sesion_de
from tests.backends.test_browser import RESULTADOS
from tests.cuentas.test_segundo_factor import codigo_de, codigo_nuevo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INYECCION = """() => {
    const s = document.createElement('script');
    s.textContent = 'window.inyectado = true';
    document.body.appendChild(s);
    const d = document.createElement('div');
    d.innerHTML = '<img src=x onerror="window.inyectado = true">';
    document.body.appendChild(d);
}"""


def test_un_script_inyectado_en_la_pagina_no_corre(browser, live_server, demo):
    """What a stored XSS would try, had a value slipped through unescaped."""
    contexto = browser.new_context(locale="es-MX")
    pagina = contexto.new_page()
    avisos = []
    pagina.on("console", lambda m: avisos.append(m.text))
    pagina.goto(f"{live_server.url}/registro/")
    pagina.evaluate(INYECCION)
    pagina.wait_for_timeout(300)
    assert pagina.evaluate("() => window.inyectado") is None
    assert sum("Content Security Policy" in a for a in avisos) == 2, avisos
    contexto.close()


def test_la_documentacion_de_la_api_funciona_bajo_la_politica(page, live_server, demo):
    sesion_de(page, live_server, "auditor")
    page.goto(f"{live_server.url}/api/v1/docs/")
    # Swagger UI is all script: if the policy blocked it, nothing of the API would show.
    page.get_by_text("/api/v1/solicitudes/", exact=True).first.wait_for()
    assert page.get_by_role("heading", name="Dictámenes TIC").first.is_visible()


def test_el_firmante_activa_el_segundo_factor_y_entra_con_el(
    page, live_server, demo, contrasena_demo
):
    iniciar_sesion(page, live_server, "firmante", contrasena_demo)
    page.get_by_role("link", name="Segundo factor de su cuenta").click()
    # The click navigates: wait for the page, as a person would, rather than count at once.
    expect(
        page.get_by_role("img", name="Código QR para su aplicación de autenticación")
    ).to_be_visible()
    page.screenshot(path=str(RESULTADOS / "segundo_factor_activar.png"), full_page=True)
    dispositivo = TOTPDevice.objects.get(user__username="firmante")
    page.get_by_label("Código de verificación").fill(codigo_de(dispositivo))
    page.get_by_label("Código de verificación").press("Enter")
    expect(page.get_by_text("Segundo factor activado")).to_be_visible()
    salir(page)

    iniciar_sesion(page, live_server, "firmante", contrasena_demo)
    expect(page.get_by_role("heading", name="Código de verificación")).to_be_visible()
    page.screenshot(path=str(RESULTADOS / "segundo_factor_codigo.png"), full_page=True)
    # Not past it by typing another address.
    page.goto(f"{live_server.url}/solicitudes/")
    expect(page.get_by_role("heading", name="Código de verificación")).to_be_visible()
    # A code after the one that turned it on, which may not be used twice.
    page.get_by_label("Código de verificación").fill(codigo_nuevo(dispositivo))
    page.get_by_label("Código de verificación").press("Enter")
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/solicitudes/"
    assert page.get_by_role("heading", name="Solicitudes").first.is_visible()
