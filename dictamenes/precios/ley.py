"""The law's price tests (issue 76, item 5), written once and pure: the Ley de Adquisiciones,
Arrendamientos y Servicios del Sector Público (DOF 16/04/2025) calls a price *no aceptable*
when it is more than a percentage above the central value of the market research, and *no
conveniente* when it is more than a percentage below it. The state profile
(ConfiguracionVias) says which central value (the mean or the median of the valid quotes,
`ley_centro`), both percentages and the article it cites.

The boundaries, stated: the central value is taken to the cent (as the market price is
printed, so a reader can redo the test from the printed figures); a price exactly
`no_aceptable_pct` % above it is still acceptable, a cent more is not; a price exactly
`no_conveniente_pct` % below it is still convenient, a cent less is not."""

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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


def valor_central(precios: list[Decimal], centro: str) -> Decimal | None:
    """The mean or the median of the valid quotes' prices, to the cent; None without any."""
    if not precios:
        return None
    precios = [Decimal(p) for p in precios]
    media = sum(precios) / len(precios)
    valor = media if centro == CentroLey.MEDIA else statistics.median(precios)
    return Decimal(valor).quantize(CENTAVO, ROUND_HALF_UP)


def veredicto(
    precio: Decimal, *, valor: Decimal, no_aceptable_pct: int, no_conveniente_pct: int
) -> str:
    """ACEPTABLE, NO_ACEPTABLE (more than `no_aceptable_pct` % above `valor`) or
    NO_CONVENIENTE (more than `no_conveniente_pct` % below it). Exact: no rounding."""
    precio, valor = Decimal(precio), Decimal(valor)
    if precio > valor * (1 + Decimal(no_aceptable_pct) / 100):
        return NO_ACEPTABLE
    if precio < valor * (1 - Decimal(no_conveniente_pct) / 100):
        return NO_CONVENIENTE
    return ACEPTABLE


@dataclass(frozen=True)
class Prueba:
    """The law's tests of one price against the market research's central value."""

    precio: Decimal
    centro: str  # CentroLey
    valor: Decimal
    veredicto: str
    no_aceptable_pct: int
    no_conveniente_pct: int
    articulo: str

    @property
    def no_aceptable(self) -> bool:
        return self.veredicto == NO_ACEPTABLE

    @property
    def no_conveniente(self) -> bool:
        return self.veredicto == NO_CONVENIENTE

    @property
    def pct(self) -> Decimal:
        """How far the price is from the central value, in % (+ above, − below), to 0.1."""
        return ((self.precio - self.valor) / self.valor * 100).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

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
        """As the decision keeps it (PrecioDePartida.base()["ley"])."""
        return {
            "veredicto": self.veredicto,
            "centro": self.centro,
            "valor": str(self.valor),
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
    valor = valor_central(validos, centro)
    if valor is None or precio is None or valor <= 0:
        return None
    return Prueba(
        precio=Decimal(precio),
        centro=centro,
        valor=valor,
        veredicto=veredicto(
            precio,
            valor=valor,
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
    )
