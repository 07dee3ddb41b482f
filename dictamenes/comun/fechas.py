"""Dates in Mexican Spanish, as the pages, the e-mails and the history write them."""

from django.utils.formats import date_format


def fecha_larga(valor) -> str:
    """29 de agosto de 2024: the month in lower case, as Spanish writes it (the locale's
    DATE_FORMAT capitalises it: «29 de Agosto de 2024»)."""
    if not valor:
        return ""
    return f"{valor.day} de {date_format(valor, 'F').lower()} de {valor.year}"
