"""Template filters for labels and amounts (pesos)."""

from django import template

from dictamenes import montos
from estandares.cumplimiento import Resultado, Veredicto

register = template.Library()

_ETIQUETAS = {**{v.value: v.label for v in Veredicto}, **{r.value: r.label for r in Resultado}}


@register.filter
def etiqueta_resultado(codigo) -> str:
    """«no_cumple» → «No cumple»: the engine's codes as people read them."""
    return str(_ETIQUETAS.get(codigo, codigo or "—"))


@register.filter
def pesos(monto) -> str:
    """21500 → «$21,500.00»: see dictamenes.montos."""
    return montos.pesos(monto)
