"""Issue 47: a mistyped folio URL on `make run` showed Django's English debug page, listing
every URL pattern. `make run` (config.settings.local, with no DJANGO_ variable set) now
serves with DEBUG off: the project's own Spanish 404, and its static files through WhiteNoise
(runserver serves them only with DEBUG)."""

import contextlib
import socket
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


def test_con_8790_ocupado_la_tsa_de_la_demostracion_elige_otro_puerto(tmp_path, settings):
    """Issue 47: `make setup` failed when another installation's demo timestamp server held
    127.0.0.1:8790 (cargar_demo found another CA's services there). The address is chosen once
    per installation, 8790 only when free, and kept in var/: the settings, the TSA URL, the
    CRL and cargar_demo's services all use the chosen one."""
    import urllib.request

    from demo import confianza_local

    with socket.socket() as ocupado:
        with contextlib.suppress(OSError):  # held already by someone else: just as well
            ocupado.bind(("127.0.0.1", 8790))
            ocupado.listen()
        local = _settings_module("config.settings.local", DJANGO_VAR_DIR=str(tmp_path))
        direccion = local.DICTAMENES_CONFIANZA_LOCAL
        assert direccion.startswith("127.0.0.1:") and direccion != "127.0.0.1:8790"
        tsa, servicios = local.DICTAMENES_TSA["URL"], local.DICTAMENES_EFIRMA_SERVICIOS
        assert tsa == f"http://{direccion}/tsa"
        assert servicios == [f"http://{direccion}/"]
        # What cargar_demo does while it signs the demo's dictámenes: its services start there.
        with (
            confianza_local.en_marcha(settings.DICTAMENES_EFIRMA_DEMO_DIR, direccion),
            urllib.request.urlopen(confianza_local.url_crl(direccion), timeout=5) as r,  # noqa: S310
        ):
            assert r.status == 200
    # Kept for the installation: the next process (make run, cargar_demo) reads the same.
    assert (tmp_path / "confianza_local").read_text() == f"{direccion}\n"
    de_nuevo = _settings_module("config.settings.local", DJANGO_VAR_DIR=str(tmp_path))
    elegida = de_nuevo.DICTAMENES_CONFIANZA_LOCAL
    assert elegida == direccion
