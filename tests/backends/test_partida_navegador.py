"""The item form in a real browser: choosing the profile keeps what was typed, and each
specification shows the engine's result while the person types, before saving."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dictamenes.models import Partida
from estandares import cumplimiento
from estandares import selectors as estandares_selectors
from tests.backends.navegador import sesion_de
from tests.backends.test_browser import RESULTADOS
from tests.dictamenes import flujo_utils as fu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def motivo_del_motor(perfil, clave, valor, unidad):
    spec = estandares_selectors.perfil_spec(
        perfil=estandares_selectors.perfil_con_requisitos(perfil_id=perfil.pk)
    )
    evaluacion = cumplimiento.evaluar(spec, {clave: {"valor": valor, "unidad": unidad}})
    return next(r.motivo for r in evaluacion.resultados if r.clave == clave)


def test_la_partida_se_autoevalua_mientras_se_escribe(page, live_server, demo):
    solicitud = fu.borrador(areas=())
    basico = fu.perfil_de_area("computo")
    sesion_de(page, live_server, "requirente.sh")
    page.goto(live_server.url + reverse("solicitudes:partida_nueva", args=[solicitud.pk]))

    # Choosing the profile before the general fields: nothing marked wrong, nothing lost.
    page.get_by_label("Descripción").fill("Computadoras para ventanilla")
    page.get_by_label("Perfil técnico").select_option(label="Computadora de escritorio · Básico")
    page.get_by_role("button", name="Elegir perfil y capturar especificaciones").click()
    expect(page.get_by_label("Descripción")).to_have_value("Computadoras para ventanilla")
    expect(page.get_by_label("Cantidad")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("main .error")).to_have_count(0)

    ram = page.get_by_label("Memoria RAM", exact=True)
    expect(ram).to_have_accessible_description(
        "Mínimo 8 GB · obligatorio · Estándares Técnicos 2024 (ejemplo), numeral 1.1.2"
    )
    resultado = page.locator("#req-ram-resultado")
    expect(resultado).to_have_attribute("aria-live", "polite")
    expect(resultado).to_be_empty()

    ram.fill("4")
    esperado = motivo_del_motor(basico, "ram", "4", "GB")
    assert esperado == "4 GB es menor que el mínimo de 8 GB"
    expect(resultado).to_have_text(f"No cumple: {esperado}")
    expect(page.locator("#veredicto-provisional")).to_contain_text("No cumple")
    # Only what was touched is judged: the untouched processor field says nothing yet.
    expect(page.locator("#req-nucleos_cpu-resultado")).to_be_empty()
    assert not Partida.objects.filter(solicitud=solicitud).exists()
    page.locator("form.formulario").screenshot(path=str(RESULTADOS / "partida-autoevaluacion.png"))

    ram.fill("16")
    expect(resultado).to_have_text(f"Cumple: {motivo_del_motor(basico, 'ram', '16', 'GB')}")
    expect(resultado).to_contain_text("16 GB cumple (mínimo 8 GB)")
    assert not Partida.objects.filter(solicitud=solicitud).exists()
