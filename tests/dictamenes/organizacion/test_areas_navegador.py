"""«Áreas de revisión» in Chromium: the administrator reaches it from the home page, adds an
area and reads a refusal with its requests; axe-core finds no serious or critical violation,
on a desktop and on a 390 px phone."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dictamenes.models import Area
from tests.backends.navegador import iniciar_sesion
from tests.cuentas.test_roles_navegador import sin_violaciones_graves
from tests.dictamenes.flujo_utils import admitida

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAPTURAS = os.environ.get("DICTAMENES_CAPTURAS")


def capturar(page, nombre):
    if CAPTURAS:
        page.screenshot(path=os.path.join(CAPTURAS, f"{nombre}.png"), full_page=True)


@pytest.mark.parametrize("ancho", [1280, 390])
def test_agregar_un_area_y_leer_un_rechazo(demo, page, live_server, contrasena_demo, ancho):
    solicitud = admitida(areas=("computo",))
    page.set_viewport_size({"width": ancho, "height": 900})
    iniciar_sesion(page, live_server, "admin", contrasena_demo)
    page.get_by_role("link", name="Áreas de revisión").click()
    assert page.url.endswith(reverse("cuentas:areas"))
    sin_violaciones_graves(page)
    capturar(page, f"areas-{ancho}")

    page.get_by_label("Nombre del área").fill("Inteligencia Artificial")
    page.get_by_role("button", name="Agregar el área").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Área de revisión: Inteligencia Artificial"
    )
    expect(page.get_by_role("status")).to_contain_text("Área «Inteligencia Artificial» agregada.")
    sin_violaciones_graves(page)
    capturar(page, f"area-nueva-{ancho}")

    computo = Area.objects.get(clave="computo")
    page.goto(live_server.url + reverse("cuentas:area", args=[computo.pk]))
    page.get_by_role("button", name="Retirar el área").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"tiene revisiones abiertas en estas solicitudes: {solicitud.folio}."
    )
    expect(
        page.get_by_role("region", name="Solicitudes que lo impiden").get_by_role(
            "link", name=solicitud.folio
        )
    ).to_be_visible()
    sin_violaciones_graves(page)
    capturar(page, f"area-rechazo-{ancho}")
