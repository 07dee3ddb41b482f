import os
from pathlib import Path

import pytest
from django.core.management import call_command

from dictamenes.demo import CONTRASENA_DEMO
from tests.backends.plugin import skip_backend
from tests.backends.servers import BackendUnavailable, S3Server

CHROMIUM = Path(os.environ.get("DICTAMENES_CHROMIUM", "/usr/bin/chromium"))
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


@pytest.fixture
def demo(db):
    """The demo catalogues of `make run`: areas, agencies, a user per role, the standards.
    The demo requests are left out; tests build the ones they need."""
    call_command("cargar_demo", "--sin-solicitudes", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def contrasena_demo():
    return CONTRASENA_DEMO


@pytest.fixture(scope="session")
def s3_server():
    try:
        server = S3Server()
    except BackendUnavailable as exc:
        skip_backend(f"S3: {exc}")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        skip_backend(f"no existe {CHROMIUM} (instale el paquete chromium)")
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
    context = browser.new_context(locale="es-MX", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()
