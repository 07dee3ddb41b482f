"""«Personas y roles» in Chromium, with the keyboard only, as the administrator uses it, and
axe-core's scan of both pages (no serious or critical violation)."""

import os
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from dictamenes.models import CambioPendiente, EventoAuditoria
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.roles import Rol
from tests.backends.navegador import iniciar_sesion, salir
from tests.dictamenes.flujo_utils import persona, presentada, usuario

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


def auditora2():
    """Rosa Valdez Ibarra, an auditor: the person whose roles these tests change."""
    return persona(
        "auditora2",
        nombre="Rosa",
        apellidos="Valdez Ibarra",
        roles=[Rol.AUDITOR],
        rfc="VAIR800101AB1",
    )


def test_otorgar_un_rol_con_el_teclado(demo, page, live_server, contrasena_demo):
    auditora2()
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
    assert page.get_by_role("status").inner_text().strip() == (
        "Rol «Mesa de control» pedido: tendrá efecto cuando otra persona administradora lo "
        "apruebe en «Cambios por aprobar»."
    )
    capturar(page, "rol_persona")
    # A role of the procedure waits for a second administrator (issue 33): see below.
    assert roles_de(usuario=usuario("auditora2")) == [Rol.AUDITOR]
    evento = EventoAuditoria.objects.get(tipo="cambio_pedido")
    assert evento.motivo.startswith("Oficio SGD/123/2026")


def test_una_administradora_pide_otra_aprueba_y_el_rol_funciona(
    demo, page, live_server, contrasena_demo
):
    """Dual control in Chromium (issue 33): admin asks for «Mesa de control» for a person,
    cannot approve it themself, admin2 approves, and the person then attends the mesa's
    queue."""
    auditora2()
    solicitud = presentada(titulo="Conmutadores de acceso")
    iniciar_sesion(page, live_server, "admin", contrasena_demo)
    page.goto(live_server.url + reverse("cuentas:rol_persona", args=[usuario("auditora2").pk]))
    page.get_by_label("Rol", exact=True).select_option(label="Mesa de control")
    page.locator("#id_otorgar-motivo").fill("Oficio SGD/200/2026: se integra a la mesa.")
    page.get_by_role("button", name="Otorgar el rol").click()
    page.wait_for_load_state()
    assert "pedido" in page.get_by_role("status").inner_text()

    # The one who asked sees the change, who asked, what and when, but no button to approve.
    page.get_by_role("link", name="Ver en «Cambios por aprobar»").click()
    page.wait_for_load_state()
    fila = page.get_by_role("row", name=re.compile("Rosa Valdez Ibarra"))
    expect(fila).to_contain_text("Otorgar el rol «Mesa de control»")
    expect(fila).to_contain_text("Fernando Ibarra Moreno")
    expect(fila).to_contain_text("Nadie aprueba ni rechaza su propio cambio")
    expect(fila.get_by_role("button", name="Aprobar")).to_have_count(0)
    sin_violaciones_graves(page)
    capturar(page, "cambios_quien_pidio")
    salir(page)

    # The second administrator finds it in «Pendientes» on her home, and so does the link of
    # the e-mail she was sent; both lead to the change's row, in view.
    cambio = CambioPendiente.objects.get(persona=usuario("auditora2"))
    destino = reverse("cuentas:cambios") + f"#cambio-{cambio.pk}"
    (correo,) = [m for m in mail.outbox if usuario("admin2").email in m.to]
    assert settings.DICTAMENES_URL_PUBLICA.rstrip("/") + destino in correo.body
    iniciar_sesion(page, live_server, "admin2", contrasena_demo)
    pendientes = page.get_by_role("region", name="Pendientes")
    entrada = pendientes.get_by_role("link", name=re.compile("Rosa Valdez Ibarra"))
    expect(entrada).to_have_attribute("href", destino)
    entrada.click()
    expect(page).to_have_url(live_server.url + destino)
    fila = page.get_by_role("row", name=re.compile("Rosa Valdez Ibarra"))
    expect(fila).to_be_in_viewport()
    fila.get_by_role("button", name="Aprobar").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text().strip().startswith("Cambio aprobado")
    sin_violaciones_graves(page)
    capturar(page, "cambios_aprobado")
    salir(page)

    # The role works: she finds the admission in the mesa's queue.
    iniciar_sesion(page, live_server, "auditora2", "x" * 14)
    page.get_by_role("link", name="Tareas por tomar").first.click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(solicitud.folio)
    assert roles_de(usuario=usuario("auditora2")) == [Rol.MESA_CONTROL, Rol.AUDITOR]
    aprobado = EventoAuditoria.objects.get(tipo="cambio_aprobado")
    assert aprobado.usuario.username == "admin2"


def test_el_admin_de_cuentas_se_ve_sin_poder(demo, page, live_server, contrasena_demo):
    """Only for looking at it: the administrator's view of an account in the admin."""
    iniciar_sesion(page, live_server, "admin", contrasena_demo)
    page.goto(live_server.url + reverse("admin:auth_user_change", args=[usuario("mesa").pk]))
    assert page.get_by_role("link", name="ver y cambiar en «Personas y roles»").count() == 1
    assert page.locator("[name=is_superuser], [name=groups]").count() == 0
    capturar(page, "admin_cuenta")


def test_en_un_telefono_aprobar_queda_en_la_pantalla(demo, page, live_server, contrasena_demo):
    """Issue 47: at 390 px «Cambios por aprobar» was a wide table whose «Aprobar» sat off the
    screen, at the far end of its row; each change is a card now, its button in view without
    scrolling sideways, and its date written as on the rest of the site (dd/mm/aaaa hh:mm)."""
    from django.utils import timezone

    from dictamenes.personas.services import personas as servicio

    auditora2()
    cambio = servicio.rol_otorgar(
        usuario=usuario("auditora2"),
        rol=Rol.MESA_CONTROL,
        por=usuario("admin"),
        motivo="Oficio SGD/300/2026",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    iniciar_sesion(page, live_server, "admin2", contrasena_demo)
    page.goto(live_server.url + reverse("cuentas:cambios"))
    fila = page.get_by_role("row", name=re.compile("Rosa Valdez Ibarra"))
    cuando = f"{timezone.localtime(cambio.pedido_en):%d/%m/%Y %H:%M}"
    expect(fila.locator("time")).to_have_text(cuando)
    boton = fila.get_by_role("button", name="Aprobar")
    # Only the page scrolls, down to the button: nothing sideways.
    caja = boton.bounding_box()
    page.evaluate("y => window.scrollTo(0, y)", caja["y"] - 200)
    expect(boton).to_be_in_viewport()
    caja = boton.bounding_box()
    assert caja["x"] >= 0 and caja["x"] + caja["width"] <= 390, caja
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    sin_violaciones_graves(page)
    capturar(page, "cambios_390")
