"""Issue 76's settings on «Vías de revisión» in Chromium, with the keyboard only: the method
of one category chosen in its select (reached with Tab, chosen by typing), the law's threshold
typed, and the change asked; axe-core's scan of the page (no serious or critical violation)."""

import pytest
from playwright.sync_api import expect

from dictamenes.models import CambioPendiente
from dictamenes.tramite.selectors.vias import vias_vigentes
from tests.backends.navegador import iniciar_sesion
from tests.cuentas.test_roles_navegador import sin_violaciones_graves

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_el_metodo_de_una_categoria_se_elige_con_el_teclado(
    demo, page, live_server, contrasena_demo
):
    iniciar_sesion(page, live_server, "admin", contrasena_demo)
    page.goto(f"{live_server.url}/cuentas/vias/")
    sin_violaciones_graves(page)

    # From the spread's field, Tab reaches the first category's select, then the next.
    page.get_by_label("«según la dispersión»: la media hasta este coeficiente").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_metodo__computadora-escritorio"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_metodo__computadora-portatil"
    # A closed select chooses by typing the option's first letters.
    page.get_by_role("combobox", name="Switch", exact=True).focus()
    page.keyboard.type("men")
    assert page.get_by_role("combobox", name="Switch", exact=True).input_value() == "menor"

    page.get_by_label("Precio no aceptable").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("15")
    page.get_by_label("Motivo del cambio").focus()
    page.keyboard.type("Acuerdo de precios 76")
    page.get_by_role("button", name="Pedir el cambio").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("tendrá efecto cuando otra persona administradora")).to_be_visible()

    cambio = CambioPendiente.objects.get(tipo=CambioPendiente.Tipo.VIAS)
    assert [(f["campo"], f["despues"]) for f in cambio.datos["filas"] if f["cambia"]] == [
        ("Método del precio de mercado por categoría", "Switch: menor precio válido"),
        ("Precio no aceptable: más de este porcentaje sobre el valor central (%)", "15 %"),
    ]
    assert vias_vigentes().version == 1
