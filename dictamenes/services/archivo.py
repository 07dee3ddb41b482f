"""Keeping issued dictámenes verifiable for decades: before the certificate of a PDF's last
document timestamp expires, a new document timestamp covers it and everything before
(PAdES B-LTA's archival timestamp chain). The new PDF replaces the stored one; the former
SHA-256 stays known (PdfAnterior), so a copy handed out earlier still verifies."""

import datetime
import hashlib
import io
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.documentos import largo_plazo
from dictamenes.models import Dictamen, PdfAnterior
from dictamenes.services import integridad
from dictamenes.services.auditoria import evento_registrar
from dictamenes.services.emision import _transaccion_con_archivos, pdf_nombre

logger = logging.getLogger(__name__)

DIAS_ANTES = 365
ERROR_RENOVADO_NO_VERIFICA = _(
    "Con el sello de archivo nuevo el dictamen ya no se verificaría a largo plazo; se conservó "
    "el PDF anterior."
)


def _verifica(pdf: bytes) -> bool:
    from pyhanko.pdf_utils.reader import PdfFileReader

    firmas = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_regular_signatures
    if not firmas:
        return False
    largo = largo_plazo.validar_largo_plazo(firmas[-1])
    return largo.confiable and largo.cubre_todo


@dataclass
class Renovacion:
    renovados: list[str] = field(default_factory=list)
    al_dia: int = 0
    fallidos: list[str] = field(default_factory=list)


def sello_archivo_renovar(*, dictamen: Dictamen) -> bool:
    """Add a new document timestamp to one dictamen's PDF. The TSA is asked with no lock
    held; the stored PDF is replaced only if nobody replaced it meanwhile. Returns whether
    it was replaced."""
    actual = integridad.dictamen_pdf_leer(dictamen=dictamen)
    renovado = largo_plazo.sello_archivo_renovar(actual)
    if _verifica(actual) and not _verifica(renovado):
        # The new timestamp would lose a proof the old file still gives (pyHanko cannot carry
        # a signer certificate that expired before the new CRL, when the TSA shares its CA):
        # the stored PDF stays as it is.
        raise ValidationError(ERROR_RENOVADO_NO_VERIFICA, code="renovado_no_verifica")
    anterior = dictamen.pdf.name
    with _transaccion_con_archivos() as guardados:
        bloqueado = (
            Dictamen.objects.select_for_update(of=("self",))
            .select_related("solicitud")
            .get(pk=dictamen.pk)
        )
        if bloqueado.pdf_sha256 != dictamen.pdf_sha256:
            return False
        momento = timezone.now()
        PdfAnterior.objects.create(
            dictamen=bloqueado, sha256=bloqueado.pdf_sha256, reemplazado_en=momento
        )
        bloqueado.pdf.save(pdf_nombre(folio=bloqueado.folio), ContentFile(renovado), save=False)
        guardados.append(bloqueado.pdf.name)
        bloqueado.pdf_sha256 = hashlib.sha256(renovado).hexdigest()
        bloqueado.save(update_fields=["pdf", "pdf_sha256"])
        evento_registrar(
            tipo="sello_archivo",
            descripcion=f"Nuevo sello de tiempo de archivo del dictamen {bloqueado.folio}",
            solicitud=bloqueado.solicitud,
            datos={
                "dictamen": bloqueado.pk,
                "pdf_sha256_anterior": dictamen.pdf_sha256,
                "pdf_sha256": bloqueado.pdf_sha256,
            },
        )
        transaction.on_commit(lambda: _borrar(anterior))
    return True


def _borrar(nombre: str) -> None:
    """The former file: its bytes are the first part of the new one."""
    from django.core.files.storage import default_storage

    try:
        default_storage.delete(nombre)
    except Exception:
        logger.warning("Quedó el PDF anterior %s en el almacenamiento", nombre)


def sellos_archivo_renovar(
    *, dias: int = DIAS_ANTES, hoy: datetime.datetime | None = None
) -> Renovacion:
    """Renew every dictamen whose last document timestamp's certificate expires within `dias`
    days (or has none: signed before B-LTA). One failure does not stop the others."""
    limite = (hoy or timezone.now()) + datetime.timedelta(days=dias)
    corrida = Renovacion()
    for dictamen in Dictamen.objects.only("pk", "folio", "pdf", "pdf_sha256").order_by("pk"):
        try:
            pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
            vence = largo_plazo.vence_sello_archivo(pdf)
            if vence is not None and vence > limite:
                corrida.al_dia += 1
                continue
            if sello_archivo_renovar(dictamen=dictamen):
                corrida.renovados.append(dictamen.folio)
        except ValidationError as exc:  # a TSA that fails, a file altered, a proof lost
            logger.warning("No se renovó el sello de archivo de %s: %s", dictamen.folio, exc)
            corrida.fallidos.append(dictamen.folio)
        except Exception:  # anything else: this one is reported, the others still renewed
            logger.exception("No se renovó el sello de archivo de %s", dictamen.folio)
            corrida.fallidos.append(dictamen.folio)
    return corrida
