"""Money as people in Mexico write it, for pages, messages and texts alike; and the fiscal
years and the smallest amount that the pages and the API (dictamenes.api.campos, whose schema
says the same) accept."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

# The fiscal years a new request or programme may name, and the smallest amount.
EJERCICIO_MIN = 2020
EJERCICIO_MAX = 2100
MONTO_MIN = Decimal("0.01")
ERROR_MONTO_POSITIVO = _("El monto debe ser mayor que cero.")


def pesos(monto) -> str:
    """21500 → «$21,500.00» (es-MX: comma for thousands, point for cents), whatever the
    number's type; no amount → «—»."""
    if monto is None or monto == "":
        return "—"
    try:
        valor = Decimal(str(monto)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(monto)
    signo = "-" if valor < 0 else ""
    return f"{signo}${abs(valor):,.2f}"
