"""What people type, read in one place: free text (model and form fields) and the numbers of
query strings.

Text
- Normalised to NFC, so that "é" typed as "e" + U+0301 is stored, searched and signed as the
  one character "é".
- A single-line field refuses every control character (tab included) and the characters that
  change the direction of what follows: the embeddings, overrides and isolates U+202A–U+202E
  and U+2066–U+2069 (the "Trojan Source" characters, which make a title read differently on
  the public register, in the open data, in an e-mail and in the console log), and also the
  invisible direction marks U+200E, U+200F and U+061C: Spanish text has no use for them and
  they hide inside a name or a folio. The line and paragraph separators U+2028 and U+2029 go
  too: they break a line where no line may break.
- A multi-line field allows tab and newline among the control characters; a carriage return
  (a browser sends a textarea's lines joined by CR LF) becomes a newline. The direction
  characters are refused there too.
- Lone surrogates (a JSON body can carry "\\ud800") are refused everywhere: no database
  stores them.
- Every field has a maximum length, enforced by `full_clean()` too: Django checks a
  TextField's max_length only in forms.

The model fields `TextoCorto` and `TextoLargo` do this in `to_python` (which `full_clean()`
goes through) and in their validators, so services, ModelForms, the admin and DRF's
ModelSerializers all get it. `TextoCortoField` and `TextoLargoField` are the same for a plain
form. A save without `full_clean()` stores the text as given: a service may have hashed or
signed it already (a cancellation's reason goes into its cadena), and the stored text must be
the signed one; such a service normalises first, with `texto_normalizar`.

This module lives in `estandares`, the lowest layer of the import contracts, so that the
catalogue's models and every layer of `dictamenes` use the same one.

Numbers
A number in a query string is digits 0-9 only (no sign, no exponent, no "NaN" or
"Infinity", no digits of other scripts) within what a column holds; an amount may carry a
point and up to two decimals. Anything else is a ValidationError with a Spanish message, and
the page or the API answers 400 (dictamenes.filtros).
"""

import re
import unicodedata
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError as ErrorDeLaApi

# Default maxima: a title or a name, and a long text such as a justification.
CORTO_MAX = 300
LARGO_MAX = 10_000

# Embeddings and overrides, isolates, and the implicit direction marks.
DIRECCION = frozenset(
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
)
SEPARADORES = frozenset("\u2028\u2029")
SALTOS = str.maketrans({"\r": "\n"})

ERROR_CARACTERES = _(
    "El texto contiene caracteres de control o de dirección (%(caracteres)s) que no se permiten."
)
# At most this many distinct characters are named in the message.
NOMBRADOS = 5


def texto_normalizar(valor: str, *, multilinea: bool) -> str:
    """NFC and, in a multi-line text, CR LF and lone CR as LF."""
    if multilinea and "\r" in valor:
        valor = valor.replace("\r\n", "\n").translate(SALTOS)
    if not unicodedata.is_normalized("NFC", valor):
        valor = unicodedata.normalize("NFC", valor)
    return valor


def caracteres_prohibidos(valor: str, *, multilinea: bool) -> list[str]:
    """The characters of `valor` that the field refuses, each once, in order of appearance."""
    permitidos = "\t\n" if multilinea else ""
    vistos = []
    for caracter in valor:
        if caracter in vistos or caracter in permitidos:
            continue
        if (
            caracter in DIRECCION
            or caracter in SEPARADORES
            or unicodedata.category(caracter) in ("Cc", "Cs")
        ):
            vistos.append(caracter)
    return vistos


@deconstructible
class CaracteresPermitidos:
    """Refuses control, direction and separator characters; see the module's docstring."""

    code = "caracteres_prohibidos"

    def __init__(self, *, multilinea: bool = False):
        self.multilinea = multilinea

    def __call__(self, valor) -> None:
        if not isinstance(valor, str):
            return
        prohibidos = caracteres_prohibidos(valor, multilinea=self.multilinea)
        if prohibidos:
            raise ValidationError(
                ERROR_CARACTERES,
                code=self.code,
                params={"caracteres": ", ".join(f"U+{ord(c):04X}" for c in prohibidos[:NOMBRADOS])},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, CaracteresPermitidos) and other.multilinea == self.multilinea

    def __hash__(self) -> int:
        return hash((type(self), self.multilinea))


UNA_LINEA = CaracteresPermitidos(multilinea=False)
VARIAS_LINEAS = CaracteresPermitidos(multilinea=True)


def _sin_nulo_de_django(lista: list) -> list:
    # Ours names NUL (U+0000) with the others: Django's would say it a second time.
    return [v for v in lista if not isinstance(v, validators.ProhibitNullCharactersValidator)]


# --- Form fields -------------------------------------------------------------------------


class TextoCortoField(forms.CharField):
    """A single-line text of a plain form: stripped, NFC, no control or direction
    characters, CORTO_MAX characters unless told."""

    multilinea = False

    def __init__(self, *, max_length: int = CORTO_MAX, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [
            *_sin_nulo_de_django(self.validators),
            VARIAS_LINEAS if self.multilinea else UNA_LINEA,
        ]

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = texto_normalizar(value, multilinea=self.multilinea)
        return value


class TextoLargoField(TextoCortoField):
    """A multi-line text of a plain form (a textarea): tab and newline allowed, CR LF read
    as a newline, LARGO_MAX characters unless told."""

    multilinea = True
    widget = forms.Textarea

    def __init__(self, *, max_length: int = LARGO_MAX, **kwargs):
        super().__init__(max_length=max_length, **kwargs)


# --- Model fields --------------------------------------------------------------------------


class _Texto:
    multilinea = False
    form_class = TextoCortoField

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = texto_normalizar(value, multilinea=self.multilinea)
        return value

    def get_prep_value(self, value):
        # Django's CharField and TextField call to_python here, on every save and lookup:
        # stored as given instead (see the module's docstring).
        value = models.Field.get_prep_value(self, value)
        return value if value is None else str(value)

    @cached_property
    def validators(self):
        propios = [VARIAS_LINEAS if self.multilinea else UNA_LINEA]
        return [*_sin_nulo_de_django(super().validators), *propios]

    def formfield(self, **kwargs):
        if self.choices is None:
            kwargs.setdefault("form_class", self.form_class)
        return super().formfield(**kwargs)


class TextoCorto(_Texto, models.CharField):
    """A single-line CharField people type into (a title, a name)."""


class TextoLargo(_Texto, models.TextField):
    """A multi-line TextField people type into, with a maximum length that `full_clean()`
    enforces (a TextField's max_length alone binds only forms)."""

    multilinea = True
    form_class = TextoLargoField

    def __init__(self, *args, max_length: int = LARGO_MAX, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, validators.MaxLengthValidator(self.max_length)]


# --- Numbers of a query string -----------------------------------------------------------


def mensajes_de(form: forms.Form) -> list[str]:
    """A query string's errors as "Label: message", in the order of the form's fields."""
    if not form.is_bound or form.is_valid():
        return []
    return [
        f"{form.fields[nombre].label or nombre}: {mensaje}"
        for nombre in form.fields
        for mensaje in form.errors.get(nombre, [])
    ]


def parametros_leer(request, form: forms.Form) -> dict:
    """A page's query string read by its form: the values, or {} and each error as a message
    on the page (the view answers 400 when `form.errors`)."""
    if form.is_valid():
        return form.cleaned_data
    for mensaje in mensajes_de(form):
        messages.error(request, mensaje)
    return {}


# The largest whole number a database column holds (SQLite's and PostgreSQL's bigint).
MAYOR_ENTERO = 2**63 - 1
ERROR_ENTERO = _("Escriba un número entero, solo con dígitos del 0 al 9.")
ERROR_ENTERO_GRANDE = _("El número es demasiado grande.")
ERROR_PAGINA = _("El número de página debe ser un entero positivo, escrito con dígitos del 0 al 9.")
ERROR_MONTO = _(
    "Escriba un monto con dígitos del 0 al 9 y, si lleva centavos, un punto y hasta dos "
    "decimales (por ejemplo, 150000.50), de a lo más 12 cifras enteras."
)
_ENTERO = re.compile(r"[0-9]+")
# max_digits=14, decimal_places=2: what an amount column holds.
_MONTO = re.compile(r"[0-9]{1,12}(\.[0-9]{0,2})?")


class _NumeroField(forms.CharField):
    """A number of a query string: read without the spaces around it; empty is no value."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.validators = _sin_nulo_de_django(self.validators)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return self.leer(value)

    def leer(self, texto: str):
        raise NotImplementedError


class EnteroField(_NumeroField):
    """A whole number 0 to MAYOR_ENTERO, written with the digits 0-9 only."""

    def leer(self, texto: str) -> int:
        if not _ENTERO.fullmatch(texto):
            raise ValidationError(ERROR_ENTERO, code="invalid")
        # Compared as text first: int() of a string of a million digits is itself slow.
        if len(texto.lstrip("0")) > len(str(MAYOR_ENTERO)) or int(texto) > MAYOR_ENTERO:
            raise ValidationError(ERROR_ENTERO_GRANDE, code="max_value")
        return int(texto)


class MontoField(_NumeroField):
    """An amount in pesos: digits 0-9, optionally a point and up to two decimals."""

    def leer(self, texto: str) -> Decimal:
        if not _MONTO.fullmatch(texto):
            raise ValidationError(ERROR_MONTO, code="invalid")
        return Decimal(texto)


class PaginaField(EnteroField):
    """A page number: 1 or more. A page past the last is the last page on a list page, as
    Django's paginator does, and 404 in the API, as DRF does."""

    def leer(self, texto: str) -> int:
        try:
            numero = super().leer(texto)
        except ValidationError as exc:
            raise ValidationError(ERROR_PAGINA, code="invalid") from exc
        if numero < 1:
            raise ValidationError(ERROR_PAGINA, code="min_value")
        return numero


class PaginaEstricta:
    """For a DRF PageNumberPagination: the page number read as strictly as on the pages, a
    400 with {"page": [message]} when it is not one ("last" still means the last page)."""

    def get_page_number(self, request, paginator):
        valor = request.query_params.get(self.page_query_param, "")
        if valor in self.last_page_strings:
            return paginator.num_pages
        try:
            return PaginaField().clean(valor) or 1
        except ValidationError as exc:
            raise ErrorDeLaApi({self.page_query_param: exc.messages}) from exc
