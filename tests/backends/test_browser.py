"""A real browser logs in as two roles and sees each one's home page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def iniciar_sesion(page, live_server, usuario, contrasena):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Iniciar sesión").first.click()
    page.get_by_label("Usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(contrasena)
    page.get_by_role("button", name="Entrar").click()


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
    assert page.get_by_role("link", name="Iniciar sesión").first.is_visible()


def test_contrasena_equivocada_muestra_error_en_espanol(page, live_server, demo):
    iniciar_sesion(page, live_server, "mesa", "no-es-la-contrasena")

    alerta = page.get_by_role("alert")
    assert "usuario" in alerta.inner_text().lower()
    assert page.get_by_label("Usuario").input_value() == "mesa"
