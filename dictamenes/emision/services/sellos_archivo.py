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
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.emision.documentos import largo_plazo
from dictamenes.emision.services import integridad
from dictamenes.emision.services.firma import pdf_nombre, transaccion_con_archivos
from dictamenes.models import Dictamen, EventoAuditoria, PdfAnterior
from estandares.progreso import FALLIDO, HECHO, OMITIDO, SIN_AVANCE, Avance

logger = logging.getLogger(__name__)

DIAS_ANTES = 365
# A run of `sellos_archivo_renovar`, in the audit chain: a start without its end was interrupted.
CORRIDA_INICIO = "sellos_archivo_corrida"
CORRIDA_FIN = "sellos_archivo_corrida_fin"
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
    ya_renovados: int = 0  # by the interrupted run this one continues
    continua_desde: datetime.datetime | None = None  # that run's start


def sello_archivo_vence(*, dictamen: Dictamen) -> datetime.datetime | None:
    """When the chain of the stored PDF's last archival (document) timestamp expires: the TSA's
    certificate or its CA, whichever ends first. The archival timestamp must be renewed before
    then (`sellos_archivo_renovar` does it within DIAS_ANTES days). None: the PDF has no
    document timestamp (signed before B-LTA), which is due now. Reads the stored file and
    checks its SHA-256 (integridad), so it costs a storage read per dictamen."""
    return largo_plazo.vence_sello_archivo(integridad.dictamen_pdf_leer(dictamen=dictamen))


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
    with transaccion_con_archivos() as guardados:
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
        bloqueado.sello_archivo_vence = largo_plazo.vence_sello_archivo(renovado)
        bloqueado.save(update_fields=["pdf", "pdf_sha256", "sello_archivo_vence"])
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


def _corrida_interrumpida() -> EventoAuditoria | None:
    """The start of a renewal run that never reached its end (killed, the server restarted)."""
    ultimo = (
        EventoAuditoria.objects.filter(tipo__in=(CORRIDA_INICIO, CORRIDA_FIN))
        .order_by("-numero")
        .only("numero", "tipo", "datos", "ocurrido_en")
        .first()
    )
    return ultimo if ultimo is not None and ultimo.tipo == CORRIDA_INICIO else None


def sellos_archivo_renovar(
    *, dias: int = DIAS_ANTES, hoy: datetime.datetime | None = None, avance: Avance = SIN_AVANCE
) -> Renovacion:
    """Renew every dictamen whose last document timestamp's certificate expires within `dias`
    days (or has none: signed before B-LTA). One failure does not stop the others.

    Each renewal commits on its own, and a run is recorded: its start (audit event
    CORRIDA_INICIO, written before the first renewal) and its end (CORRIDA_FIN). A run that
    finds the last one started and not ended continues it, with its `limite`: a dictamen
    renewed since that start is skipped, so none is renewed twice, even when the TSA's
    certificate itself expires within `dias` and a renewal leaves the expiry where it was."""
    interrumpida = _corrida_interrumpida()
    corrida = Renovacion()
    hechos: set[int] = set()
    if interrumpida is not None:
        limite = datetime.datetime.fromisoformat(interrumpida.datos["limite"])
        corrida.continua_desde = interrumpida.ocurrido_en
        hechos = set(
            PdfAnterior.objects.filter(reemplazado_en__gte=interrumpida.ocurrido_en).values_list(
                "dictamen_id", flat=True
            )
        )
    else:
        limite = (hoy or timezone.now()) + datetime.timedelta(days=dias)
    iniciada = interrumpida is not None
    # The expiry is kept on each dictamen when its PDF is written (emission, renewal): only
    # those without it (signed before it was kept) or due by `limite` are read, not every PDF
    # of the archive each week.
    todos = Dictamen.objects.only("pk", "folio", "pdf", "pdf_sha256", "sello_archivo_vence")
    dictamenes = todos.filter(
        Q(sello_archivo_vence__isnull=True) | Q(sello_archivo_vence__lte=limite)
    ).order_by("pk")
    corrida.al_dia = todos.filter(sello_archivo_vence__gt=limite).count()
    avance.fase(str(_("dictámenes")), total=dictamenes.count())
    for dictamen in dictamenes.iterator(chunk_size=500):
        if dictamen.pk in hechos:
            corrida.ya_renovados += 1
            avance.avanzar(OMITIDO)
            continue
        try:
            vence = sello_archivo_vence(dictamen=dictamen)
            if vence != dictamen.sello_archivo_vence:
                # Issued before the date was kept (or the file changed): the operator's page
                # counts what is due from this column.
                Dictamen.objects.filter(pk=dictamen.pk).update(sello_archivo_vence=vence)
            if vence is not None and vence > limite:
                corrida.al_dia += 1
                avance.avanzar(OMITIDO)
                continue
            if not iniciada:
                with transaction.atomic():
                    evento_registrar(
                        tipo=CORRIDA_INICIO,
                        descripcion="Inicia la renovación de los sellos de archivo",
                        datos={"dias": dias, "limite": limite.isoformat()},
                    )
                iniciada = True
            if sello_archivo_renovar(dictamen=dictamen):
                corrida.renovados.append(dictamen.folio)
                avance.avanzar(HECHO)
            else:  # replaced meanwhile by someone else: nothing to do here
                avance.avanzar(OMITIDO)
        except ValidationError as exc:  # a TSA that fails, a file altered, a proof lost
            logger.warning("No se renovó el sello de archivo de %s: %s", dictamen.folio, exc)
            corrida.fallidos.append(dictamen.folio)
            avance.avanzar(FALLIDO)
        except Exception:  # anything else: this one is reported, the others still renewed
            logger.exception("No se renovó el sello de archivo de %s", dictamen.folio)
            corrida.fallidos.append(dictamen.folio)
            avance.avanzar(FALLIDO)
    if iniciada:
        with transaction.atomic():
            evento_registrar(
                tipo=CORRIDA_FIN,
                descripcion="Termina la renovación de los sellos de archivo",
                datos={
                    "renovados": len(corrida.renovados),
                    "al_dia": corrida.al_dia,
                    "ya_renovados": corrida.ya_renovados,
                    "fallidos": corrida.fallidos,
                },
            )
    return corrida
