"""The item's price in a real browser (issue 62): typing a unit price twice its profile's
reference shows the flag while writing, before anything is saved."""

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dictamenes.models import Partida, ReferenciaPrecio
from tests.backends.navegador import sesion_de
from tests.dictamenes import flujo_utils as fu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_el_precio_al_doble_se_senala_mientras_se_escribe(page, live_server, demo):
    solicitud = fu.borrador(areas=())
    basico = fu.perfil_de_area("computo")
    ReferenciaPrecio.objects.create(
        categoria_clave=basico.categoria.clave,
        perfil_clave=basico.clave,
        unidad="pieza",
        calculada_el=timezone.localdate(),
        desde=timezone.localdate() - relativedelta(months=24),
        compras=6,
        entes=3,
        suficiente=True,
        mediana=15000,
        cuartil_1=14000,
        cuartil_3=16000,
        minimo=13000,
    )
    sesion_de(page, live_server, "requirente.sh")
    page.goto(
        live_server.url
        + reverse("solicitudes:partida_nueva", args=[solicitud.pk])
        + f"?perfil={basico.pk}"
    )
    caja = page.locator("#precio-en-vivo")
    expect(caja).to_have_attribute("aria-live", "polite")
    expect(caja).to_contain_text("Mediana: $15,000.00 por pieza")
    expect(caja.locator(".senal-precio")).to_have_count(0)

    page.get_by_label("Precio unitario (MXN)").fill("30000")
    expect(caja).to_contain_text("Su precio, $30,000.00 por pieza, está 100 % sobre la mediana")
    expect(caja.locator(".senal-precio")).to_contain_text("Señalado")
    assert not Partida.objects.filter(solicitud=solicitud).exists()
