"""Money as people in Mexico write it, for pages, messages and texts alike."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


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
