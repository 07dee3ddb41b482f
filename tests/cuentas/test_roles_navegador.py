"""«Personas y roles» in Chromium, with the keyboard only, as the administrator uses it, and
axe-core's scan of both pages (no serious or critical violation)."""

import os

import pytest
from django.urls import reverse

from dictamenes.models import EventoAuditoria
from dictamenes.roles import Rol
from dictamenes.selectors.usuarios import roles_de
from tests.backends.navegador import iniciar_sesion
from tests.dictamenes.flujo_utils import persona, usuario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the screenshots go when DICTAMENES_CAPTURAS names a folder (to look at the pages).
CAPTURAS = os.environ.get("DICTAMENES_CAPTURAS")


def capturar(page, nombre):
    if CAPTURAS:
        page.screenshot(path=os.path.join(CAPTURAS, f"{nombre}.png"), full_page=True)


def sin_violaciones_graves(page):
    from axe_playwright_python.sync_playwright import Axe

    antes = len(page.rechazos_csp)
    resultado = Axe().run(page)
    del page.rechazos_csp[antes:]  # axe's own inline styles, refused by our CSP
    graves = [
        f"{v['id']}: {v['help']}"
        for v in resultado.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert resultado.response["passes"] and not graves, graves


def test_otorgar_un_rol_con_el_teclado(demo, page, live_server, contrasena_demo):
    persona(
        "auditora2",
        nombre="Rosa",
        apellidos="Valdez Ibarra",
        roles=[Rol.AUDITOR],
        rfc="VAIR800101AB1",
    )
    iniciar_sesion(page, live_server, "admin", contrasena_demo)
    page.get_by_role("link", name="Personas y roles").click()
    assert page.url.endswith(reverse("cuentas:roles"))
    sin_violaciones_graves(page)
    capturar(page, "roles")

    page.get_by_label("Nombre, usuario o correo").fill("Valdez")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name="Rosa Valdez Ibarra").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # Without a reason the page refuses, says why next to the field, and keeps the choice.
    page.get_by_label("Rol", exact=True).select_option(label="Mesa de control")
    page.get_by_role("button", name="Otorgar el rol").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("#id_otorgar-motivo_error").inner_text() == "Este campo es requerido."
    sin_violaciones_graves(page)
    capturar(page, "rol_persona_error")

    page.get_by_label("Motivo").first.focus()
    page.keyboard.type("Oficio SGD/123/2026: se integra a la mesa de control.")
    page.keyboard.press("Tab")  # to the button
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text().strip() == "Rol «Mesa de control» otorgado."
    capturar(page, "rol_persona")
    assert roles_de(usuario=usuario("auditora2")) == [Rol.MESA_CONTROL, Rol.AUDITOR]
    evento = EventoAuditoria.objects.get(tipo="rol_otorgado")
    assert evento.motivo.startswith("Oficio SGD/123/2026")


def test_el_admin_de_cuentas_se_ve_sin_poder(demo, page, live_server, contrasena_demo):
    """Only for looking at it: the administrator's view of an account in the admin."""
    iniciar_sesion(page, live_server, "admin", contrasena_demo)
    page.goto(live_server.url + reverse("admin:auth_user_change", args=[usuario("mesa").pk]))
    assert page.get_by_role("link", name="ver y cambiar en «Personas y roles»").count() == 1
    assert page.locator("[name=is_superuser], [name=groups]").count() == 0
    capturar(page, "admin_cuenta")
