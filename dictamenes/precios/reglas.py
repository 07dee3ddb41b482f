"""The rules of price, written once and pure: units, the reference's figures and minimum,
the market price of a set of quotes, and where a price stands against a reference."""

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from dictamenes.models.precios import MetodoPrecio, UnidadPrecio

# A reference needs this many purchases from this many agencies (issue 62, item 1).
COMPRAS_MINIMAS = 3
ENTES_MINIMOS = 2
# The window of the reference, and of the other agencies' purchases the requester sees.
MESES_REFERENCIA = 24
MESES_OTROS_ENTES = 12
CUATRO_DECIMALES = Decimal("0.0001")
CENTAVO = Decimal("0.01")

UNIDAD_NORMAL = {
    UnidadPrecio.PIEZA: _("por pieza"),
    UnidadPrecio.SERVICIO: _("por mes de servicio"),
    UnidadPrecio.LICENCIA: _("por licencia al año"),
}


def factor(unidad: str, meses: int | None) -> Decimal:
    """What multiplies an item's unit price to give it in its kind's normal unit: a piece
    as it is; a service over `meses` months per month; a licence over `meses` months per
    year. A service or licence without months is taken as one month / one year."""
    if unidad == UnidadPrecio.SERVICIO:
        return Decimal(1) / Decimal(meses or 1)
    if unidad == UnidadPrecio.LICENCIA:
        return Decimal(12) / Decimal(meses or 12)
    return Decimal(1)


def normalizar(precio: Decimal, unidad: str, meses: int | None) -> Decimal:
    return (Decimal(precio) * factor(unidad, meses)).quantize(CUATRO_DECIMALES, ROUND_HALF_UP)


def en_unidad_de(precio_normal: Decimal, unidad: str, meses: int | None) -> Decimal:
    """A normal-unit price back in an item's own unit, to the cent."""
    return (Decimal(precio_normal) / factor(unidad, meses)).quantize(CENTAVO, ROUND_HALF_UP)


def cotizaciones_exigidas(*, total: Decimal, umbral: Decimal) -> bool:
    """Whether a request's items need three quotes each: their total passes the office's
    amount (equal is within)."""
    return total > umbral


def suficiente(*, compras: int, entes: int) -> bool:
    return compras >= COMPRAS_MINIMAS and entes >= ENTES_MINIMOS


@dataclass(frozen=True)
class Cifras:
    compras: int
    mediana: Decimal
    cuartil_1: Decimal
    cuartil_3: Decimal
    minimo: Decimal
    maximo: Decimal


def rangos(n: int) -> set[int]:
    """The ranks (0 is the lowest) that the median and the quartiles of `n` prices read: with
    them alone, `cifras_de_rangos` gives what `cifras` gives from every price, so the database
    may sort the window and send back these few rows (services.referencia_recalcular)."""
    if n == 1:
        return {0}
    leidos = {(n - 1) // 2, n // 2}
    for i in (1, 2, 3):
        j = i * (n - 1) // 4
        leidos |= {j, j + 1}
    return leidos


def mediana_de_rangos(n: int, en) -> Decimal:
    """statistics.median over `n` sorted prices, `en[r]` the price of rank r."""
    if n % 2 == 1:
        return en[n // 2]
    return (en[n // 2 - 1] + en[n // 2]) / 2


def redondo(valor) -> Decimal:
    """A figure of the reference, to four decimals."""
    return Decimal(valor).quantize(CUATRO_DECIMALES, ROUND_HALF_UP)


def cifras_de_rangos(n: int, en, *, minimo: Decimal, maximo: Decimal) -> Cifras:
    """The figures of `n` sorted prices from the ranks `rangos(n)` (`en[r]`), the lowest and
    the highest: the quartiles as statistics.quantiles(method="inclusive") interpolates them,
    with the same operations in the same order, so the result is the same Decimal."""
    if n == 1:
        q1 = q3 = en[0]
    else:
        q1, q3 = (
            (en[j] * (4 - delta) + en[j + 1] * delta) / 4
            for j, delta in (divmod(i * (n - 1), 4) for i in (1, 3))
        )
    return Cifras(
        compras=n,
        mediana=redondo(mediana_de_rangos(n, en)),
        cuartil_1=redondo(q1),
        cuartil_3=redondo(q3),
        minimo=minimo,
        maximo=maximo,
    )


def cifras(precios: list[Decimal]) -> Cifras | None:
    """Median, quartiles (inclusive method: the quartiles of the data themselves, as a
    spreadsheet's QUARTILE.INC), lowest and highest; None for no prices."""
    if not precios:
        return None
    ordenados = sorted(Decimal(p) for p in precios)
    return cifras_de_rangos(len(ordenados), ordenados, minimo=ordenados[0], maximo=ordenados[-1])


@dataclass(frozen=True)
class Cotizada:
    """A quote as the market price reads it."""

    pk: int | None
    proveedor: str
    precio: Decimal
    vigente: bool


@dataclass(frozen=True)
class Mercado:
    """An item's market price from its quotes: the price (None without a valid quote), the
    method, and each quote with why it was left out ("" when it counts)."""

    precio: Decimal | None
    metodo: str
    cotizaciones: list[tuple[Cotizada, str]] = field(default_factory=list)

    @property
    def validas(self) -> list[Cotizada]:
        return [c for c, motivo in self.cotizaciones if not motivo]


MOTIVO_VENCIDA = _("vencida")
MOTIVO_ATIPICA = _("fuera de línea: a más de %(pct)s %% de la mediana de las cotizaciones")


def mercado(cotizadas: list[Cotizada], *, metodo: str, atipico_pct: int) -> Mercado:
    """Leave out the quotes no longer valid and those farther than `atipico_pct` % from the
    median of the valid ones; the market price is the method over what is left."""
    vigentes = [c for c in cotizadas if c.vigente]
    centro = statistics.median([c.precio for c in vigentes]) if vigentes else None
    limite = Decimal(atipico_pct) / 100
    revisadas = []
    for c in cotizadas:
        if not c.vigente:
            motivo = str(MOTIVO_VENCIDA)
        elif centro and abs(c.precio - centro) / centro > limite:
            motivo = str(MOTIVO_ATIPICA % {"pct": atipico_pct})
        else:
            motivo = ""
        revisadas.append((c, motivo))
    validos = [c.precio for c, motivo in revisadas if not motivo]
    precio = None
    if validos:
        if metodo == MetodoPrecio.MEDIA:
            precio = sum(validos) / len(validos)
        elif metodo == MetodoPrecio.MENOR:
            precio = min(validos)
        else:
            precio = statistics.median(validos)
        precio = Decimal(precio).quantize(CENTAVO, ROUND_HALF_UP)
    return Mercado(precio=precio, metodo=metodo, cotizaciones=revisadas)


@dataclass(frozen=True)
class Posicion:
    """Where a price (in the normal unit) stands against a reference: the percentage over
    (+) or under (−) its median, the band, and whether it passes the flag's percentage."""

    pct: Decimal
    banda: str  # "bajo_minimo" | "bajo" | "en_rango" | "sobre"
    senalada: bool

    @property
    def texto(self) -> str:
        pct = abs(self.pct).quantize(Decimal(1), ROUND_HALF_UP)
        lado = _("sobre") if self.pct > 0 else _("bajo")
        rel = _("igual a la mediana") if pct == 0 else f"{pct} % {lado} la mediana"
        return f"{rel}, {BANDAS[self.banda]}"


BANDAS = {
    "bajo_minimo": _("por debajo del menor precio de referencia"),
    "bajo": _("por debajo del primer cuartil"),
    "en_rango": _("entre el primer y el tercer cuartil"),
    "sobre": _("por encima del tercer cuartil"),
}


def posicion(precio: Decimal, *, mediana, cuartil_1, cuartil_3, minimo, senal_pct: int) -> Posicion:
    precio = Decimal(precio)
    pct = ((precio - mediana) / mediana * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if precio < minimo:
        banda = "bajo_minimo"
    elif precio < cuartil_1:
        banda = "bajo"
    elif precio <= cuartil_3:
        banda = "en_rango"
    else:
        banda = "sobre"
    return Posicion(pct=pct, banda=banda, senalada=senalada(precio, mediana, senal_pct))


def senalada(precio: Decimal, mediana: Decimal, senal_pct: int) -> bool:
    """The flag: more than `senal_pct` % over the reference's median."""
    return Decimal(precio) > Decimal(mediana) * (1 + Decimal(senal_pct) / 100)
