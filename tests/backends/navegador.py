"""What the browser tests share: logging in through the form, opening a request from the
list, the states a journey starts from, and the manuals' screenshots."""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
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


def referencia_de_precio(perfil, mediana):
    """The reference price of `perfil` (per piece) as the monthly calculation leaves it: six
    purchases of three agencies in 24 months, their median `mediana`. The journeys that take
    the manuals' pictures show it, and the flag of a price above it."""
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from dictamenes.models import ReferenciaPrecio

    hoy = timezone.localdate()
    mediana = Decimal(mediana)
    return ReferenciaPrecio.objects.create(
        categoria_clave=perfil.categoria.clave,
        perfil_clave=perfil.clave,
        unidad="pieza",
        calculada_el=hoy,
        desde=hoy - relativedelta(months=24),
        compras=6,
        entes=3,
        suficiente=True,
        mediana=mediana,
        cuartil_1=mediana * Decimal("0.95"),
        cuartil_3=mediana * Decimal("1.05"),
        minimo=mediana * Decimal("0.9"),
    )


# Issue 78, item 6: a journey that follows a manual's task in the manual's own words.
MANUAL = Path(__file__).resolve().parents[2] / "docs" / "manual"
CITA = re.compile(r"«([^«»]+)»|\*\*([^*]+)\*\*")


class Manual:
    """The labels one section of a role's manual quotes («…» or **…**), read from
    docs/manual/<pagina>.md: `manual("Título")` returns the label if that section quotes it
    and fails otherwise, so a journey that locates the screen's elements by
    `manual(...)` clicks and fills only what the manual names, and fails when a label the
    manual quotes is not on the screen (the locator finds nothing). `sin_usar()` lists the
    section's labels the journey has not used: a journey that walks the section to its end
    says which it leaves, and why."""

    def __init__(self, pagina: str, seccion: str):
        texto = (MANUAL / f"{pagina}.md").read_text(encoding="utf-8")
        partes = re.split(r"^(#{2,3} .+)$", texto, flags=re.MULTILINE)
        cuerpo = next(
            (partes[i + 1] for i in range(1, len(partes), 2) if partes[i].lstrip("# ") == seccion),
            None,
        )
        assert cuerpo is not None, f"docs/manual/{pagina}.md no tiene la sección «{seccion}»"
        self.donde = f"docs/manual/{pagina}.md § {seccion}"
        self.etiquetas = {" ".join((a or b).split()) for a, b in CITA.findall(cuerpo)}
        self.usadas: set[str] = set()

    def __call__(self, etiqueta: str) -> str:
        assert etiqueta in self.etiquetas, f"{self.donde} no cita «{etiqueta}»"
        self.usadas.add(etiqueta)
        return etiqueta

    def sin_usar(self) -> set[str]:
        return self.etiquetas - self.usadas
