"""OCDS releases and records (issue 37, items 1 and 2): every package the site publishes
validates with libcoveocds against the vendored schemas, offline; each record is what ocdsmerge
compiles from its request's releases; a record shows the planning, the dictamen and the
contract; no personal data.

The requests are built once for the module, through the services, as people would move them:
- «completa», presented 40 days ago (another month), its three items decided three ways,
  signed today, and a contract recorded with a supplier whose RFC is typed in its name;
- «rectificada», signed, rectified, and the rectified dictamen cancelled;
- «cancelada» (by the Subsecretaría) and «desistida» (by the agency), closed without dictamen;
- a draft, never presented.
Every package is fetched once over HTTP with the test client; the tests read those answers.
"""

import datetime
import json
import os
import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import Dictamen, EntregaOCDS, MotivoRechazo, Solicitud
from dictamenes.services import cierre, contratos, rectificacion
from publico.ocds import estandar
from tests import ocds_validador
from tests.dictamenes.flujo_utils import (
    admitida,
    borrador,
    credencial,
    decidir,
    en_firma,
    firmar,
    presentada,
    rectificar,
    revisar,
    usuario,
)

RFC_JUSTIFICACION = "GOMA800101AB1"
CORREO = "ana.gomez@hacienda.example.mx"
TELEFONO = "(662) 289-0100"
RFC_PROVEEDOR = "PELJ750503SD1"
PROVEEDOR = f"Juan Pérez López (RFC {RFC_PROVEEDOR})"
BORRADOR = "Borrador que nunca se presentó"

pytestmark = pytest.mark.django_db


def _completa() -> Solicitud:
    hace = timezone.now() - datetime.timedelta(days=40)
    with time_machine.travel(hace):
        solicitud = admitida(areas=("computo", "redes", "seguridad"), titulo="Equipo completo")
        for area in ("computo", "redes", "seguridad"):
            revisar(solicitud, area)
    # The justification as the agency typed it, with an RFC in it.
    Solicitud.objects.filter(pk=solicitud.pk).update(
        justificacion=f"Equipos de más de diez años; responsable con RFC {RFC_JUSTIFICACION}, "
        f"correo {CORREO}, tel. {TELEFONO}."
    )
    solicitud.refresh_from_db()
    computo, redes, seguridad = solicitud.partidas.order_by("pk")
    duplicidad = MotivoRechazo.objects.get(clave="duplicidad")
    decidir(
        solicitud,
        partidas={
            computo.pk: {"resultado": "aprobada"},
            redes.pk: {"resultado": "reducida", "cantidad": 1},
            seguridad.pk: {"resultado": "no_aprobada", "motivo": duplicidad.clave},
        },
    )
    dictamen = firmar(solicitud)
    contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero="SH-2026-001",
        proveedor=PROVEEDOR,
        fecha=timezone.localdate(),
        monto=Decimal("25000.00"),
    )
    return solicitud


def _rectificada() -> Solicitud:
    solicitud = en_firma(areas=("computo",), titulo="Equipo rectificado")
    nuevo = rectificar(
        firmar(solicitud),
        motivo="Faltó la condición.",
        resultado="condicionado",
        motivos="Procede si se consolida.",
        condiciones="Consolidar la compra.",
    )
    rectificacion.dictamen_cancelar(
        dictamen=nuevo,
        usuario=usuario("firmante"),
        credencial=credencial(),
        motivo="Ya no procede.",
    )
    return solicitud


def _cerradas() -> tuple[Solicitud, Solicitud]:
    cancelada = presentada(titulo="Equipo cancelado")
    cierre.solicitud_cancelar(
        solicitud=cancelada, usuario=usuario("estrategico"), motivo="Se consolida en otra."
    )
    desistida = presentada(titulo="Equipo desistido")
    cierre.solicitud_desistir(
        solicitud=desistida, usuario=usuario("requirente.sh"), motivo="Ya no se necesita."
    )
    return cancelada, desistida


def _json(cliente: Client, url: str) -> dict:
    respuesta = cliente.get(url)
    assert respuesta.status_code == 200, url
    assert respuesta["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(respuesta.content)


def _ruta(url: str) -> str:
    return url.removeprefix(estandar.settings.DICTAMENES_URL_PUBLICA.rstrip("/"))


@pytest.fixture(scope="module")
def publicado(django_db_setup, django_db_blocker):
    """The requests above, and every package the site then publishes, fetched once: the
    index page's months and records lead to all of them."""
    from publico.ocds import publicacion

    with django_db_blocker.unblock(), transaction.atomic():
        completa = _completa()
        rectificada = _rectificada()
        cancelada, desistida = _cerradas()
        borrador(titulo=BORRADOR)
        cliente = Client()
        indice = cliente.get(reverse("ocds_indice"))
        meses = {m["mes"]: _json(cliente, _ruta(m["url"])) for m in publicacion.meses()}
        registros = {
            r["ocid"]: _json(cliente, _ruta(r["url"]))
            for lista in publicacion.registros_por_mes().values()
            for r in lista
        }
        personas = [
            texto
            for u in get_user_model().objects.all()
            for texto in (u.get_full_name(), u.email)
            if texto
        ] + list(Dictamen.objects.values_list("firmante_nombre", flat=True))
        datos = {
            "indice": (indice.status_code, indice.content.decode()),
            "meses": meses,
            "registros": registros,
            "personas": personas,
            "completa": {
                "ocid": f"ocds-xxxxxx-{completa.folio}",
                "folio": completa.folio,
                "dictamen": Dictamen.objects.get(solicitud=completa).pdf_sha256,
                "dictamen_folio": Dictamen.objects.get(solicitud=completa).folio,
                "partidas": list(completa.partidas.order_by("pk").values_list("pk", flat=True)),
            },
            "rectificada": f"ocds-xxxxxx-{rectificada.folio}",
            "firmante": Dictamen.objects.filter(solicitud=completa).get().firmante_nombre,
            "cerradas": [f"ocds-xxxxxx-{s.folio}" for s in (cancelada, desistida)],
        }
        transaction.set_rollback(True)
    return datos


def _paquetes(publicado) -> list[dict]:
    return [*publicado["meses"].values(), *publicado["registros"].values()]


def test_se_publican_un_paquete_por_mes_y_un_registro_por_solicitud_presentada(publicado):
    ahora, antes = timezone.localdate(), timezone.localdate() - datetime.timedelta(days=40)
    assert sorted(publicado["meses"]) == [f"{antes:%Y-%m}", f"{ahora:%Y-%m}"]
    assert len(publicado["registros"]) == 4  # the draft has no folio, and no record
    texto = json.dumps(_paquetes(publicado), ensure_ascii=False)
    assert BORRADOR not in texto


@pytest.fixture(scope="module")
def informes(publicado) -> list[tuple[dict, dict]]:
    """libcoveocds' report on every package, once."""
    return [(paquete, ocds_validador.validar(paquete)) for paquete in _paquetes(publicado)]


def test_cada_paquete_valida_con_libcoveocds_sin_errores(informes):
    assert len(informes) == 6  # two months, four records
    for paquete, informe in informes:
        # Every extension loaded (libcoveocds skips one it cannot load, in silence).
        assert informe["extensions"]["invalid_extension"] == {}, paquete["uri"]
        assert informe["validation_errors"] == [], paquete["uri"]


def test_ni_campos_vacios_ni_otros_avisos_del_validador(informes):
    """libcoveocds' further checks: no empty field; the only fields it does not know are the
    free keys of the budget classification (capitulo, partida), as the budget-and-spend
    extension defines them; the only codes outside the codelists are the COG scheme of the
    items' classification (an open codelist)."""
    for paquete, informe in informes:
        assert "empty_field" not in (informe.get("additional_checks") or {}), paquete["uri"]
        desconocidos = {
            (c["path"].rsplit("/", 1)[-1], c["field"]) for c in informe["additional_fields"]
        }
        assert desconocidos == {("classifications", "capitulo"), ("classifications", "partida")}
        assert informe["additional_closed_codelist_values"] == {}, paquete["uri"]
        abiertos = {
            (v["codelist"], tuple(v["values"]))
            for v in informe["additional_open_codelist_values"].values()
        }
        assert abiertos == {("itemClassificationScheme.csv", ("COG",))}, paquete["uri"]


def test_el_validador_nombra_el_campo_que_falta(publicado):
    mes = next(iter(publicado["meses"].values()))
    sin_ocid = json.loads(json.dumps(mes))
    del sin_ocid["releases"][0]["ocid"]
    assert ocds_validador.errores(sin_ocid) == [
        {
            "type": "required",
            "field": "releases",
            "description": "'ocid' is missing but required",
            "path": "releases/0",
            "value": "",
        }
    ]
    registro = next(iter(publicado["registros"].values()))
    sin_publicador = {k: v for k, v in registro.items() if k != "publisher"}
    assert [(e["type"], e["description"]) for e in ocds_validador.errores(sin_publicador)] == [
        ("required", "'publisher' is missing but required")
    ]


def test_una_extension_que_no_esta_aqui_no_se_descarga_y_se_nombra(publicado):
    """The check runs without network: an extension listed but not brought here is not
    fetched from the internet (requests' transport fails while it validates), and the harness
    names it instead of validating without it."""
    mes = json.loads(json.dumps(next(iter(publicado["meses"].values()))))
    ajena = "https://extensiones.example/ocds_lots_extension/extension.json"
    mes["extensions"].append(ajena)
    informe = ocds_validador.validar(mes)
    assert informe["extensions"]["invalid_extension"] == {ajena: "fetching failed"}
    assert ajena in ocds_validador.RECHAZADAS  # refused here, not tried on the network
    with pytest.raises(AssertionError, match="ocds_lots_extension"):
        ocds_validador.errores(mes)


def test_el_registro_es_lo_que_compila_ocdsmerge_de_las_entregas_del_mes(publicado):
    por_url = {
        f"{paquete['uri']}#{entrega['id']}": entrega
        for paquete in publicado["meses"].values()
        for entrega in paquete["releases"]
    }
    for ocid, paquete in publicado["registros"].items():
        (registro,) = paquete["records"]
        assert registro["ocid"] == ocid
        entregas = [por_url[r["url"]] for r in registro["releases"]]
        assert [r["tag"] for r in registro["releases"]] == [e["tag"] for e in entregas]
        assert {e["ocid"] for e in entregas} == {ocid}
        compilada = estandar.fusionador().create_compiled_release(entregas)
        assert registro["compiledRelease"] == json.loads(json.dumps(compilada))
        assert paquete["packages"] == sorted({r["url"].split("#")[0] for r in registro["releases"]})


def _registro(publicado, ocid) -> dict:
    return publicado["registros"][ocid]["records"][0]


def test_el_registro_muestra_la_planeacion_el_dictamen_y_el_contrato(publicado):
    datos = publicado["completa"]
    registro = _registro(publicado, datos["ocid"])
    assert [r["tag"] for r in registro["releases"]] == [
        ["planning"],
        ["planningUpdate"],
        ["award", "contract"],
    ]
    compilada = registro["compiledRelease"]
    assert compilada["tag"] == ["compiled"] and compilada["initiationType"] == "tender"
    presupuesto = compilada["planning"]["budget"]
    # Three items of 2 × $10,000.00, all in chapter 5000, partida 51501; the declared amount.
    assert presupuesto["amount"] == {"amount": 250000.0, "currency": "MXN"}
    assert presupuesto["budgetBreakdown"] == [
        {
            "id": "5000-51501",
            "description": "Capítulo 5000, partida específica 51501",
            "amount": {"amount": 60000.0, "currency": "MXN"},
            "classifications": {"capitulo": "5000", "partida": "51501"},
        }
    ]
    assert compilada["planning"]["rationale"] == (
        "Equipos de más de diez años; responsable con RFC GOMA*********, "
        "correo [correo oculto], tel. [teléfono oculto]."
    )
    (documento,) = compilada["planning"]["documents"]
    assert documento | {"datePublished": None} == {
        "id": datos["dictamen_folio"],
        "documentType": "needsAssessment",
        "title": f"Dictamen técnico y estratégico de TIC {datos['dictamen_folio']}",
        "description": "Resultado: Favorable",
        "url": f"http://127.0.0.1:8000/verificar/{datos['dictamen_folio']}/",
        "datePublished": None,
        "format": "text/html",
        "language": "es",
        "sha256": datos["dictamen"],
        "estadoDictamen": "emitido",
    }
    assert compilada["tender"]["status"] == "planned"
    decisiones = {
        a["id"]: (
            a["perfilEstandar"]["categoria"],
            a["decisionDictamen"]["resultado"],
            a["decisionDictamen"]["cantidadAprobada"],
            a["decisionDictamen"]["montoAprobado"]["amount"],
            a["decisionDictamen"]["ahorro"]["amount"],
            a["decisionDictamen"].get("motivo", {}).get("id"),
        )
        for a in compilada["tender"]["items"]
    }
    computo, redes, seguridad = map(str, datos["partidas"])
    assert decisiones[computo][1:] == ("aprobada", 2, 20000.0, 0.0, None)
    assert decisiones[redes][1:] == ("reducida", 1, 10000.0, 10000.0, None)
    assert decisiones[seguridad][1:] == ("no_aprobada", 0, 0.0, 20000.0, "duplicidad")
    (adjudicacion,) = compilada["awards"]
    (contrato,) = compilada["contracts"]
    assert contrato["awardID"] == adjudicacion["id"]
    assert contrato["value"] == {"amount": 25000.0, "currency": "MXN"}
    assert contrato["title"] == "Contrato SH-2026-001"
    proveedor = "Juan Pérez López (RFC PELJ*********)"
    assert adjudicacion["suppliers"] == [
        {"id": adjudicacion["suppliers"][0]["id"], "name": proveedor}
    ]
    roles = {p["id"]: (p["name"], p["roles"]) for p in compilada["parties"]}
    assert roles["MX-ENTE-SH"][1] == ["buyer"]
    assert compilada["buyer"]["id"] == "MX-ENTE-SH"
    assert roles["MX-DICTAMEN-TIC"][1] == ["reviewBody"]
    assert roles[adjudicacion["suppliers"][0]["id"]] == (proveedor, ["supplier"])
    assert re.fullmatch(r"MX-PROV-[0-9a-f]{16}", adjudicacion["suppliers"][0]["id"])


def test_la_rectificacion_y_las_cancelaciones_retiran_el_proceso(publicado):
    registro = _registro(publicado, publicado["rectificada"])
    assert [r["tag"] for r in registro["releases"]] == [
        ["planning"],
        ["planningUpdate"],
        ["planningUpdate"],
        ["planningUpdate"],
    ]
    compilada = registro["compiledRelease"]
    estados = [d["estadoDictamen"] for d in compilada["planning"]["documents"]]
    assert estados == ["rectificado", "cancelado"]
    assert compilada["tender"]["status"] == "withdrawn"
    for ocid in publicado["cerradas"]:
        registro = _registro(publicado, ocid)
        assert [r["tag"] for r in registro["releases"]] == [["planning"], ["planningUpdate"]]
        assert registro["compiledRelease"]["tender"]["status"] == "withdrawn"
        assert "documents" not in registro["compiledRelease"]["planning"]


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


def test_ningun_paquete_tiene_datos_personales(publicado):
    texto = json.dumps(_paquetes(publicado), ensure_ascii=False)
    assert publicado["firmante"] in publicado["personas"] and len(publicado["personas"]) > 10
    nombres = [n for n in publicado["personas"] if n in texto]
    assert nombres == []
    assert RFC_JUSTIFICACION not in texto
    assert CORREO not in texto and TELEFONO not in texto
    assert RFC_PROVEEDOR not in texto
    assert "GOMA*********" in texto and "PELJ*********" in texto


def test_la_pagina_ocds_lista_los_meses_y_los_registros(publicado):
    estado, html = publicado["indice"]
    assert estado == 200
    assert "<h1>Contrataciones abiertas (OCDS)</h1>" in html
    assert "<code>ocds-xxxxxx</code>" in html
    for mes, paquete in publicado["meses"].items():
        fila = html.split(f'<tr id="mes-{mes}">')[1].split("</tr>")[0]
        assert f'<a href="{paquete["uri"]}">{mes}.json</a>' in fila
        assert f"<td>{len(paquete['releases'])}</td>" in fila
    datos = publicado["completa"]
    assert (
        f'<a href="http://127.0.0.1:8000/datos-abiertos/ocds/registros/{datos["ocid"]}.json">'
        in html
    )


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
    # First published, a package: 6 to read what it has, 3 to work out its releases and 1 to
    # keep them, 1 for its stored fingerprint (publico.huellas); the page: 6, and the data's
    # version for its cache. Once published: the package reads its releases as kept.
    assert consultas(dictamen.solicitud) == una == [11, 11, 7, 7, 7, 7]


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
    from django.core.management import call_command

    from publico.ocds import publicacion

    call_command("cargar_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
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
    personas = [
        texto
        for u in get_user_model().objects.all()
        for texto in (u.get_full_name(), u.email)
        if texto
    ] + list(Dictamen.objects.values_list("firmante_nombre", flat=True))
    assert [n for n in personas if n in texto] == []


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
        "El nombre del proveedor se publica con el contrato en los datos abiertos (OCDS)"
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
    institution later changes the package's publisher, not the releases already out; a new
    fact is a new release, with the new name."""
    from dictamenes.selectors.textos import textos_vigentes
    from dictamenes.services import textos

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
    despues = json.loads(client.get(url).content)
    assert despues["publisher"] == {"name": "Agencia Digital del Estado"}
    assert despues["releases"] == json.loads(antes.content)["releases"]
    solicitud = presentada(titulo="Después del cambio de nombre")
    nuevo = json.loads(client.get(url).content)
    (entrega,) = [e for e in nuevo["releases"] if e["ocid"].endswith(solicitud.folio)]
    assert {p["name"] for p in entrega["parties"]} >= {"Agencia Digital del Estado"}
    viejas = [e for e in nuevo["releases"] if not e["ocid"].endswith(solicitud.folio)]
    assert viejas == json.loads(antes.content)["releases"]
