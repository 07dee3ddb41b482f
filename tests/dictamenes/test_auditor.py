"""Auditors read everything, download whole expedientes, and change nothing."""

import hashlib
import html
import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dictamenes import exceptions
from dictamenes.emision.services import firma
from dictamenes.models import Area, EventoAuditoria, Senal, Solicitud
from dictamenes.seguimiento.selectors import condiciones
from dictamenes.senales import services as senales_servicio
from dictamenes.tramite.selectors import access
from dictamenes.tramite.services import etapas, solicitudes
from dictamenes.urls import urlpatterns
from tests.dictamenes.flujo_utils import (
    admitida,
    archivos_efirma,
    campos_decision,
    decidir,
    en_firma,
    firmar,
    pdf_valido,
    presentada,
    revisar,
    usuario,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dictaminada(demo):
    solicitud = admitida(areas=("redes", "computo"))
    etapas.informacion_pedir(
        solicitud=solicitud,
        usuario=usuario("revisor.redes"),
        area=Area.objects.get(clave="redes"),
        pregunta="¿PoE?",
    )
    peticion = solicitud.peticiones.get()
    etapas.informacion_responder(
        peticion=peticion, usuario=usuario("requirente.sh"), respuesta="Sí procede la compra."
    )
    revisar(solicitud, "redes")
    revisar(solicitud, "computo")
    firmar(decidir(solicitud))
    return Solicitud.objects.get(pk=solicitud.pk)


def test_el_zip_del_expediente_y_su_manifiesto(dictaminada, client):
    client.force_login(usuario("auditor"))
    respuesta = client.get(reverse("solicitudes:expediente", args=[dictaminada.pk]))
    assert respuesta.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(respuesta.content))
    nombres = set(zf.namelist())
    manifiesto = zf.read("MANIFIESTO.sha256").decode().splitlines()
    listados = {}
    for linea in manifiesto:
        huella, ruta = linea.split("  ", 1)
        listados[ruta] = huella
    assert set(listados) == nombres - {"MANIFIESTO.sha256"}
    for ruta, huella in listados.items():
        assert hashlib.sha256(zf.read(ruta)).hexdigest() == huella, ruta
    dictamen = dictaminada.dictamen_vigente
    pdf = next(n for n in nombres if n.startswith("dictamenes/"))
    assert hashlib.sha256(zf.read(pdf)).hexdigest() == dictamen.pdf_sha256
    assert any(n.startswith("anexos/") and n.endswith("oficio.pdf") for n in nombres)
    historial = json.loads(zf.read("historial.json"))
    assert [e["numero"] for e in historial["eventos"]] == list(
        dictaminada.eventos.order_by("numero").values_list("numero", flat=True)
    )
    assert zf.read("historial.pdf").startswith(b"%PDF-")
    # The agency's own staff and other agencies do not get it.
    client.force_login(usuario("requirente.sh"))
    assert client.get(reverse("solicitudes:expediente", args=[dictaminada.pk])).status_code == 404


def test_filtros_del_auditor(dictaminada, client):
    client.force_login(usuario("auditor"))
    lista = reverse("solicitudes:lista")

    def folios(**filtros):
        html = client.get(lista, filtros).content.decode()
        return dictaminada.folio in html

    assert folios(resultado="favorable", area="redes", monto_min="1000", monto_max="300000")
    assert not folios(resultado="no_favorable")
    assert not folios(area="seguridad")
    assert not folios(monto_min="300001")
    # Not ignored: the page says it cannot read it (400) and lists nothing.
    assert client.get(lista, {"monto_min": "no-es-numero"}).status_code == 400
    assert not folios(monto_min="no-es-numero")


LECTURAS = {
    "lista",
    "detalle",
    "anexo",
    "dictamen_pdf",
    "expediente",
    "historial_pdf",
    "partida_precio",
    "condicion_evidencia_descargar",
}

NO_EXISTE = (404, "La dirección no existe o no tiene acceso a ella.")
NO_ES_DE_SU_ENTE = (403, str(exceptions.ERROR_NO_ES_DE_SU_ENTE))
NO_ATIENDE_EL_PASO = (403, str(exceptions.ERROR_SIN_PERMISO_PASO))
NO_ES_FIRMANTE = (403, str(firma.ERROR_NO_FIRMANTE))
PASO_NO_DISPONIBLE = (
    400,
    str(exceptions.ERROR_PASO_NO_DISPONIBLE) % {"estado": Solicitud.Estado.ADMISION.label},
)
# What the auditor gets at each write endpoint, with a well-formed form: the agency's pages
# do not exist for them, the agency's actions are "not your agency", a role's steps "not your
# role", and the review steps of a request still in admission "not available yet".
RECHAZO_AL_AUDITOR = {
    # The 403 page says the service's reason (config.denegado).
    "nueva": (403, str(solicitudes.ERROR_SOLO_PERSONAL_DE_DEPENDENCIA)),
    "editar": NO_EXISTE,
    "partida_nueva": NO_EXISTE,
    "partida": NO_EXISTE,
    "partida_evaluar": NO_EXISTE,
    "via_prevista": NO_EXISTE,
    # Issue 62, helper A: the item's price while typed and its quotes, the requirente's only.
    "partida_precio_en_vivo": NO_EXISTE,
    "partida_cotizacion_agregar": NO_EXISTE,
    "partida_cotizacion_quitar": NO_EXISTE,
    "partida_eliminar": NO_ES_DE_SU_ENTE,
    "anexo_subir": NO_ES_DE_SU_ENTE,
    "presentar": NO_ES_DE_SU_ENTE,
    "admision": NO_ATIENDE_EL_PASO,
    "via_completa": (403, str(access.ERROR_VIA_SIN_PERMISO)),
    "subsanar": NO_ES_DE_SU_ENTE,
    "revision_area": PASO_NO_DISPONIBLE,
    "pedir_informacion": PASO_NO_DISPONIBLE,
    "responder": NO_EXISTE,
    "estrategica": PASO_NO_DISPONIBLE,
    "firma": NO_ES_FIRMANTE,
    # Not a write; only who may sign reads the preview: to others it does not exist.
    "firma_vista_previa": NO_EXISTE,
    "tomar": NO_ATIENDE_EL_PASO,
    "reasignar": NO_EXISTE,
    "suplencias": (403, str(exceptions.ERROR_SUPLENCIA_SIN_TAREAS)),
    "cancelar": NO_ES_FIRMANTE,
    "rectificar": NO_ES_FIRMANTE,
    "proponer_rectificacion": (403, str(exceptions.ERROR_NO_PROPONE)),
    "desistir": NO_ES_DE_SU_ENTE,
    "cancelar_solicitud": (403, str(exceptions.ERROR_NO_CANCELA)),
    # After the dictamen (issue 21): the agency's contract, survey and evidence; the area's
    # verification of a condition.
    "contrato": NO_ES_DE_SU_ENTE,
    # The contract form's live check of the amount (issue 61): not a write, and only the
    # agency's: to others it does not exist.
    "contrato_revisar": NO_EXISTE,
    "encuesta": NO_ES_DE_SU_ENTE,
    # Issue 80: the agency's delivery record, and what whoever decides did about a sign.
    # Refused as the page does not offer it to the auditor, before its form is read (issue 92,
    # item 2): not the agency's.
    "entrega": NO_ES_DE_SU_ENTE,
    "senal_atender": (
        403,
        str(senales_servicio.ERROR_NO_DECIDE) % {"rol": "Mesa de control"},
    ),
    "condicion_evidencia": NO_ES_DE_SU_ENTE,
    "condicion_verificar": (
        403,
        str(condiciones.ERROR_NO_VERIFICA) % {"area": "Equipo de cómputo e impresión"},
    ),
}


def aviso(respuesta) -> str:
    """What the person reads on the refused page: the error message, or the error page's."""
    pagina = html.unescape(respuesta.content.decode())
    mensajes = re.findall(r'<li class="mensaje mensaje--error">(.*?)</li>', pagina)
    if mensajes:
        return " ".join(mensajes)
    return re.search(r"<h1>[^<]*</h1>\s*<p>([^<]*)", pagina).group(1).strip()


def datos_validos(nombre, otra) -> dict:
    """A well-formed form for each endpoint, so that the rule refuses it, not a missing field."""
    efirma = archivos_efirma()
    partida = otra.partidas.first()
    return {
        "anexo_subir": {
            "tipo": "oficio",
            "archivo": SimpleUploadedFile("oficio.pdf", pdf_valido(), "application/pdf"),
        },
        "admision": {"decision": "admitir"},
        "subsanar": {"texto": "Ya corregí lo que faltaba."},
        "revision_area": {
            "computo-opinion": "favorable",
            "computo-observaciones": "Revisado.",
            f"computo-p{partida.pk}_opinion": "Cumple.",
        },
        "pedir_informacion": {"pet-computo-texto": "¿Cuántos equipos son?"},
        "responder": {"texto": "Son diez."},
        "estrategica": campos_decision(otra, motivos="Procede: cumple los estándares."),
        "via_completa": {"via-texto": "Tiene una partida de seguridad."},
        "firma": efirma,
        "cancelar": {f"cancelar-{k}": v for k, v in efirma.items()}
        | {"cancelar-motivo": "Se emitió con otro folio."},
        "rectificar": {f"rectificar-{k}": v for k, v in efirma.items()}
        | {"rectificar-propuesta": 1},
        "proponer_rectificacion": {
            "proponer-motivo": "Error en las condiciones.",
            "proponer-resultado": "favorable",
            "proponer-motivos": "Procede: cumple los estándares.",
        },
        "desistir": {
            "desistir-motivo": "El ente desistió de la compra.",
            "desistir-confirmar": "on",
        },
        "cancelar_solicitud": {
            "cancelar_solicitud-motivo": "Se canceló el programa.",
            "cancelar_solicitud-confirmar": "on",
        },
        "contrato": {
            "contrato-numero": "C-1",
            "contrato-proveedor": "Proveedor",
            "contrato-fecha": "2026-01-15",
            "contrato-monto": "1000.00",
        },
        "encuesta": {"claridad": "5", "tiempo": "5", "trato": "5"},
        "condicion_evidencia": {
            "condicion-archivo": SimpleUploadedFile(
                "evidencia.pdf", pdf_valido(), "application/pdf"
            )
        },
        "condicion_verificar": {"verificar-accion": "verificar"},
        "senal_atender": {
            "senal-atencion": "sin_efecto",
            "senal-atencion_nota": "Revisada contra la referencia.",
        },
    }.get(nombre, {})


def test_el_auditor_no_puede_escribir_en_ningun_punto(dictaminada, client):
    """Every write endpoint of the request pages, tried as the auditor: each refused with its
    exact answer in Spanish, and no audit event written."""
    otra = presentada(titulo="Otra en admisión")
    # Ended, with a condition to meet: its survey, its evidence and its verification.
    condicionado = firmar(
        en_firma(
            areas=("computo",), resultado="condicionado", condiciones="Entregar el inventario."
        )
    )
    client.force_login(usuario("auditor"))
    valores = {
        "pk": otra.pk,
        "area": "computo",
        "peticion": 1,
        "partida_pk": otra.partidas.first().pk,
        "anexo_pk": otra.anexos.first().pk,
        "dictamen_pk": dictaminada.dictamen_vigente.pk,
        "tarea_pk": otra.proceso.task_set.first().pk,
        "condicion_pk": condicionado.obligaciones.get().pk,
        "senal_pk": Senal.objects.create(
            solicitud=otra,
            codigo="cobertura",
            ente=otra.ente,
            ejercicio=otra.ejercicio,
            texto="Tres cotizaciones al mismo precio.",
            detectada_en=timezone.now(),
        ).pk,
    }
    escrituras = {p.name for p in urlpatterns} - LECTURAS
    assert escrituras == set(RECHAZO_AL_AUDITOR), "una ruta nueva: diga qué recibe el auditor"
    eventos_antes = EventoAuditoria.objects.count()
    obtenidos = {}
    for patron in urlpatterns:
        if patron.name in LECTURAS:
            continue
        kwargs = {k: valores[k] for k in patron.pattern.converters}
        if patron.name in (
            "cancelar",
            "rectificar",
            "proponer_rectificacion",
            "contrato",
            "contrato_revisar",
            "entrega",
        ):
            kwargs["pk"] = dictaminada.pk
        if patron.name in ("encuesta", "condicion_evidencia", "condicion_verificar"):
            kwargs["pk"] = condicionado.solicitud_id
        respuesta = client.post(
            reverse(f"solicitudes:{patron.name}", kwargs=kwargs), datos_validos(patron.name, otra)
        )
        obtenidos[patron.name] = (respuesta.status_code, aviso(respuesta))
    assert obtenidos == RECHAZO_AL_AUDITOR
    assert EventoAuditoria.objects.count() == eventos_antes
    # Nor the admin (the auditor is not staff: sent to the admin's login), nor the standards.
    respuesta = client.post(reverse("admin:dictamenes_ente_add"), {"nombre": "X"})
    assert respuesta.status_code == 302
    assert respuesta["Location"] == "/admin/login/?next=/admin/dictamenes/ente/add/"
    from dictamenes.models import Ente

    assert not Ente.objects.filter(nombre="X").exists()


def test_la_linea_de_tiempo_muestra_ajustes_y_versiones_de_archivo(demo, client):
    solicitud = admitida(areas=("computo",))
    revisar(
        solicitud,
        "computo",
        ajustes={"ram": {"resultado": "cumple", "motivo": "La cotización dice 16 GB."}},
    )
    client.force_login(usuario("auditor"))
    html = client.get(reverse("solicitudes:detalle", args=[solicitud.pk])).content.decode()
    assert "Ajuste en «Partida de computo», Memoria RAM: No cumple → Cumple" in html
    assert "La cotización dice 16 GB." in html
    assert f"SHA-256 {solicitud.anexos.get().sha256}" in html
