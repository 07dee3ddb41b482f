"""Dates in Mexican Spanish, as the pages, the e-mails and the history write them."""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format


def fecha_larga(valor) -> str:
    """29 de agosto de 2024: the month in lower case, as Spanish writes it (the locale's
    DATE_FORMAT capitalises it: «29 de Agosto de 2024»)."""
    if not valor:
        return ""
    return f"{valor.day} de {date_format(valor, 'F').lower()} de {valor.year}"


def zona_local(momento=None) -> str:
    """The installation's zone as the open data and the reports say it, from the setting and
    never a city written in code: «UTC-07:00, America/Hermosillo». The offset is the one in
    force at `momento` (now when None); the reports' font has no U+2212 minus."""
    local = timezone.localtime(momento or timezone.now())
    desfase = local.strftime("%z")  # "-0700"
    return f"UTC{desfase[0]}{desfase[1:3]}:{desfase[3:5]}, {settings.TIME_ZONE}"
