"""Masking RFC and CURP on public pages (publico.datos_personales):
{{ rfc|enmascarada }} for a field that holds one, {{ texto|sin_rfc_ni_curp }} for a text that
may contain them (the cadena original), and {{ texto|publicable }} for the text people typed
(texto_publicable: e-mail addresses and telephone numbers too)."""

from django import template

from publico.datos_personales import clave_enmascarar, texto_enmascarar, texto_publicable

register = template.Library()


@register.filter
def enmascarada(clave) -> str:
    return clave_enmascarar(str(clave or ""))


@register.filter
def sin_rfc_ni_curp(texto) -> str:
    return texto_enmascarar(str(texto or ""))


@register.filter
def publicable(texto) -> str:
    return texto_publicable(str(texto or ""))
