"""The stepper and the public page "¿Cómo es el trámite?" in Chromium: what a person sees,
what a screen reader is told, and axe-core finds nothing serious in either.

Set DICTAMENES_CAPTURAS=<folder> to keep a screenshot of each page there."""

import os
from pathlib import Path

import pytest

from tests.backends.navegador import sesion_de
from tests.dictamenes import flujo_utils as fu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def capturar(page, nombre, **kwargs):
    carpeta = os.environ.get("DICTAMENES_CAPTURAS")
    if carpeta:
        page.screenshot(path=str(Path(carpeta) / f"{nombre}.png"), **kwargs)


def graves(page, contexto=None):
    from axe_playwright_python.sync_playwright import Axe

    antes = len(page.rechazos_csp)
    resultado = Axe().run(page, context=contexto)
    # axe-core injects styles of its own while it measures; the CSP refusing them is no fault.
    del page.rechazos_csp[antes:]
    return [
        (v["id"], len(v["nodes"]))
        for v in resultado.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_el_paso_a_paso_en_la_pagina_de_la_solicitud(demo, live_server, page):
    solicitud = fu.admitida(areas=("redes", "computo"), titulo="Red y equipo de ventanillas")
    fu.revisar(solicitud, "computo")
    sesion_de(page, live_server, "requirente.sh")
    page.goto(f"{live_server.url}/solicitudes/{solicitud.pk}/")

    seccion = page.get_by_role("region", name="Pasos del trámite")
    assert seccion.is_visible()
    pasos = seccion.get_by_role("listitem")
    assert pasos.count() == 6
    actual = seccion.locator('[aria-current="step"]')
    assert actual.count() == 1
    assert actual.get_attribute("data-paso") == "revision_tecnica:redes"
    assert "Revisión técnica: Redes y telecomunicaciones" in actual.inner_text()
    assert "Sin tomar" in actual.inner_text()
    hecho = seccion.locator('[data-paso="revision_tecnica:computo"]')
    assert "Concluido el" in hecho.inner_text()
    assert "Óscar Núñez Valdez" in hecho.inner_text()
    # The icons are decoration; the state is in words a screen reader reads.
    assert seccion.locator('.paso__icono[aria-hidden="true"]').count() == 6
    assert graves(page, ".pasos") == []
    capturar(page, "solicitud-pasos", clip=_recorte(page, ".pasos"), full_page=True)
    capturar(page, "solicitud-completa", full_page=True)


def _recorte(page, selector):
    caja = page.locator(selector).bounding_box()
    return {"x": 0, "y": caja["y"] - 20, "width": 1280, "height": caja["height"] + 40}


def test_la_pagina_publica_del_tramite(demo, live_server, page):
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="¿Cómo es el trámite?"
    ).click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/tramite/"
    dibujo = page.get_by_role("img", name="Diagrama del trámite de un dictamen TIC")
    assert dibujo.is_visible()
    caja = dibujo.bounding_box()
    assert caja["width"] > 900  # drawn at a readable size on a desktop screen
    assert page.get_by_role("heading", name="Paso por paso").is_visible()
    assert graves(page) == []
    capturar(page, "tramite", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    capturar(page, "tramite-movil", full_page=True)
