from django import template

from estandares.cumplimiento import Resultado, Veredicto

register = template.Library()

_ETIQUETAS = {**{v.value: v.label for v in Veredicto}, **{r.value: r.label for r in Resultado}}


@register.filter
def etiqueta_resultado(codigo) -> str:
    """«no_cumple» → «No cumple»: the engine's codes as people read them."""
    return str(_ETIQUETAS.get(codigo, codigo or "—"))
