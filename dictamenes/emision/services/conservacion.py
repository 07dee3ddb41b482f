"""The NOM-151 constancia de conservación of each issued dictamen (optional, off by default).

When DICTAMENES_NOM151["URL"] names a provider (dictamenes.emision.documentos.nom151), the
constancia of the signed PDF's SHA-256 is asked for right after the dictamen's issuance
commits, and the `constancias_nom151` command asks again, from cron, for every dictamen
still without one. The dictamen is already issued: a provider that fails leaves it as it is,
and says so in the log.
The request goes out with no transaction open (no lock waits on the provider); the answer is
stored, with its audit event, in a short transaction of its own.

A later PDF (the archival timestamp renewed) does not need a new constancia: the one stored
covers the PDF as issued, which the verification still recognises (Dictamen.pdfs_anteriores).
"""

import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.emision.documentos import nom151
from dictamenes.models import Dictamen

logger = logging.getLogger(__name__)

APAGADA = (
    "La constancia NOM-151 está apagada: no se definió DJANGO_NOM151_URL (el servicio del "
    "prestador de servicios de certificación). No se pidió ninguna constancia."
)


def proveedor_configurado() -> nom151.ProveedorNom151 | None:
    """The provider the settings name, or None when the constancia is off."""
    return nom151.proveedor_de_ajustes(settings.DICTAMENES_NOM151)


def constancia_obtener(*, dictamen, proveedor: nom151.ProveedorNom151 | None = None) -> bool:
    """Ask for the constancia of the dictamen's signed PDF and store it. True when the
    dictamen has one afterwards; False when it is off or the provider failed (logged)."""
    proveedor = proveedor or proveedor_configurado()
    if proveedor is None:
        return False
    if dictamen.constancia_nom151_en is not None:
        return True
    sha256 = dictamen.pdf_sha256
    try:
        constancia = proveedor.constancia_solicitar(
            sha256=bytes.fromhex(sha256), nombre=PurePosixPath(dictamen.pdf.name).name
        )
    except nom151.ConstanciaNoDisponible as exc:
        logger.warning("Sin constancia NOM-151 para el dictamen %s: %s", dictamen.folio, exc)
        return False
    _constancia_guardar(dictamen_pk=dictamen.pk, sha256=sha256, constancia=constancia)
    return True


@transaction.atomic
def _constancia_guardar(*, dictamen_pk, sha256: str, constancia: nom151.Constancia) -> None:
    dictamen = (
        Dictamen.objects.select_for_update(of=("self",))
        .select_related("solicitud")
        .only("folio", "solicitud", "constancia_nom151_en")
        .get(pk=dictamen_pk)
    )
    if dictamen.constancia_nom151_en is not None:  # another run stored one meanwhile
        return
    dictamen.constancia_nom151 = constancia.datos
    dictamen.constancia_nom151_en = constancia.emitida_en
    dictamen.save(update_fields=["constancia_nom151", "constancia_nom151_en"])
    evento_registrar(
        tipo="constancia_nom151",
        descripcion=f"Constancia NOM-151 del dictamen {dictamen.folio}",
        solicitud=dictamen.solicitud,
        datos={
            "dictamen": dictamen.pk,
            "pdf_sha256": sha256,
            "emitida_en": constancia.emitida_en.isoformat(),
            "folio_psc": constancia.folio,
        },
    )


def constancia_obtener_al_emitir(*, dictamen_pk) -> None:
    """Run by transaction.on_commit after the issuance: never raises, since the dictamen is
    issued and the signer's answer must not turn into an error page."""
    proveedor = proveedor_configurado()
    if proveedor is None:
        return
    try:
        dictamen = Dictamen.objects.get(pk=dictamen_pk)
        constancia_obtener(dictamen=dictamen, proveedor=proveedor)
    except Exception:
        logger.exception("No se pudo pedir la constancia NOM-151 del dictamen %s", dictamen_pk)


@dataclass(frozen=True)
class Corrida:
    obtenidas: int
    fallidas: int


def constancias_pendientes_obtener(*, limite: int = 200) -> Corrida | None:
    """The dictámenes without a constancia, oldest first, at most `limite`: None when it is
    off. One query for the list, then a constant number per dictamen."""
    proveedor = proveedor_configurado()
    if proveedor is None:
        return None
    pendientes = list(
        Dictamen.objects.filter(constancia_nom151_en__isnull=True)
        .order_by("emitido_en", "pk")
        .only("pk", "folio", "pdf", "pdf_sha256", "constancia_nom151_en")[:limite]
    )
    obtenidas = sum(constancia_obtener(dictamen=d, proveedor=proveedor) for d in pendientes)
    return Corrida(obtenidas=obtenidas, fallidas=len(pendientes) - obtenidas)
