"""Horizontal bar charts as inline SVG: readable at a glance, no JavaScript, no inline CSS.
Each chart is decorative for screen readers; the page gives the same data as a table."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html, format_html_join

register = template.Library()

ALTO_FILA = 22
ANCHO_ETIQUETA = 190
ANCHO_BARRA = 360


@register.simple_tag
def grafica_barras(filas, etiqueta: str, valor: str, resaltar_desde: int | None = None):
    alto = ALTO_FILA * len(filas) + 4
    ancho = ANCHO_ETIQUETA + ANCHO_BARRA + 70
    maximo = max((f[valor] or 0 for f in filas), default=0) or 1
    barras = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="{}" y="15" text-anchor="end" class="g-etq">{}'
        '</text><rect x="{}" y="3" height="16" width="{}" class="g-barra{}"></rect>'
        '<text x="{}" y="15" class="g-val">{}</text></g>',
        (
            (
                i * ALTO_FILA + 2,
                ANCHO_ETIQUETA - 8,
                str(f[etiqueta])[:32],
                ANCHO_ETIQUETA,
                round(ANCHO_BARRA * (f[valor] or 0) / maximo, 1),
                " g-barra--alta" if resaltar_desde and i + 1 >= resaltar_desde else "",
                ANCHO_ETIQUETA + round(ANCHO_BARRA * (f[valor] or 0) / maximo, 1) + 6,
                intcomma(f[valor] or 0),
            )
            for i, f in enumerate(filas)
        ),
    )
    return format_html(
        '<svg class="grafica" viewBox="0 0 {} {}" width="100%" aria-hidden="true" '
        'focusable="false">{}</svg>',
        ancho,
        alto,
        barras,
    )
