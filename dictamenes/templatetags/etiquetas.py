"""Template filters for labels and amounts (pesos)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from estandares.cumplimiento import Resultado, Veredicto

register = template.Library()

_ETIQUETAS = {**{v.value: v.label for v in Veredicto}, **{r.value: r.label for r in Resultado}}


@register.filter
def etiqueta_resultado(codigo) -> str:
    """«no_cumple» → «No cumple»: the engine's codes as people read them."""
    return str(_ETIQUETAS.get(codigo, codigo or "—"))


@register.filter
def pesos(monto) -> str:
    """21500 → «$21,500.00»: money as people in Mexico write it (es-MX: comma for thousands,
    point for cents), whatever the number's type; no amount → «—»."""
    if monto is None or monto == "":
        return "—"
    try:
        valor = Decimal(str(monto)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(monto)
    signo = "-" if valor < 0 else ""
    return f"{signo}${abs(valor):,.2f}"
