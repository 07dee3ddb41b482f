"""A dictamen's status as anyone reads it, the same on the folio page (where the QR leads) and
in the result of uploading its PDF to /verificar/.

The finding this answers: an authentic PDF of a cancelled dictamen got the green "Documento
auténtico" box and no word of the cancellation. Authenticity is about the bytes; whether the
dictamen still counts is about its status, and a person needs both, equally visible. So the
status carries its own tone, and the box takes the worse of the two.
"""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Dictamen

# A rectified dictamen is cancelled by the rectification (rectificacion.dictamen_rectificar)
# and has a replacement; a person needs to know which one counts now.
ETIQUETAS = {**Dictamen.ESTADOS, "rectificado": _("Rectificado")}

# The box's colour: green only for a dictamen in force; amber for an expired one, which was
# valid and no longer is; red for one the Subsecretaría withdrew, and for a false document.
TONOS = {
    "vigente": "valido",
    "vencido": "aviso",
    "cancelado": "invalido",
    "rectificado": "invalido",
}
TONO_NO_AUTENTICO = "invalido"

# The validity in words, the same in the register and on the verification page.
VIGENTE_HASTA = _("Vigente hasta el %(fecha)s")
VENCIDO_DESDE = _("Vencido desde el %(fecha)s")


def vencido_desde(vigencia_hasta: datetime.date) -> datetime.date:
    """The first day an expired dictamen no longer was in force."""
    return vigencia_hasta + datetime.timedelta(days=1)


def vigencia_texto(*, clave: str, vigencia_hasta: datetime.date) -> str:
    """ "Vigente hasta el 31/12/2026", "Vencido desde el 01/01/2027"; nothing for a cancelled
    dictamen, whose cancellation is what counts."""
    if clave == "vigente":
        return VIGENTE_HASTA % {"fecha": formats.date_format(vigencia_hasta, "d/m/Y")}
    if clave == "vencido":
        fecha = formats.date_format(vencido_desde(vigencia_hasta), "d/m/Y")
        return VENCIDO_DESDE % {"fecha": fecha}
    return ""


@dataclass(frozen=True)
class EstadoPublico:
    clave: str  # vigente, vencido, cancelado or rectificado
    etiqueta: str
    tono: str
    vigencia_hasta: datetime.date
    # The first day it no longer was in force, for an expired dictamen.
    vencido_desde: datetime.date | None = None
    cancelado_en: datetime.datetime | None = None
    motivo: str = ""
    sustituto: Dictamen | None = None

    @property
    def vigencia(self) -> str:
        return vigencia_texto(clave=self.clave, vigencia_hasta=self.vigencia_hasta)


def dictamen_estado(*, dictamen: Dictamen, hoy: datetime.date | None = None) -> EstadoPublico:
    hoy = hoy or timezone.localdate()
    clave = Dictamen.estado_en(
        cancelado_en=dictamen.cancelado_en, vigencia_hasta=dictamen.vigencia_hasta, hoy=hoy
    )
    sustituto = None
    if clave == "cancelado":
        sustituto = dictamen.rectificaciones.order_by("emitido_en").first()
        if sustituto is not None:
            clave = "rectificado"
    return EstadoPublico(
        clave=clave,
        etiqueta=ETIQUETAS[clave],
        tono=TONOS[clave],
        vigencia_hasta=dictamen.vigencia_hasta,
        vencido_desde=vencido_desde(dictamen.vigencia_hasta) if clave == "vencido" else None,
        cancelado_en=dictamen.cancelado_en,
        motivo=dictamen.motivo_cancelacion if dictamen.cancelado_en else "",
        sustituto=sustituto,
    )


def fila_vigencia(fila: dict) -> str:
    """The validity of a register row (publico.datos_abiertos.filas): its status comes as the
    label of the current language, its last valid day as an ISO date."""
    claves = {str(etiqueta): clave for clave, etiqueta in Dictamen.ESTADOS.items()}
    return vigencia_texto(
        clave=claves.get(fila["estado"], ""),
        vigencia_hasta=datetime.date.fromisoformat(fila["vigente_hasta"]),
    )


def tono_del_resultado(*, autentico: bool, estado: EstadoPublico | None) -> str:
    """The upload result's colour: a false document is red whatever its status; an authentic
    one takes its dictamen's status colour."""
    if not autentico or estado is None:
        return TONO_NO_AUTENTICO
    return estado.tono
