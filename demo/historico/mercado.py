"""What an item of the history costs and how many are bought (issue 62): the profile's base
price (demo.precios.BASE, today's, in the references' unit) moved by a slow trend over the
years, times a log-normal spread around it, and now and then a price far above the market,
the kind a strategic reviewer should catch. Quantities follow what is bought of each
category: a data-centre service is one, desktops come by the dozen.

Drawn from a stream of its own (Contexto.mercado), so the prices do not move the world's
other draws, and pure: no query."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from demo import precios
from dictamenes.precios import reglas

SIGMA = 0.15  # log-normal spread around the market: two in three within ±15 %
ATIPICOS = 0.05  # share of items priced far above the market
ATIPICO = (1.6, 2.5)  # how far above: times the base
# Yearly change of a category's price: hardware gets cheaper, services and licences follow
# inflation, development follows wages. By unit unless the category says otherwise.
TENDENCIA_POR_UNIDAD = {"pieza": -0.05, "servicio": 0.04, "licencia": 0.03}
TENDENCIA = {"desarrollo-software": 0.05, "baja-bienes": 0.0}
# Items bought at once, uniform in [least, most], per category.
CANTIDAD = {
    "computadora-escritorio": (5, 120),
    "computadora-portatil": (2, 60),
    "impresora-multifuncional": (1, 15),
    "servidor": (1, 6),
    "almacenamiento": (1, 2),
    "switch": (1, 24),
    "punto-acceso": (4, 60),
    "firewall-nueva-generacion": (1, 2),
    "telefonia-ip": (10, 150),
    "licencia-software": (10, 400),
    "servicio-internet": (1, 6),
    "servicio-centro-datos": (1, 1),
    "desarrollo-software": (1, 1),
    "baja-bienes": (10, 200),
}
CANTIDAD_OMISION = (1, 20)
# A profile the demo's market does not price (a catalogue grown after it): a middling base.
BASE_OMISION = Decimal("20000")


@dataclass(frozen=True)
class Precio:
    cantidad: int
    precio_unitario: Decimal  # in the item's own unit, to the peso
    unidad: str
    meses: int | None


def epoca(*, categoria: str, anios_atras: float) -> float:
    """What the market price was `anios_atras` years ago, in times today's base."""
    unidad, _meses = precios.unidad_de(categoria)
    tendencia = TENDENCIA.get(categoria, TENDENCIA_POR_UNIDAD[unidad])
    # The base is today's price: `anios_atras` years ago it was base / (1 + tendencia)^años.
    return (1 + tendencia) ** -anios_atras


def veces(azar, *, categoria: str, anios_atras: float) -> float:
    """How many times today's base this purchase cost."""
    epoca_ = epoca(categoria=categoria, anios_atras=anios_atras)
    if azar.random() < ATIPICOS:
        return epoca_ * azar.uniform(*ATIPICO)
    return epoca_ * azar.lognormvariate(0, SIGMA)


def precio(azar, *, categoria: str, perfil: str, fecha, hoy, veces_de=veces) -> Precio:
    """One item of profile (categoria, perfil) bought on `fecha`, with today being `hoy`.
    `veces_de(azar, categoria=, anios_atras=)`: how many times today's base it cost."""
    anios_atras = max((hoy - fecha) / datetime.timedelta(days=365.25), 0)
    factor = veces_de(azar, categoria=categoria, anios_atras=anios_atras)
    unidad, meses = precios.unidad_de(categoria)
    factor = Decimal(f"{factor:.4f}")
    if (categoria, perfil) in precios.BASE:
        unitario = precios.tecleado(categoria, perfil, factor)
    else:
        unitario = reglas.en_unidad_de(BASE_OMISION * factor, unidad, meses).quantize(Decimal(1))
    menos, mas = CANTIDAD.get(categoria, CANTIDAD_OMISION)
    return Precio(
        cantidad=azar.randint(menos, mas),
        precio_unitario=max(unitario, Decimal(1)),
        unidad=unidad,
        meses=meses,
    )
