"""A register row's validity in words: {{ fila|vigencia }} (publico.estado.fila_vigencia)."""

from django import template

from publico.estado import fila_vigencia

register = template.Library()


@register.filter
def vigencia(fila: dict) -> str:
    return fila_vigencia(fila)
