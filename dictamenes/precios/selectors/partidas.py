"""What the reviewers' pages read of price (issue 62): each item's price view (typed, market,
reference and where the typed price stands) on the day its quotes are judged, and the chart of
its profile's last 24 months. Bounded whatever the history: the references of a page's items
in one query, their quotes in one, the office's configuration in one; the chart is drawn from
the reference's own `serie` (at most 24 points)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import prefetch_related_objects
from django.utils import timezone

from dictamenes.models import ConfiguracionVias
from dictamenes.precios import reglas
from dictamenes.precios import selectors as precios


def dia_de_cotizaciones(solicitud) -> datetime.date:
    """The day a request's quotes are judged valid on: the day it was presented, or today
    for a draft."""
    if solicitud.presentada_en:
        return timezone.localdate(solicitud.presentada_en)
    return timezone.localdate()


def precios_de_partidas(*, solicitud, partidas, config=None, versiones=None) -> dict:
    """Each item's PrecioDePartida by pk, also set on each item as `.precio` (and the office's
    configuration it was judged by as `.precio_config`: the flag's percentage, the method).
    The items come with perfil__categoria; their quotes are prefetched here unless they
    already are. `versiones`: as precios.referencias_de."""
    partidas = list(partidas)
    if not partidas:
        return {}
    prefetch_related_objects(partidas, "cotizaciones")
    config = config or ConfiguracionVias.objects.vigentes()
    leidos = precios.precios_de(
        partidas, config=config, hoy=dia_de_cotizaciones(solicitud), versiones=versiones
    )
    for partida in partidas:
        partida.precio = leidos[partida.pk]
        partida.precio_config = config
    return leidos


# --- The chart of a profile's last 24 months -------------------------------------------------

ANCHO, ALTO = 640, 240
MARGEN_IZQ, MARGEN_DER, MARGEN_SUP, MARGEN_INF = 86, 16, 14, 34


@dataclass(frozen=True)
class Mes:
    mes: str  # "2026-01"
    x: float
    compras: int = 0
    mediana: Decimal | None = None
    minimo: Decimal | None = None
    maximo: Decimal | None = None
    y_mediana: float = 0
    y_minimo: float = 0
    y_maximo: float = 0


@dataclass(frozen=True)
class Grafica:
    """An inline SVG's geometry: each month of the window (with its purchases, if any), the
    reference median's line and this item's line (its typed price, normalised), the y axis'
    marks. Every coordinate is in the SVG's own units."""

    meses: list[Mes]
    y_referencia: float
    y_partida: float
    marcas: list[tuple[float, Decimal]]
    referencia: Decimal
    partida: Decimal
    ancho: int = ANCHO
    alto: int = ALTO
    izquierda: int = MARGEN_IZQ
    derecha: int = ANCHO - MARGEN_DER
    abajo: int = ALTO - MARGEN_INF

    @property
    def con_compras(self) -> list[Mes]:
        return [m for m in self.meses if m.compras]


def _meses_de(desde: datetime.date, hasta: datetime.date) -> list[str]:
    meses, mes = [], desde.replace(day=1)
    while mes <= hasta:
        meses.append(f"{mes:%Y-%m}")
        mes += relativedelta(months=1)
    return meses


def grafica_de(*, referencia, precio_normal: Decimal) -> Grafica | None:
    """The chart of a sufficient reference's window, with the item's normalised price on it;
    None without one."""
    if referencia is None or not referencia.suficiente:
        return None
    puntos = {p["mes"]: p for p in referencia.serie}
    valores = [Decimal(precio_normal), referencia.mediana]
    for p in puntos.values():
        valores += [Decimal(p["minimo"]), Decimal(p["maximo"])]
    bajo, alto = min(valores), max(valores)
    if alto == bajo:
        bajo, alto = bajo * Decimal("0.9"), alto * Decimal("1.1") or Decimal(1)
    margen = (alto - bajo) * Decimal("0.08")
    bajo, alto = max(bajo - margen, Decimal(0)), alto + margen
    arriba, abajo = MARGEN_SUP, ALTO - MARGEN_INF

    def y(valor) -> float:
        return round(abajo - float((Decimal(valor) - bajo) / (alto - bajo)) * (abajo - arriba), 1)

    nombres = _meses_de(referencia.desde, referencia.calculada_el)
    paso = (ANCHO - MARGEN_DER - MARGEN_IZQ) / max(len(nombres), 1)
    meses = []
    for i, nombre in enumerate(nombres):
        x = round(MARGEN_IZQ + paso * (i + 0.5), 1)
        p = puntos.get(nombre)
        if p is None:
            meses.append(Mes(mes=nombre, x=x))
            continue
        mediana, minimo, maximo = (Decimal(p[c]) for c in ("mediana", "minimo", "maximo"))
        meses.append(
            Mes(
                mes=nombre,
                x=x,
                compras=p["compras"],
                mediana=mediana,
                minimo=minimo,
                maximo=maximo,
                y_mediana=y(mediana),
                y_minimo=y(minimo),
                y_maximo=y(maximo),
            )
        )
    niveles = (bajo + (alto - bajo) * k / 4 for k in range(5))
    marcas = [(y(v), v.quantize(Decimal(1))) for v in niveles]
    return Grafica(
        meses=meses,
        y_referencia=y(referencia.mediana),
        y_partida=y(precio_normal),
        marcas=marcas,
        referencia=referencia.mediana,
        partida=Decimal(precio_normal),
    )


def precio_normal_de(partida) -> Decimal:
    return reglas.normalizar(partida.precio_unitario, partida.unidad, partida.meses)
