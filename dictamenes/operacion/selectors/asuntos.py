"""What the operator's page and `estado_del_sistema` say of each thing that can fail: one
`Asunto` per item, with its state, since when and what to do."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format

BIEN = "bien"
ATENCION = "atencion"
FALLA = "falla"
ETIQUETAS = {BIEN: "Bien", ATENCION: "Atención", FALLA: "Falla"}
COLORES = {BIEN: "verde", ATENCION: "amarillo", FALLA: "rojo"}
# The worst first: how a list of items is summed up.
GRAVEDAD = {BIEN: 0, ATENCION: 1, FALLA: 2}


@dataclass(frozen=True)
class Asunto:
    clave: str  # stable across runs: what the alert e-mail remembers having told
    seccion: str
    titulo: str
    estado: str
    detalle: str
    desde: datetime.datetime | None = None  # since when it is in this state, when known
    que_hacer: str = ""
    # A small table under the item (the archival renewals by year): header, then rows.
    tabla: tuple[tuple[str, ...], ...] = field(default=())
    # Where to fix it, one link per thing named (the reviewers without an area): (text, url).
    enlaces: tuple[tuple[str, str], ...] = field(default=())

    @property
    def etiqueta(self) -> str:
        return ETIQUETAS[self.estado]

    @property
    def color(self) -> str:
        """The traffic light the pages already use (.semaforo--verde/amarillo/rojo)."""
        return COLORES[self.estado]


def peor(asuntos) -> str:
    return max((a.estado for a in asuntos), key=GRAVEDAD.__getitem__, default=BIEN)


def fecha(momento: datetime.datetime | None) -> str:
    if momento is None:
        return "—"
    return date_format(timezone.localtime(momento), "j \\d\\e F \\d\\e Y, H:i").lower()


def dia(momento: datetime.datetime) -> str:
    return date_format(timezone.localtime(momento), "j \\d\\e F \\d\\e Y").lower()


def hace(momento: datetime.datetime, ahora: datetime.datetime) -> str:
    """«hace 3 h», «hace 2 días»: the age an operator reads at a glance."""
    segundos = max(0, int((ahora - momento).total_seconds()))
    if segundos < 3600:
        return f"hace {segundos // 60} min"
    if segundos < 2 * 86400:
        return f"hace {segundos // 3600} h"
    return f"hace {segundos // 86400} días"
