"""The public register and its open data: everything issued, nothing personal."""

import csv
import io
import json

import pytest
from django.urls import reverse

from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from publico import datos_abiertos
from tests.dictamenes.flujo_utils import en_firma, firmar

pytestmark = pytest.mark.django_db


@pytest.fixture
def emitido(demo):
    return firmar(en_firma(areas=("redes",), titulo='=HIPERVINCULO("http://x")'))


PERSONAS = [
    "Ana Laura",
    "Méndez",
    "Gastélum",
    "Romo Encinas",
    "Durazo",
    "Félix Quintero",
    "Valenzuela",
    "GATA750503SD1",
    "MERA850312AB1",
    "demo.invalid",
]


def test_el_registro_publico_lista_lo_emitido_sin_datos_personales(emitido, client):
    html = client.get(reverse("registro")).content.decode()
    assert emitido.folio in html
    assert "Switch" in html and "Favorable" in html
    for persona in PERSONAS:
        assert persona not in html


def test_csv_y_json_abiertos_sin_datos_personales(emitido, client):
    respuesta = client.get(reverse("datos_csv"))
    texto = b"".join(respuesta.streaming_content).decode("utf-8-sig")
    filas = list(csv.DictReader(io.StringIO(texto)))
    assert list(filas[0]) == datos_abiertos.CAMPOS
    assert filas[0]["folio"] == emitido.folio
    assert filas[0]["sha256_pdf"] == emitido.pdf_sha256
    # A title that starts like a formula is neutralised for spreadsheets.
    assert filas[0]["asunto"].startswith("'=")

    datos = json.loads(b"".join(client.get(reverse("datos_json")).streaming_content))
    assert datos["dictamenes"][0]["folio"] == emitido.folio
    for persona in PERSONAS:
        assert persona not in texto
        assert persona not in json.dumps(datos, ensure_ascii=False)


def test_las_consultas_del_registro_no_crecen(emitido, client, django_assert_max_num_queries):
    textos_vigentes_en_cache()  # warm, as on a running site: the header reads it from the cache
    # The rows, their items (issue 61) and what the page and its header read once.
    with django_assert_max_num_queries(5):
        assert client.get(reverse("registro")).status_code == 200
