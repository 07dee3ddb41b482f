"""OCDS over HTTP, request by request (issue 37): the 404s, the conditional GETs, a draft that
changes nothing, bounded queries, the configured ocid prefix, releases that never change once
published, a rectification to no favorable, the whole demo validated, and what the agency is
told will be published. The module-wide packages and their validation: test_ocds.py."""

import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import Contrato, EntregaOCDS, Solicitud
from dictamenes.seguimiento.services import contratos
from publico.ocds import estandar
from tests import demo_completa, ocds_validador
from tests.dictamenes.flujo_utils import (
    borrador,
    en_firma,
    firmar,
    presentada,
    rectificar,
    usuario,
)
from tests.publico.test_ocds import _json, _ruta, nombres_de_personas

pytestmark = pytest.mark.django_db


def test_una_rectificacion_a_no_favorable_deja_el_proceso_en_planeacion(client):
    """The first dictamen let the agency contract ("planned"); its rectification to no
    favorable takes that back in the compiled record."""
    solicitud = en_firma(areas=("computo",), titulo="Favorable y luego no")
    rectificar(
        firmar(solicitud),
        motivo="La revisión no sostiene la necesidad.",
        resultado="no_favorable",
        motivos="No se acredita la necesidad.",
    )
    ocid = f"ocds-xxxxxx-{solicitud.folio}"
    registro = _json(client, reverse("ocds_registro", args=[ocid]))["records"][0]
    estados = [d["estadoDictamen"] for d in registro["compiledRelease"]["planning"]["documents"]]
    assert estados == ["rectificado", "emitido"]
    assert registro["compiledRelease"]["tender"]["status"] == "planning"


@pytest.mark.parametrize(
    "ruta",
    [
        "/datos-abiertos/ocds/entregas/2001-01.json",
        "/datos-abiertos/ocds/entregas/2026-13.json",
        "/datos-abiertos/ocds/registros/ocds-xxxxxx-SOL-2001-99999.json",
        "/datos-abiertos/ocds/registros/otro-prefijo-SOL-2001-00001.json",
    ],
)
def test_un_mes_o_un_ocid_que_no_existe_da_404(client, ruta):
    respuesta = client.get(ruta)
    assert respuesta.status_code == 404
    assert "Página no encontrada" in respuesta.content.decode()


def test_los_paquetes_se_piden_condicionados(client):
    """The same conditional HTTP as the other open data: an unchanged package is answered
    304 to whoever already has it."""
    solicitud = presentada(titulo="Condicionada")
    for ruta in (
        reverse("ocds_entregas", args=[f"{timezone.localdate():%Y-%m}"]),
        reverse("ocds_registro", args=[f"ocds-xxxxxx-{solicitud.folio}"]),
    ):
        primera = client.get(ruta)
        assert primera.status_code == 200 and primera["ETag"] and primera["Last-Modified"]
        assert client.get(ruta, headers={"if-none-match": primera["ETag"]}).status_code == 304
        desde = {"if-modified-since": primera["Last-Modified"]}
        assert client.get(ruta, headers=desde).status_code == 304


def test_un_borrador_no_cambia_los_paquetes_y_una_presentacion_si(client):
    """The bytes of a package change only with what it holds: a draft created elsewhere
    leaves the month's package and a record as they were (the data's version changes, so
    both are worked out again); another request presented changes the month's package."""
    solicitud = presentada(titulo="Primera")
    mes = reverse("ocds_entregas", args=[f"{timezone.localdate():%Y-%m}"])
    registro = reverse("ocds_registro", args=[f"ocds-xxxxxx-{solicitud.folio}"])
    antes = (client.get(mes).content, client.get(registro).content)
    borrador(titulo="Borrador de otra dependencia", requirente="requirente.rc")
    assert (client.get(mes).content, client.get(registro).content) == antes
    presentada(titulo="Segunda")
    assert client.get(mes).content != antes[0]
    assert client.get(registro).content == antes[1]


def test_lo_que_lleva_el_catalogo():
    """What publicacion gives the data package: one resource per month with its package's
    address (the DCAT catalogue: tests/publico/test_datos_abiertos.py)."""
    from publico.ocds import publicacion

    presentada(titulo="Para el catálogo")
    mes = f"{timezone.localdate():%Y-%m}"
    url = f"http://127.0.0.1:8000/datos-abiertos/ocds/entregas/{mes}.json"
    assert [(r["name"], r["path"]) for r in publicacion.recursos()] == [
        (f"ocds-entregas-{mes}", url)
    ]


def test_las_consultas_no_crecen_con_las_solicitudes(client):
    """The month's package, a record and the index page read the same number of queries with
    one request as with four (one of them decided, signed, with a contract)."""
    mes = f"{timezone.localdate():%Y-%m}"

    def consultas(solicitud) -> list[int]:
        ocid = f"ocds-xxxxxx-{solicitud.folio}"
        rutas = (
            reverse("ocds_entregas", args=[mes]),
            reverse("ocds_registro", args=[ocid]),
            reverse("ocds_indice"),
        )
        for ruta in rutas:  # each file's fingerprint stored (publico.huellas) ...
            client.get(ruta)
        cuentas = []
        for primera_vez in (True, False):
            for ruta in rutas:
                if primera_vez:  # the releases not yet published: worked out and kept
                    EntregaOCDS.objects.all().delete()
                cache.clear()  # cold, as after a change elsewhere
                with CaptureQueriesContext(connection) as capturadas:
                    assert client.get(ruta).status_code == 200
                cuentas.append(len(capturadas))
            if primera_vez:
                client.get(rutas[0])  # the month's releases published again
        return cuentas

    una = consultas(presentada(titulo="Una"))
    for i in range(2):
        presentada(titulo=f"Otra {i}")
    dictamen = firmar(en_firma(areas=("computo", "redes"), titulo="Firmada"))
    contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero="C-1",
        proveedor="Proveedora del Noroeste, S.A. de C.V.",
        fecha=timezone.localdate(),
        monto=Decimal("1000.00"),
    )
    # First published, a package: 5 to read what it has (the data's version, once for its
    # fingerprint and its body; the releases kept, of events and of requests without history,
    # and what is not yet published), 5 to work out its releases (items, dictámenes, the
    # institution's name, the agencies' past names (issue 59), the dates of their ocids'
    # events) and 1 to keep them,
    # 1 for its stored fingerprint (publico.huellas); the page: 6, and the data's version for
    # its cache. Once published: the package reads its releases as kept, and its header from
    # the newest of them.
    assert consultas(dictamen.solicitud) == una == [12, 11, 7, 6, 5, 7]


def _campos(esquema: dict) -> set[str]:
    """Every property the local extension's schema adds, at any depth."""
    campos = set()
    for nombre, valor in (esquema.get("properties") or {}).items():
        campos.add(nombre)
        campos |= _campos(valor)
    for definicion in (esquema.get("definitions") or {}).values():
        campos |= _campos(definicion)
    return campos


def test_la_extension_local_documenta_cada_campo(client):
    extension = client.get(reverse("ocds_extension", args=["extension.json"])).json()
    documentacion = extension["documentationUrl"]["es"]
    assert documentacion == "http://127.0.0.1:8000/datos-abiertos/ocds/extension/README.md"
    respuesta = client.get(_ruta(documentacion))
    assert respuesta["Content-Type"] == "text/markdown; charset=utf-8"
    readme = b"".join(respuesta).decode()
    esquema = json.loads(
        b"".join(client.get(reverse("ocds_extension", args=["release-schema.json"])))
    )
    campos = _campos(esquema) - {"id"}
    assert campos == {
        "sha256",
        "estadoDictamen",
        "perfilEstandar",
        "nombre",
        "categoria",
        "edicion",
        "decisionDictamen",
        "resultado",
        "cantidadAprobada",
        "montoAprobado",
        "ahorro",
        "motivo",
        "explicacion",
    }
    # Each field is named in the README, in code (`perfilEstandar.id`, `.nombre`…).
    nombrados = set(re.findall(r"\w+", " ".join(re.findall(r"`([^`]+)`", readme))))
    assert sorted(campos - nombrados) == []


def test_lo_que_publica_la_demostracion_valida_y_no_nombra_a_nadie(client):
    """`cargar_demo`'s requests, in every state, and its two years of history without events
    (1,235 presented requests, 27 months). Every month's package is fetched over HTTP; every
    request's record is what ocdsmerge compiles from its releases in them (fetched over HTTP
    for the first request of each month, and compared); all are validated in two runs of
    libcoveocds, not one per package: the months' releases in one release package, the
    records in one record package (the headers of both kinds are validated above)."""
    from publico.ocds import publicacion

    demo_completa.cargar()
    meses = publicacion.meses()
    por_mes = publicacion.registros_por_mes()
    assert sum(map(len, por_mes.values())) == Solicitud.objects.filter(folio__isnull=False).count()
    paquetes = [_json(client, _ruta(m["url"])) for m in meses]
    assert [len(p["releases"]) for p in paquetes] == [m["entregas"] for m in meses]
    por_ocid = {}
    for paquete in paquetes:
        for entrega in paquete["releases"]:
            entrega["_url"] = f"{paquete['uri']}#{entrega['id']}"
            por_ocid.setdefault(entrega["ocid"], []).append(entrega)
    assert set(por_ocid) == {r["ocid"] for lista in por_mes.values() for r in lista}
    enlaces = {
        ocid: [{"url": e.pop("_url"), "date": e["date"], "tag": e["tag"]} for e in lista]
        for ocid, lista in por_ocid.items()
    }
    fusionador = estandar.fusionador()
    compiladas = {
        ocid: json.loads(json.dumps(fusionador.create_compiled_release(lista)))
        for ocid, lista in por_ocid.items()
    }
    muestra = [_json(client, _ruta(lista[0]["url"])) for lista in por_mes.values()]
    for paquete in muestra:
        (registro,) = paquete["records"]
        assert registro["releases"] == enlaces[registro["ocid"]]
        assert registro["compiledRelease"] == compiladas[registro["ocid"]]
    entregas = {**paquetes[0], "releases": [e for p in paquetes for e in p["releases"]]}
    registros = {
        **muestra[0],
        "records": [
            {"ocid": ocid, "releases": enlaces[ocid], "compiledRelease": compilada}
            for ocid, compilada in compiladas.items()
        ],
    }
    for paquete in (entregas, registros):
        assert ocds_validador.errores(paquete) == [], paquete["uri"]
    texto = json.dumps([*paquetes, *muestra], ensure_ascii=False)
    personas = nombres_de_personas()
    assert [n for n in personas if n in texto] == []
    # The demo's contract (the favorable request's; demo.senales records others, for the
    # signs): its request's record shows the whole chain.
    contrato = Contrato.objects.select_related("dictamen__solicitud").get(
        numero="SH-DGA-CTO-2026-041"
    )
    ocid = f"ocds-xxxxxx-{contrato.dictamen.solicitud.folio}"
    (registro,) = _json(client, reverse("ocds_registro", args=[ocid]))["records"]
    # Issue 80: the demo records its delivery (demo.senales_entregas): one more release.
    assert [r["tag"] for r in registro["releases"]] == [
        ["planning"],
        ["planningUpdate"],
        ["award", "contract"],
        ["implementation"],
    ]
    compilada = registro["compiledRelease"]
    (pago,) = compilada["contracts"][0]["implementation"]["transactions"]
    assert pago["value"] == {"amount": float(contrato.monto), "currency": "MXN"}
    assert compilada["planning"]["budget"]["amount"]["amount"] > 0
    (documento,) = compilada["planning"]["documents"]
    assert (documento["documentType"], documento["id"]) == (
        "needsAssessment",
        contrato.dictamen.folio,
    )
    (firmado,) = compilada["contracts"]
    assert firmado["title"] == f"Contrato {contrato.numero}"
    assert firmado["value"] == {"amount": float(contrato.monto), "currency": "MXN"}
    assert [p["name"] for p in compilada["parties"] if "supplier" in p["roles"]] == [
        contrato.proveedor
    ]


@pytest.mark.parametrize(
    ("escrito", "esperado"),
    [
        ("escribir a ana.gomez@sonora.gob.mx hoy", "escribir a [correo oculto] hoy"),
        ("tel. 662 289 0100", "tel. [teléfono oculto]"),
        ("cel. +52 (662) 289-0100.", "cel. [teléfono oculto]."),
        ("RFC GOMA800101AB1", "RFC GOMA*********"),
        # What is not a person's contact stays: folios, amounts, dates, partidas.
        ("folio SOL-2026-00014", "folio SOL-2026-00014"),
        ("monto $1,250,000.00 en 2026-03-15", "monto $1,250,000.00 en 2026-03-15"),
        ("partidas 51501 y 51101", "partidas 51501 y 51101"),
    ],
)
def test_el_texto_escrito_se_publica_sin_correos_ni_telefonos(escrito, esperado):
    from publico.datos_personales import texto_publicable

    assert texto_publicable(escrito) == esperado


def test_los_formularios_dicen_lo_que_se_publica(client):
    """The agency is told, where it types them, that the justification and the supplier's
    name become open data."""
    from tests.conftest import entrar

    entrar(client, "requirente.sh")
    nueva = client.get(reverse("solicitudes:nueva")).content.decode()
    assert (
        '<span class="ayuda" id="id_justificacion_helptext">Se publica en los datos abiertos '
        "(OCDS) desde que la solicitud se presenta."
    ) in nueva
    assert 'aria-describedby="id_justificacion_helptext"' in nueva
    solicitud = firmar(en_firma(areas=("computo",), titulo="Para contratar"))
    detalle = client.get(reverse("solicitudes:detalle", args=[solicitud.solicitud.pk]))
    assert (
        "La razón social del proveedor, sin su RFC: se publica con el contrato en los datos "
        "abiertos (OCDS)."
    ) in detalle.content.decode()


def test_la_pagina_ocds_se_sirve_de_la_cache_hasta_que_cambian_los_datos(
    client, django_assert_num_queries
):
    """It lists every record (thousands in a few years): built once per data version."""
    presentada(titulo="Para la página")
    primera = client.get(reverse("ocds_indice")).content
    with django_assert_num_queries(1):  # the data's version
        assert client.get(reverse("ocds_indice")).content == primera
    solicitud = presentada(titulo="Otra para la página")
    assert solicitud.folio.encode() in client.get(reverse("ocds_indice")).content


def test_el_prefijo_del_ocid_es_el_configurado(client, settings):
    settings.OCDS_PREFIJO_OCID = "ocds-abc123"
    solicitud = presentada(titulo="Con el prefijo del Estado")
    ocid = f"ocds-abc123-{solicitud.folio}"
    registro = _json(client, reverse("ocds_registro", args=[ocid]))["records"][0]
    assert registro["ocid"] == registro["compiledRelease"]["ocid"] == ocid
    mes = _json(client, reverse("ocds_entregas", args=[f"{timezone.localdate():%Y-%m}"]))
    assert {e["ocid"][:12] for e in mes["releases"]} == {"ocds-abc123-"}
    ajeno = reverse("ocds_registro", args=[f"ocds-xxxxxx-{solicitud.folio}"])
    assert client.get(ajeno).status_code == 404


def test_una_entrega_publicada_no_cambia_despues(client):
    """A release, once published, stays as it was (OCDS releases are immutable): renaming the
    institution later changes nothing of a package already out, its publisher neither (the
    name its newest release gives); a new fact is a new release, with the new name, and the
    package it joins names the new publisher."""
    from dictamenes.organizacion.selectors.textos import textos_vigentes
    from dictamenes.organizacion.services import textos

    presentada(titulo="Antes del cambio de nombre")
    url = reverse("ocds_entregas", args=[f"{timezone.localdate():%Y-%m}"])
    antes = client.get(url)
    anterior = textos_vigentes().institucion
    assert anterior.encode() in antes.content
    vigentes = textos_vigentes()
    datos = {c: getattr(vigentes, c) for c in textos.CAMPOS if c != "membrete_imagen_sha256"}
    textos.textos_guardar(
        usuario=usuario("admin"), datos=datos | {"institucion": "Agencia Digital del Estado"}
    )
    cache.clear()
    assert client.get(url).content == antes.content
    solicitud = presentada(titulo="Después del cambio de nombre")
    nuevo = json.loads(client.get(url).content)
    assert nuevo["publisher"] == {"name": "Agencia Digital del Estado"}
    (entrega,) = [e for e in nuevo["releases"] if e["ocid"].endswith(solicitud.folio)]
    assert {p["name"] for p in entrega["parties"]} >= {"Agencia Digital del Estado"}
    viejas = [e for e in nuevo["releases"] if not e["ocid"].endswith(solicitud.folio)]
    assert viejas == json.loads(antes.content)["releases"]


def test_un_mes_da_los_mismos_bytes_al_publicarse_y_leido_de_lo_guardado(client, monkeypatch):
    """The month's package is spliced from the releases as kept (EntregaOCDS): the bytes served
    when its releases are first worked out (in slices, here of two) and when they are read back
    are the same, so its ETag moves only when its contents do; each release in it is the text
    kept."""
    from publico.ocds import entregas, guardadas

    presentada(titulo="Primera del mes")
    firmar(en_firma(areas=("computo",), titulo="Dictaminada del mes"))
    url = reverse("ocds_entregas", args=[f"{timezone.localdate():%Y-%m}"])
    EntregaOCDS.objects.all().delete()
    cache.clear()
    monkeypatch.setattr(guardadas, "PUBLICAR_DE_UNA_VEZ", 2)
    primera = client.get(url)
    assert EntregaOCDS.objects.count() == entregas.eventos().count() > 2
    cache.clear()
    leida = client.get(url)
    assert leida.content == primera.content
    assert leida["ETag"] == primera["ETag"]
    guardadas = EntregaOCDS.objects.order_by("evento__ocurrido_en", "evento__numero")
    releases = json.loads(leida.content)["releases"]
    assert [json.loads(g.entrega) for g in guardadas] == [
        r for r in releases if r["id"].split("-")[-1].isdigit()
    ]
    for guardada in guardadas:
        assert guardada.entrega.encode() in leida.content
