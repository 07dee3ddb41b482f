"""OCDS releases and records (issue 37, items 1 and 2): every package the site publishes
validates with libcoveocds against the vendored schemas, offline; each record is what ocdsmerge
compiles from its request's releases; a record shows the planning, the dictamen and the
contract; no personal data.

The requests are built once for the module, through the services, as people would move them:
- «completa», presented 40 days ago (another month), its three items decided three ways,
  signed today, a contract recorded with a supplier whose RFC is typed in its name, with
  its end date, and its delivery (issue 80: OCDS contracts[].implementation);
- «rectificada», signed, rectified, and the rectified dictamen cancelled;
- «cancelada» (by the Subsecretaría) and «desistida» (by the agency), closed without dictamen;
- a draft, never presented.
Every package is fetched once over HTTP with the test client; the tests read those answers.
"""

import datetime
import json
import re
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dictamenes.emision.services import rectificacion
from dictamenes.models import Dictamen, Entrega, MotivoRechazo, Partida, Solicitud
from dictamenes.seguimiento.services import contratos, entregas
from dictamenes.tramite.services import cierre
from estandares import identidad
from estandares.datos_personales import SinDatosPersonales
from publico.ocds import estandar
from tests import ocds_validador
from tests.dictamenes.flujo_utils import (
    admitida,
    borrador,
    credencial,
    decidir,
    en_firma,
    firmar,
    pdf_valido,
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
    # Issue 62: a piece, a service for a year and a licence for three (UNIDADES).
    Partida.objects.filter(pk=redes.pk).update(unidad="servicio", meses=12)
    Partida.objects.filter(pk=seguridad.pk).update(unidad="licencia", meses=36)
    duplicidad = MotivoRechazo.objects.get(clave="duplicidad")
    decidir(
        solicitud,
        partidas={
            computo.pk: {"resultado": "aprobada"},
            redes.pk: {"resultado": "reducida", "cantidad": 1, "motivo": "sobredimensionada"},
            seguridad.pk: {"resultado": "no_aprobada", "motivo": duplicidad.clave},
        },
    )
    dictamen = firmar(solicitud)
    # A supplier recorded before the field refused personal data (issue 48), and before its
    # name refused an RFC (issue 88).
    with (
        mock.patch.object(SinDatosPersonales, "__call__", lambda self, valor: None),
        mock.patch.object(identidad, "rfc_en_el_nombre", lambda nombre: ""),
    ):
        contrato = contratos.contrato_registrar(
            dictamen=dictamen,
            usuario=usuario("requirente.sh"),
            numero="SH-2026-001",
            proveedor=PROVEEDOR,
            fecha=timezone.localdate(),
            termino=timezone.localdate() + datetime.timedelta(days=90),
            monto=Decimal("25000.00"),
        )
    # Its delivery (issue 80): the acta, what was paid, the units received.
    entregas.entrega_registrar(
        contrato=contrato,
        usuario=usuario("requirente.sh"),
        fecha=timezone.localdate(),
        archivo=SimpleUploadedFile("acta.pdf", pdf_valido(), content_type="application/pdf"),
        monto_pagado=Decimal("24000.50"),
        cantidades={str(computo.pk): 2, str(redes.pk): 1},
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


def nombres_de_personas() -> list[str]:
    """Every user's name and e-mail, and every signer's name: none may be in a package."""
    return [
        texto
        for u in get_user_model().objects.all()
        for texto in (u.get_full_name(), u.email)
        if texto
    ] + list(Dictamen.objects.values_list("firmante_nombre", flat=True))


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
        personas = nombres_de_personas()
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
                "acta": Entrega.objects.get(contrato__dictamen__solicitud=completa).anexo.sha256,
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
        ["implementation"],
    ]
    compilada = registro["compiledRelease"]
    assert compilada["tag"] == ["compiled"] and compilada["initiationType"] == "tender"
    presupuesto = compilada["planning"]["budget"]
    # Three items of 2 × $10,000.00, all in chapter 5000, partida 51501; the declared amount.
    assert presupuesto["amount"] == {"amount": 60000.0, "currency": "MXN"}
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
    assert decisiones[redes][1:] == ("reducida", 1, 10000.0, 10000.0, "sobredimensionada")
    assert decisiones[seguridad][1:] == ("no_aprobada", 0, 0.0, 20000.0, "duplicidad")
    # What each unit price is for, in the dictamen's words (set in _completa).
    unidades = {a["id"]: a["unit"] for a in compilada["tender"]["items"]}
    assert unidades == {
        computo: {"name": "pieza", "value": {"amount": 10000.0, "currency": "MXN"}},
        redes: {"name": "servicio de 12 meses", "value": {"amount": 10000.0, "currency": "MXN"}},
        seguridad: {
            "name": "licencia de 36 meses",
            "value": {"amount": 10000.0, "currency": "MXN"},
        },
    }
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
    # The contract's end (issue 80) and its delivery: the payment, from the buyer to the
    # supplier, and the acta by its date and SHA-256, never its file.
    hoy = timezone.localdate()
    termino = hoy + datetime.timedelta(days=90)
    assert contrato["period"] == {"endDate": f"{termino.isoformat()}T00:00:00-07:00"}
    (pago,) = contrato["implementation"]["transactions"]
    assert pago == {
        "id": pago["id"],
        "date": f"{hoy.isoformat()}T00:00:00-07:00",
        "value": {"amount": 24000.5, "currency": "MXN"},
        "payer": compilada["buyer"],
        "payee": adjudicacion["suppliers"][0],
    }
    (acta,) = contrato["implementation"]["documents"]
    assert acta | {"id": None, "datePublished": None} == {
        "id": None,
        "documentType": "completionCertificate",
        "title": "Acta de entrega-recepción",
        "description": f"Contrato SH-2026-001, acta del {hoy:%d/%m/%Y}",
        "datePublished": None,
        "format": "application/pdf",
        "language": "es",
        "sha256": datos["acta"],
    }
    assert "url" not in acta


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
    folio = datos["ocid"].removeprefix("ocds-xxxxxx-")
    assert (
        f'<a href="http://127.0.0.1:8000/datos-abiertos/ocds/registros/{datos["ocid"]}.json">'
        f"{folio}</a>"
    ) in html
