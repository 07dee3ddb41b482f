"""Hostile input, end to end through HTTP (issue 9).

- Uploads: every endpoint that takes a file (attachments of a draft, the public PDF
  verification, the annual programme, the e.firma at signing) gets files that lie about their
  type, are too big or empty, zip bombs, and names with path traversal, control characters or
  thousands of characters. Each answer is a 4xx (or the page re-rendered with its error) with
  the Spanish message, and nothing was written: no row, no audit event, no stored file.
- Text: HTML, script and spreadsheet formulas typed into every free-text field on the way
  from a draft to an issued (then rectified and cancelled) dictamen. Every page shows them
  escaped, the signed PDFs and the expediente's report show them literally, the open data and
  the exports carry them neutralised.
- Specifications of the wrong type for the compliance engine (item form, public
  self-assessment, API) and malformed, expired, foreign or mismatched e.firmas.

The world is built once per module inside a transaction that is rolled back at the end;
each test runs in its own savepoint on top. Every input sent and checked is counted in
tests/seguridad/conftest.py (CIFRAS), printed at the end of the run.
"""

import csv
import datetime
import functools
import io
import json
import logging
import os
import random
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID
from django import forms
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import validators
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import Workbook, load_workbook
from viewflow.workflow.models import Task

from config.parsers import (
    ERROR_JSON_CODIFICACION,
    ERROR_JSON_PROFUNDO,
    ERROR_JSON_SINTAXIS,
    ERROR_JSON_VALOR,
)
from demo import autoridades, efirma_pruebas
from dictamenes.comun import archivos
from dictamenes.emision.documentos import efirma
from dictamenes.emision.services import integridad
from dictamenes.models import (
    Anexo,
    Area,
    Aviso,
    Consecutivo,
    Dictamen,
    EventoAuditoria,
    LineaPrograma,
    Partida,
    PeticionInformacion,
    ProgramaAnual,
    RevisionArea,
    Solicitud,
    Sustitucion,
)
from dictamenes.planeacion.services import programa as planeacion
from dictamenes.roles import Rol
from dictamenes.tramite.forms.solicitud import PartidaForm
from dictamenes.tramite.selectors import tramite
from dictamenes.tramite.services import etapas, solicitudes
from estandares import entradas
from estandares.models import Perfil as PerfilTecnico
from estandares.selectors import publicacion_vigente
from tests.backends.plugin import skip_backend
from tests.dictamenes.flujo_utils import (
    archivos_efirma,
    borrador,
    en_firma,
    firmar,
    paso_de,
    persona,
    presentada,
    usuario,
)
from tests.dictamenes.flujo_utils import pdf_valido as pdf
from tests.seguridad.conftest import CIFRAS, HOSTILES_POR_CATEGORIA

pytestmark = pytest.mark.django_db

MB = 1024 * 1024

# --- The hostile text ---------------------------------------------------------------------

HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'
CRUDOS = ("<script>alert", "<img src=x onerror")
FORMULAS = {
    "=": '=HYPERLINK("http://x","y")',
    "+": "+cmd|' /C calc'!A0",
    "-": "-2+3",
    "@": "@SUM(1)",
}
# What a spreadsheet reads as the start of a formula (OWASP's list).
INICIO_DE_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def hostil(campo: str, formula: str = "=") -> str:
    """A formula, the field's name (to find it), and HTML that would run if not escaped."""
    return f"{FORMULAS[formula]} {campo} {HTML}"


# Every free-text field a person fills in on the way to a dictamen, sent through its page.
TEXTOS = {
    campo: hostil(campo)
    for campo in [
        "titulo",
        "justificacion",
        "alineacion",
        "partida",
        "declaracion",
        "faltantes",
        "subsanacion",
        "pregunta",
        "respuesta",
        "observaciones",
        "opinion",
        "ajuste",
        "motivos",
        "condiciones",
        "rectificacion",
        "motivos_rect",
        "condiciones_rect",
        "cancelacion",
        "suplencia",
        "reasignacion",
    ]
}
# The programme line and the agency's name (entered by the administrator, with a leading tab
# that the form strips) start with other formula characters.
TEXTOS["programa"] = hostil("programa", "@")
TEXTOS["ente"] = hostil("ente", "+")
# An attachment's name is free text too; a name cannot hold "/", so no </script>.
TEXTOS["anexo"] = "<img src=x onerror=alert(1)> anexo.pdf"
# Requests built through the services, to fill the queues and the register.
TITULOS_EXTRA = {
    "titulo_menos": hostil("titulo_menos", "-"),
    "titulo_arroba": hostil("titulo_arroba", "@"),
    "titulo_cola": hostil("titulo_cola"),
    "titulo_bandeja": hostil("titulo_bandeja"),
    "partida_bandeja": hostil("partida_bandeja"),
}
NOMBRE_JEFA = "<b>Jefa</b> <img src=x onerror=alert(1)>"


def contar(categoria: str, respuesta, *, parcial: bool = False) -> None:
    """One hostile input sent and its answer checked."""
    CIFRAS["entradas_hostiles"] += 1
    HOSTILES_POR_CATEGORIA[categoria] += 1
    if respuesta.status_code >= 500:
        CIFRAS["entradas_hostiles_5xx"] += 1
    if parcial:
        CIFRAS["entradas_hostiles_parciales"] += 1


# --- What a refused input must leave untouched ---------------------------------------------


def archivos_guardados() -> tuple[str, ...]:
    raiz = Path(settings.MEDIA_ROOT)
    if not raiz.exists():
        return ()
    return tuple(sorted(str(p.relative_to(raiz)) for p in raiz.rglob("*") if p.is_file()))


def estado() -> tuple:
    modelos = (
        EventoAuditoria,
        Solicitud,
        Partida,
        Anexo,
        Dictamen,
        PeticionInformacion,
        RevisionArea,
        ProgramaAnual,
        LineaPrograma,
        Sustitucion,
        Aviso,
    )
    return (
        tuple(m.objects.count() for m in modelos),
        tuple(Consecutivo.objects.order_by("serie", "ejercicio").values_list("serie", "ultimo")),
        tuple(Solicitud.objects.order_by("pk").values_list("estado", "version")),
        tuple(Partida.objects.order_by("pk").values_list("version", flat=True)),
        tuple(Task.objects.order_by("pk").values_list("status", "owner_id")),
        archivos_guardados(),
    )


def enviar(categoria: str, peticion):
    """Send one input that must be refused; count it, and whether it left anything behind."""
    antes = estado()
    respuesta = peticion()
    despues = estado()
    contar(categoria, respuesta, parcial=despues != antes)
    return respuesta, antes, despues


def html_de(respuesta) -> str:
    return respuesta.content.decode("utf-8", errors="replace")


def sin_marcado_crudo(html: str) -> None:
    for crudo in CRUDOS:
        assert crudo not in html, f"sin escapar: {crudo}"


# --- Multipart bodies written by hand ---------------------------------------------------------

LIMITE = "LimiteDePruebaHostil"


def multipart(campos: dict, archivos_: dict) -> bytes:
    """The test client cleans file names (os.path.basename) before sending them; a browser or
    a script sends whatever it likes, so the body is written here byte by byte.
    archivos_: field → (Content-Disposition parameters as bytes, content)."""
    partes = []
    for nombre, valor in campos.items():
        cabecera = f'--{LIMITE}\r\nContent-Disposition: form-data; name="{nombre}"\r\n\r\n'
        partes.append(f"{cabecera}{valor}\r\n".encode())
    for nombre, (disposicion, contenido) in archivos_.items():
        partes.append(
            f'--{LIMITE}\r\nContent-Disposition: form-data; name="{nombre}"; '.encode()
            + disposicion
            + b"\r\nContent-Type: application/octet-stream\r\n\r\n"
            + contenido
            + b"\r\n"
        )
    return b"".join(partes) + f"--{LIMITE}--\r\n".encode()


def nombre_de_archivo(nombre: bytes) -> bytes:
    return b'filename="' + nombre + b'"'


def subir(cliente, url, campos, archivos_):
    return cliente.post(
        url, multipart(campos, archivos_), content_type=f"multipart/form-data; boundary={LIMITE}"
    )


# --- Files ------------------------------------------------------------------------------------


PDF = pdf()


def basura(n: int) -> bytes:
    """Bytes that are no format at all; seeded, so that a run can be repeated."""
    return random.Random(n).randbytes(n)  # noqa: S311 - test data, not a secret


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)
PAGINA_HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def ooxml(carpeta: str, principal: str, miembros_extra=()) -> bytes:
    """An OOXML package (docx, xlsx) with its content types, relationship and main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "_rels/.rels",
            '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/officeDocument" Target="{carpeta}/{principal}"/>'
            "</Relationships>",
        )
        zf.writestr(f"{carpeta}/{principal}", "<raiz/>")
        for nombre, mb in miembros_extra:
            # Written by chunks: the bomb is built without holding it in memory.
            with zf.open(nombre, "w") as miembro:
                ceros = bytes(MB)
                for _ in range(mb):
                    miembro.write(ceros)
    return buffer.getvalue()


DOCX = ooxml("word", "document.xml")


@functools.cache
def docx_bomba() -> bytes:
    """11 MB of zeros in one member: over 100:1 above 10 MB."""
    return ooxml("word", "document.xml", [("word/media/relleno.bin", 11)])


@functools.cache
def xlsx_bomba() -> bytes:
    """25 members of 9 MB (each under the ratio threshold): 225 MB, over the 200 MB limit."""
    return ooxml("xl", "workbook.xml", [(f"xl/media/m{i}.bin", 9) for i in range(25)])


def xlsx_programa(*filas, dimension: str | None = None, filas_vacias: int = 0) -> bytes:
    """A real workbook for the annual programme; optionally a sheet of millions of empty rows
    whose <dimension> tells openpyxl to walk all of them (a bomb for the parser)."""
    libro = Workbook()
    hoja = libro.active
    hoja.append(planeacion.NOMBRES)
    for fila in filas:
        hoja.append(fila)
    buffer = io.BytesIO()
    libro.save(buffer)
    if not filas_vacias:
        return buffer.getvalue()
    origen = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for info in origen.infolist():
            datos = origen.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(info, datos)
                continue
            datos = re.sub(
                rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), datos
            )
            cabeza, cola = datos.split(b"</sheetData>")
            with zf.open(info.filename, "w") as miembro:
                miembro.write(cabeza)
                bloque = b"<row></row>" * 100_000
                for _ in range(filas_vacias // 100_000):
                    miembro.write(bloque)
                miembro.write(b"</sheetData>" + cola)
    return salida.getvalue()


def pdftotexto(contenido: bytes) -> str:
    """The PDF's text in content-stream order (-raw), so that a table cell's lines stay
    together; compared without whitespace, as reportlab wraps lines where it likes."""
    if not shutil.which("pdftotext"):
        skip_backend("falta pdftotext (poppler-utils)")
    salida = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
        input=contenido,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return compacto(salida)


def compacto(texto: str) -> str:
    return "".join(texto.split())


# --- The world ------------------------------------------------------------------------------


@dataclass
class Mundo:
    clientes: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    ente: object = None

    def cliente(self, username):
        return self.clientes[username]


def _exigir_redireccion(respuesta, paso: str) -> str:
    if respuesta.status_code != 302:
        mensajes = [str(m) for m in get_messages(respuesta.wsgi_request)]
        raise AssertionError(
            f"{paso}: {respuesta.status_code} {mensajes} {html_de(respuesta)[:3000]}"
        )
    return respuesta["Location"]


def _enviar_texto(respuesta, paso: str, campos: tuple[str, ...]) -> str:
    """A form with hostile text was accepted (302): each field counts as one input."""
    destino = _exigir_redireccion(respuesta, paso)
    for _campo in campos:
        contar("texto", respuesta)
    return destino


def _nodo_y_tarea(solicitud_pk, nodo):
    solicitud = Solicitud.objects.get(pk=solicitud_pk)
    return next(t for t in tramite.tareas_abiertas(solicitud=solicitud) if paso_de(t) == nodo)


def _con_efirma(prefijo: str, **textos) -> dict:
    """The firmante's e.firma and the hostile texts of a form with a prefix."""
    datos = archivos_efirma() | {campo: TEXTOS[clave] for campo, clave in textos.items()}
    return {f"{prefijo}-{campo}": valor for campo, valor in datos.items()}


def _construir() -> Mundo:
    call_command("cargar_demo", "--sin-solicitudes", stdout=open(os.devnull, "w"))  # noqa: SIM115
    m = Mundo()
    jefa = persona(
        "jefa.redes",
        roles=[Rol.REVISOR_TECNICO],
        rfc="JERE800101AB1",
        nombre=NOMBRE_JEFA,
        areas=[Area.objects.get(clave="redes")],
        es_jefe=True,
    )
    for username in (
        "requirente.sh",
        "mesa",
        "revisor.computo",
        "revisor.redes",
        "estrategico",
        "firmante",
        "auditor",
        "admin",
        jefa.username,
    ):
        cliente = Client(raise_request_exception=False)
        cliente.force_login(usuario(username))
        m.clientes[username] = cliente
    m.clientes[None] = Client(raise_request_exception=False)
    m.ids["jefa"] = jefa.pk
    req = m.cliente("requirente.sh")
    anio = timezone.localdate().year

    # The administrator renames the agency (a leading tab: the form strips it).
    m.ente = usuario("requirente.sh").perfil.ente
    r = m.cliente("admin").post(
        reverse("admin:dictamenes_ente_change", args=[m.ente.pk]),
        {
            "nombre": "\t" + TEXTOS["ente"],
            "siglas": m.ente.siglas,
            "tipo": m.ente.tipo,
            "activo": "on",
        },
    )
    _enviar_texto(r, "ente", ("ente",))
    m.ente.refresh_from_db()
    assert m.ente.nombre == TEXTOS["ente"]

    # The request, from the draft to the signature, page by page.
    r = req.post(
        reverse("solicitudes:nueva"),
        {
            "tipo_operacion": "adquisicion",
            "titulo": TEXTOS["titulo"],
            "ejercicio": anio,
            "monto_estimado": "250000.00",
            "justificacion": TEXTOS["justificacion"],
            "alineacion": TEXTOS["alineacion"],
        },
    )
    pk = resolve(_enviar_texto(r, "nueva", ("titulo", "justificacion", "alineacion"))).kwargs["pk"]
    m.ids["principal"] = pk
    perfil = PerfilTecnico.objects.get(
        categoria__publicacion=publicacion_vigente(fecha=timezone.localdate()),
        categoria__clave="computadora-escritorio",
        clave="intermedio",
    )
    m.ids["perfil"] = perfil.pk
    r = req.post(
        reverse("solicitudes:partida_nueva", args=[pk]),
        {
            "perfil": perfil.pk,
            "descripcion": TEXTOS["partida"],
            "cantidad": 2,
            "precio_unitario": "10000.00",
            "capitulo": "5000",
            "partida_especifica": "51501",
            "guardar": "1",
            "esp-nucleos_cpu": "8",
            "esp-ram": "16",
            "esp-almacenamiento": "512",
            "esp-tipo_almacenamiento": "SSD",
            "esp-garantia_sitio": "3",
            "esp-licencia_sistema_operativo": TEXTOS["declaracion"],
        },
    )
    _enviar_texto(r, "partida", ("partida", "declaracion"))
    partida = Partida.objects.get(solicitud_id=pk)
    m.ids["partida"] = partida.pk
    r = subir(
        req,
        reverse("solicitudes:anexo_subir", args=[pk]),
        {"tipo": "oficio"},
        {"archivo": (nombre_de_archivo(TEXTOS["anexo"].encode()), PDF)},
    )
    _enviar_texto(r, "anexo", ("anexo",))
    assert Anexo.objects.get(solicitud_id=pk).nombre == TEXTOS["anexo"]
    _exigir_redireccion(req.post(reverse("solicitudes:presentar", args=[pk])), "presentar")
    mesa = m.cliente("mesa")
    r = mesa.post(
        reverse("solicitudes:admision", args=[pk]),
        {"decision": "prevenir", "faltantes": TEXTOS["faltantes"]},
    )
    _enviar_texto(r, "prevención", ("faltantes",))
    r = req.post(reverse("solicitudes:subsanar", args=[pk]), {"texto": TEXTOS["subsanacion"]})
    _enviar_texto(r, "subsanar", ("subsanacion",))
    r = mesa.post(reverse("solicitudes:admision", args=[pk]), {"decision": "admitir"})
    _exigir_redireccion(r, "admitir")
    revisor = m.cliente("revisor.computo")
    r = revisor.post(
        reverse("solicitudes:pedir_informacion", args=[pk, "computo"]),
        {"pet-computo-texto": TEXTOS["pregunta"]},
    )
    _enviar_texto(r, "pedir información", ("pregunta",))
    peticion = PeticionInformacion.objects.get(solicitud_id=pk)
    r = req.post(
        reverse("solicitudes:responder", args=[pk, peticion.pk]), {"texto": TEXTOS["respuesta"]}
    )
    _enviar_texto(r, "responder", ("respuesta",))
    p = f"computo-p{partida.pk}"
    r = revisor.post(
        reverse("solicitudes:revision_area", args=[pk, "computo"]),
        {
            "computo-opinion": "favorable",
            "computo-observaciones": TEXTOS["observaciones"],
            f"{p}_opinion": TEXTOS["opinion"],
            # The engine says the 8 cores meet the minimum; the reviewer overrides it.
            f"{p}_nucleos_cpu_resultado": "no_cumple",
            f"{p}_nucleos_cpu_motivo": TEXTOS["ajuste"],
        },
    )
    _enviar_texto(r, "revisión de área", ("observaciones", "opinion", "ajuste"))
    r = m.cliente("estrategico").post(
        reverse("solicitudes:estrategica", args=[pk]),
        {
            "accion": "decidir",
            f"p{partida.pk}_resultado": "aprobada",
            "motivos": TEXTOS["motivos"],
            "condiciones": TEXTOS["condiciones"],
        },
    )
    _enviar_texto(r, "estratégica", ("motivos", "condiciones"))
    firmante = m.cliente("firmante")
    _exigir_redireccion(
        firmante.post(reverse("solicitudes:firma", args=[pk]), archivos_efirma()), "firma"
    )
    original = Dictamen.objects.get(solicitud_id=pk)
    m.ids["dictamen_original"] = original.pk
    m.ids["folio_original"] = original.folio
    # The Dirección General proposes the rectification's content; the firmante signs it.
    r = m.cliente("estrategico").post(
        reverse("solicitudes:proponer_rectificacion", args=[pk, original.pk]),
        {
            "proponer-motivo": TEXTOS["rectificacion"],
            "proponer-resultado": "condicionado",
            "proponer-motivos": TEXTOS["motivos_rect"],
            "proponer-condiciones": TEXTOS["condiciones_rect"],
        },
    )
    _enviar_texto(r, "proponer", ("rectificacion", "motivos_rect", "condiciones_rect"))
    propuesta = EventoAuditoria.objects.filter(
        solicitud_id=pk, tipo="propuesta_rectificacion"
    ).latest("numero")
    r = firmante.post(
        reverse("solicitudes:rectificar", args=[pk, original.pk]),
        _con_efirma("rectificar") | {"rectificar-propuesta": propuesta.pk},
    )
    _exigir_redireccion(r, "rectificar")
    rectificado = Dictamen.objects.get(sustituye=original)
    m.ids["dictamen_rectificado"] = rectificado.pk
    m.ids["folio_rectificado"] = rectificado.folio
    r = firmante.post(
        reverse("solicitudes:cancelar", args=[pk, rectificado.pk]),
        _con_efirma("cancelar", motivo="cancelacion"),
    )
    _enviar_texto(r, "cancelar", ("cancelacion",))

    # A substitution, and the annual programme.
    r = m.cliente("revisor.redes").post(
        reverse("solicitudes:suplencias"),
        {
            "suplente": jefa.pk,
            "desde": timezone.localdate().isoformat(),
            "hasta": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
            "motivo": TEXTOS["suplencia"],
        },
    )
    _enviar_texto(r, "suplencia", ("suplencia",))
    m.ids["sustitucion"] = Sustitucion.objects.get().pk
    programa = TEXTOS["programa"]
    r = subir(
        req,
        reverse("planeacion:programa"),
        {"ejercicio": anio},
        {"archivo": (nombre_de_archivo(b"programa.csv"), _csv(_fila(descripcion=programa)))},
    )
    _enviar_texto(r, "programa", ("programa",))

    # Requests in other states, through the services: the mesa's queue, a chief's inbox after
    # a reassignment (with its reason), two more issued dictámenes for the register.
    cola = presentada(areas=("computo",), titulo=TITULOS_EXTRA["titulo_cola"])
    m.ids["cola"] = cola.pk
    # Its item's description labels the reviewer's form: the chief sees it there.
    bandeja = borrador(areas=("redes",), titulo=TITULOS_EXTRA["titulo_bandeja"])
    item = bandeja.partidas.get()
    datos_item = {c: getattr(item, c) for c in (*PartidaForm.Meta.fields, "especificaciones")}
    solicitudes.partida_guardar(
        solicitud=bandeja,
        usuario=usuario("requirente.sh"),
        partida=item,
        datos=datos_item | {"descripcion": TITULOS_EXTRA["partida_bandeja"]},
    )
    solicitudes.solicitud_presentar(solicitud=bandeja, usuario=usuario("requirente.sh"))
    etapas.admision_resolver(solicitud=bandeja, usuario=usuario("mesa"), admitir=True)
    m.ids["bandeja"] = bandeja.pk
    peticion = etapas.informacion_pedir(
        solicitud=bandeja,
        usuario=usuario("revisor.redes"),
        area=Area.objects.get(clave="redes"),
        pregunta="¿Cuántos puertos?",
    )
    tarea = _nodo_y_tarea(bandeja.pk, "revision_tecnica:redes")
    r = m.cliente(jefa.username).post(
        reverse("solicitudes:reasignar", args=[bandeja.pk, tarea.pk]),
        {"persona": jefa.pk, "motivo": TEXTOS["reasignacion"]},
    )
    _enviar_texto(r, "reasignar", ("reasignacion",))
    etapas.informacion_responder(
        peticion=peticion, usuario=usuario("requirente.sh"), respuesta="Veinticuatro."
    )
    for clave in ("titulo_menos", "titulo_arroba"):
        firmar(en_firma(areas=("software",), titulo=TITULOS_EXTRA[clave], motivos="Sí."))

    # For the hostile inputs: a draft to attach to and add items to, and a request waiting
    # for the signature.
    m.ids["borrador"] = borrador(areas=("computo",), titulo="Borrador para anexos").pk
    m.ids["en_firma"] = en_firma(
        areas=("infraestructura",), titulo="Solicitud en espera de firma", motivos="Sí."
    ).pk
    return m


@pytest.fixture(scope="module")
def mundo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _construir()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _sin_bitacora_de_rechazos():
    """Hundreds of expected 400s would each log a warning."""
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


# === 1. Uploads =================================================================================


@dataclass(frozen=True)
class Subida:
    disposicion: bytes  # the Content-Disposition parameters of the file part
    contenido: object  # bytes, or a function that builds them (the bombs, built once)
    mensaje: object = None  # expected Spanish error, or None when accepted
    guardado: str | None = None  # accepted: the name the attachment keeps
    tipo: str = "anexo_tecnico"


def _ext(extension, clave):
    return archivos.ERROR_EXTENSION_NO_COINCIDE % {
        "extension": extension,
        "tipo": archivos.TIPOS[clave].descripcion,
    }


MENSAJE_400 = "La petición no se pudo leer"
VACIO = forms.FileField.default_error_messages["empty"]

SUBIDAS_ANEXO = {
    "exe-como-pdf": Subida(nombre_de_archivo(b"oficio.pdf"), EXE, archivos.ERROR_TIPO),
    "html-como-pdf": Subida(nombre_de_archivo(b"oficio.pdf"), PAGINA_HTML, archivos.ERROR_TIPO),
    "pdf-como-docx": Subida(nombre_de_archivo(b"anexo.docx"), PDF, _ext("docx", "pdf")),
    "docx-como-pdf": Subida(nombre_de_archivo(b"anexo.pdf"), DOCX, _ext("pdf", "docx")),
    "vacio": Subida(nombre_de_archivo(b"oficio.pdf"), b"", VACIO),
    "bomba-zip-docx": Subida(
        nombre_de_archivo(b"anexo.docx"), docx_bomba, archivos.ERROR_ZIP_BOMBA
    ),
    "bomba-zip-xlsx": Subida(
        nombre_de_archivo(b"cotizacion.xlsx"), xlsx_bomba, archivos.ERROR_ZIP_BOMBA
    ),
    "docx-truncado": Subida(
        nombre_de_archivo(b"anexo.docx"), DOCX[: len(DOCX) // 2], archivos.ERROR_OFFICE_DANADO
    ),
    "sin-extension": Subida(nombre_de_archivo(b"oficio"), PDF, archivos.ERROR_NOMBRE),
    # The header ends at the CR LF: Django reads the name "ofi", without extension.
    "crlf-en-el-nombre": Subida(nombre_de_archivo(b"ofi\r\ncio.pdf"), PDF, archivos.ERROR_NOMBRE),
    # Over Django's limit for a part's headers: the body is refused before the view (400.html).
    "nombre-de-10000": Subida(nombre_de_archivo(b"a" * 10_000 + b".pdf"), PDF, MENSAJE_400),
    "tipo-inexistente": Subida(
        nombre_de_archivo(b"oficio.pdf"),
        PDF,
        forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": "../../x"},
        tipo="../../x",
    ),
    # Accepted, with a name that cannot leave the request's folder.
    "ruta-relativa": Subida(nombre_de_archivo(b"../../etc/passwd.pdf"), PDF, guardado="passwd.pdf"),
    "ruta-windows": Subida(
        nombre_de_archivo(b"..\\..\\windows\\system32\\oficio.pdf"), PDF, guardado="oficio.pdf"
    ),
    "ruta-rfc2231": Subida(
        b"filename*=UTF-8''" + quote("../../etc/passwd.pdf", safe="").encode(),
        PDF,
        guardado="passwd.pdf",
    ),
    "nulo": Subida(nombre_de_archivo(b"ofi\x00cio.pdf"), PDF, guardado="oficio.pdf"),
    "escape-ansi": Subida(nombre_de_archivo(b"\x1b[31moficio.pdf"), PDF, guardado="[31moficio.pdf"),
    "rtl-override": Subida(
        nombre_de_archivo("oficio\u202efdp.exe.pdf".encode()), PDF, guardado="oficiofdp.exe.pdf"
    ),
    "nombre-de-300": Subida(
        nombre_de_archivo(b"b" * 296 + b".pdf"), PDF, guardado="b" * 146 + ".pdf"
    ),
}


def _url_anexo(mundo):
    return reverse("solicitudes:anexo_subir", args=[mundo.ids["borrador"]])


@pytest.mark.parametrize("caso", SUBIDAS_ANEXO, ids=str)
def test_anexo_hostil_por_http(mundo, settings, caso):
    subida = SUBIDAS_ANEXO[caso]
    settings.DICTAMENES_ANEXO_MAX_MB = 20
    cliente = mundo.cliente("requirente.sh")
    contenido = subida.contenido() if callable(subida.contenido) else subida.contenido

    def peticion():
        return subir(
            cliente,
            _url_anexo(mundo),
            {"tipo": subida.tipo},
            {"archivo": (subida.disposicion, contenido)},
        )

    if subida.mensaje is not None:
        respuesta, antes, despues = enviar("subidas", peticion)
        assert respuesta.status_code == 400
        assert escape(str(subida.mensaje)) in html_de(respuesta)
        assert despues == antes
        return

    antes = estado()
    anexos_antes = set(Anexo.objects.values_list("pk", flat=True))
    respuesta = peticion()
    nuevo = Anexo.objects.exclude(pk__in=anexos_antes).get()
    eventos = EventoAuditoria.objects.filter(datos__anexo=nuevo.pk)
    nuevos_archivos = set(archivos_guardados()) - set(antes[-1])
    contar("subidas", respuesta, parcial=eventos.count() != 1 or len(nuevos_archivos) != 1)
    assert respuesta.status_code == 302
    assert nuevo.nombre == subida.guardado
    assert len(nuevo.nombre) <= archivos.LONGITUD_MAX_NOMBRE
    assert all(c.isprintable() for c in nuevo.nombre)
    carpeta = f"expedientes/{timezone.localdate().year}/borrador-{mundo.ids['borrador']}/"
    ruta = PurePosixPath(nuevo.archivo.name)
    assert nuevo.archivo.name.startswith(carpeta + "anexo_tecnico/")
    assert ".." not in ruta.parts and "\\" not in nuevo.archivo.name
    assert nuevos_archivos == {nuevo.archivo.name}
    raiz = (Path(settings.MEDIA_ROOT) / carpeta).resolve()
    assert Path(nuevo.archivo.path).resolve().is_relative_to(raiz)
    assert eventos.count() == 1


def test_anexo_demasiado_grande(mundo, settings):
    settings.DICTAMENES_ANEXO_MAX_MB = 1
    contenido = PDF + bytes(int(1.5 * MB))
    respuesta, antes, despues = enviar(
        "subidas",
        lambda: subir(
            mundo.cliente("requirente.sh"),
            _url_anexo(mundo),
            {"tipo": "cotizacion"},
            {"archivo": (nombre_de_archivo(b"cotizacion.pdf"), contenido)},
        ),
    )
    assert respuesta.status_code == 400
    tamano = archivos.tamano_legible(len(contenido))
    assert archivos.ERROR_TAMANO % {"tamano": tamano, "maximo": "1"} in html_de(respuesta)
    assert despues == antes


@pytest.mark.parametrize(
    ("contenido", "advertencia"),
    [
        (
            pdf(b"<< /S /JavaScript /JS (app.alert('hola');) >>"),
            archivos.ADVERTENCIA_PDF_JAVASCRIPT,
        ),
        (pdf(b"<< /Type /EmbeddedFile /Length 0 >>"), archivos.ADVERTENCIA_PDF_INCRUSTADOS),
    ],
    ids=["javascript", "incrustado"],
)
def test_pdf_con_javascript_o_incrustados_se_acepta_con_advertencia(mundo, contenido, advertencia):
    cliente = mundo.cliente("requirente.sh")
    antes = set(Anexo.objects.values_list("pk", flat=True))
    respuesta = subir(
        cliente,
        _url_anexo(mundo),
        {"tipo": "anexo_tecnico"},
        {"archivo": (nombre_de_archivo(b"anexo activo.pdf"), contenido)},
    )
    anexo = Anexo.objects.exclude(pk__in=antes).get()
    evento = EventoAuditoria.objects.get(datos__anexo=anexo.pk)
    contar("subidas", respuesta)
    assert respuesta.status_code == 302
    assert anexo.advertencias == [str(advertencia)]
    assert evento.datos["advertencias"] == [str(advertencia)]
    pagina = html_de(cliente.get(reverse("solicitudes:detalle", args=[mundo.ids["borrador"]])))
    # In the attachment's own line of the list.
    linea = pagina[pagina.index("anexo activo.pdf</a>") :].split("</li>")[0]
    assert f"⚠ {advertencia}" in linea


@pytest.mark.parametrize(
    ("nombre", "contenido", "mensaje", "status"),
    [
        (b"dictamen.pdf", b"", VACIO, 400),
        (b"dictamen.pdf", EXE, "El archivo no es un PDF.", 200),
        (b"dictamen.pdf", PAGINA_HTML, "El archivo no es un PDF.", 200),
        (b"dictamen.pdf", docx_bomba, "El archivo no es un PDF.", 200),
        (b"dictamen.pdf", b"%PDF-1.7\n" + basura(2000), "Documento NO auténtico.", 200),
        (
            b"dictamen.pdf",
            pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
            "no es idéntico a ningún dictamen emitido",
            200,
        ),
        (b"../../etc/passwd.pdf\x00.exe", PDF, "Documento NO auténtico.", 200),
    ],
    ids=["vacio", "exe", "html", "bomba-zip", "pdf-basura", "pdf-javascript", "nombre-hostil"],
)
def test_verificacion_publica_de_un_pdf_hostil(mundo, nombre, contenido, mensaje, status):
    """Anyone may upload; the page answers with its verdict (or the form's error) and keeps
    nothing: the file is read in memory and discarded."""
    contenido = contenido() if callable(contenido) else contenido
    respuesta, antes, despues = enviar(
        "subidas",
        lambda: subir(
            mundo.clientes[None],
            reverse("verificar"),
            {},
            {"pdf": (nombre_de_archivo(nombre), contenido)},
        ),
    )
    assert respuesta.status_code == status
    assert escape(str(mensaje)) in html_de(respuesta)
    assert despues == antes


def test_verificacion_publica_demasiado_grande(mundo, monkeypatch):
    monkeypatch.setattr(integridad, "PDF_VERIFICAR_MAXIMO", MB)
    respuesta, antes, despues = enviar(
        "subidas",
        lambda: subir(
            mundo.clientes[None],
            reverse("verificar"),
            {},
            {"pdf": (nombre_de_archivo(b"dictamen.pdf"), PDF + bytes(MB))},
        ),
    )
    assert respuesta.status_code == 400
    assert str(integridad.ERROR_PDF_GRANDE) in html_de(respuesta)
    assert despues == antes


def _fila(**cambios) -> list:
    fila = {
        "categoria": "computadora-escritorio",
        "perfil": "basico",
        "descripcion": "Equipos",
        "cantidad": "2",
        "monto_estimado": "90000",
        "capitulo": "5000",
        "partida_especifica": "51501",
        "mes": "6",
    } | cambios
    return [fila[n] for n in planeacion.NOMBRES]


def _csv(*filas) -> bytes:
    salida = io.StringIO()
    escritor = csv.writer(salida)
    escritor.writerow(planeacion.NOMBRES)
    escritor.writerows(filas)
    return salida.getvalue().encode()


def _max_entero_positivo():
    return connection.ops.integer_field_range("PositiveIntegerField")[1]


def _mensaje_fila(columna, mensaje):
    return f"fila 2, columna «{columna}»: {mensaje}"


PROGRAMAS = {
    "csv-latin1": (
        "programa.csv",
        "categoria,año\n".encode("latin-1"),
        planeacion.ERROR_CSV_CODIFICACION,
    ),
    "csv-con-nulos": (
        "programa.csv",
        _csv(_fila()).replace(b"Equipos", b"Equi\x00pos"),
        planeacion.ERROR_CSV_NULOS,
    ),
    "csv-campo-de-200k": (
        "programa.csv",
        _csv(_fila(descripcion="x" * 200_000)),
        planeacion.ERROR_CSV_MAL_FORMADO % {"linea": 2},
    ),
    "mes-infinito": (
        "programa.csv",
        _csv(_fila(mes="inf")),
        _mensaje_fila("mes", "debe ser un número de mes, de 1 a 12"),
    ),
    "cantidad-enorme": (
        "programa.csv",
        _csv(_fila(cantidad="9" * 20)),
        lambda contenido: _mensaje_fila(
            "cantidad",
            validators.MaxValueValidator.message % {"limit_value": _max_entero_positivo()},
        ),
    ),
    "monto-1e30": (
        "programa.csv",
        _csv(_fila(monto_estimado="1e30")),
        _mensaje_fila("monto_estimado", "debe ser un monto en pesos, p. ej. 150000.00"),
    ),
    "monto-de-16-digitos": (
        "programa.csv",
        _csv(_fila(monto_estimado="1e13")),
        _mensaje_fila(
            "monto_estimado", validators.DecimalValidator.messages["max_digits"] % {"max": 14}
        ),
    ),
    "monto-infinito": (
        "programa.csv",
        _csv(_fila(monto_estimado="Infinity")),
        _mensaje_fila("monto_estimado", "debe ser un monto en pesos, p. ej. 150000.00"),
    ),
    "pdf-como-xlsx": ("programa.xlsx", PDF, planeacion.ERROR_XLSX_DANADO),
    "exe-como-xlsx": ("programa.xlsx", EXE, planeacion.ERROR_XLSX_DANADO),
    # openpyxl would walk two million rows because <dimension> says so.
    "xlsx-bomba-de-filas": (
        "programa.xlsx",
        lambda: xlsx_programa(_fila(), dimension="A1:H2000002", filas_vacias=2_000_000),
        archivos.ERROR_ZIP_BOMBA,
    ),
    "xlsx-bomba-zip": ("programa.xlsx", xlsx_bomba, archivos.ERROR_ZIP_BOMBA),
    "vacio": ("programa.csv", b"", VACIO),
    # The test lowers the limit to 1 MB.
    "demasiado-grande": (
        "programa.csv",
        lambda: _csv(*[_fila()] * 25_000),
        lambda contenido: (
            archivos.ERROR_TAMANO
            % {"tamano": archivos.tamano_legible(len(contenido)), "maximo": "1"}
        ),
    ),
}


@pytest.mark.parametrize("caso", PROGRAMAS, ids=str)
def test_programa_anual_hostil(mundo, settings, caso):
    settings.DICTAMENES_ANEXO_MAX_MB = 1
    nombre, contenido, mensaje = PROGRAMAS[caso]
    contenido = contenido() if callable(contenido) else contenido
    mensaje = mensaje(contenido) if callable(mensaje) else mensaje
    respuesta, antes, despues = enviar(
        "subidas",
        lambda: subir(
            mundo.cliente("requirente.sh"),
            reverse("planeacion:programa"),
            {"ejercicio": timezone.localdate().year},
            {"archivo": (nombre_de_archivo(nombre.encode()), contenido)},
        ),
    )
    assert respuesta.status_code == 400
    assert escape(str(mensaje)) in html_de(respuesta)
    assert despues == antes


# === 2. Text ==================================================================================


def test_texto_con_caracter_nulo_o_enorme_se_rechaza(mundo):
    cliente = mundo.cliente("requirente.sh")
    datos = {
        "tipo_operacion": "adquisicion",
        "titulo": "Título con \x00 nulo",
        "ejercicio": timezone.localdate().year,
        "monto_estimado": "1000.00",
        "justificacion": "Prueba.",
        "alineacion": "Prueba.",
    }
    respuesta, antes, despues = enviar(
        "texto", lambda: cliente.post(reverse("solicitudes:nueva"), datos)
    )
    assert respuesta.status_code == 400
    # NUL is named with the other control characters (estandares.entradas).
    error = entradas.ERROR_CARACTERES % {"caracteres": "U+0000"}
    assert escape(str(error)) in html_de(respuesta)
    assert despues == antes
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE: Django refuses the body before the view.
    enorme = datos | {"titulo": "Título", "justificacion": "x" * (3 * MB)}
    respuesta, antes, despues = enviar(
        "texto", lambda: cliente.post(reverse("solicitudes:nueva"), enorme)
    )
    assert respuesta.status_code == 400
    assert MENSAJE_400 in html_de(respuesta)
    assert despues == antes


def _detalle(clave):
    return lambda m: reverse("solicitudes:detalle", args=[m.ids[clave]])


# The request's page shows all of its own texts (its history holds the reasons).
TODO_EN_EL_DETALLE = tuple(
    c for c in TEXTOS if c not in {"declaracion", "suplencia", "reasignacion", "programa"}
)

# (who, which page, which hostile texts it must show): every page where they appear.
PAGINAS = {
    "detalle-auditor": ("auditor", _detalle("principal"), TODO_EN_EL_DETALLE),
    "detalle-requirente": ("requirente.sh", _detalle("principal"), TODO_EN_EL_DETALLE),
    "detalle-firmante": ("firmante", _detalle("principal"), TODO_EN_EL_DETALLE),
    "detalle-reasignada": (
        "jefa.redes",
        _detalle("bandeja"),
        ("titulo_bandeja", "reasignacion", "partida_bandeja", "etiqueta_bandeja", "nombre_jefa"),
    ),
    "inicio-jefa": ("jefa.redes", lambda m: reverse("inicio"), ("nombre_jefa",)),
    "partida": (
        "requirente.sh",
        lambda m: reverse("solicitudes:partida", args=[m.ids["principal"], m.ids["partida"]]),
        ("partida", "declaracion"),
    ),
    "lista-requirente": ("requirente.sh", lambda m: reverse("solicitudes:lista"), ("titulo",)),
    "lista-auditor": ("auditor", lambda m: reverse("solicitudes:lista"), ("titulo",)),
    "cola-mesa": ("mesa", lambda m: "/flujos/workflow/queue/", ("titulo_cola",)),
    "bandeja-jefa": ("jefa.redes", lambda m: "/flujos/workflow/inbox/", ("titulo_bandeja",)),
    "concluidas-revisor": ("revisor.computo", lambda m: "/flujos/workflow/archive/", ("titulo",)),
    # The register shows the agency (its name in the acronym's title), not the subject.
    "registro": (None, lambda m: reverse("registro"), ("ente",)),
    "verificar-rectificado": (
        None,
        lambda m: reverse("verificar_folio", args=[m.ids["folio_original"]]),
        ("titulo", "ente", "rectificacion"),
    ),
    "verificar-cancelado": (
        None,
        lambda m: reverse("verificar_folio", args=[m.ids["folio_rectificado"]]),
        ("titulo", "ente", "cancelacion"),
    ),
    "indicadores": ("auditor", lambda m: reverse("indicadores"), ("ente",)),
    "programa": ("requirente.sh", lambda m: reverse("planeacion:programa"), ("programa",)),
    "suplencias": ("revisor.redes", lambda m: reverse("solicitudes:suplencias"), ("suplencia",)),
    "admin-suplencia": (
        "admin",
        lambda m: reverse("admin:dictamenes_sustitucion_change", args=[m.ids["sustitucion"]]),
        ("suplencia",),
    ),
    "admin-entes": ("admin", lambda m: reverse("admin:dictamenes_ente_changelist"), ("ente",)),
    "admin-persona": (
        "admin",
        lambda m: reverse("admin:auth_user_change", args=[m.ids["jefa"]]),
        ("nombre_jefa",),
    ),
}
NOMBRES = {
    **TEXTOS,
    **TITULOS_EXTRA,
    "nombre_jefa": NOMBRE_JEFA,
    # The reviewer's form labels each item's opinion with the item's description.
    "etiqueta_bandeja": f"Opinión técnica de «{TITULOS_EXTRA['partida_bandeja']}»",
}


@pytest.mark.parametrize("pagina", PAGINAS, ids=str)
def test_cada_pagina_muestra_el_texto_escapado(mundo, pagina):
    username, url, campos = PAGINAS[pagina]
    respuesta = mundo.clientes[username].get(url(mundo))
    assert respuesta.status_code == 200
    html = html_de(respuesta)
    for campo in campos:
        assert escape(NOMBRES[campo]) in html, f"falta {campo}"
    sin_marcado_crudo(html)
    assert "<b>Jefa</b>" not in html


EN_EL_PDF = ("titulo", "ente", "partida", "observaciones")


@pytest.mark.parametrize(
    ("dictamen", "campos"),
    [
        ("dictamen_original", (*EN_EL_PDF, "motivos", "condiciones")),
        ("dictamen_rectificado", (*EN_EL_PDF, "motivos_rect", "condiciones_rect")),
    ],
    ids=["original", "rectificado"],
)
def test_el_pdf_firmado_muestra_el_texto_literal(mundo, dictamen, campos):
    """reportlab's Paragraph reads markup: unescaped, <img src=x> would stop the rendering
    (a 500 at signing) and <b> would silently change the document."""
    respuesta = mundo.cliente("auditor").get(
        reverse("solicitudes:dictamen_pdf", args=[mundo.ids["principal"], mundo.ids[dictamen]])
    )
    assert respuesta.status_code == 200
    texto = pdftotexto(respuesta.content)
    for campo in campos:
        assert compacto(NOMBRES[campo]) in texto, f"falta {campo}"


def test_el_expediente_zip_lleva_el_texto_literal_y_rutas_seguras(mundo):
    respuesta = mundo.cliente("auditor").get(
        reverse("solicitudes:expediente", args=[mundo.ids["principal"]])
    )
    assert respuesta.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(respuesta.content))
    nombres = zf.namelist()
    for nombre in nombres:
        ruta = PurePosixPath(nombre)
        assert not ruta.is_absolute() and ".." not in ruta.parts and "\\" not in nombre
    assert any(n.startswith("anexos/") and n.endswith(TEXTOS["anexo"]) for n in nombres)
    # The report: every reason and description as typed, literally.
    informe = pdftotexto(zf.read("historial.pdf"))
    for campo in (
        "titulo",
        "partida",
        "anexo",
        "faltantes",
        "subsanacion",
        "pregunta",
        "respuesta",
        "observaciones",
        "motivos",
        "rectificacion",
        "cancelacion",
    ):
        assert compacto(NOMBRES[campo]) in informe, f"falta {campo}"
    # The timeline as data: the same text, unchanged.
    motivos = {e["motivo"] for e in json.loads(zf.read("historial.json"))["eventos"]}
    for campo in ("faltantes", "subsanacion", "pregunta", "respuesta", "observaciones", "motivos"):
        assert TEXTOS[campo] in motivos


def _filas_csv(contenido: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(contenido.decode("utf-8-sig"))))


def _sin_formulas(filas) -> None:
    for fila in filas:
        for celda in fila:
            assert not celda.startswith(INICIO_DE_FORMULA), f"celda sin neutralizar: {celda!r}"


def test_datos_abiertos_csv_neutraliza_formulas(mundo):
    respuesta = mundo.clientes[None].get(reverse("datos_csv"))
    assert respuesta.status_code == 200
    filas = _filas_csv(b"".join(respuesta.streaming_content))
    encabezado, datos = filas[0], filas[1:]
    asuntos = {fila[encabezado.index("asunto")] for fila in datos}
    entes = {fila[encabezado.index("ente")] for fila in datos}
    for clave in ("titulo", "titulo_menos", "titulo_arroba"):
        assert "'" + NOMBRES[clave] in asuntos
    assert entes == {"'" + TEXTOS["ente"]}
    _sin_formulas(filas)


def test_datos_abiertos_json_y_api_llevan_el_texto_tal_cual(mundo):
    respuesta = mundo.clientes[None].get(reverse("datos_json"))
    assert respuesta["Content-Type"].startswith("application/json")
    datos = json.loads(b"".join(respuesta.streaming_content))["dictamenes"]
    por_folio = {d["folio"]: d for d in datos}
    assert por_folio[mundo.ids["folio_original"]]["asunto"] == TEXTOS["titulo"]
    assert por_folio[mundo.ids["folio_original"]]["ente"] == TEXTOS["ente"]
    api = mundo.cliente("auditor").get(f"/api/v1/solicitudes/{mundo.ids['principal']}/")
    assert api["Content-Type"].startswith("application/json")
    assert api.json()["titulo"] == TEXTOS["titulo"]
    assert api.json()["justificacion"] == TEXTOS["justificacion"]


def test_exportaciones_de_indicadores_sin_formulas(mundo):
    """The indicators carry no free text (per fiscal year: counts and amounts); what is
    checked is that nothing in them is a formula, in the CSV or in the XLSX."""
    cliente = mundo.cliente("auditor")
    respuesta = cliente.get(reverse("indicadores_exportar", args=["csv"]))
    assert respuesta.status_code == 200
    filas = _filas_csv(respuesta.content)
    assert len(filas) > 1
    _sin_formulas(filas)
    respuesta = cliente.get(reverse("indicadores_exportar", args=["xlsx"]))
    assert respuesta.status_code == 200
    hoja = load_workbook(io.BytesIO(respuesta.content)).active
    celdas = [c for fila in hoja.iter_rows() for c in fila]
    assert len(celdas) > len(filas[0])
    assert all(c.data_type != "f" for c in celdas)


# === 3. Specifications of the wrong type ========================================================


def _mensaje_decimal(clave):
    return {
        "invalido": forms.DecimalField.default_error_messages["invalid"],
        "digitos": validators.DecimalValidator.messages["max_digits"] % {"max": 14},
        "decimales": validators.DecimalValidator.messages["max_decimal_places"] % {"max": 4},
    }[clave]


def _opcion_invalida(valor):
    return forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": valor}


# (field of EspecificacionesForm, value, expected message)
ESPECIFICACIONES = {
    "texto-por-numero": ("ram", "mucho", lambda: _mensaje_decimal("invalido")),
    "nan": ("ram", "NaN", lambda: _mensaje_decimal("invalido")),
    "infinito": ("ram", "Infinity", lambda: _mensaje_decimal("invalido")),
    "enorme": ("ram", "1e400", lambda: _mensaje_decimal("digitos")),
    "cien-mil-digitos": ("ram", "9" * 100_000, lambda: _mensaje_decimal("digitos")),
    "demasiados-decimales": ("ram", "0.00001", lambda: _mensaje_decimal("decimales")),
    "unidad-inexistente": ("ram__unidad", "XB", lambda: _opcion_invalida("XB")),
    "opcion-fuera-de-lista": ("tipo_almacenamiento", HTML, lambda: _opcion_invalida(HTML)),
    "declaracion-de-100k": (
        "licencia_sistema_operativo",
        "x" * 100_000,
        lambda: (
            validators.MaxLengthValidator.message % {"limit_value": 4000, "show_value": 100_000}
        ),
    ),
}


def _validas(prefijo=""):
    return {
        f"{prefijo}nucleos_cpu": "8",
        f"{prefijo}ram": "16",
        f"{prefijo}almacenamiento": "512",
        f"{prefijo}tipo_almacenamiento": "SSD",
        f"{prefijo}garantia_sitio": "3",
        f"{prefijo}licencia_sistema_operativo": "Incluida.",
    }


def _partida(mundo, **cambios):
    return {
        "perfil": mundo.ids["perfil"],
        "descripcion": "Equipos de ventanilla",
        "cantidad": "2",
        "precio_unitario": "10000.00",
        "capitulo": "5000",
        "partida_especifica": "51501",
        "guardar": "1",
        **_validas("esp-"),
        **cambios,
    }


CAMPOS_DE_PARTIDA = {
    "perfil-texto": (
        "perfil",
        "abc",
        lambda: forms.ModelChoiceField.default_error_messages["invalid_choice"],
    ),
    "cantidad-negativa": (
        "cantidad",
        "-1",
        lambda: validators.MinValueValidator.message % {"limit_value": 0},
    ),
    "cantidad-enorme": (
        "cantidad",
        "9" * 20,
        lambda: validators.MaxValueValidator.message % {"limit_value": _max_entero_positivo()},
    ),
    "precio-nan": (
        "precio_unitario",
        "NaN",
        lambda: forms.DecimalField.default_error_messages["invalid"],
    ),
    "capitulo-inexistente": ("capitulo", "6000", lambda: _opcion_invalida("6000")),
    "partida-con-ruta": (
        "partida_especifica",
        "../1",
        lambda: "Use los 4 o 5 dígitos de la partida.",
    ),
    # Issue 18: direction and control characters, in a single-line and a multi-line text.
    "descripcion-rlo": (
        "descripcion",
        "Equipo \u202efdp.exe",
        lambda: entradas.ERROR_CARACTERES % {"caracteres": "U+202E"},
    ),
    "declaracion-aislada": (
        "esp-licencia_sistema_operativo",
        "Incluida \u2066y\u2069 \x1b[31m",
        lambda: entradas.ERROR_CARACTERES % {"caracteres": "U+2066, U+2069, U+001B"},
    ),
}


# The item's page: the specifications (prefixed "esp-") and the item's own fields.
EN_LA_PARTIDA = {
    **{caso: (f"esp-{campo}", valor, m) for caso, (campo, valor, m) in ESPECIFICACIONES.items()},
    **CAMPOS_DE_PARTIDA,
}


@pytest.mark.parametrize("caso", EN_LA_PARTIDA, ids=str)
def test_dato_hostil_en_la_partida(mundo, caso):
    campo, valor, mensaje = EN_LA_PARTIDA[caso]
    cliente = mundo.cliente("requirente.sh")
    url = reverse("solicitudes:partida_nueva", args=[mundo.ids["borrador"]])
    respuesta, antes, despues = enviar(
        "especificaciones", lambda: cliente.post(url, _partida(mundo, **{campo: valor}))
    )
    assert respuesta.status_code == 400
    assert escape(str(mensaje())) in html_de(respuesta)
    sin_marcado_crudo(html_de(respuesta))
    assert despues == antes


def test_modificar_una_partida_con_especificacion_hostil_no_la_cambia(mundo):
    borrador = Solicitud.objects.get(pk=mundo.ids["borrador"])
    partida = borrador.partidas.get()
    url = reverse("solicitudes:partida", args=[borrador.pk, partida.pk])
    datos = _partida(mundo, **{"esp-ram": "NaN", "version": partida.version})
    respuesta, antes, despues = enviar(
        "especificaciones", lambda: mundo.cliente("requirente.sh").post(url, datos)
    )
    assert respuesta.status_code == 400
    assert str(_mensaje_decimal("invalido")) in html_de(respuesta)
    assert despues == antes
    partida_despues = Partida.objects.get(pk=partida.pk)
    assert partida_despues.especificaciones == partida.especificaciones


@pytest.mark.parametrize("caso", ESPECIFICACIONES, ids=str)
def test_especificacion_hostil_en_la_autoevaluacion_publica(mundo, caso):
    """The public page re-renders its form with the error (200, as it does for any invalid
    form) and shows no result."""
    clave, valor, mensaje = ESPECIFICACIONES[caso]
    datos = {"perfil": mundo.ids["perfil"], **_validas(), clave: valor}
    respuesta, antes, despues = enviar(
        "especificaciones",
        lambda: mundo.clientes[None].post(reverse("estandares:autoevaluacion"), datos),
    )
    assert respuesta.status_code == 200
    html = html_de(respuesta)
    assert escape(str(mensaje())) in html
    assert 'id="resultado"' not in html
    sin_marcado_crudo(html)
    assert despues == antes


@pytest.mark.parametrize(
    ("perfil", "error"),
    [
        ("abc", entradas.ERROR_ENTERO),
        ("1e3", entradas.ERROR_ENTERO),
        ("9" * 30, entradas.ERROR_ENTERO_GRANDE),
        ("-1", entradas.ERROR_ENTERO),
        ("١٢", entradas.ERROR_ENTERO),
    ],
)
def test_perfil_hostil_en_la_autoevaluacion(mundo, perfil, error):
    """A profile number that is not one: 400 and the reason on the page (issue 18)."""
    respuesta, antes, despues = enviar(
        "especificaciones",
        lambda: mundo.clientes[None].post(reverse("estandares:autoevaluacion"), {"perfil": perfil}),
    )
    assert respuesta.status_code == 400
    assert escape(f"Perfil: {error}") in html_de(respuesta)
    assert despues == antes


def test_perfil_inexistente_en_la_autoevaluacion(mundo):
    grande = "9" * 18  # a number a column holds, of no profile
    respuesta, antes, despues = enviar(
        "especificaciones",
        lambda: mundo.clientes[None].post(reverse("estandares:autoevaluacion"), {"perfil": grande}),
    )
    assert respuesta.status_code == 404
    assert "Página no encontrada" in html_de(respuesta)
    assert despues == antes


# Values the form cannot even express: the API takes JSON of any shape. The engine marks
# what it cannot read "revision" (a person decides), with its reason in Spanish.
API_REVISION = {
    "texto-por-numero": ("ram", "mucho", "no es un número"),
    "lista": ("ram", [16, "GB"], "no es un número"),
    "objeto": ("ram", {"valor": {"x": 1}}, "no es un número"),
    "nan-en-texto": ("ram", {"valor": "NaN"}, "no es un número utilizable"),
    "infinito-en-texto": ("ram", {"valor": "Infinity"}, "no es un número utilizable"),
    "exponente-gigante": (
        "ram",
        {"valor": "1E+999999999", "unidad": "TB"},
        "no es un número utilizable",
    ),
    "float-infinito": ("ram", "__1e999__", "no es un número utilizable"),
    "entero-de-4000-digitos": ("ram", 10**4000, "no es un número utilizable"),
    "cien-mil-digitos": ("ram", "9" * 100_000, "no es un número utilizable"),
    "unidad-lista": ("ram", {"valor": 16, "unidad": ["GB"]}, "no es válida"),
    "booleano-por-numero": ("ram", True, "no es un número"),
    "numero-por-declaracion": ("licencia_sistema_operativo", 12345, "debe ser un texto"),
    "lista-por-opcion": ("tipo_almacenamiento", ["SSD"], "no es una de las opciones"),
}


def _evaluar(mundo, cuerpo, **kwargs):
    url = f"/api/v1/estandares/perfiles/{mundo.ids['perfil']}/evaluar/"
    return mundo.clientes[None].post(url, cuerpo, content_type="application/json", **kwargs)


@pytest.mark.parametrize("caso", API_REVISION, ids=str)
def test_especificacion_hostil_en_la_api_va_a_revision_humana(mundo, caso):
    clave, valor, motivo = API_REVISION[caso]
    # 1e999 is a valid JSON number that Python reads as infinity; json.dumps would write it
    # as Infinity, which is not JSON, so it goes in literally.
    cuerpo = json.dumps({"especificaciones": {**_validas(), clave: valor}})
    cuerpo = cuerpo.replace('"__1e999__"', "1e999")
    respuesta, antes, despues = enviar("especificaciones", lambda: _evaluar(mundo, cuerpo))
    assert respuesta.status_code == 200
    resultado = {r["clave"]: r for r in respuesta.json()["resultados"]}[clave]
    assert resultado["resultado"] == "revision"
    assert resultado["motivo"].startswith("No se pudo evaluar:")
    assert motivo in resultado["motivo"]
    assert len(resultado["valor"]) <= 200
    assert respuesta.json()["veredicto"] == "revision"
    assert despues == antes


def test_opcion_hostil_en_la_api_no_cumple_y_vuelve_como_dato(mundo):
    cuerpo = json.dumps({"especificaciones": {**_validas(), "tipo_almacenamiento": HTML}})
    respuesta, antes, despues = enviar("especificaciones", lambda: _evaluar(mundo, cuerpo))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"].startswith("application/json")
    resultado = {r["clave"]: r for r in respuesta.json()["resultados"]}["tipo_almacenamiento"]
    assert resultado["resultado"] == "no_cumple"
    assert resultado["valor"] == HTML
    assert despues == antes


API_400 = {
    "nan-literal": (b'{"especificaciones": {"ram": NaN}}', ERROR_JSON_VALOR),
    "entero-de-5000-digitos": (
        b'{"especificaciones": {"ram": ' + b"9" * 5000 + b"}}",
        ERROR_JSON_VALOR,
    ),
    "anidado-sin-fin": (
        b'{"especificaciones": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        ERROR_JSON_PROFUNDO,
    ),
    "json-roto": (b'{"especificaciones": {', ERROR_JSON_SINTAXIS % {"linea": 1, "columna": 23}),
    "latin1": ('{"especificaciones": {"ram": "año"}}'.encode("latin-1"), ERROR_JSON_CODIFICACION),
    "lista-en-lugar-de-objeto": (
        b'{"especificaciones": [1, 2]}',
        "«especificaciones» debe ser un objeto {clave: valor}.",
    ),
}


@pytest.mark.parametrize("caso", API_400, ids=str)
def test_cuerpo_hostil_en_la_api_da_400_en_espanol(mundo, caso):
    cuerpo, mensaje = API_400[caso]
    respuesta, antes, despues = enviar("especificaciones", lambda: _evaluar(mundo, cuerpo))
    assert respuesta.status_code == 400
    assert str(mensaje) in json.dumps(respuesta.json(), ensure_ascii=False)
    assert despues == antes


# === 4. e.firma at the signing step ==============================================================


def _ca_demo():
    carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
    return (
        x509.load_der_x509_certificate((carpeta / "ca-demo.cer").read_bytes()),
        serialization.load_pem_private_key((carpeta / "ca-demo.key").read_bytes(), None),
    )


def _demo(extension) -> bytes:
    return (settings.DICTAMENES_EFIRMA_DEMO_DIR / f"firmante{extension}").read_bytes()


def _rfc_firmante() -> str:
    return usuario("firmante").perfil.rfc


def _otra(*, ca=None, rfc=None, **kwargs):
    return efirma_pruebas.generar_efirma(
        ca=ca or _ca_demo(),
        nombre="PERSONA DE PRUEBA",
        rfc=rfc or _rfc_firmante(),
        curp="XEXX010101HSRXXX09",
        contrasena="otra-clave",
        **kwargs,
    )


def _certificado(publica, atributos) -> bytes:
    """A certificate from the trusted test CA, fit for signing, for any key and subject."""
    ca_cert, ca_llave = _ca_demo()
    ahora = datetime.datetime.now(datetime.UTC)
    uso = dict.fromkeys(
        [
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ],
        False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name(atributos))
        .issuer_name(ca_cert.subject)
        .public_key(publica)
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - datetime.timedelta(days=1))
        .not_valid_after(ahora + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, **uso), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_llave.public_key()),
            critical=False,
        )
        .sign(ca_llave, hashes.SHA256())
        .public_bytes(serialization.Encoding.DER)
    )


def _cifrada(llave, contrasena=b"otra-clave") -> bytes:
    return llave.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(contrasena),
    )


def _sin_rfc():
    llave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cer = _certificado(llave.public_key(), [x509.NameAttribute(NameOID.COMMON_NAME, "SIN RFC")])
    return {"cer": cer, "key": _cifrada(llave), "contrasena": "otra-clave"}


def _algoritmo_desconocido():
    cer = bytearray(_demo(".cer"))
    oid_rsa = bytes.fromhex("2a864886f70d010101")  # rsaEncryption
    posicion = cer.index(oid_rsa) + len(oid_rsa) - 1
    cer[posicion] ^= 0x7F  # 1.2.840.113549.1.1.126: no algorithm anyone knows
    return {"cer": bytes(cer)}


def _llave_pkcs1():
    llave = serialization.load_der_private_key(_demo(".key"), b"efirma-demo-2026")
    return llave.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def _vencida():
    ahora = datetime.datetime.now(datetime.UTC)
    return _otra(
        desde=ahora - datetime.timedelta(days=800), hasta=ahora - datetime.timedelta(days=2)
    )


def _futura():
    ahora = datetime.datetime.now(datetime.UTC)
    return _otra(
        desde=ahora + datetime.timedelta(days=2), hasta=ahora + datetime.timedelta(days=800)
    )


def _par(e):
    return {"cer": e.cer, "key": e.key, "contrasena": e.contrasena}


def _fecha(momento):
    return f"{momento:%d/%m/%Y}"


# name → (what replaces the firmante's own files, the expected Spanish message)
EFIRMAS = {
    "cer-aleatorio": (lambda: {"cer": basura(1500)}, lambda e: efirma.ERROR_CER),
    "cer-de-algoritmo-desconocido": (_algoritmo_desconocido, lambda e: efirma.ERROR_CER),
    "cer-ed25519-con-llave-rsa": (
        lambda: {
            "cer": _certificado(
                ed25519.Ed25519PrivateKey.generate().public_key(),
                [x509.NameAttribute(NameOID.COMMON_NAME, "ED25519")],
            )
        },
        lambda e: efirma.ERROR_LLAVE_NO_CORRESPONDE,
    ),
    "key-pkcs1-sin-cifrar": (lambda: {"key": _llave_pkcs1()}, lambda e: efirma.ERROR_KEY),
    "key-aleatoria": (
        lambda: {"key": b"\x30\x82\x04\x00" + basura(1200)},
        lambda e: efirma.ERROR_KEY,
    ),
    "key-de-curva-eliptica": (
        lambda: {
            "key": _cifrada(ec.generate_private_key(ec.SECP256R1()), b"efirma-demo-2026"),
        },
        lambda e: efirma.ERROR_NO_RSA,
    ),
    "key-de-otra-persona": (
        lambda: {"key": _otra().key, "contrasena": "otra-clave"},
        lambda e: efirma.ERROR_LLAVE_NO_CORRESPONDE,
    ),
    "contrasena-equivocada": (
        lambda: {"contrasena": "no-es-la-clave"},
        lambda e: efirma.ERROR_CONTRASENA,
    ),
    "p12-contrasena-equivocada": (
        lambda: {"cer": None, "key": None, "p12": _demo(".p12"), "contrasena": "no-es"},
        lambda e: efirma.ERROR_P12,
    ),
    "p12-aleatorio": (
        lambda: {"cer": None, "key": None, "p12": basura(3000)},
        lambda e: efirma.ERROR_P12,
    ),
    "vencida": (
        lambda: _par(_vencida()),
        lambda e: (
            efirma.ERROR_VENCIDO
            % {"fecha": _fecha(x509.load_der_x509_certificate(e["cer"]).not_valid_after_utc)}
        ),
    ),
    "aun-no-vigente": (
        lambda: _par(_futura()),
        lambda e: (
            efirma.ERROR_NO_VIGENTE_AUN
            % {"fecha": _fecha(x509.load_der_x509_certificate(e["cer"]).not_valid_before_utc)}
        ),
    ),
    "de-otro-rfc-con-html": (
        lambda: _par(_otra(rfc="<img src=x onerror=alert(1)>")),
        lambda e: (
            efirma.ERROR_RFC % {"rfc_cert": "<IMG SRC=X ONERROR=ALERT(1)>", "rfc": _rfc_firmante()}
        ),
    ),
    "de-una-ac-desconocida": (
        lambda: _par(_otra(ca=autoridades.generar_ca("AC apócrifa"))),
        lambda e: efirma.ERROR_NO_CONFIABLE,
    ),
    "sin-rfc": (_sin_rfc, lambda e: efirma.ERROR_SIN_RFC),
    "solo-cer": (lambda: {"key": None}, lambda e: efirma.ERROR_FALTAN_ARCHIVOS),
    "cer-de-100kb": (
        lambda: {"cer": basura(100 * 1024)},
        lambda e: "Ese archivo es demasiado grande para ser una e.firma.",
    ),
    "cer-vacio": (lambda: {"cer": b""}, lambda e: VACIO),
    "contrasena-con-nulo": (
        lambda: {"contrasena": "efirma\x00demo"},
        lambda e: validators.ProhibitNullCharactersValidator.message,
    ),
}


@pytest.mark.parametrize("caso", EFIRMAS, ids=str)
def test_efirma_hostil_al_firmar(mundo, caso):
    construir, mensaje = EFIRMAS[caso]
    datos = {"cer": _demo(".cer"), "key": _demo(".key"), "contrasena": "efirma-demo-2026"}
    datos |= construir()
    archivos_ = {
        campo: (nombre_de_archivo(f"firmante.{campo}".encode()), datos[campo])
        for campo in ("cer", "key", "p12")
        if datos.get(campo) is not None
    }
    url = reverse("solicitudes:firma", args=[mundo.ids["en_firma"]])
    respuesta, antes, despues = enviar(
        "e.firma",
        lambda: subir(
            mundo.cliente("firmante"), url, {"contrasena": datos["contrasena"]}, archivos_
        ),
    )
    assert respuesta.status_code == 400
    html = html_de(respuesta)
    assert escape(str(mensaje(datos))) in html
    sin_marcado_crudo(html)
    assert "<IMG SRC" not in html
    assert datos["contrasena"] not in html
    # No dictamen, no folio taken, no event, no file, the task as it was.
    assert despues == antes
    assert not Dictamen.objects.filter(solicitud_id=mundo.ids["en_firma"]).exists()


def test_la_misma_solicitud_se_firma_con_la_efirma_correcta(mundo):
    """The control: the request the hostile e.firmas were refused on is signed with the right
    one, with the next folio (each refusal above also left the counter as it was)."""
    anio = timezone.localdate().year
    ultimo = Consecutivo.objects.get(serie="dictamen", ejercicio=anio).ultimo
    respuesta = mundo.cliente("firmante").post(
        reverse("solicitudes:firma", args=[mundo.ids["en_firma"]]), archivos_efirma()
    )
    assert respuesta.status_code == 302
    dictamen = Dictamen.objects.get(solicitud_id=mundo.ids["en_firma"])
    assert dictamen.folio.endswith(f"/{ultimo + 1:04d}")
