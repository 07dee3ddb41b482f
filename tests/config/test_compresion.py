"""Large public answers travel compressed (config.compresion): with Brotli to whoever accepts
it, gzip to the rest; the same bytes once decompressed, compressed once per ETag and coding,
a 304 to whoever holds the weak ETag, and nothing compressed for a client that accepts
neither, that sends a session or credentials, or for a small answer."""

import gzip

import brotli
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from config import compresion
from tests.dictamenes.flujo_utils import presentada

pytestmark = pytest.mark.django_db
GZIP = {"accept-encoding": "gzip, deflate"}
# What Chromium sends over HTTPS.
NAVEGADOR = {"accept-encoding": "gzip, deflate, br, zstd"}


@pytest.fixture
def paquete(demo):
    """The month's OCDS package (its ETag is the fingerprint of its bytes)."""
    presentada(titulo="Comprimida")
    return reverse("ocds_entregas", args=[f"{timezone.localdate():%Y-%m}"])


def test_el_paquete_viaja_comprimido_una_vez_y_es_el_mismo(client, paquete, monkeypatch):
    plano = client.get(paquete)
    assert not plano.has_header("Content-Encoding")  # the client did not ask for gzip
    monkeypatch.setattr(compresion, "MINIMO", 1024)
    assert len(plano.content) >= compresion.MINIMO
    comprimido = client.get(paquete, headers=GZIP)
    assert comprimido["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in comprimido["Vary"]
    assert gzip.decompress(comprimido.content) == plano.content
    assert len(comprimido.content) < len(plano.content) / 2
    assert comprimido["ETag"] == f"W/{plano['ETag']}"
    # The next client gets the very bytes kept under the ETag: not compressed again.
    monkeypatch.setattr(compresion.gzip, "compress", lambda *a, **k: pytest.fail("otra vez"))
    assert client.get(paquete, headers=GZIP).content == comprimido.content
    # Whoever holds it gets a 304, with the weak ETag as with the strong one.
    for etiqueta in (comprimido["ETag"], plano["ETag"]):
        condicionada = client.get(paquete, headers={**GZIP, "if-none-match": etiqueta})
        assert condicionada.status_code == 304


def test_quien_acepta_brotli_lo_recibe_mas_pequeno_y_una_vez(client, paquete, monkeypatch):
    plano = client.get(paquete)
    monkeypatch.setattr(compresion, "MINIMO", 1024)
    con_gzip = client.get(paquete, headers=GZIP).content
    respuesta = client.get(paquete, headers=NAVEGADOR)
    assert respuesta["Content-Encoding"] == "br"
    assert brotli.decompress(respuesta.content) == plano.content
    assert len(respuesta.content) < len(con_gzip)
    assert respuesta["ETag"] == f"W/{plano['ETag']}"
    assert int(respuesta["Content-Length"]) == len(respuesta.content)
    monkeypatch.setattr(compresion.brotli, "compress", lambda *a, **k: pytest.fail("otra vez"))
    assert client.get(paquete, headers=NAVEGADOR).content == respuesta.content
    # Each coding is kept apart: the gzip client still gets gzip.
    assert client.get(paquete, headers=GZIP).content == con_gzip
    condicionada = client.get(paquete, headers={**NAVEGADOR, "if-none-match": respuesta["ETag"]})
    assert condicionada.status_code == 304


@pytest.mark.parametrize(
    "encabezado, codificacion",
    [
        ("gzip, deflate, br, zstd", "br"),
        ("br", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("GZIP;Q=0.8, BR;Q=0.9", "br"),
        ("*", "br"),
        ("gzip;q=0.5, *;q=0.1", "gzip"),
        ("*;q=0", None),
        ("gzip;q=0, br;q=0", None),
        ("gzip;q=nada", None),
        ("identity", None),
        ("deflate, zstd", None),
        ("", None),
    ],
)
def test_cada_cliente_recibe_la_codificacion_que_prefiere(encabezado, codificacion):
    assert compresion.codificacion_aceptada(encabezado) == codificacion


def test_va_como_esta_sin_gzip_con_sesion_con_credenciales_o_si_es_pequena(
    client, paquete, monkeypatch
):
    plano = client.get(paquete).content
    monkeypatch.setattr(compresion, "MINIMO", 1024)
    casos = [
        {"accept-encoding": "identity"},
        {"accept-encoding": "gzip;q=0, br;q=0"},
        {**GZIP, "authorization": "Token 0123456789abcdef"},
        {**NAVEGADOR, "authorization": "Token 0123456789abcdef"},
    ]
    for encabezados in casos:
        respuesta = client.get(paquete, headers=encabezados)
        assert not respuesta.has_header("Content-Encoding"), encabezados
        assert respuesta.content == plano
    client.cookies[settings.SESSION_COOKIE_NAME] = "una-sesion"
    assert not client.get(paquete, headers=GZIP).has_header("Content-Encoding")
    assert not client.get(paquete, headers=NAVEGADOR).has_header("Content-Encoding")
    del client.cookies[settings.SESSION_COOKIE_NAME]
    monkeypatch.setattr(compresion, "MINIMO", len(plano) + 1)
    assert not client.get(paquete, headers=GZIP).has_header("Content-Encoding")
