"""The signs as open data (issue 80, item 4): the counts per year, agency, category and sign
against an oracle that walks the rows this test creates, only the signs in force, a request of
two categories in both, no person or supplier named, the catalogue of signs with the thresholds
in force, both files valid against their Table Schema and listed in the DCAT catalogue."""

import csv
import hashlib
import io
import json
from collections import Counter

import frictionless
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rdflib import Graph, URIRef
from rdflib import namespace as ns

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Solicitud
from dictamenes.models.senales import CodigoSenal, Senal, SenalProveedor
from dictamenes.senales.catalogo import CATALOGO
from dictamenes.tramite.selectors.vias import vias_vigentes
from publico.senales import SENALES
from tests.dictamenes.flujo_utils import borrador, presentada

pytestmark = pytest.mark.django_db

C = CodigoSenal
# A supplier that is a person, as a sign's evidence would name them: never in the open data.
PERSONA = "María Guadalupe Quiñónez Barrón"
RFC_PERSONA = "QUBM800101AB1"


def _senal(solicitud, codigo, *, vigente=True, proveedor=None) -> Senal:
    """The sign, as the door would keep it (the same row if the door computed it already)."""
    senal, _ = Senal.objects.update_or_create(
        solicitud=solicitud,
        codigo=codigo,
        defaults={
            "ente": solicitud.ente,
            "ejercicio": solicitud.ejercicio,
            "texto": f"Cotiza {PERSONA} ({RFC_PERSONA})." if proveedor else "Se encontró.",
            "evidencia": (
                [{"texto": f"Cotización de {proveedor}", "enlace": "/x"}] if proveedor else []
            ),
            "vigente": vigente,
            "detectada_en": timezone.now(),
            "retirada_en": None if vigente else timezone.now(),
        },
    )
    if proveedor:
        SenalProveedor.objects.create(senal=senal, nombre=proveedor, clave=proveedor.lower())
    return senal


def _csv(client, nombre) -> list[dict]:
    respuesta = client.get(reverse("datos_conjunto", args=[nombre]))
    assert respuesta.status_code == 200
    return list(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8-sig"))))


@pytest.fixture
def senales(demo):
    """Three presented requests and a draft, with signs in force and one that no longer holds:
    SH asks for computers and network gear in one request (two categories) and two items of
    computers in another (one category, counted once); RC asks for network gear. A sign on a
    draft (none is computed there) and a withdrawn one must not count."""
    dos = presentada(areas=("computo", "redes"))
    computo = presentada(areas=("computo", "computo"))  # two items of one category
    redes = presentada(areas=("redes",), requirente="requirente.rc")
    en_borrador = borrador(areas=("computo",))
    creadas = [
        _senal(dos, C.PRECIO_ALTO),
        _senal(dos, C.COBERTURA, proveedor=PERSONA),
        _senal(dos, C.CIERRE_DE_EJERCICIO, vigente=False),  # withdrawn: no longer counts
        _senal(computo, C.PRECIO_ALTO),
        _senal(computo, C.PROVEEDOR_DEL_ENTE, proveedor=PERSONA),
        _senal(redes, C.COBERTURA),
        _senal(redes, C.CIERRE_DE_EJERCICIO, vigente=False),
        _senal(en_borrador, C.PRECIO_ALTO),
    ]
    # Only these: what the doors computed on presenting depends on the day (the closing of
    # the fiscal year), and the figures below are the same any day.
    Senal.objects.exclude(pk__in=[s.pk for s in creadas]).delete()
    return {"dos": dos, "redes": redes}


def _oraculo() -> Counter:
    """The expected counts, by plain loops over every sign kept (those this test made, and
    any the doors computed on presenting): each sign in force of a presented request counts
    once in every category its items have."""
    esperado = Counter()
    for senal in Senal.objects.all():
        solicitud = Solicitud.objects.get(pk=senal.solicitud_id)
        if not senal.vigente or solicitud.estado == Solicitud.Estado.BORRADOR:
            continue
        categorias = set()
        for partida in solicitud.partidas.all():
            categorias.add(partida.perfil.categoria.clave)
        for clave in categorias:
            esperado[(solicitud.ejercicio, solicitud.ente.siglas, clave, senal.codigo)] += 1
    return esperado


def test_los_conteos_son_los_del_oraculo(senales, client):
    filas = _csv(client, "senales")
    publicado = {
        (int(f["ejercicio"]), f["ente_siglas"], f["categoria_clave"], f["senal_codigo"]): int(
            f["solicitudes"]
        )
        for f in filas
    }
    assert len(publicado) == len(filas)  # the key is a key
    esperado = _oraculo()
    assert publicado == dict(esperado)
    # What the oracle's loops mean here: SH's price sign on its two requests counts 2 under
    # the computers' category and 1 under the network's (only the two-category one has it).
    claves = {
        p.perfil.categoria.clave
        for p in senales["dos"].partidas.select_related("perfil__categoria")
    }
    assert len(claves) == 2
    por_senal = Counter()
    for (_, siglas, _clave, codigo), n in publicado.items():
        por_senal[(siglas, codigo)] += n
    assert por_senal[("SH", C.PRECIO_ALTO)] == 3  # 2 requests, one of them in 2 categories
    assert por_senal[("SH", C.COBERTURA)] == 2  # 1 request, 2 categories
    assert por_senal[("RC", C.COBERTURA)] == 1
    # Only the signs in force of presented requests: the withdrawn ones and the draft's, none.
    assert C.CIERRE_DE_EJERCICIO not in {f["senal_codigo"] for f in filas}
    assert sum(publicado.values()) == 3 + 2 + 1 + 1  # price, cover, cover (RC), own staff


def test_una_solicitud_de_dos_categorias_cuenta_en_cada_una(senales, client):
    dos = senales["dos"]
    claves = {p.perfil.categoria.clave for p in dos.partidas.select_related("perfil__categoria")}
    cobertura_sh = {
        f["categoria_clave"]: f["solicitudes"]
        for f in _csv(client, "senales")
        if f["senal_codigo"] == C.COBERTURA and f["ente_siglas"] == dos.ente.siglas
    }
    assert cobertura_sh == dict.fromkeys(claves, "1")


def test_la_fila_nombra_el_ente_la_categoria_y_la_senal(senales, client):
    (fila,) = [
        f
        for f in _csv(client, "senales")
        if f["senal_codigo"] == C.COBERTURA and f["ente_siglas"] == "RC"
    ]
    assert fila["ente"] == senales["redes"].ente.nombre
    assert fila["senal"] == str(C.COBERTURA.label)
    partida = senales["redes"].partidas.select_related("perfil__categoria").get()
    assert fila["categoria"] == partida.perfil.categoria.nombre


def test_ninguna_persona_ni_proveedor_en_los_datos_de_senales(senales, client):
    textos = [
        client.get(reverse("datos_conjunto", args=[nombre])).content.decode("utf-8-sig")
        for nombre in ("senales", "senales-catalogo")
    ] + [
        client.get(reverse("datos_esquema", args=[nombre])).content.decode()
        for nombre in ("senales", "senales-catalogo")
    ]
    # The sign naming the person is counted (it is there to be left out)...
    assert any(C.PROVEEDOR_DEL_ENTE in t for t in textos)
    for texto in textos:
        for trozo in (PERSONA, "Quiñónez", "Barrón", RFC_PERSONA, "QUBM", "Se encontró", "/x"):
            assert trozo not in texto


def test_el_catalogo_de_senales_dice_la_regla_con_los_umbrales_vigentes(demo, client):
    # A new version of the tracks' configuration, as dual control saves it: a new row.
    config = vias_vigentes()
    config.pk, config.version, config.senal_cierre_dias = None, config.version + 1, 7
    config.save()
    filas = {f["codigo"]: f for f in _csv(client, "senales-catalogo")}
    assert list(filas) == list(CATALOGO) == list(C.values)  # every sign, once
    cierre = filas[C.CIERRE_DE_EJERCICIO]
    assert cierre["regla"] == ("Se presentó en los últimos 7 días hábiles de su ejercicio fiscal.")
    assert json.loads(cierre["umbrales"]) == {"senal_cierre_dias": 7}
    precio = filas[C.PRECIO_ALTO]
    assert "más de 25 % sobre la mediana" in precio["regla"]
    assert json.loads(precio["umbrales"]) == {"precio_senal_pct": 25, "ley_no_aceptable_pct": 10}
    assert json.loads(filas[C.COBERTURA]["umbrales"]) == {"senal_cobertura_pct": 0.5}
    assert json.loads(filas[C.CONTRATO_EXCEDE]["umbrales"]) == {}
    assert filas[C.COBERTURA]["fuente"] == "Open Contracting Partnership, Cardinal, R028 y R044"
    assert filas[C.PROVEEDOR_DEL_ENTE]["fuente"] == ""
    assert filas[C.COBERTURA]["nombre"] == str(C.COBERTURA.label)


def _paquete(client, carpeta):
    """The two resources of the data package, with their published bytes beside them."""
    paquete = json.loads(client.get(reverse("datos_paquete")).content)
    recursos = [r for r in paquete["resources"] if r["name"] in ("senales", "senales-catalogo")]
    for recurso in recursos:
        cuerpo = client.get(reverse("datos_conjunto", args=[recurso["name"]])).content
        (carpeta / f"{recurso['name']}.csv").write_bytes(cuerpo)
        recurso["path"] = f"{recurso['name']}.csv"
    ruta = carpeta / "datapackage.json"
    ruta.write_text(json.dumps({"name": "senales", "resources": recursos}, ensure_ascii=False))
    return ruta


def test_los_dos_archivos_cumplen_su_esquema(senales, client, tmp_path):
    ruta = _paquete(client, tmp_path)
    informe = frictionless.validate(str(ruta))
    assert informe.valid, [(t.name, e.message) for t in informe.tasks for e in t.errors]
    filas = {t.name: t.stats["rows"] for t in informe.tasks}
    assert filas == {"senales": len(_oraculo()), "senales-catalogo": 15}


def test_un_codigo_fuera_del_catalogo_no_cumple_la_llave_foranea(senales, client, tmp_path):
    """The schema ties each count to its rule: without that row of the catalogue, the
    package is refused (the previous test would fail if a count named an unknown sign)."""
    ruta = _paquete(client, tmp_path)
    catalogo = tmp_path / "senales-catalogo.csv"
    lineas = catalogo.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    catalogo.write_text(
        "".join(linea for linea in lineas if not linea.startswith("cobertura,")),
        encoding="utf-8-sig",
    )
    informe = frictionless.validate(str(ruta))
    errores = {(t.name, e.type) for t in informe.tasks for e in t.errors}
    assert errores == {("senales", "foreign-key")}


def test_el_catalogo_dcat_y_la_pagina_listan_los_dos(demo, client):
    grafo = Graph().parse(data=client.get(reverse("datos_dcat")).content, format="json-ld")
    html = client.get(reverse("datos_abiertos")).content.decode()
    for nombre in ("senales", "senales-catalogo"):
        (dataset,) = [
            d for d in grafo.subjects(ns.RDF.type, ns.DCAT.Dataset) if str(d).endswith(f"#{nombre}")
        ]
        (distribucion,) = grafo.objects(dataset, ns.DCAT.distribution)
        (descarga,) = grafo.objects(distribucion, ns.DCAT.downloadURL)
        assert str(descarga).endswith(reverse("datos_conjunto", args=[nombre]))
        esquema = URIRef(grafo.value(distribucion, ns.DCTERMS.conformsTo))
        assert str(esquema).endswith(reverse("datos_esquema", args=[nombre]))
        assert f'id="{nombre}"' in html
        assert client.get(reverse("datos_esquema", args=[nombre])).status_code == 200


def test_los_conteos_se_leen_en_las_mismas_consultas_con_mas_senales(senales):
    def consultas() -> int:
        with CaptureQueriesContext(connection) as capturadas:
            SENALES.csv()
        return len(capturadas)

    antes = consultas()
    otra = presentada(areas=("seguridad", "software"), requirente="requirente.rc")
    for codigo in (C.PRECIO_ALTO, C.POCAS_COTIZACIONES, C.FRACCIONAMIENTO):
        _senal(otra, codigo)
    assert consultas() == antes <= 4


def test_el_etag_cambia_cuando_una_senal_deja_de_cumplirse(senales, client):
    """The file is fingerprinted like the others: its ETag is the hash of its bytes, a second
    read answers 304, and a sign withdrawn by a door (which records its event) changes both."""
    url = reverse("datos_conjunto", args=["senales"])
    primera = client.get(url)
    assert primera["ETag"] == f'"{hashlib.sha256(primera.content).hexdigest()}"'
    assert client.get(url, HTTP_IF_NONE_MATCH=primera["ETag"]).status_code == 304
    redes = senales["redes"]
    with transaction.atomic():
        Senal.objects.filter(solicitud=redes, codigo=C.COBERTURA).update(
            vigente=False, retirada_en=timezone.now()
        )
        evento_registrar(tipo="prueba", descripcion="La señal dejó de cumplirse.", solicitud=redes)
    segunda = client.get(url, HTTP_IF_NONE_MATCH=primera["ETag"])
    assert segunda.status_code == 200
    assert segunda["ETag"] != primera["ETag"]
    filas = list(csv.DictReader(io.StringIO(segunda.content.decode("utf-8-sig"))))
    assert "RC" not in {f["ente_siglas"] for f in filas}
