"""`{% institucion_sin_base %}`: the institution's name on the error pages, which are shown
when the database may be down and get no context processors (organizacion.selectors.textos).
`|articulo`: a name of the institution's texts after its article (models.articulos), the one
way a template writes «la {unidad}»: `{{ unidad_resuelve_nombre|articulo }}` → «la
Coordinación…», `{{ unidad_firma_nombre|articulo:"de" }}` → «del Instituto…», and a
capitalised argument («La», «De») for a sentence's start."""

from django import template

from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors.textos import institucion_sin_base as _institucion_sin_base

register = template.Library()


@register.simple_tag
def institucion_sin_base() -> str:
    return _institucion_sin_base()


@register.filter
def articulo(nombre, preposicion: str = "") -> str:
    """The name after its own article (a plain text takes «la»), and after `preposicion`; an
    argument that starts with a capital («La», «De») starts the sentence."""
    mayuscula = preposicion[:1].isupper()
    if preposicion.lower() in ("la", "el", "las", "los"):
        preposicion = ""
    return con_articulo(nombre, preposicion, mayuscula=mayuscula)
