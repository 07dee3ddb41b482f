"""The draft's track live while its requester types an item (issue 61), in Chromium: the item
form says the track and the steps with the price as typed, before saving, and a screen reader
hears the track when it changes."""

import pytest
from playwright.sync_api import expect

from tests.backends.jornadas import AREA
from tests.dictamenes.tramite import test_vias as tv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_la_via_cambia_mientras_se_escribe_el_precio(jornada):
    j = jornada
    borrador = tv.borrador()
    computo = borrador.partidas.get(descripcion="Partida de computo")
    unica = f"Revisión técnica única (vía rápida): {AREA['computo']}, {AREA['redes']}"

    j.entra("requirente.sh")
    j.page.goto(f"{j.url}/solicitudes/{borrador.pk}/partidas/{computo.pk}/")
    expect(j.region("Vía de revisión si la presenta ahora: Vía rápida")).to_be_visible()
    expect(j.page.locator("#via-en-vivo")).to_contain_text(unica)

    j.page.get_by_label("Precio unitario (MXN)").fill("1075000")
    completa = j.region("Vía de revisión si la presenta con lo capturado: Vía completa")
    expect(completa).to_contain_text(tv.MONTO_NO_CUMPLIDO % "$2,200,000.00")
    pasos = j.page.locator("#via-en-vivo")
    expect(pasos).to_contain_text(f"Revisión técnica: {AREA['computo']}")
    expect(pasos).to_contain_text(f"Revisión técnica: {AREA['redes']}")
    expect(j.page.get_by_role("status").filter(has_text="Vía completa")).to_have_text(
        "Vía de revisión si la presenta con lo capturado: Vía completa"
    )
    j.foto("via-en-vivo-completa")

    j.page.get_by_label("Precio unitario (MXN)").fill("10000")
    expect(j.region("Vía de revisión si la presenta con lo capturado: Vía rápida")).to_contain_text(
        tv.MONTO_CUMPLIDO % "$70,000.00"
    )
    expect(pasos).to_contain_text(unica)
    computo.refresh_from_db()
    assert computo.precio_unitario == 10000  # nothing was saved
