"""Issue 47: a mistyped folio URL on `make run` showed Django's English debug page, listing
every URL pattern. `make run` (config.settings.local, with no DJANGO_ variable set) now
serves with DEBUG off: the project's own Spanish 404, and its static files through WhiteNoise
(runserver serves them only with DEBUG)."""

from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.config.test_settings import _settings_module

pytestmark = pytest.mark.django_db

ESTATICOS = Path(__file__).resolve().parents[2] / "static"


@pytest.fixture
def como_make_run(settings, tmp_path):
    """This process with what `make run`'s settings say of errors and static files."""
    local = _settings_module("config.settings.local", DJANGO_VAR_DIR=str(tmp_path))
    settings.DEBUG = local.DEBUG
    settings.MIDDLEWARE = local.MIDDLEWARE
    settings.WHITENOISE_USE_FINDERS = local.WHITENOISE_USE_FINDERS
    settings.WHITENOISE_AUTOREFRESH = local.WHITENOISE_AUTOREFRESH


def test_una_direccion_mal_escrita_da_la_pagina_404_propia_en_espanol(client, demo, como_make_run):
    respuesta = client.get("/verifcar/SGD/DGPDGT/DT/2026/0007/")
    assert respuesta.status_code == 404
    arbol = lxml_html.fromstring(respuesta.content.decode())
    assert arbol.xpath("//title")[0].text_content().startswith("Página no encontrada")
    assert arbol.xpath("//h1")[0].text_content() == "Página no encontrada"
    assert "URLconf" not in respuesta.content.decode()


def test_los_estaticos_se_sirven_sin_debug(client, demo, como_make_run):
    respuesta = client.get("/static/css/app.css")
    assert respuesta.status_code == 200
    assert b"".join(respuesta.streaming_content) == (ESTATICOS / "css" / "app.css").read_bytes()
