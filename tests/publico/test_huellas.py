"""ETag and Last-Modified per dataset (publico.huellas), over HTTP as a consumer meets them:
a change elsewhere that leaves a file's bytes alone (a draft request) leaves its ETag and
Last-Modified alone, and its date in the catalogue and the data package; a change that alters
the file gives it a new ETag (the SHA-256 of the new bytes) and a later Last-Modified."""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache as la_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date
from rdflib import Graph
from rdflib import namespace as ns

from dictamenes.comun import cache
from dictamenes.models import Dictamen, Ente, Solicitud
from dictamenes.seguimiento.services import contratos
from publico import catalogo, datos_abiertos
from publico.conjuntos import CONJUNTOS
from publico.ocds import publicacion
from tests.conocidos import TZ, crear_conocidos, dictamen_registrado
from tests.dictamenes.flujo_utils import borrador, en_firma, firmar, presentada, usuario

pytestmark = pytest.mark.django_db

CSV = "/datos-abiertos/dictamenes.csv"
JSON = "/datos-abiertos/dictamenes.json"
ANUAL = "/datos-abiertos/indicador-anual.csv"
CATALOGO = "/datos-abiertos/catalogo.jsonld"
PAQUETE = "/datos-abiertos/datapackage.json"
BASE = "http://127.0.0.1:8000/datos-abiertos/catalogo#"


@pytest.fixture
def publicado(demo):
    """The known requests of 2025 and a favourable dictamen on record under one of them: the
    register has a row, the indicators have figures."""
    crear_conocidos()
    solicitud = Solicitud.objects.filter(
        ente=Ente.objects.get(siglas="SH"), resultado="favorable"
    ).get()
    return dictamen_registrado(solicitud)


def _cuerpo(respuesta) -> bytes:
    return b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content


def _sha256(respuesta) -> str:
    return f'"{hashlib.sha256(_cuerpo(respuesta)).hexdigest()}"'


def _contrato(dictamen):
    contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero="SH-001",
        proveedor="Redes del Pacífico",
        fecha=timezone.localdate(),
        monto=Decimal("900.00"),
    )


def _presentar(dictamen):
    presentada(titulo="Una más")


# --- The register and an aggregate, both ways --------------------------------------------


@pytest.mark.parametrize("url", [CSV, JSON, ANUAL, CATALOGO, PAQUETE], ids=lambda u: u[16:])
def test_un_borrador_deja_igual_etag_y_last_modified(publicado, client, url):
    antes = client.get(url)
    assert antes.status_code == 200
    assert antes["ETag"] == _sha256(antes)
    version = cache.version_datos()
    borrador(titulo="Un borrador que nada publica")
    assert cache.version_datos() > version  # audited: the data's version moved
    despues = client.get(url, HTTP_IF_NONE_MATCH=antes["ETag"])
    assert despues.status_code == 304
    assert (despues["ETag"], despues["Last-Modified"]) == (antes["ETag"], antes["Last-Modified"])
    desde = client.get(url, HTTP_IF_MODIFIED_SINCE=antes["Last-Modified"])
    assert desde.status_code == 304


@pytest.mark.parametrize(
    ("url", "cambio", "nuevo"),
    [
        pytest.param(CSV, _contrato, b",900.00,", id="dictamenes.csv"),
        pytest.param(JSON, _contrato, b'"monto_contratado_mxn": "900.00"', id="dictamenes.json"),
        pytest.param(
            ANUAL,
            _presentar,
            f"\r\n{timezone.localdate().year},1,0,0.0\r\n".encode(),
            id="indicador-anual.csv",
        ),
    ],
)
def test_un_cambio_del_archivo_da_etag_y_last_modified_nuevos(
    publicado, client, url, cambio, nuevo
):
    antes = client.get(url)
    assert nuevo not in _cuerpo(antes)
    cambio(publicado)
    despues = client.get(url, HTTP_IF_NONE_MATCH=antes["ETag"])
    assert despues.status_code == 200
    assert despues["ETag"] == _sha256(despues) != antes["ETag"]
    assert nuevo in _cuerpo(client.get(url))
    assert _fecha(despues["Last-Modified"]) > _fecha(antes["Last-Modified"])
    desde = client.get(url, HTTP_IF_MODIFIED_SINCE=antes["Last-Modified"])
    assert desde.status_code == 200


def test_el_dia_en_que_un_dictamen_vence_cambian_sus_bytes_y_su_etag(publicado, client):
    """No audited change at midnight: a minute later, the fingerprint of the day before (still
    in the cache) is not used; the register's bytes say "Vencido" now."""
    hoy = timezone.localdate()
    Dictamen.objects.filter(pk=publicado.pk).update(vigencia_hasta=hoy)
    casi = datetime.datetime.combine(hoy, datetime.time(23, 59, 30), tzinfo=TZ)
    with time_machine.travel(casi, tick=False):
        antes = client.get(CSV)
        assert b",Vigente," in _cuerpo(antes)
    with time_machine.travel(casi + datetime.timedelta(minutes=1), tick=False):
        despues = client.get(CSV, HTTP_IF_NONE_MATCH=antes["ETag"])
        assert despues.status_code == 200
        assert b",Vencido," in _cuerpo(despues)
    assert despues["ETag"] != antes["ETag"]
    assert _fecha(despues["Last-Modified"]) > _fecha(antes["Last-Modified"])


def _fecha(http: str) -> datetime.datetime:
    return datetime.datetime.strptime(http, "%a, %d %b %Y %H:%M:%S GMT").replace(
        tzinfo=datetime.UTC
    )


# --- The catalogue and the data package ------------------------------------------------------


def _modificados(client) -> dict[str, datetime.datetime]:
    """Each dataset's and distribution's dct:modified, and the catalogue's ("")."""
    g = Graph().parse(data=client.get(CATALOGO).content, format="json-ld")
    return {
        str(sujeto).removeprefix(BASE).removeprefix("http://127.0.0.1:8000/datos-abiertos/"): (
            fecha.toPython()
        )
        for sujeto, fecha in g.subject_objects(ns.DCTERMS.modified)
    }


def test_un_cambio_mueve_solo_la_fecha_de_su_conjunto(publicado, client):
    antes = _modificados(client)
    paquete = client.get(PAQUETE)
    # The catalogue itself, every dataset and each of its files (the register, its items and
    # the reference prices in two each, and the reference prices' further two, issue 76).
    assert len(antes) == 1 + len(CONJUNTOS) * 2 + sum(c.json for c in CONJUNTOS) + 2
    assert antes["catalogo"] == max(antes.values())
    _presentar(publicado)
    # One instant for the files that changed: each is dated when its new hash is first seen.
    # Dates are to the second: the instant is two seconds on, or a change in the same second
    # as the newest file's leaves the catalogue's date (the newest of its files') where it was.
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2), tick=False):
        despues = _modificados(client)
        movidos = {clave for clave in antes if despues[clave] != antes[clave]}
        assert movidos == {
            "catalogo",
            "indicador-anual",
            "indicador-anual-csv",
            "indicador-anual-por-ente-y-tipo",
            "indicador-anual-por-ente-y-tipo-csv",
            "llegadas-mensuales",
            "llegadas-mensuales-csv",
        }
        assert all(despues[clave] > antes[clave] for clave in movidos)
        assert despues["catalogo"] == despues["indicador-anual"] == max(despues.values())
        otra = client.get(PAQUETE, HTTP_IF_NONE_MATCH=paquete["ETag"])
        assert otra.status_code == 200
        creado = datetime.datetime.fromisoformat(json.loads(otra.content)["created"])
    assert creado == despues["indicador-anual-csv"] > antes["catalogo"]


def test_el_catalogo_fecha_cada_archivo_como_su_last_modified(publicado, client):
    """The catalogue works each file's fingerprint out first, from huellas.archivo; the file's
    own address then reads that very fingerprint: its ETag must be the hash of what it
    serves, and its Last-Modified the date the catalogue gave it."""
    modificados = _modificados(client)
    for conjunto in CONJUNTOS:
        for formato in ("csv", "json") if conjunto.json else ("csv",):
            respuesta = client.get(catalogo.url_de(conjunto, formato, base=""))
            assert respuesta["ETag"] == _sha256(respuesta), conjunto.nombre
            fecha = modificados[f"{conjunto.nombre}-{formato}"]
            assert respuesta["Last-Modified"] == http_date(fecha.timestamp()), conjunto.nombre


# --- The fingerprint outlives the cache; the 304 generates nothing ----------------------------


def test_la_huella_sobrevive_a_la_cache(publicado, client):
    antes = client.get(CSV)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        la_cache.clear()
        despues = client.get(CSV, HTTP_IF_NONE_MATCH=antes["ETag"])
    assert despues.status_code == 304
    assert (despues["ETag"], despues["Last-Modified"]) == (antes["ETag"], antes["Last-Modified"])


@pytest.fixture
def generaciones(monkeypatch):
    """How many times the register's CSV and the catalogue were generated."""
    cuenta = {"csv": 0, "catalogo": 0}

    def contar(nombre, funcion):
        def contada(*args, **kwargs):
            cuenta[nombre] += 1
            return funcion(*args, **kwargs)

        return contada

    monkeypatch.setattr(datos_abiertos, "csv_lineas", contar("csv", datos_abiertos.csv_lineas))
    monkeypatch.setattr(catalogo, "serializar", contar("catalogo", catalogo.serializar))
    return cuenta


def test_el_304_no_genera_los_datos(publicado, client, generaciones, django_assert_num_queries):
    primera = client.get(CSV)
    _cuerpo(primera)
    # Generated once (issue 79): hashed in one pass and served from what that pass kept; the
    # catalogue, in memory, served as generated.
    assert client.get(CATALOGO).status_code == 200
    assert generaciones == {"csv": 1, "catalogo": 1}
    with django_assert_num_queries(1):  # the data's version, to find the fingerprint
        assert client.get(CSV, HTTP_IF_NONE_MATCH=primera["ETag"]).status_code == 304
    assert generaciones == {"csv": 1, "catalogo": 1}


@pytest.mark.parametrize("url", [CSV, JSON], ids=lambda u: u[16:])
def test_la_primera_descarga_sirve_los_mismos_bytes_que_las_demas(publicado, client, url):
    """The first GET at a data version (served from what hashing it kept) and a later one
    (the fingerprint in the cache, the data streamed from the database) give the same bytes,
    and the ETag both carry is their SHA-256."""
    la_cache.clear()
    primera = client.get(url)
    cuerpo = _cuerpo(primera)
    otra = client.get(url)
    assert (primera.status_code, otra.status_code) == (200, 200)
    assert cuerpo == _cuerpo(otra)
    assert publicado.folio.encode() in cuerpo
    assert primera["ETag"] == otra["ETag"] == f'"{hashlib.sha256(cuerpo).hexdigest()}"'
    assert primera.get("Content-Disposition") == otra.get("Content-Disposition")


# --- The OCDS packages, both ways ----------------------------------------------------------


def _mes_ocds(dictamen) -> str:
    return f"/datos-abiertos/ocds/entregas/{timezone.localdate():%Y-%m}.json"


def _registro_ocds(dictamen) -> str:
    ocid = f"{settings.OCDS_PREFIJO_OCID}-{dictamen.solicitud.folio}"
    return f"/datos-abiertos/ocds/registros/{ocid}.json"


@pytest.fixture
def firmado(demo):
    """A dictamen signed through the procedure this month: its request has a record, and this
    month's package its releases."""
    return firmar(en_firma(areas=("computo",), titulo="Computadoras con dictamen"))


def test_un_paquete_ya_armado_cuesta_una_consulta_aunque_se_pida_entero(
    firmado, client, django_assert_num_queries
):
    """The fingerprint (ETag) and the body are both kept per version of the data: a request
    for the whole package reads that version once between them, not once each."""
    url = _mes_ocds(firmado)
    primera = client.get(url)
    with django_assert_num_queries(1):
        segunda = client.get(url)
    assert segunda.status_code == 200 and segunda.content == primera.content


@pytest.mark.parametrize(
    ("direccion", "cambio", "nuevo"),
    [
        # A request presented this month: a new planning release in this month's package.
        pytest.param(_mes_ocds, _presentar, "Una más".encode(), id="entregas-del-mes"),
        # A contract recorded under the dictamen: a contract release in its record.
        pytest.param(_registro_ocds, _contrato, b'"Contrato SH-001"', id="registro"),
    ],
)
def test_un_paquete_ocds_cambia_solo_cuando_cambian_sus_bytes(
    firmado, client, direccion, cambio, nuevo
):
    url = direccion(firmado)
    antes = client.get(url)
    assert antes.status_code == 200
    assert antes["ETag"] == _sha256(antes)
    borrador(titulo="Un borrador que nada publica")
    igual = client.get(url, HTTP_IF_NONE_MATCH=antes["ETag"])
    assert igual.status_code == 304
    assert (igual["ETag"], igual["Last-Modified"]) == (antes["ETag"], antes["Last-Modified"])
    assert nuevo not in _cuerpo(antes)
    cambio(firmado)
    despues = client.get(url, HTTP_IF_NONE_MATCH=antes["ETag"])
    assert despues.status_code == 200
    assert nuevo in _cuerpo(despues)
    assert despues["ETag"] == _sha256(despues) != antes["ETag"]
    assert _fecha(despues["Last-Modified"]) > _fecha(antes["Last-Modified"])


def test_el_catalogo_con_todo_en_cache_no_cuesta_una_consulta_por_mes(firmado, client):
    """Warm, the catalogue reads each file's date from the cache: the data's version once, not
    once a file, so a month more of OCDS releases adds no query."""

    def consultas() -> int:
        client.get(CATALOGO)  # the fingerprints, worked out
        with CaptureQueriesContext(connection) as capturadas:
            assert client.get(CATALOGO).status_code == 200
        return len(capturadas)

    antes = len(publicacion.meses())
    una = consultas()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=70)):
        presentada(titulo="Dos meses antes")
    assert len(publicacion.meses()) == antes + 1
    assert consultas() == una
