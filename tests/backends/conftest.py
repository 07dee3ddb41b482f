"""The journeys' fixture: a `Jornada` on a fresh tab, its wall time, and what a person needs
to see why one stopped (a full-page screenshot and the page's HTML) under
test-results/jornadas/<test name>/."""

import datetime
import shutil
import time

import pytest
from playwright.sync_api import expect

from tests.backends.jornadas import CARPETA, ESPERA, Jornada


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Each phase's report on the test item, so a fixture can tell in its teardown whether the
    # test body failed (item.rep_call.failed).
    informe = yield
    setattr(item, f"rep_{informe.when}", informe)
    return informe


@pytest.fixture
def jornada(request, page, live_server, demo, contrasena_demo, tmp_path):
    carpeta = CARPETA / request.node.name
    shutil.rmtree(carpeta, ignore_errors=True)
    carpeta.mkdir(parents=True)
    recorrido = Jornada(page, live_server.url, contrasena_demo, carpeta, tmp_path)
    # What a person waits for before the journey stops there (Playwright's default is 5 s;
    # signing on a busy two-core machine takes a few).
    expect.set_options(timeout=ESPERA)
    page.set_default_timeout(ESPERA)
    inicio = time.monotonic()
    try:
        yield recorrido
    finally:
        expect.set_options(timeout=None)
    segundos = time.monotonic() - inicio
    informe = getattr(request.node, "rep_call", None)
    fallo = informe is None or informe.failed
    if fallo:
        try:
            page.screenshot(path=str(carpeta / "fallo.png"), full_page=True)
            (carpeta / "fallo.html").write_text(page.content(), encoding="utf-8")
            (carpeta / "fallo.txt").write_text(
                f"{page.url}\n{recorrido.quien or 'visitante'}\n\n"
                + (informe.longreprtext if informe else ""),
                encoding="utf-8",
            )
        except Exception as exc:  # the page itself may be what broke
            (carpeta / "fallo.txt").write_text(f"sin captura: {exc}\n", encoding="utf-8")
    with (CARPETA / "tiempos.txt").open("a", encoding="utf-8") as tiempos:
        tiempos.write(
            f"{datetime.datetime.now():%Y-%m-%d %H:%M}\t{request.node.name}\t"
            f"{segundos:.1f} s\t{'falló' if fallo else 'pasó'}\n"
        )
    request.node.user_properties.append(("segundos", round(segundos, 1)))
