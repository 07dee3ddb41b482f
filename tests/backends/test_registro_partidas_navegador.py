"""The register's items in a real browser, on a phone (390 × 844): a reader opens a
dictamen's items with the keyboard alone and reads each decision without scrolling sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.backends.test_browser import RESULTADOS
from tests.publico.test_registro_partidas import _parcial

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANCHO = 390


def test_las_partidas_del_registro_se_abren_con_el_teclado_en_un_telefono(page, live_server, demo):
    _parcial()
    page.set_viewport_size({"width": ANCHO, "height": 844})
    page.goto(live_server.url + reverse("registro"))
    resumen = page.get_by_text("3 partidas", exact=True)
    lista = page.locator(".partidas-registro ol")
    expect(lista).to_be_hidden()

    resumen.focus()
    page.keyboard.press("Enter")
    expect(lista).to_be_visible()
    expect(lista.locator("li")).to_have_count(3)
    expect(lista.locator("li").nth(1)).to_contain_text(
        "Aprobada por menor monto o cantidad: 1 por $9,500.00"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= ANCHO
    resumen.scroll_into_view_if_needed()
    RESULTADOS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTADOS / "registro-partidas-390.png", full_page=True)

    page.keyboard.press("Enter")  # the same key closes it again
    expect(lista).to_be_hidden()
