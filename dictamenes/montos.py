"""Money as people in Mexico write it, for pages, messages and texts alike; and the fiscal
years and the smallest amount that the pages and the API (dictamenes.api.campos, whose schema
says the same) accept."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The fiscal years a new request or programme may name, and the smallest amount.
EJERCICIO_MIN = 2020
EJERCICIO_MAX = 2100
MONTO_MIN = Decimal("0.01")
# A request's fiscal year (issue 59, item 5): the current one or the next, on the page, in the
# API and in the services (tramite.services.solicitudes). The requester chose any year from
# 2020 to 2100 before, and the same purchase under another year escaped the split check.
# History imported from before the system (operacion.services.importacion) keeps its own
# bound: it records years already closed.
ERROR_EJERCICIO = _(
    "El ejercicio fiscal de una solicitud es el actual (%(actual)s) o el siguiente (%(siguiente)s)."
)


def ejercicios_permitidos() -> tuple[int, int]:
    """The fiscal years a request may name today: the current one and the next."""
    actual = timezone.localdate().year
    return actual, actual + 1


ERROR_MONTO_POSITIVO = _("El monto debe ser mayor que cero.")


def pesos(monto) -> str:
    """21500 → «$21,500.00» (es-MX: comma for thousands, point for cents), whatever the
    number's type; no amount → «—»."""
    if monto is None or monto == "":
        return "—"
    try:
        valor = Decimal(str(monto)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(monto)
    signo = "-" if valor < 0 else ""
    return f"{signo}${abs(valor):,.2f}"


# An amount as typed: the digits 0-9 and at most one decimal point. Python's Decimal() (and
# so Django's and DRF's decimal fields) also reads "１０００" (full-width), "١٠٠٠" (Arabic-Indic
# digits), "1_000", "1e3" and "  1000 " with other blanks: a number the person did not see
# as they wrote it, stored as another (the vías threshold "５００" was saved as $500.00).
# With `miles`, where a page accepted them before (the vías threshold, the annual programme):
# a leading "$" and commas grouping thousands, «$500,000.00».
_MONTO_ESCRITO = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_MONTO_CON_MILES = re.compile(r"-?(?:\$ ?)?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?")
ERROR_MONTO_DIGITOS = _(
    "Escriba el monto solo con los dígitos del 0 al 9 y, si lleva centavos, un punto "
    "(por ejemplo, 150000.50)."
)
ERROR_MONTO_DIGITOS_MILES = _(
    "Escriba el monto solo con los dígitos del 0 al 9, comas para los miles y, si lleva "
    "centavos, un punto (por ejemplo, 150,000.50)."
)


def monto_texto_leer(texto: str, *, miles: bool = False) -> str:
    """The amount as typed, checked as text (see above) and without its "$" and commas:
    what Decimal() then reads. ValidationError (code "invalid") otherwise."""
    texto = texto.strip(" \t\r\n")
    if miles and _MONTO_CON_MILES.fullmatch(texto):
        return texto.lstrip("$ ").replace(",", "")
    if not miles and _MONTO_ESCRITO.fullmatch(texto):
        return texto
    raise ValidationError(
        ERROR_MONTO_DIGITOS_MILES if miles else ERROR_MONTO_DIGITOS, code="invalid"
    )


class MontoEscritoField(forms.DecimalField):
    """A form's amount, read by monto_texto_leer before DecimalField does the rest (digits,
    decimal places, minimum). `miles`: accept «$500,000.00»."""

    def __init__(self, *args, miles: bool = False, **kwargs):
        self.miles = miles
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip() not in self.empty_values:
            value = monto_texto_leer(value, miles=self.miles)
        return super().to_python(value)
