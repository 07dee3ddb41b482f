"""The stated rule that leaves out, on both sides, the observations far from the rest before a
reference is computed (issue 76, item 1): Tukey's fences, 1.5 × the interquartile range below
the first quartile and above the third, the quartiles of the whole window as
reglas.cifras computes them (inclusive method). An observation on a fence stays in.

Why both sides: a price far below the rest (a typo, a partial contract) would pull the
reference down and flag honest requests; one far above (an inflated contract) would let a
dear purchase pass. Pure: the queries are in precios.services."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

FACTOR = Decimal("1.5")
REGLA = _(
    "Se excluyen las compras fuera de las cercas: más de 1.5 veces el rango intercuartílico "
    "por debajo del primer cuartil o por encima del tercero."
)
MOTIVO_BAJO = _("muy por debajo del resto: menor que la cerca inferior %(cerca)s")
MOTIVO_ALTO = _("muy por encima del resto: mayor que la cerca superior %(cerca)s")


def cercas(cuartil_1: Decimal, cuartil_3: Decimal) -> tuple[Decimal, Decimal]:
    """The lower and upper fences of a window with these quartiles."""
    rango = Decimal(cuartil_3) - Decimal(cuartil_1)
    return Decimal(cuartil_1) - FACTOR * rango, Decimal(cuartil_3) + FACTOR * rango


def motivo(precio: Decimal, *, inferior: Decimal, superior: Decimal) -> str:
    """Why an observation is left out ("" when it stays: on a fence it stays)."""
    if precio < inferior:
        return str(MOTIVO_BAJO % {"cerca": f"{inferior:.2f}"})
    if precio > superior:
        return str(MOTIVO_ALTO % {"cerca": f"{superior:.2f}"})
    return ""
