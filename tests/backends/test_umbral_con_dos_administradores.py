"""Four eyes on the rules, walked in Chromium (issue 48, item 1): `admin` lowers the fast
track's threshold to $100,000 on «Vías de revisión»; nothing changes until `admin2` approves it
on «Cambios por aprobar», where she reads the value before → after; then requirente.sh presents
a $480,000 request (which went fast under $500,000) and it goes by the full track, its reason
naming the new threshold. The draft is built with the services (test_fraccionamiento.laptops);
asking, approving and presenting are clicks."""

import pytest
from playwright.sync_api import expect

from dictamenes.tramite.selectors.vias import vias_vigentes
from tests.dictamenes.tramite import test_fraccionamiento as tf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_otro_administrador_aprueba_el_umbral_y_la_siguiente_solicitud_lo_sigue(jornada):
    j = jornada
    version = vias_vigentes().version
    borrador = tf.laptops()

    j.entra("admin")
    j.page.goto(f"{j.url}/cuentas/vias/")
    j.page.get_by_label("Umbral de la vía rápida (MXN)").fill("$100,000.00")
    j.page.get_by_label("Motivo del cambio").fill("Acuerdo del comité 3/2026")
    j.page.get_by_role("button", name="Pedir el cambio").click()
    expect(j.page.get_by_text("tendrá efecto cuando otra persona administradora")).to_be_visible()
    assert vias_vigentes().version == version  # asked, not applied
    # Who asked reads why she may not approve it herself.
    j.page.goto(f"{j.url}/cuentas/cambios/")
    expect(j.page.get_by_text("Nadie aprueba ni rechaza su propio cambio")).to_be_visible()
    j.sale()

    j.entra("admin2")
    j.page.goto(f"{j.url}/cuentas/cambios/")
    fila = j.page.locator("tr.cambio-valores__cambia")
    expect(fila).to_contain_text("$500,000.00")
    expect(fila).to_contain_text("$100,000.00")
    j.foto("cambio-de-umbral-por-aprobar")
    j.page.get_by_role("button", name="Aprobar").click()
    expect(j.page.get_by_text("Cambio aprobado: ya tiene efecto")).to_be_visible()
    j.sale()
    assert vias_vigentes().version == version + 1

    # The next request follows the new threshold.
    j.entra("requirente.sh")
    j.page.goto(f"{j.url}/solicitudes/{borrador.pk}/")
    j.presenta()
    via = j.region("Vía de revisión: Vía completa")
    expect(via).to_contain_text("$100,000.00")
    j.foto("solicitud-con-el-umbral-nuevo")
