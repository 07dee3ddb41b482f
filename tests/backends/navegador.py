"""What the browser tests share: logging in through the form, opening a request from the
list, and the states a journey starts from."""

from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.test import Client

from dictamenes.models import Solicitud
from tests.dictamenes import flujo_utils as fu


def iniciar_sesion(page, live_server, usuario, contrasena):
    """Through the login form, with the keyboard: type, then Enter submits."""
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Iniciar sesión").first.click()
    page.get_by_label("Usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(contrasena)
    page.get_by_label("Contraseña").press("Enter")
    page.wait_for_load_state()


def salir(page):
    page.get_by_role("button", name="Cerrar sesión").click()


def abrir_solicitud(page, live_server, titulo):
    """From the home page: the list of requests, then the request by its folio. It returns
    once the request page is laid out: a click waits for the navigation to start, not for the
    page, and a test that counts elements at once counted none (CI, stop 67)."""
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Solicitudes").first.click()
    page.get_by_role("link", name=Solicitud.objects.get(titulo=titulo).folio).click()
    page.locator("#estado-solicitud").wait_for()
    page.wait_for_load_state()


def estado(page) -> str:
    return page.locator("#estado-solicitud").inner_text()


def sesion_de(page, live_server, username):
    """A session made by Django's test client, handed to the browser, for tests about the
    pages after the login form (the login itself has its own journeys)."""
    page.context.clear_cookies()
    if username is None:
        return
    cliente = Client()
    cliente.force_login(fu.usuario(username))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cliente.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def en_hilo(funcion, *args, **kwargs):
    """Run `funcion` in a thread of its own: Playwright's sync API keeps an event loop running
    in the test's thread, and signing validates the certificate with asyncio.run()."""

    def llamar():
        try:
            return funcion(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as hilo:
        return hilo.submit(llamar).result()


def en_revision_estrategica(*, area="computo", titulo):
    return fu.revisada(areas=(area,), titulo=titulo)


def en_firma(*, area="computo", titulo, resultado="favorable"):
    return fu.en_firma(
        areas=(area,),
        titulo=titulo,
        resultado=resultado,
        motivos="Sustituye equipo obsoleto; sin duplicidad.",
    )


def dictaminada(*, area="computo", titulo):
    """A request with its signed dictamen; returns the dictamen."""
    solicitud = en_firma(area=area, titulo=titulo)
    return en_hilo(fu.firmar, solicitud)
