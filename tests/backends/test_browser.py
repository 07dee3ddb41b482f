"""A real browser logs in as two roles and sees each one's home page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.backends.navegador import iniciar_sesion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots land here for a person to look at (ignored by git).
RESULTADOS = Path(__file__).resolve().parents[2] / "test-results"
RESULTADOS.mkdir(exist_ok=True)


def test_requirente_ve_su_dependencia(page, live_server, demo, contrasena_demo):
    iniciar_sesion(page, live_server, "requirente.sh", contrasena_demo)

    assert page.url == f"{live_server.url}/"
    panel = page.locator("[data-rol=requirente]")
    assert panel.get_by_role("heading", name="Requirente").is_visible()
    assert "Secretaría de Hacienda (SH)" in panel.inner_text()
    assert page.locator("[data-rol=mesa_control]").count() == 0


def test_mesa_de_control_ve_su_trabajo_y_cierra_sesion(page, live_server, demo, contrasena_demo):
    iniciar_sesion(page, live_server, "mesa", contrasena_demo)

    panel = page.locator("[data-rol=mesa_control]")
    assert panel.get_by_role("heading", name="Mesa de control").is_visible()
    assert "prevención" in panel.inner_text()
    assert page.locator("[data-rol=requirente]").count() == 0

    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("link", name="Iniciar sesión").first).to_be_visible()


def test_contrasena_equivocada_muestra_error_en_espanol(page, live_server, demo):
    iniciar_sesion(page, live_server, "mesa", "no-es-la-contrasena")

    alerta = page.get_by_role("alert")
    assert "usuario" in alerta.inner_text().lower()
    assert page.get_by_label("Usuario").input_value() == "mesa"


def test_autoevaluacion_en_el_navegador(page, live_server, demo):
    """A citizen picks a profile, types the specifications, and reads the verdict."""
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="Autoevaluación"
    ).click()
    page.get_by_label("Perfil técnico").select_option(label="Computadora de escritorio · Básico")
    page.get_by_role("button", name="Elegir perfil").click()

    page.get_by_label("Memoria RAM", exact=True).fill("4")
    page.get_by_label("Tipo de almacenamiento").select_option("SSD")
    page.get_by_label("Capacidad de almacenamiento", exact=True).fill("1")
    page.get_by_label("Unidad de Capacidad de almacenamiento").select_option("TB")
    page.get_by_role("button", name="Evaluar").click()

    veredicto = page.get_by_role("status").filter(has_text="Veredicto")
    assert veredicto.inner_text() == "Veredicto: No cumple"
    fila_ram = page.locator("tr[data-requisito=ram]")
    assert "No cumple" in fila_ram.inner_text()
    assert "4 GB es menor que el mínimo de 8 GB" in fila_ram.inner_text()
    assert "1 TB (1000 GB) cumple" in page.locator("tr[data-requisito=almacenamiento]").inner_text()
    # What was typed stays in the form for the next try.
    assert page.get_by_label("Memoria RAM", exact=True).input_value() == "4"
    page.screenshot(path=str(RESULTADOS / "autoevaluacion.png"), full_page=True)

    page.get_by_label("Memoria RAM", exact=True).fill("16")
    page.get_by_role("button", name="Evaluar").click()
    assert "No cumple" not in page.locator("tr[data-requisito=ram]").inner_text()
