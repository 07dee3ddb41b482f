"""Large public answers travel compressed (config.compresion): the same bytes once
decompressed, compressed once per ETag, a 304 to whoever holds the weak ETag, and nothing
compressed for a client that does not accept gzip, that sends a session or credentials, or
for a small answer."""

import gzip

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from config import compresion
from tests.dictamenes.flujo_utils import presentada

pytestmark = pytest.mark.django_db
GZIP = {"accept-encoding": "gzip, deflate"}


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


def test_va_como_esta_sin_gzip_con_sesion_con_credenciales_o_si_es_pequena(
    client, paquete, monkeypatch
):
    plano = client.get(paquete).content
    monkeypatch.setattr(compresion, "MINIMO", 1024)
    casos = [
        {"accept-encoding": "identity"},
        {**GZIP, "authorization": "Token 0123456789abcdef"},
    ]
    for encabezados in casos:
        respuesta = client.get(paquete, headers=encabezados)
        assert not respuesta.has_header("Content-Encoding"), encabezados
        assert respuesta.content == plano
    client.cookies[settings.SESSION_COOKIE_NAME] = "una-sesion"
    assert not client.get(paquete, headers=GZIP).has_header("Content-Encoding")
    del client.cookies[settings.SESSION_COOKIE_NAME]
    monkeypatch.setattr(compresion, "MINIMO", len(plano) + 1)
    assert not client.get(paquete, headers=GZIP).has_header("Content-Encoding")
