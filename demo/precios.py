"""The demo's market (issue 62): what each profile of the standards costs, so that the demo's
requests and the generated history have prices a reviewer would recognise, and the reference
prices drawn from them say something true.

BASE: the typical unit price of each profile, by (category clave, profile clave), in the
unit the references compare: per piece; per month for services; per licence-year for
licences. UNIDAD: how the demo and the history write the items of each category (the unit
and the months the typed unit price covers). A request's or the history's price is the base
times a spread (demo.historico draws it); the demo's own requests write theirs by hand."""

from decimal import Decimal

BASE = {
    ("computadora-escritorio", "basico"): Decimal("15000"),
    ("computadora-escritorio", "intermedio"): Decimal("17500"),
    ("computadora-escritorio", "avanzado"): Decimal("24000"),
    ("computadora-portatil", "basico"): Decimal("17500"),
    ("computadora-portatil", "avanzado"): Decimal("26000"),
    ("impresora-multifuncional", "departamental"): Decimal("22000"),
    ("servidor", "rack-virtualizacion"): Decimal("290000"),
    ("almacenamiento", "arreglo-compartido"): Decimal("450000"),
    ("switch", "acceso"): Decimal("40000"),
    ("switch", "nucleo"): Decimal("85000"),
    ("punto-acceso", "interior"): Decimal("9000"),
    ("firewall-nueva-generacion", "perimetral-empresarial"): Decimal("1000000"),
    ("telefonia-ip", "estandar"): Decimal("4200"),
    ("licencia-software", "general"): Decimal("1600"),
    ("servicio-internet", "dedicado"): Decimal("6500"),
    ("servicio-centro-datos", "integral"): Decimal("150000"),
    ("desarrollo-software", "sistema-institucional"): Decimal("900000"),
    ("baja-bienes", "equipo-obsoleto"): Decimal("500"),
}

# (unidad, meses): a service or a licence is written for a year; anything else per piece.
UNIDAD = {
    "servicio-internet": ("servicio", 12),
    "servicio-centro-datos": ("servicio", 12),
    "licencia-software": ("licencia", 12),
}
POR_PIEZA = ("pieza", None)


def unidad_de(categoria_clave: str) -> tuple[str, int | None]:
    return UNIDAD.get(categoria_clave, POR_PIEZA)


def tecleado(categoria_clave: str, perfil_clave: str, veces: Decimal = Decimal(1)) -> Decimal:
    """The unit price an item of this profile would carry, in its own unit (a year of a
    service, of a licence), `veces` times the base, to the peso."""
    unidad, meses = unidad_de(categoria_clave)
    base = BASE[(categoria_clave, perfil_clave)] * veces
    if unidad == "servicio":
        base *= meses
    elif unidad == "licencia":
        base = base * meses / 12
    return base.quantize(Decimal(1))
