"""Template filters for dates in Mexican Spanish."""

from django import template

from dictamenes.comun import fechas

register = template.Library()

register.filter("fecha_larga", fechas.fecha_larga)
