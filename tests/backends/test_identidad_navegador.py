"""Sign-in with the state's identity in Chromium, through the pages only, against the real
test provider on loopback (tests/proveedor_oidc): as production would run it, with local
passwords switched off but for the break-glass account.

- A reviewer enters with the institutional account, is linked by e-mail, and logs out of both.
- A person nobody knows enters with Llave and waits; the administrator (the break-glass
  account) sees them on «Personas y roles», asks for their CURP on the right account, a second
  administrator approves, and the next sign-in links them.

The login, pending and refusal pages are screenshotted to test-results/ and scanned with axe."""

import json

import pytest
from playwright.sync_api import expect

from dictamenes.models import CambioPendiente, EventoAuditoria
from dictamenes.personas.services import control_dual as cambios
from tests.backends.proveedor_oidc import proveedor_iniciado
from tests.backends.test_accesibilidad import Escaneo
from tests.backends.test_browser import RESULTADOS
from tests.cuentas.identidad_utils import NOMBRE_LLAVE, NOMBRE_OIDC, configuracion, retornos
from tests.dictamenes.flujo_utils import usuario
from tests.proveedor_oidc.personas import CONTRASENA_PROVEEDOR, DESCONOCIDA, REVISOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def proveedor(live_server):
    servidor = proveedor_iniciado(**retornos(live_server.url))
    yield servidor
    servidor.stop()


@pytest.fixture
def produccion(settings, proveedor, demo):
    from django.contrib.auth import get_user_model

    settings.SOCIALACCOUNT_PROVIDERS = configuracion(proveedor)
    settings.DICTAMENES_CONTRASENAS_LOCALES = False
    settings.DICTAMENES_CUENTA_EMERGENCIA = "admin"
    revisor = get_user_model().objects.get(username="revisor.redes")
    revisor.email = REVISOR.correo
    revisor.save()
    return revisor


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def en_el_proveedor(page, persona):
    """The provider's own login page: a different site, its own form."""
    expect(page.get_by_role("heading", name="Identidad del Estado (pruebas)")).to_be_visible()
    page.get_by_label("Usuario").fill(persona.usuario)
    page.get_by_label("Contraseña").fill(CONTRASENA_PROVEEDOR)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()


def sesion_en_el_proveedor(page, proveedor) -> bool:
    page.goto(proveedor.sesion_url)
    return json.loads(page.inner_text("body"))["autenticado"]


def test_entra_con_su_cuenta_institucional_se_vincula_y_sale_de_ambos(
    page, live_server, proveedor, produccion, axe
):
    escaneo = Escaneo(page, axe)
    # An answer from the provider that this browser never asked for: refused, in Spanish.
    page.goto(f"{live_server.url}/cuentas/oidc/estatal/login/callback/?state=ajeno&code=x")
    expect(page.get_by_role("heading", name=f"No se pudo entrar con {NOMBRE_OIDC}")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("no corresponde a una entrada iniciada")
    page.screenshot(path=str(RESULTADOS / "identidad_rechazo.png"), full_page=True)
    escaneo.revisar("Entrada rechazada")
    page.get_by_role("link", name="Volver a iniciar sesión").click()
    # With passwords off: the providers' buttons, and the password only for emergencies.
    expect(page.get_by_role("button", name=f"Entrar con {NOMBRE_OIDC}")).to_be_visible()
    expect(page.get_by_role("button", name=f"Entrar con {NOMBRE_LLAVE}")).to_be_visible()
    expect(page.get_by_label("Contraseña")).to_be_hidden()
    page.screenshot(path=str(RESULTADOS / "identidad_entrar.png"), full_page=True)
    escaneo.revisar("Iniciar sesión (identidad del Estado)")

    page.get_by_role("button", name=f"Entrar con {NOMBRE_OIDC}").click()
    en_el_proveedor(page, REVISOR)
    # Back home, as the revisor de redes: the account was linked by its e-mail.
    assert page.url == f"{live_server.url}/"
    sesion = page.get_by_role("navigation", name="Sesión")
    expect(sesion).to_contain_text(produccion.get_full_name())
    # No password to change: only the identity provider's.
    expect(sesion.get_by_role("link", name="Cambiar contraseña")).to_have_count(0)
    assert EventoAuditoria.objects.filter(
        tipo="cuenta_vinculada", usuario__username="revisor.redes"
    ).exists()
    page.get_by_role("link", name="Mis tareas").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # Logout goes through the provider and comes back, signed out of both.
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("link", name="Iniciar sesión").first).to_be_visible()
    assert sesion_en_el_proveedor(page, proveedor) is False
    assert not escaneo.graves(), "\n".join(escaneo.graves())


def test_quien_no_tiene_cuenta_espera_y_el_administrador_lo_vincula(
    page, live_server, proveedor, produccion, axe, demo
):
    escaneo = Escaneo(page, axe)
    page.goto(f"{live_server.url}/cuentas/login/")
    page.get_by_role("button", name=f"Entrar con {NOMBRE_LLAVE}").click()
    en_el_proveedor(page, DESCONOCIDA)
    expect(page.get_by_role("heading", name="Su acceso está pendiente")).to_be_visible()
    expect(page.locator("main")).to_contain_text(DESCONOCIDA.curp)
    page.screenshot(path=str(RESULTADOS / "identidad_pendiente.png"), full_page=True)
    escaneo.revisar("Acceso pendiente")
    # Not signed in here: the header still offers to sign in.
    expect(page.get_by_role("link", name="Iniciar sesión").first).to_be_visible()
    page.context.clear_cookies()

    # The break-glass account, the only password that still works.
    page.goto(f"{live_server.url}/cuentas/login/")
    page.get_by_text("Acceso de emergencia").click()
    page.get_by_label("Usuario").fill("requirente.rc")
    page.get_by_label("Contraseña").fill("dictamen-demo-2026")
    page.get_by_label("Contraseña").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("La entrada con contraseña está desactivada")
    escaneo.revisar("Iniciar sesión (contraseña apagada)")
    page.get_by_label("Usuario").fill("admin")
    page.get_by_label("Contraseña").fill("dictamen-demo-2026")
    page.get_by_label("Contraseña").press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name="Personas y roles").first.click()
    pendientes = page.get_by_role("region", name="1 persona espera acceso")
    expect(pendientes).to_contain_text(DESCONOCIDA.correo)
    expect(pendientes).to_contain_text(DESCONOCIDA.curp)
    page.screenshot(path=str(RESULTADOS / "identidad_roles_pendientes.png"), full_page=True)

    # She is the requirente of the Registro Civil: her CURP goes on that account, asked on
    # its page (issue 33: the admin no longer edits a CURP)...
    page.get_by_label("Nombre, usuario o correo").fill("requirente.rc")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name="Jorge Salazar Ochoa").click()
    page.wait_for_load_state()
    page.get_by_role("textbox", name="CURP").fill(DESCONOCIDA.curp)
    page.locator("#id_identidad-motivo").fill("Entró con Llave; es la titular de Informática.")
    page.get_by_role("button", name="Pedir el cambio").click()
    expect(page.get_by_role("status")).to_contain_text("Cambio pedido")
    # ...and approved by a second administrator, who would sign in with the state's identity
    # (this test provider does not know her): her approval goes through the same service.
    cambios.cambio_aprobar(
        cambio=CambioPendiente.objects.get(estado="pendiente"), por=usuario("admin2")
    )
    page.get_by_role("button", name="Terminar sesión").or_(
        page.get_by_role("button", name="Cerrar sesión")
    ).first.click()
    page.context.clear_cookies()

    # Her next sign-in links the account: she is in, as requirente.rc.
    page.goto(f"{live_server.url}/cuentas/login/")
    page.get_by_role("button", name=f"Entrar con {NOMBRE_LLAVE}").click()
    en_el_proveedor(page, DESCONOCIDA)
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    vinculada = EventoAuditoria.objects.get(tipo="cuenta_vinculada")
    assert vinculada.usuario.username == "requirente.rc"
    page.get_by_role("link", name="Mis solicitudes").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not escaneo.graves(), "\n".join(escaneo.graves())
