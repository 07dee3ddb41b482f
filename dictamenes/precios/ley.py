"""The law's price tests (issue 76, item 5), written once and pure: the Ley de Adquisiciones,
Arrendamientos y Servicios del Sector Público (DOF 16/04/2025) calls a price *no aceptable*
when it is more than a percentage above the central value of the market research, and *no
conveniente* when it is more than a percentage below it. The state profile
(ConfiguracionVias) says which central value (the mean or the median of the valid quotes,
`ley_centro`), both percentages and the article it cites.

The boundaries, stated (issue 93, item 6): the tests compare the price with the exact central
value, the mean or the median of the valid quotes as a fraction, never rounded (the mean of
100.00, 100.00 and 99.99 is 299.99/3 = 99.99666…, and 110.00 is +10.0037 % above it: not
acceptable with a +10 % limit, although the central value prints as $100.00). A price
exactly `no_aceptable_pct` % above the exact centre is still acceptable, anything more is
not; exactly `no_conveniente_pct` % below it is still convenient, anything less is not.
The central value is printed to the cent, and the percentage with one decimal, or with as
many more as it takes for the printed figure to fall on the side of the limit the verdict
says (10.004 % above, not 10.0 %): the decision keeps the exact centre beside the printed one
(Prueba.base()), so the page, the PDF and the API say the verdict it was given."""

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from dictamenes.models.precios import CentroLey
from dictamenes.montos import pesos

CENTAVO = Decimal("0.01")

ACEPTABLE = "aceptable"
NO_ACEPTABLE = "no_aceptable"
NO_CONVENIENTE = "no_conveniente"

VEREDICTOS = {
    ACEPTABLE: _("aceptable y conveniente"),
    NO_ACEPTABLE: _("precio no aceptable"),
    NO_CONVENIENTE: _("precio no conveniente"),
}
CENTROS = {
    CentroLey.MEDIA: _("la media"),
    CentroLey.MEDIANA: _("la mediana"),
}
# «Precio no aceptable: 12.5 % sobre la mediana de las cotizaciones válidas ($100.00; límite
# +10 %)».
TEXTO_PRUEBA = _(
    "%(veredicto)s: %(pct)s %% %(lado)s %(centro)s de las cotizaciones válidas (%(valor)s; "
    "no aceptable por encima de +%(sobre)s %%, no conveniente por debajo de −%(bajo)s %%)"
)
SOBRE = _("sobre")
BAJO = _("bajo")


def centro_exacto(precios: list[Decimal], centro: str) -> Fraction | None:
    """The mean or the median of the valid quotes' prices, exact (a fraction: the mean of
    three prices is a third of their sum, with no digit dropped); None without any. What the
    tests compare with."""
    if not precios:
        return None
    precios = [Fraction(Decimal(p)) for p in precios]
    if centro == CentroLey.MEDIA:
        return sum(precios, Fraction(0)) / len(precios)
    return Fraction(statistics.median(precios))


def al_centavo(valor: Fraction) -> Decimal:
    """A fraction printed to the cent, half up."""
    return (Decimal(valor.numerator) / Decimal(valor.denominator)).quantize(CENTAVO, ROUND_HALF_UP)


def valor_central(precios: list[Decimal], centro: str) -> Decimal | None:
    """The central value as printed: the exact one (centro_exacto) to the cent; None without
    any quote. Never what the tests compare with."""
    exacto = centro_exacto(precios, centro)
    return None if exacto is None else al_centavo(exacto)


def veredicto(
    precio: Decimal,
    *,
    valor: Decimal | Fraction,
    no_aceptable_pct: int,
    no_conveniente_pct: int,
) -> str:
    """ACEPTABLE, NO_ACEPTABLE (more than `no_aceptable_pct` % above `valor`) or
    NO_CONVENIENTE (more than `no_conveniente_pct` % below it). Exact: `valor` is the exact
    centre (centro_exacto), and nothing is rounded."""
    precio, valor = Fraction(Decimal(precio)), Fraction(valor)
    if precio > valor * (1 + Fraction(no_aceptable_pct, 100)):
        return NO_ACEPTABLE
    if precio < valor * (1 - Fraction(no_conveniente_pct, 100)):
        return NO_CONVENIENTE
    return ACEPTABLE


@dataclass(frozen=True)
class Prueba:
    """The law's tests of one price against the market research's central value: `valor` as
    printed (to the cent), `exacto` as compared (None in a decision kept before issue 93,
    whose verdict was compared with `valor`)."""

    precio: Decimal
    centro: str  # CentroLey
    valor: Decimal
    veredicto: str
    no_aceptable_pct: int
    no_conveniente_pct: int
    articulo: str
    exacto: Fraction | None = None

    @property
    def no_aceptable(self) -> bool:
        return self.veredicto == NO_ACEPTABLE

    @property
    def no_conveniente(self) -> bool:
        return self.veredicto == NO_CONVENIENTE

    @property
    def pct(self) -> Decimal:
        """How far the price is from the exact central value, in % (+ above, − below), to
        0.1, or to as many more decimals as it takes (up to six) for the figure to fall on
        the side of the limit that the verdict says: +10.004 for a price not acceptable at
        +10.0037 % (to 0.1 it would read +10.0, the limit itself)."""
        centro = self.exacto if self.exacto is not None else Fraction(self.valor)
        exacto = (Fraction(Decimal(self.precio)) - centro) / centro * 100
        sobre, bajo = self.no_aceptable_pct, -self.no_conveniente_pct
        for decimales in range(1, 7):
            pct = al_centavo(exacto * Fraction(10) ** (decimales - 2)).scaleb(2 - decimales)
            dentro = bajo <= pct <= sobre
            if dentro == (self.veredicto == ACEPTABLE):
                break
        return pct

    @property
    def etiqueta(self) -> str:
        return str(VEREDICTOS[self.veredicto])

    @property
    def texto(self) -> str:
        return str(
            TEXTO_PRUEBA
            % {
                "veredicto": VEREDICTOS[self.veredicto],
                "pct": abs(self.pct),
                "lado": SOBRE if self.pct >= 0 else BAJO,
                "centro": CENTROS[self.centro],
                "valor": pesos(self.valor),
                "sobre": self.no_aceptable_pct,
                "bajo": self.no_conveniente_pct,
            }
        )

    def base(self) -> dict:
        """As the decision keeps it (PrecioDePartida.base()["ley"]): the exact centre as a
        fraction («29999/300»), beside the printed one."""
        return {
            "veredicto": self.veredicto,
            "centro": self.centro,
            "valor": str(self.valor),
            "exacto": None if self.exacto is None else str(self.exacto),
            "no_aceptable_pct": self.no_aceptable_pct,
            "no_conveniente_pct": self.no_conveniente_pct,
            "articulo": self.articulo,
        }


def prueba(
    precio: Decimal,
    validos: list[Decimal],
    *,
    centro: str,
    no_aceptable_pct: int,
    no_conveniente_pct: int,
    articulo: str = "",
) -> Prueba | None:
    """The law's tests of `precio` against the central value of the valid quotes `validos`
    (all in the same unit); None without a valid quote or without a price."""
    exacto = centro_exacto(validos, centro)
    if exacto is None or precio is None or exacto <= 0:
        return None
    return Prueba(
        precio=Decimal(precio),
        centro=centro,
        valor=al_centavo(exacto),
        exacto=exacto,
        veredicto=veredicto(
            precio,
            valor=exacto,
            no_aceptable_pct=no_aceptable_pct,
            no_conveniente_pct=no_conveniente_pct,
        ),
        no_aceptable_pct=no_aceptable_pct,
        no_conveniente_pct=no_conveniente_pct,
        articulo=articulo,
    )


def desde_base(base: dict, precio) -> Prueba:
    """The tests as a decision kept them (Prueba.base()), of the price typed then."""
    return Prueba(
        precio=Decimal(precio),
        centro=base["centro"],
        valor=Decimal(base["valor"]),
        veredicto=base["veredicto"],
        no_aceptable_pct=base["no_aceptable_pct"],
        no_conveniente_pct=base["no_conveniente_pct"],
        articulo=base.get("articulo", ""),
        exacto=Fraction(base["exacto"]) if base.get("exacto") else None,
    )
