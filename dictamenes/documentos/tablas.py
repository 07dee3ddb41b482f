"""Helpers for the spreadsheets the system hands out (CSV)."""


def sin_formulas(valor):
    """Neutralise spreadsheet formula injection in exported text."""
    if isinstance(valor, str) and valor[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + valor
    return valor
