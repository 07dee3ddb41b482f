"""The conditions block of a request's page, read here so that the page's own view need not
know about it: `{% condiciones_solicitud as filas %}`
(dictamenes.seguimiento.selectors.condiciones)."""

from django import template

from dictamenes.seguimiento.selectors.condiciones import condiciones_de

register = template.Library()


@register.simple_tag(takes_context=True)
def condiciones_solicitud(context):
    """The conditions of the request's dictamen in force, with their light and what the
    person may do: no query unless the dictamen is favorable condicionado."""
    return condiciones_de(
        solicitud=context["solicitud"],
        dictamen=context.get("dictamen"),
        usuario=context["request"].user,
    )
