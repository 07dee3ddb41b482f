"""Template filters for dates in Mexican Spanish."""

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def fecha_larga(valor) -> str:
    """29 de agosto de 2024: the month in lower case, as Spanish writes it."""
    if not valor:
        return ""
    return f"{valor.day} de {date_format(valor, 'F').lower()} de {valor.year}"
