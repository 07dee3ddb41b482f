"""A dictamen's status as anyone reads it, the same on the folio page (where the QR leads) and
in the result of uploading its PDF to /verificar/.

The finding this answers: an authentic PDF of a cancelled dictamen got the green "Documento
auténtico" box and no word of the cancellation. Authenticity is about the bytes; whether the
dictamen still counts is about its status, and a person needs both, equally visible. So the
status carries its own tone, and the box takes the worse of the two.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
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
        vencido_desde=(
            dictamen.vigencia_hasta + datetime.timedelta(days=1) if clave == "vencido" else None
        ),
        cancelado_en=dictamen.cancelado_en,
        motivo=dictamen.motivo_cancelacion if dictamen.cancelado_en else "",
        sustituto=sustituto,
    )


def tono_del_resultado(*, autentico: bool, estado: EstadoPublico | None) -> str:
    """The upload result's colour: a false document is red whatever its status; an authentic
    one takes its dictamen's status colour."""
    if not autentico or estado is None:
        return TONO_NO_AUTENTICO
    return estado.tono
