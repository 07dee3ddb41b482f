"""A dictamen's public status where a page has the dictamen itself (the request's page):
{% with estado=dictamen|estado_publico %}{% include "verificar/_estado_texto.html" %}.
The same publico.estado.dictamen_estado as /verificar/, so the same words."""

from django import template

from publico.estado import dictamen_estado

register = template.Library()


@register.filter
def estado_publico(dictamen):
    return dictamen_estado(dictamen=dictamen)
