"""What the browser tests share: logging in through the form, opening a request from the
list, the states a journey starts from, and the manuals' screenshots."""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.test import Client
from PIL import Image

from dictamenes.models import Solicitud
from tests.dictamenes import flujo_utils as fu

# The manuals' pictures (docs/manual/*.md): taken by the journeys on the demo, so that they
# show what the pages show today. `CAPTURAS=1` turns them on; tests/docs/test_capturas.py
# fails when a manual shows a picture that no journey takes, or a journey's is not committed.
CAPTURAS = Path(__file__).resolve().parents[2] / "docs" / "img" / "capturas"
PANTALLA = {"width": 1280, "height": 720}
TELEFONO = {"width": 390, "height": 844}


def captura(page, nombre: str, *, movil: bool = False, donde=None):
    """With CAPTURAS=1 in the environment, what the screen shows at 1280 px saved as
    docs/img/capturas/<nombre>.png (and with `movil`, at 390 px as <nombre>-movil.png), with
    the locator `donde`, if given, scrolled into view. Without it, nothing: the journeys cost
    the same as before."""
    if not os.environ.get("CAPTURAS"):
        return
    CAPTURAS.mkdir(parents=True, exist_ok=True)
    antes = page.viewport_size
    try:
        for tamano, sufijo in ((PANTALLA, ""), *([(TELEFONO, "-movil")] if movil else [])):
            page.set_viewport_size(tamano)
            if donde is not None:
                donde.scroll_into_view_if_needed()
            archivo = CAPTURAS / f"{nombre}{sufijo}.png"
            page.screenshot(path=str(archivo), animations="disabled", caret="hide")
            # 256 colours are plenty for a page of text and a few brand colours: a third of
            # the bytes in the repository.
            with Image.open(archivo) as imagen:
                imagen.convert("RGB").quantize(256).save(archivo, optimize=True)
    finally:
        page.set_viewport_size(antes or PANTALLA)


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
