"""Validation of the attachments (anexos) that agencies upload with their requests, and the
read that hands one back only if it still matches its SHA-256 (`anexo_leer`).

Rule: only PDF and common office formats are accepted; the type is checked by content, not
only by file name, and the size is limited (``settings.DICTAMENES_ANEXO_MAX_MB``, 20 MB by
default). ``validar_anexo`` either returns an ``ArchivoValidado`` or raises a
``ValidationError`` with a Spanish message and a stable ``code``; in both cases the upload is
left at position 0 so that it can be saved or shown again.

Detection by content:

* PDF: the ``%PDF-`` header.
* OOXML (docx, xlsx, pptx): a ZIP with ``[Content_Types].xml`` whose main part (the
  ``officeDocument`` relationship in ``_rels/.rels``) lives under ``word/``, ``xl/`` or ``ppt/``.
* OpenDocument (odt, ods, odp): a ZIP whose first member ``mimetype`` names the kind.
* Legacy Office (doc, xls, ppt): the OLE2 compound-file signature. The three cannot be told
  apart reliably from the header, so any of the three extensions is accepted.

The ZIP-based formats are inspected with ``zipfile`` (only the central directory and two tiny
members are read, nothing is decompressed in bulk) and rejected when they would expand to an
excessive size. ``filetype`` only names what an unaccepted file looks like, for logs.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import unquote

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from dictamenes.models import Anexo

ERROR_VACIO = _("El archivo está vacío.")
ERROR_TAMANO = _("El archivo pesa %(tamano)s; el máximo es %(maximo)s MB.")
ERROR_TIPO = _(
    "Solo se aceptan PDF y documentos de oficina (Word, Excel, PowerPoint, OpenDocument)."
)
ERROR_EXTENSION_NO_COINCIDE = _(
    "La extensión .%(extension)s no corresponde al contenido del archivo, que es %(tipo)s."
)
ERROR_OFFICE_DANADO = _(
    "El documento está dañado o incompleto y no se puede abrir; guárdelo de nuevo y vuelva a "
    "subirlo."
)
ERROR_ZIP_BOMBA = _("El documento se expande a un tamaño excesivo al descomprimirse; no se acepta.")
ERROR_NOMBRE = _(
    "El nombre del archivo debe terminar en la extensión de su tipo, por ejemplo .pdf, .docx "
    "o .xlsx."
)

ADVERTENCIA_PDF_JAVASCRIPT = _("El PDF contiene JavaScript.")
ADVERTENCIA_PDF_INCRUSTADOS = _("El PDF contiene archivos incrustados.")

# Size limit when settings.DICTAMENES_ANEXO_MAX_MB is not defined.
MAX_MB_POR_OMISION = 20
MB = 1024 * 1024

# Zip-bomb limits for ZIP-based office documents, checked against the declared sizes of the
# central directory. Read at call time, so tests may monkeypatch them.
ZIP_MAX_DESCOMPRIMIDO = 200 * MB
ZIP_RAZON_MAXIMA = 100
ZIP_UMBRAL_RAZON = 10 * MB

LONGITUD_MAX_NOMBRE = 150
NOMBRE_POR_OMISION = "anexo"

FIRMA_PDF = b"%PDF-"
FIRMA_ZIP = b"PK\x03\x04"
FIRMA_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")

# Bytes read up front to recognise the family (filetype looks at most at the first 8 KiB).
_CABECERA = 8192
_TROZO = 64 * 1024
# Upper bounds when reading the small metadata members of a ZIP.
_MAX_RELS = 1 * MB
_MAX_MIMETYPE = 256


@dataclass(frozen=True)
class _Tipo:
    """An accepted kind: its description for messages and its extensions with their MIME."""

    descripcion: Promise
    mimes: dict[str, str]


TIPOS: dict[str, _Tipo] = {
    "pdf": _Tipo(_("un PDF"), {"pdf": "application/pdf"}),
    "docx": _Tipo(
        _("un documento de Word (.docx)"),
        {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ),
    "xlsx": _Tipo(
        _("un libro de Excel (.xlsx)"),
        {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    ),
    "pptx": _Tipo(
        _("una presentación de PowerPoint (.pptx)"),
        {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    ),
    "odt": _Tipo(
        _("un documento de texto OpenDocument (.odt)"),
        {"odt": "application/vnd.oasis.opendocument.text"},
    ),
    "ods": _Tipo(
        _("una hoja de cálculo OpenDocument (.ods)"),
        {"ods": "application/vnd.oasis.opendocument.spreadsheet"},
    ),
    "odp": _Tipo(
        _("una presentación OpenDocument (.odp)"),
        {"odp": "application/vnd.oasis.opendocument.presentation"},
    ),
    "ole2": _Tipo(
        _("un documento de Office 97-2003 (.doc, .xls o .ppt)"),
        {
            "doc": "application/msword",
            "xls": "application/vnd.ms-excel",
            "ppt": "application/vnd.ms-powerpoint",
        },
    ),
}

EXTENSIONES_ACEPTADAS: tuple[str, ...] = tuple(
    extension for tipo in TIPOS.values() for extension in tipo.mimes
)

_MIMETYPES_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_CARPETAS_OOXML = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))

_EXTENSION_VALIDA = re.compile(r"[A-Za-z0-9]{1,10}")
# Unicode categories removed from names: control, format (bidi overrides, zero-width) and
# surrogates. Whitespace among them is turned into a space first.
_CATEGORIAS_INVISIBLES = {"Cc", "Cf", "Cs"}

# A PDF name token: "/" followed by regular characters (PDF 1.7, 7.2.2).
_NOMBRE_PDF = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]{1,64})")
_ESCAPE_PDF = re.compile(rb"#([0-9A-Fa-f]{2})")
_NOMBRES_JAVASCRIPT = {b"JS", b"JavaScript"}
_NOMBRES_INCRUSTADOS = {b"EmbeddedFile", b"EmbeddedFiles"}

_RELACION = re.compile(r"<(?:[\w.-]+:)?Relationship\b[^>]*>")
_ATRIBUTO = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")

# What zipfile and zlib may raise on a corrupt or unsupported archive.
_ERRORES_ZIP = (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError, zlib.error)


@dataclass(frozen=True)
class ArchivoValidado:
    """An accepted attachment: sanitised name, detected kind and content digest."""

    nombre: str
    extension: str
    content_type: str
    tamano: int
    sha256: str
    advertencias: tuple[str, ...] = ()


def validar_anexo(archivo) -> ArchivoValidado:
    """Check an uploaded attachment by content, size and name.

    ``archivo`` is a Django ``UploadedFile`` or any ``File`` with ``name``, ``size``,
    ``chunks()``, ``seek`` and ``read``. Raises ``ValidationError`` (codes ``vacio``,
    ``tamano``, ``tipo``, ``office_danado``, ``zip_bomba``, ``nombre``,
    ``extension_no_coincide``). The file is read once to hash it; it is left at position 0.
    """
    try:
        return _validar(archivo)
    finally:
        _rebobinar(archivo)


def sha256_de(archivo) -> str:
    """SHA-256 (hex) of a file, read in chunks; e.g. to verify a stored anexo.

    Accepts a Django ``File`` (``FieldFile``, upload...) or a binary file object. The caller
    opens and closes it; the position is left at 0 when the file can seek.
    """
    digest = hashlib.sha256()
    for trozo in _trozos(archivo):
        digest.update(trozo)
    _rebobinar(archivo)
    return digest.hexdigest()


def _validar(archivo) -> ArchivoValidado:
    maximo_mb = getattr(settings, "DICTAMENES_ANEXO_MAX_MB", MAX_MB_POR_OMISION)
    maximo = maximo_mb * MB

    # The declared size lets us refuse a huge upload without reading it.
    declarado = _tamano_declarado(archivo)
    if declarado == 0:
        raise _error(ERROR_VACIO, "vacio")
    if declarado is not None and declarado > maximo:
        raise _error_tamano(declarado, maximo_mb)

    _rebobinar(archivo)
    cabecera = archivo.read(_CABECERA)
    if not cabecera:
        raise _error(ERROR_VACIO, "vacio")
    familia = _familia(cabecera)
    if familia is None:
        raise _error_tipo(cabecera)

    # One streaming pass: digest, real size (the declared one may lie) and, for PDFs, the
    # tokens that reviewers should know about.
    digest = hashlib.sha256()
    escaner = _EscanerPdf() if familia == "pdf" else None
    tamano = 0
    for trozo in _trozos(archivo):
        tamano += len(trozo)
        if tamano > maximo:
            raise _error_tamano(tamano, maximo_mb)
        digest.update(trozo)
        if escaner is not None:
            escaner.alimentar(trozo)
    if tamano == 0:
        raise _error(ERROR_VACIO, "vacio")

    advertencias: tuple[str, ...] = ()
    if familia == "zip":
        _rebobinar(archivo)
        clave = _inspeccionar_zip(archivo)
    else:
        clave = familia
    if escaner is not None:
        advertencias = escaner.terminar()

    nombre, extension = _sanear_nombre(getattr(archivo, "name", None))
    if extension is None:
        raise _error(ERROR_NOMBRE, "nombre")
    tipo = TIPOS[clave]
    content_type = tipo.mimes.get(extension)
    if content_type is None:
        raise _error(
            ERROR_EXTENSION_NO_COINCIDE,
            "extension_no_coincide",
            {"extension": extension, "tipo": tipo.descripcion},
        )

    return ArchivoValidado(
        nombre=nombre,
        extension=extension,
        content_type=content_type,
        tamano=tamano,
        sha256=digest.hexdigest(),
        advertencias=advertencias,
    )


# --- Errors ---------------------------------------------------------------------------------


def _error(mensaje, codigo: str, params: dict | None = None) -> ValidationError:
    return ValidationError(mensaje, code=codigo, params=params)


def _error_tamano(tamano: int, maximo_mb) -> ValidationError:
    return _error(
        ERROR_TAMANO,
        "tamano",
        {"tamano": tamano_legible(tamano), "maximo": f"{maximo_mb:g}"},
    )


def _error_tipo(cabecera: bytes) -> ValidationError:
    # "detectado" is not in the message; it tells logs what was actually uploaded.
    detectado = filetype.guess(cabecera)
    return _error(ERROR_TIPO, "tipo", {"detectado": detectado.mime if detectado else "desconocido"})


def validar_tamano(tamano: int) -> None:
    """The same size limit for any other upload (the annual programme): ValidationError
    ``tamano`` over it."""
    maximo_mb = getattr(settings, "DICTAMENES_ANEXO_MAX_MB", MAX_MB_POR_OMISION)
    if tamano > maximo_mb * MB:
        raise _error_tamano(tamano, maximo_mb)


def tamano_legible(tamano: int) -> str:
    """Size in MB with one decimal, rounded up so that anything over the limit shows so."""
    return f"{math.ceil(tamano * 10 / MB) / 10:.1f} MB"


# --- File access ----------------------------------------------------------------------------


def _rebobinar(archivo) -> None:
    with contextlib.suppress(AttributeError, OSError, ValueError):
        archivo.seek(0)


def _tamano_declarado(archivo) -> int | None:
    try:
        tamano = archivo.size
    except (AttributeError, OSError, ValueError):
        return None
    return tamano if isinstance(tamano, int) else None


def _trozos(archivo) -> Iterable[bytes]:
    if hasattr(archivo, "chunks"):
        return archivo.chunks()
    _rebobinar(archivo)
    return iter(partial(archivo.read, _TROZO), b"")


# --- Kind detection -------------------------------------------------------------------------


def _familia(cabecera: bytes) -> str | None:
    """'pdf', 'ole2' or 'zip' (to be inspected) from the first bytes; None if none of them."""
    if cabecera.startswith(FIRMA_PDF):
        return "pdf"
    if cabecera.startswith(FIRMA_OLE2):
        return "ole2"
    if cabecera.startswith(FIRMA_ZIP):
        return "zip"
    return None


def _inspeccionar_zip(archivo) -> str:
    """Key in TIPOS of a ZIP-based office document; ValidationError otherwise."""
    try:
        with zipfile.ZipFile(archivo) as zf:
            miembros = zf.infolist()
            _verificar_expansion(miembros)
            return _clave_zip(zf, miembros)
    except _ERRORES_ZIP as exc:
        raise _error(ERROR_OFFICE_DANADO, "office_danado") from exc


def _verificar_expansion(miembros: list[zipfile.ZipInfo]) -> None:
    total = 0
    for miembro in miembros:
        total += miembro.file_size
        # ratio > N:1 written as a product, so that a compressed size of 0 counts as infinite.
        if (
            miembro.file_size > ZIP_UMBRAL_RAZON
            and miembro.file_size > ZIP_RAZON_MAXIMA * miembro.compress_size
        ):
            raise _error(ERROR_ZIP_BOMBA, "zip_bomba")
    if total > ZIP_MAX_DESCOMPRIMIDO:
        raise _error(ERROR_ZIP_BOMBA, "zip_bomba")


def _clave_zip(zf: zipfile.ZipFile, miembros: list[zipfile.ZipInfo]) -> str:
    # OPC part names are case-insensitive.
    nombres = {miembro.filename.lower(): miembro for miembro in miembros}
    if "[content_types].xml" in nombres:
        principal = _parte_principal_ooxml(zf, nombres)
        for carpeta, clave in _CARPETAS_OOXML:
            if principal is not None and principal.startswith(carpeta):
                return clave
        raise _error_tipo(FIRMA_ZIP)
    if miembros and miembros[0].filename == "mimetype":
        valor = _leer_acotado(zf, miembros[0], _MAX_MIMETYPE)
        clave = _MIMETYPES_ODF.get(valor.strip().decode("ascii", errors="replace"))
        if clave is not None:
            return clave
    raise _error_tipo(FIRMA_ZIP)


def _parte_principal_ooxml(zf: zipfile.ZipFile, nombres: dict[str, zipfile.ZipInfo]) -> str | None:
    """Lower-cased name of the main part of an OOXML package, or None if there is none."""
    rels = nombres.get("_rels/.rels")
    if rels is not None:
        texto = _leer_acotado(zf, rels, _MAX_RELS).decode("utf-8", errors="replace")
        for etiqueta in _RELACION.finditer(texto):
            atributos = {m[1]: m[2] or m[3] for m in _ATRIBUTO.finditer(etiqueta.group(0))}
            if not atributos.get("Type", "").endswith("/officeDocument"):
                continue
            destino = unquote(atributos.get("Target", "")).lower().lstrip("/")
            destino = destino.removeprefix("./")
            if destino not in nombres:
                # The package points at a main part it does not contain.
                raise _error(ERROR_OFFICE_DANADO, "office_danado")
            return destino
    # Without a relationship, the single office folder present decides.
    carpetas = [
        carpeta
        for carpeta, _clave in _CARPETAS_OOXML
        if any(nombre.startswith(carpeta) for nombre in nombres)
    ]
    return carpetas[0] if len(carpetas) == 1 else None


def _leer_acotado(zf: zipfile.ZipFile, miembro: zipfile.ZipInfo, limite: int) -> bytes:
    with zf.open(miembro) as contenido:
        return contenido.read(limite)


# --- PDF scan -------------------------------------------------------------------------------


class _EscanerPdf:
    """Looks for /JS, /JavaScript and /EmbeddedFile(s) names in raw PDF bytes, by chunks.

    Only uncompressed objects are seen (names inside compressed object streams are not): this
    is a flag for reviewers, not a security control. Names escaped with #xx are decoded.
    """

    # Chunks overlap by this much so that a name split between two chunks is still seen.
    _SOLAPE = 80

    def __init__(self) -> None:
        self._cola = b""
        self._javascript = False
        self._incrustados = False

    def alimentar(self, trozo: bytes, final: bool = False) -> None:
        datos = self._cola + trozo
        for encontrado in _NOMBRE_PDF.finditer(datos):
            # A name that touches the end may continue in the next chunk; it is seen again
            # there thanks to the overlap.
            if encontrado.end() == len(datos) and not final:
                continue
            self._clasificar(encontrado.group(1))
        self._cola = datos[-self._SOLAPE :]

    def terminar(self) -> tuple[str, ...]:
        self.alimentar(b"", final=True)
        advertencias = []
        if self._javascript:
            advertencias.append(str(ADVERTENCIA_PDF_JAVASCRIPT))
        if self._incrustados:
            advertencias.append(str(ADVERTENCIA_PDF_INCRUSTADOS))
        return tuple(advertencias)

    def _clasificar(self, nombre: bytes) -> None:
        if b"#" in nombre:
            nombre = _ESCAPE_PDF.sub(lambda m: bytes([int(m[1], 16)]), nombre)
        if nombre in _NOMBRES_JAVASCRIPT:
            self._javascript = True
        elif nombre in _NOMBRES_INCRUSTADOS:
            self._incrustados = True


# --- Name -----------------------------------------------------------------------------------


def _caracteres_visibles(texto: str) -> Iterator[str]:
    for caracter in texto:
        if caracter.isspace():
            yield " "
        elif unicodedata.category(caracter) not in _CATEGORIAS_INVISIBLES:
            yield caracter


def _sanear_nombre(original: str | None) -> tuple[str, str | None]:
    """(display name, lower-case extension) of an uploaded name; extension None if unusable.

    Keeps only the last path component (either separator), drops control and format
    characters, collapses whitespace and limits the length keeping the extension.
    """
    nombre = unicodedata.normalize("NFC", original or "")
    nombre = nombre.replace("\\", "/").rsplit("/", 1)[-1]
    nombre = " ".join("".join(_caracteres_visibles(nombre)).split())
    raiz, punto, extension = nombre.rpartition(".")
    if not punto or not _EXTENSION_VALIDA.fullmatch(extension):
        return nombre, None
    raiz = raiz.strip(" .")[: LONGITUD_MAX_NOMBRE - len(extension) - 1].rstrip(" .")
    return f"{raiz or NOMBRE_POR_OMISION}.{extension}", extension.lower()


ERROR_ANEXO_ALTERADO = _("El archivo almacenado no coincide con su huella SHA-256.")


class ArchivoAlterado(ValidationError):
    """A stored file no longer matches the SHA-256 recorded when it was saved: it was changed
    or damaged in the storage, and is not handed out. A ValidationError, as before, so that
    whoever caught that still catches this."""


def anexo_leer(*, anexo: Anexo) -> File:
    """The stored attachment, open for reading from its start and checked against its
    SHA-256. The caller closes it (a FileResponse does). ArchivoAlterado if it differs."""
    archivo = anexo.archivo.open("rb")
    try:
        coincide = sha256_de(archivo) == anexo.sha256
    except BaseException:
        archivo.close()
        raise
    if not coincide:
        archivo.close()
        raise ArchivoAlterado(ERROR_ANEXO_ALTERADO)
    return archivo
