"""One door per rule, walked in Chromium (issue 59, item 2): `admin` opens `admin2`'s account in
the Django admin and saves it; the «Activo» box is not there to untick, and admin2 stays
active. On admin2's «Personas y roles» page, asking to deactivate her is refused: it would
leave one administrator. Deactivating the signer is asked there and waits for admin2, who reads
it on «Cambios por aprobar» and approves it."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from dictamenes.models import CambioPendiente

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cuenta(username):
    return get_user_model().objects.get(username=username)


def test_un_administrador_no_desactiva_a_la_otra_ni_por_el_admin(jornada):
    j = jornada
    admin2, firmante = _cuenta("admin2"), _cuenta("firmante")

    j.entra("admin")
    j.page.goto(f"{j.url}/admin/auth/user/{admin2.pk}/change/")
    expect(j.page.locator("input[name=is_active]")).to_have_count(0)
    j.page.get_by_role("button", name="Guardar", exact=True).click()
    expect(j.page.locator(".messagelist")).to_contain_text("se cambió correctamente")
    assert _cuenta("admin2").is_active
    # The delete page is refused.
    respuesta = j.page.goto(f"{j.url}/admin/auth/user/{admin2.pk}/delete/")
    assert respuesta.status == 403

    # Asked on her page: refused, it would leave one administrator.
    j.page.goto(f"{j.url}/cuentas/roles/{admin2.pk}/")
    j.page.locator("#t-acceso").locator("..").get_by_label("Motivo").fill(
        "Baja por cambio de puesto"
    )
    j.page.get_by_role("button", name="Desactivar la cuenta").click()
    expect(j.page.get_by_role("alert")).to_contain_text(
        "Quedarían menos de dos personas administradoras activas"
    )
    assert _cuenta("admin2").is_active and not CambioPendiente.objects.exists()

    # The signer: asked, waiting for a second administrator.
    j.page.goto(f"{j.url}/cuentas/roles/{firmante.pk}/")
    j.page.locator("#t-acceso").locator("..").get_by_label("Motivo").fill("Licencia por oficio")
    j.page.get_by_role("button", name="Desactivar la cuenta").click()
    expect(j.page.get_by_text("Cambio pedido: tendrá efecto cuando otra persona")).to_be_visible()
    assert _cuenta("firmante").is_active
    j.sale()

    j.entra("admin2")
    j.page.goto(f"{j.url}/cuentas/cambios/")
    fila = j.page.locator("tr", has_text="desactivar la cuenta")
    expect(fila).to_contain_text("firmante")
    j.foto("desactivar-al-firmante-por-aprobar")
    fila.get_by_role("button", name="Aprobar").click()
    expect(j.page.get_by_text("Cambio aprobado: ya tiene efecto")).to_be_visible()
    assert not _cuenta("firmante").is_active
