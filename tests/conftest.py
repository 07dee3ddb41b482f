import gc
import os
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.test.testcases import TransactionTestCase
from django.urls import reverse

from config import recolector
from demo.usuarios import CONTRASENA_DEMO
from tests import demo_datos, fases, perfiles  # noqa: F401 - perfiles: Hypothesis's profile
from tests.backends.plugin import skip_backend
from tests.backends.servers import started_s3_server

# Debian's headless shell (package chromium-headless-shell: the same Blink, without the desktop
# browser around it) when it is there: what Playwright itself runs headless. A browser journey
# costs its Chromium about half the CPU of the full `chromium` in headless mode (22 -> 12 s in
# test_jornada_cierre.py), and the browser phase is CPU-bound on two cores.
CHROMIUM = Path(
    os.environ.get("DICTAMENES_CHROMIUM")
    or next(
        (
            ruta
            for ruta in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
            if Path(ruta).exists()
        ),
        "/usr/bin/chromium",
    )
)
# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _cache_vacia():
    """Each test starts with an empty cache: the data version (the audit chain's head) starts
    over with every test's database, so a page cached by one test could match another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo catalogues of `make run` (areas, agencies, a user per role, the standards;
    not its requests) go into each test database once, after the migrations: every test
    starts from them and is rolled back to them, or, after a test that commits, they are
    copied back (tests/demo_datos.py)."""
    with django_db_blocker.unblock():
        demo_datos.cargar()
    _vaciar = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = _restaurar_en_lugar_de_vaciar
    yield
    TransactionTestCase._fixture_teardown = _vaciar


def _restaurar_en_lugar_de_vaciar(self):
    """After a test that commits, Django flushes the database (TRUNCATE of every table, then
    the post_migrate signal checks every content type and permission again: 150 ms) and the
    demo catalogues were then copied back, which empties every table again first. The copy
    back alone leaves the database as the flush and the copy did, in the time of the copy."""
    for alias in self._databases_names(include_mirrors=False):
        assert alias == DEFAULT_DB_ALIAS, f"solo la base por omisión tiene la copia: {alias}"
        demo_datos.restaurar()


@pytest.fixture
def demo(db):
    """A test that reads the demo catalogues says so; they are always there (django_db_setup
    loads them, and copies them back after a test that commits). The tests build the
    requests they need."""


SERIE = Path(__file__).parent / "backends"

# The cyclic garbage collector, tuned for a test process. With Python's default (a collection
# every 700 new container objects), the ORM's querysets and the pages' contexts set off some
# 9,500 collections in four of the heaviest files (the access matrix, the hostile list
# parameters, the oracle, the decisions), 8.6 s of them in full collections that walked every
# module, fixture and test item loaded; after the collection those stay out of its sight
# (gc.freeze, as config/wsgi.py does for a worker) and a collection waits for 20,000 new
# objects, as in the site's processes (config.recolector): 327–781 collections and 3.9–4.5 s,
# the four files 168.9 → 147.3–157.0 s. Only the collector's pace changes: what is garbage is
# still freed, and nothing a test asserts depends on when.
recolector.ajustar()


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items):
    """`serie`: the tests that `make test` runs in a phase of their own, after the database-only
    one: the browser (Chromium, live servers), and tests/backends (servers of their own, threads
    that race, two application servers). They wait on pages, servers and threads: three of them
    share two cores (Makefile), which the database-only phase keeps busy."""
    for item in items:
        if item.get_closest_marker("browser") or SERIE in item.path.parents:
            item.add_marker(pytest.mark.serie)
    # The second phase collects only the files of tests/fases.py: a `serie` test elsewhere
    # would run in neither phase.
    if fuera := fases.fuera_de_la_lista(items):
        raise pytest.UsageError(
            "Pruebas `serie` (navegador o servidores) fuera de los archivos de la segunda fase "
            "de make test; agregue su archivo a SERIE en tests/fases.py:\n  " + "\n  ".join(fuera)
        )


@pytest.fixture
def contrasena_demo():
    return CONTRASENA_DEMO


def entrar(client, username, password=CONTRASENA_DEMO):
    """Log in through the login page, as a person does (django-axes counts the attempt;
    Client.login() would skip the request it needs)."""
    respuesta = client.post(reverse("login"), {"username": username, "password": password})
    assert respuesta.status_code == 302, f"{username} no pudo entrar"
    return respuesta


@pytest.fixture(scope="session", autouse=True)
def confianza_local():
    """The test CA's timestamping authority and CRL on loopback, for the whole run
    (demo.confianza_local): every dictamen the suite signs is timestamped by it. The CA and
    the TSA certificate are made first, as `cargar_demo` would."""
    from django.conf import settings

    from demo import confianza_local, efirma_pruebas

    carpeta, direccion = settings.DICTAMENES_EFIRMA_DEMO_DIR, settings.DICTAMENES_CONFIANZA_LOCAL
    efirma_pruebas.demo_asegurar(carpeta, [], direccion_confianza=direccion)
    servidor = confianza_local.Servidor(carpeta, direccion).iniciar(
        getattr(settings, "DICTAMENES_CONFIANZA_LOCAL_SOCKET", None)
    )
    yield servidor
    servidor.detener()


@pytest.fixture(scope="session")
def s3_server():
    server = started_s3_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        skip_backend(
            f"no existe {CHROMIUM} (instale el paquete chromium-headless-shell o chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab. Every page it visits must satisfy our Content Security Policy:
    Chromium reports each refused script, style or image on the console, and any such report
    fails the test that caused it."""
    context = browser.new_context(locale="es-MX", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    # Where each refusal came from (Chromium's own console line does not say).
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP: ' + e.effectiveDirective + ' en ' + (e.sourceFile || e.documentURI) + ':' + "
        "e.lineNumber + ' «' + e.sample + '»'))"
    )
    refusals = []
    page.on(
        "console",
        lambda msg: (
            refusals.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    # A tool that injects its own styles into the page (axe-core does) may drop what it caused.
    page.rechazos_csp = refusals
    yield page
    context.close()
    assert not refusals, "la política de contenido (CSP) bloqueó:\n" + "\n".join(refusals)
