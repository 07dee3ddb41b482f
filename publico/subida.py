"""The PDF anyone uploads to /verificar/, read as it arrives and refused as early as it can be.

- A request whose Content-Length is already over the limit is refused before its body is
  read (`demasiado_grande`).
- Otherwise `PdfAcotado` sees each chunk before Django's TemporaryFileUploadHandler writes it
  to a temporary file: over the limit the upload stops there; if the first bytes are not a
  PDF's (``%PDF-``), nothing after them is kept, and the verification says "not a PDF".
- The file is then read into memory once, by the verification (integridad).
"""

from django.conf import settings
from django.core.files.uploadhandler import (
    FileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ERROR_PDF_GRANDE = _(
    "El archivo pesa más de %(maximo)s: es demasiado grande para ser un dictamen firmado. "
    "Suba el PDF tal como lo recibió."
)
FIRMA_PDF = b"%PDF-"
# The multipart envelope around the file (boundaries, part headers, the CSRF token).
MARGEN_DEL_SOBRE = 64 * 1024


def maximo() -> int:
    """Largest PDF accepted for verification, in bytes (settings.DICTAMENES_VERIFICAR_MAX_KB)."""
    return settings.DICTAMENES_VERIFICAR_MAX_KB * 1024


def error_grande() -> str:
    return ERROR_PDF_GRANDE % {"maximo": filesizeformat(maximo())}


def demasiado_grande(request) -> bool:
    """Whether the body announced is too big to hold a dictamen, without reading it."""
    try:
        longitud = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django refuses the body itself when it parses it
    return longitud > maximo() + MARGEN_DEL_SOBRE


class PdfAcotado(FileUploadHandler):
    """First of the request's upload handlers: passes each chunk on while the file is under
    the limit and starts like a PDF. `error` says why the upload was stopped, if it was."""

    def __init__(self, request=None):
        super().__init__(request)
        self.error = ""
        self.cabecera = b""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.cabecera = b""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > maximo():
            self.error = error_grande()
            raise StopUpload(connection_reset=False)
        if len(self.cabecera) < len(FIRMA_PDF):
            self.cabecera += raw_data[: len(FIRMA_PDF)]
            return raw_data
        if not self.cabecera.startswith(FIRMA_PDF):
            return None  # not a PDF: keep only its first bytes, enough to say so
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


def preparar(request) -> PdfAcotado:
    """Put the handlers in place; before anything reads the body (CSRF's check does)."""
    acotado = PdfAcotado(request)
    request.upload_handlers = [acotado, TemporaryFileUploadHandler(request)]
    return acotado
