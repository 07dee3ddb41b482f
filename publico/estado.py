"""A dictamen's status as anyone reads it, the same on the folio page (where the QR leads),
in the result of uploading its PDF to /verificar/, in the register and on the request's page
(templates/verificar/_estado_texto.html draws it). Dictamen.estado_en decides the status;
this module gives it its words, its date and its colour.

The finding this answers: an authentic PDF of a cancelled dictamen got the green "Documento
auténtico" box and no word of the cancellation. Authenticity is about the bytes; whether the
dictamen still counts is about its status, and a person needs both, equally visible. So the
status carries its own tone, and the box takes the worse of the two.
"""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Dictamen, Resultado

# The words of each status: the model's, one list for every page, file and API.
ETIQUETAS = Dictamen.ESTADOS

# The box's colour: green only for a dictamen in force; amber for an expired one, which was
# valid and no longer is, and for a proof that can no longer be checked; red for one the
# Subsecretaría withdrew or replaced, for a no favorable one (it never authorised anything),
# and for a false document.
TONOS = {
    "vigente": "valido",
    "vencido": "aviso",
    "cancelado": "invalido",
    "rectificado": "invalido",
    "no_favorable": "invalido",
}
TONO_NO_AUTENTICO = "invalido"
TONO_SIN_PRUEBA = "aviso"
_GRAVEDAD = ("valido", "aviso", "invalido")

# The validity in words, the same in the register and on the verification page.
VIGENTE_HASTA = _("Vigente hasta el %(fecha)s")
VENCIDO_DESDE = _("Vencido desde el %(fecha)s")


def vencido_desde(vigencia_hasta: datetime.date) -> datetime.date:
    """The first day an expired dictamen no longer was in force."""
    return vigencia_hasta + datetime.timedelta(days=1)


def vigencia_texto(*, clave: str, vigencia_hasta: datetime.date | None) -> str:
    """ "Vigente hasta el 31/12/2026", "Vencido desde el 01/01/2027"; nothing for a cancelled,
    rectified or no favorable dictamen, which has no validity that counts."""
    if clave == "vigente":
        return VIGENTE_HASTA % {"fecha": formats.date_format(vigencia_hasta, "d/m/Y")}
    if clave == "vencido":
        fecha = formats.date_format(vencido_desde(vigencia_hasta), "d/m/Y")
        return VENCIDO_DESDE % {"fecha": fecha}
    return ""


@dataclass(frozen=True)
class EstadoPublico:
    clave: str  # a key of Dictamen.ESTADOS
    etiqueta: str
    tono: str
    vigencia_hasta: datetime.date
    # The first day it no longer was in force, for an expired dictamen.
    vencido_desde: datetime.date | None = None
    cancelado_en: datetime.datetime | None = None
    motivo: str = ""
    # The folio of the dictamen that rectified it.
    sustituto: str | None = None
    # Its result is no favorable: whatever happened since, it never had a validity.
    no_favorable: bool = False

    @property
    def vigencia(self) -> str:
        return vigencia_texto(clave=self.clave, vigencia_hasta=self.vigencia_hasta)

    @property
    def tiene_vigencia(self) -> bool:
        """Whether its last valid day means anything to a reader: only while it is or was in
        force on its own terms. A no favorable one never was; a cancelled or rectified one
        ended on its cancellation date, which the status says."""
        return self.clave in ("vigente", "vencido")


def estado_de(
    *,
    resultado: str,
    cancelado_en: datetime.datetime | None,
    vigencia_hasta: datetime.date,
    sustituto: str | None,
    hoy: datetime.date,
    motivo: str = "",
) -> EstadoPublico:
    """The status of a dictamen from its columns (the register reads them in bulk)."""
    clave = Dictamen.estado_en(
        resultado=resultado,
        cancelado_en=cancelado_en,
        vigencia_hasta=vigencia_hasta,
        hoy=hoy,
        rectificado=sustituto is not None,
    )
    return EstadoPublico(
        clave=clave,
        etiqueta=ETIQUETAS[clave],
        tono=TONOS[clave],
        vigencia_hasta=vigencia_hasta,
        vencido_desde=vencido_desde(vigencia_hasta) if clave == "vencido" else None,
        cancelado_en=cancelado_en,
        motivo=motivo if cancelado_en else "",
        sustituto=sustituto if cancelado_en else None,
        no_favorable=resultado == Resultado.NO_FAVORABLE,
    )


def dictamen_estado(*, dictamen: Dictamen, hoy: datetime.date | None = None) -> EstadoPublico:
    return estado_de(
        resultado=dictamen.resultado,
        cancelado_en=dictamen.cancelado_en,
        vigencia_hasta=dictamen.vigencia_hasta,
        sustituto=dictamen.sustituto_folio,
        hoy=hoy or timezone.localdate(),
        motivo=dictamen.motivo_cancelacion,
    )


def peor_tono(*tonos: str) -> str:
    return max(tonos, key=_GRAVEDAD.index)


def tono_del_resultado(
    *, autentico: bool, estado: EstadoPublico | None, sin_prueba: bool = False
) -> str:
    """The upload result's colour: a false document is red whatever its status; an authentic
    one takes its dictamen's status colour; a stored dictamen whose proof can no longer be
    checked is at least amber (it is not shown false, nor as proven)."""
    if sin_prueba and estado is not None:
        return peor_tono(TONO_SIN_PRUEBA, estado.tono)
    if not autentico or estado is None:
        return TONO_NO_AUTENTICO
    return estado.tono
