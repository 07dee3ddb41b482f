"""Issue 62, item 4, in Chromium: «Reducir a la referencia» fills the flagged item's decision
in place (static/js/decision-partidas.js), without reloading and without touching what was
typed, and the approved total follows; the price lines and the button pass axe.
Without JavaScript the step view does the same (test_precio_revisor.py)."""

import pytest
from playwright.sync_api import expect

from tests.backends.navegador import sesion_de
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.tramite.test_pasos_navegador import graves
from tests.dictamenes.tramite.test_precio_revisor import _cotizacion, _por_area, _referencia

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reducir_a_la_referencia_llena_la_partida_sin_recargar(demo, live_server, page):
    solicitud = fu.revisada(areas=("computo", "redes"), titulo="Equipo caro")
    computo = _por_area(solicitud)["computo"]
    _referencia(computo)
    _cotizacion(computo, "9500")
    sesion_de(page, live_server, "estrategico")
    page.goto(f"{live_server.url}{fu.detalle(solicitud)}")
    formulario = page.locator("form.estrategica")
    formulario.get_by_label("Motivos").fill("Escrito antes de reducir.")
    redes = formulario.locator("fieldset.decision-partida").nth(1)
    redes.get_by_label("Aprobada", exact=True).check()
    fieldset = formulario.locator("fieldset.decision-partida").nth(0)

    fieldset.get_by_role("button", name="Reducir a la referencia ($7,000.00 por pieza)").click()
    expect(fieldset.get_by_label("Aprobada por menor monto o cantidad")).to_be_checked()
    expect(fieldset.get_by_label("Monto aprobado de «Partida de computo» (MXN)")).to_have_value(
        "14000.00"
    )
    expect(
        fieldset.get_by_role(
            "group", name="Motivo de la decisión sobre «Partida de computo»"
        ).get_by_label("Precio por encima de la referencia", exact=True)
    ).to_be_checked()
    # Issue 76, item 7: the figures in the item's text (its field shows whatever the choice:
    # approving the flagged item needs its reason).
    expect(fieldset.get_by_label("Explicación sobre «Partida de computo»")).to_have_value(
        "Precio solicitado $10,000.00 por pieza contra una referencia de $7,000.00 (+43 %)."
    )
    expect(fieldset.get_by_role("status")).to_have_text(
        "Reducida a la referencia: $14,000.00. Se guarda al registrar."
    )
    expect(formulario.locator("#total-aprobado")).to_have_text("$34,000.00")
    expect(formulario.get_by_label("Motivos")).to_have_value("Escrito antes de reducir.")
    assert graves(page, "#acciones") == []
