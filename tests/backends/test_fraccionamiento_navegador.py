"""A purchase split in three walked in Chromium (issue 48, item 2): requirente.sh presents,
through the pages, three identical requests of 20 laptops × $24,000 ($480,000 each, under the
$500,000 threshold). The first goes fast until the second moves it (issue 59); the third's
draft already says it would go by the full track, and why; the mesa reads the warning on its
page, with the other two folios, and follows one. The drafts are built with the services
(tests/dictamenes/tramite/test_fraccionamiento.py); presenting and reading are clicks."""

import pytest
from playwright.sync_api import expect

from tests.dictamenes.tramite import test_fraccionamiento as tf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_la_compra_partida_en_tres_va_a_la_via_completa_y_la_mesa_lo_ve(jornada):
    j = jornada
    borradores = [tf.laptops() for _ in range(3)]

    # The requester presents the three, one after another, from their pages.
    j.entra("requirente.sh")
    folios = []
    for borrador in borradores[:2]:
        j.page.goto(f"{j.url}/solicitudes/{borrador.pk}/")
        folios.append(j.presenta())
    expect(j.region("Vía de revisión: Vía completa")).to_contain_text(
        tf.aviso(folios[0], "$960,000.00")
    )
    # The third's draft says, before presenting it, that it would not go fast, and why.
    j.page.goto(f"{j.url}/solicitudes/{borradores[2].pk}/")
    prevista = j.region("Vía de revisión si la presenta ahora: Vía completa")
    expect(prevista).to_contain_text(tf.aviso(f"{folios[0]} y {folios[1]}", "$1,440,000.00"))
    j.foto("borrador-fraccionado")
    folios.append(j.presenta())
    j.sale()

    # The first one went fast when presented; the second, presented after it and undecided
    # as it was, moved it to the full track (issue 59, item 5; it stayed fast until admission
    # before), and its page says why.
    j.entra("mesa")
    j.page.goto(f"{j.url}/solicitudes/{borradores[0].pk}/")
    expect(j.region("Vía de revisión: Vía completa")).to_contain_text(
        tf.aviso(folios[1], "$960,000.00")
    )

    # The third's page warns the mesa, naming the other two, each a link.
    j.page.goto(f"{j.url}/solicitudes/{borradores[2].pk}/")
    via = j.region("Vía de revisión: Vía completa")
    expect(via).to_contain_text(tf.aviso(f"{folios[0]} y {folios[1]}", "$1,440,000.00"))
    aviso = via.get_by_role("note")
    expect(aviso).to_contain_text(
        f"Posible fraccionamiento: con {folios[0]} y {folios[1]}, del mismo ente y de la misma "
        "categoría «Computadora portátil», suman $1,440,000.00 con esta"
    )
    j.foto("aviso-de-fraccionamiento")

    # Following the first folio; admitting it, it goes full too, naming the other two.
    aviso.get_by_role("link", name=folios[0]).click()
    expect(j.page).to_have_url(f"{j.url}/solicitudes/{borradores[0].pk}/")
    j.admite()
    expect(j.region("Vía de revisión: Vía completa").get_by_role("note")).to_contain_text(
        f"Posible fraccionamiento: con {folios[1]} y {folios[2]}"
    )
    j.foto("primera-admitida-en-via-completa")
