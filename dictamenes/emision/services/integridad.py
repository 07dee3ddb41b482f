"""Dictamen PDFs read back and checked before anyone gets them.

A stored dictamen PDF (like an anexo, documentos.archivos.anexo_leer) is handed out only if
it still matches the SHA-256 recorded when it was saved; otherwise `ArchivoAlterado` is
raised and nothing is sent. On S3 the dictamen PDF is not read here: the answer is a
short-lived presigned URL. A PDF that a citizen uploads to /verificar/ is refused by its size
before it is read into memory, then checked against the dictámenes issued
(comprobacion.pdf_verificar).

The views only turn what these functions return into an HTTP response.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.archivos import ArchivoAlterado
from dictamenes.emision.services import comprobacion, firma
from dictamenes.models import Dictamen

logger = logging.getLogger(__name__)

# A signed dictamen weighs a few hundred kilobytes; anything far bigger is not one, and is
# refused before it is read into memory. Read at call time, so tests may monkeypatch it.
PDF_VERIFICAR_MAXIMO = 30 * 1024 * 1024

ERROR_PDF_GRANDE = _("El archivo es demasiado grande para ser un dictamen.")
ERROR_PDF_ALTERADO = _("El PDF almacenado no coincide con su huella SHA-256.")


@dataclass(frozen=True)
class PdfDictamen:
    """How a dictamen's PDF reaches the person: its bytes, checked, or (on S3) a presigned
    URL to its object. `disposicion` is the Content-Disposition that names the download."""

    disposicion: str
    contenido: bytes = b""
    url: str = ""


def dictamen_pdf_leer(*, dictamen: Dictamen) -> bytes:
    """The stored PDF of a dictamen, checked against its SHA-256. ArchivoAlterado if it
    differs."""
    with dictamen.pdf.open("rb") as f:
        datos = f.read()
    if hashlib.sha256(datos).hexdigest() != dictamen.pdf_sha256:
        logger.error("El PDF del dictamen %s no coincide con su SHA-256", dictamen.folio)
        raise ArchivoAlterado(ERROR_PDF_ALTERADO)
    return datos


def _en_s3() -> bool:
    return "s3" in settings.STORAGES["default"]["BACKEND"].lower()


def dictamen_pdf_descargar(*, dictamen: Dictamen) -> PdfDictamen:
    """The download of a dictamen's PDF. On S3, a short-lived presigned URL instead of
    streaming the file through the app; elsewhere, its bytes read by dictamen_pdf_leer."""
    disposicion = f'attachment; filename="{firma.pdf_nombre(folio=dictamen.folio)}"'
    if _en_s3():
        url = dictamen.pdf.storage.url(
            dictamen.pdf.name, parameters={"ResponseContentDisposition": disposicion}
        )
        return PdfDictamen(disposicion=disposicion, url=url)
    return PdfDictamen(disposicion=disposicion, contenido=dictamen_pdf_leer(dictamen=dictamen))


def pdf_subido_verificar(*, archivo) -> comprobacion.Verificacion:
    """What a PDF uploaded by anyone proves: which dictamen it is and whether its signature
    holds. `archivo` is the uploaded file; ValidationError (code "tamano") if it is far too
    big to be a dictamen, refused before it is read."""
    if archivo.size > PDF_VERIFICAR_MAXIMO:
        raise ValidationError(ERROR_PDF_GRANDE, code="tamano")
    return comprobacion.pdf_verificar(datos=archivo.read())
