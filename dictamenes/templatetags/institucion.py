"""`{% institucion_sin_base %}`: the institution's name on the error pages, which are shown
when the database may be down and get no context processors (organizacion.selectors.textos)."""

from django import template

from dictamenes.organizacion.selectors.textos import institucion_sin_base as _institucion_sin_base

register = template.Library()


@register.simple_tag
def institucion_sin_base() -> str:
    return _institucion_sin_base()
