"""What the hostile-input tests send: the hostile texts, the fields they go into, multipart
bodies written by hand, and the hostile files (test_hostiles_*.py)."""

import csv
import functools
import io
import random
import re
import zipfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import connection
from openpyxl import Workbook
from viewflow.workflow.models import Task

from dictamenes.models import (
    Anexo,
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
from tests.dictamenes.flujo_utils import pdf_valido as pdf
from tests.pdf import pdftotext
from tests.seguridad.conftest import CIFRAS, HOSTILES_POR_CATEGORIA

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
    return compacto(pdftotext(contenido, "-raw"))


def compacto(texto: str) -> str:
    return "".join(texto.split())


MENSAJE_400 = "La petición no se pudo leer"

MENSAJE_400 = "La petición no se pudo leer"
VACIO = forms.FileField.default_error_messages["empty"]


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
