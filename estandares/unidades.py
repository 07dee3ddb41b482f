"""Units of the standards and their conversions.

Values convert within a dimension (GB ↔ TB, MHz ↔ GHz, Mbps ↔ Gbps, meses ↔ años) by exact
decimal factors. Storage and data units are decimal (1 TB = 1000 GB), as manufacturers and
quotes state them. A unit outside any dimension (núcleos, puertos, %) only matches itself.
"""

from decimal import Decimal

# dimension -> {unit: factor to the dimension's base unit}
DIMENSIONES: dict[str, dict[str, Decimal]] = {
    "datos": {"MB": Decimal(1), "GB": Decimal(1000), "TB": Decimal(1000) ** 2},
    "frecuencia": {"MHz": Decimal(1), "GHz": Decimal(1000)},
    "velocidad": {"Mbps": Decimal(1), "Gbps": Decimal(1000)},
    "tiempo": {"meses": Decimal(1), "años": Decimal(12)},
    "potencia": {"W": Decimal(1), "kW": Decimal(1000)},
    "potencia_aparente": {"VA": Decimal(1), "kVA": Decimal(1000)},
}
SIMPLES = [
    "núcleos",
    "puertos",
    "pulgadas",
    "ppm",
    "dpi",
    "usuarios",
    "licencias",
    "horas",
    "U",
    "%",
]

# Spellings people type, normalised to the canonical unit.
SINONIMOS = {
    "mb": "MB",
    "gb": "GB",
    "tb": "TB",
    "mhz": "MHz",
    "ghz": "GHz",
    "mbps": "Mbps",
    "mb/s": "Mbps",
    "gbps": "Gbps",
    "gb/s": "Gbps",
    "mes": "meses",
    "meses": "meses",
    "año": "años",
    "años": "años",
    "anio": "años",
    "anios": "años",
    "w": "W",
    "kw": "kW",
    "va": "VA",
    "kva": "kVA",
    "núcleo": "núcleos",
    "nucleo": "núcleos",
    "nucleos": "núcleos",
    "núcleos": "núcleos",
    "puerto": "puertos",
    "puertos": "puertos",
    "pulgada": "pulgadas",
    "pulgadas": "pulgadas",
    '"': "pulgadas",
    "ppm": "ppm",
    "dpi": "dpi",
    "usuario": "usuarios",
    "usuarios": "usuarios",
    "licencia": "licencias",
    "licencias": "licencias",
    "hora": "horas",
    "horas": "horas",
    "h": "horas",
    "u": "U",
    "%": "%",
}

TODAS = [u for dim in DIMENSIONES.values() for u in dim] + SIMPLES
OPCIONES_UNIDAD = [(u, u) for u in TODAS]


class UnidadIncompatible(ValueError):
    pass


def normalizar(texto: str) -> str | None:
    """The canonical spelling of a unit, or None if it is unknown."""
    limpio = texto.strip()
    if limpio in TODAS:
        return limpio
    return SINONIMOS.get(limpio.casefold())


def dimension_de(unidad: str) -> str | None:
    for nombre, unidades in DIMENSIONES.items():
        if unidad in unidades:
            return nombre
    return None


def compatibles(unidad: str) -> list[str]:
    """The units a value for `unidad` may be given in (for the form's unit selector)."""
    dimension = dimension_de(unidad)
    return list(DIMENSIONES[dimension]) if dimension else [unidad]


def convertir(valor: Decimal, desde: str, hacia: str) -> Decimal:
    if desde == hacia:
        return valor
    dimension = dimension_de(desde)
    if dimension is None or dimension != dimension_de(hacia):
        raise UnidadIncompatible(f"{desde} no se convierte a {hacia}")
    factores = DIMENSIONES[dimension]
    return valor * factores[desde] / factores[hacia]
