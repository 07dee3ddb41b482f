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
  too: they break a line where no line may break. So does every other format character
  (Unicode category Cf: U+200B, U+200C, U+200D, U+2060, U+FEFF, the soft hyphen U+00AD...)
  and the whole tag block U+E0000–U+E007F (issue 33): they show as nothing, so a title or a
  name that carries them is not the text people read, and the tags can smuggle a whole
  hidden sentence.
- A multi-line field allows tab and newline among the control characters; a carriage return
  (a browser sends a textarea's lines joined by CR LF) becomes a newline. The direction
  characters and the tag block are refused there too. The other format characters are
  removed, not refused (issue 48): a justification pasted from a word processor or a PDF
  carries soft hyphens and zero-width spaces that nobody can see to delete, and what people
  type here is published (OCDS, the register), where U+200B, U+FEFF, U+2060, U+180E or
  U+FFF9 would travel unseen. An emoji joined by U+200D falls apart into its parts.
- A required text made only of characters that show as blank counts as empty ("Este campo
  es obligatorio."): spaces, the format characters, and the letters and signs drawn as
  nothing, such as U+3164 HANGUL FILLER, U+2800 BRAILLE PATTERN BLANK, U+115F, U+1160,
  U+FFA0 and the variation selectors (EN_BLANCO).
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

Reasons (issue 93, item 4)
- A required reason, justification or motive must also say something: estandares.motivos,
  beside this module and built on its en_blanco (this one would pass 600 lines).

This module lives in `estandares`, the lowest layer of the import contracts, so that the
catalogue's models and every layer of `dictamenes` use the same one.

Numbers
A number in a query string is digits 0-9 only (no sign, no exponent, no "NaN" or
"Infinity", no digits of other scripts) within what a column holds; an amount may carry a
point and up to two decimals. Anything else is a ValidationError with a Spanish message, and
the page or the API answers 400 (dictamenes.tramite.filtros).

A number typed in a form, the admin, the API or a command's argument is refused, with the
same message, when it carries a digit of another script or anything else Python's int() and
Decimal() read as a number though nobody would write it so: «１０» (full-width), «١٠»
(Arabic-Indic), «1_000». Refused rather than read as 10 (issue 61): what the person sees in the
field is not what the field holds, a number pasted from another script would pass unread in
one place and be refused in a query string, and a refusal costs one retype. Django's and
DRF's number fields are the one door (instalar_numeros_estrictos, from this app's ready()):
every ModelForm, the admin and every ModelSerializer build them, so no form of the project
can forget it; a command's argument reads with `entero_argumento`.
"""

import functools
import re
import sys
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
# The tag block: U+E0001 and U+E0020–U+E007F are format characters, the rest unassigned.
ETIQUETAS = range(0xE0000, 0xE0080)
# Drawn as nothing, though not spaces nor format characters: the Hangul fillers, the blank
# Braille pattern, invisible combining marks and the variation selectors.
EN_BLANCO = frozenset(
    chr(c)
    for c in (
        0x034F,
        0x115F,
        0x1160,
        0x17B4,
        0x17B5,
        *range(0x180B, 0x180E),
        0x180F,
        0x2800,
        0x3164,
        *range(0xFE00, 0xFE10),
        0xFFA0,
        *range(0xE0100, 0xE01F0),
    )
)
SALTOS = str.maketrans({"\r": "\n"})

ERROR_CARACTERES = _(
    "El texto contiene caracteres invisibles, de control o de dirección (%(caracteres)s) que "
    "no se permiten."
)
# At most this many distinct characters are named in the message.
NOMBRADOS = 5


@functools.cache
def _de_formato(*, todos: bool) -> re.Pattern:
    """The format characters (category Cf) as one pattern, built once (a tenth of a second):
    all of them, or those a multi-line text does not refuse (not the direction characters
    nor the tag block, which it names in its error)."""
    caracteres = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cf"
        and (todos or (chr(c) not in DIRECCION and c not in ETIQUETAS))
    ]
    if todos:
        caracteres += [chr(c) for c in ETIQUETAS]
    return re.compile("[" + "".join(map(re.escape, sorted(set(caracteres)))) + "]")


def formato_quitar(valor: str, *, todos: bool = True) -> str:
    """`valor` without its format characters (Unicode category Cf, and the tag block): what
    is published never carries them, whenever it was stored. todos=False keeps those a
    multi-line field refuses, so that its validator still names them."""
    if valor.isascii():
        return valor
    return _de_formato(todos=todos).sub("", valor)


def texto_normalizar(valor: str, *, multilinea: bool) -> str:
    """NFC and, in a multi-line text, CR LF and lone CR as LF and the format characters
    removed (those it allows: see the module's docstring)."""
    if multilinea and "\r" in valor:
        valor = valor.replace("\r\n", "\n").translate(SALTOS)
    if multilinea:
        valor = formato_quitar(valor, todos=False)
    if not unicodedata.is_normalized("NFC", valor):
        valor = unicodedata.normalize("NFC", valor)
    return valor


def prohibido(caracter: str, *, multilinea: bool) -> bool:
    """Whether a field refuses this character (tab and newline aside in a multi-line one)."""
    categoria = unicodedata.category(caracter)
    return (
        categoria in ("Cc", "Cs")
        or caracter in DIRECCION
        or caracter in SEPARADORES
        or ord(caracter) in ETIQUETAS
        or (categoria == "Cf" and not multilinea)
    )


def caracteres_prohibidos(valor: str, *, multilinea: bool) -> list[str]:
    """The characters of `valor` that the field refuses, each once, in order of appearance."""
    permitidos = "\t\n" if multilinea else ""
    vistos = []
    for caracter in valor:
        if caracter in vistos or caracter in permitidos:
            continue
        if prohibido(caracter, multilinea=multilinea):
            vistos.append(caracter)
    return vistos


def en_blanco(caracter: str) -> bool:
    """Whether the character shows as nothing: a space, a format character or EN_BLANCO."""
    return (
        caracter.isspace()
        or caracter in EN_BLANCO
        or ord(caracter) in ETIQUETAS
        or unicodedata.category(caracter) == "Cf"
    )


def solo_en_blanco(valor) -> bool:
    """A text that is not empty yet shows as empty: a required field counts it as empty."""
    return isinstance(valor, str) and valor != "" and all(en_blanco(c) for c in valor)


def texto_limpiar(valor: str, *, multilinea: bool = False) -> str:
    """A text that nobody here typed (what an identity provider asserts, a person's name):
    nobody can be asked to write it again, so the characters a field refuses are dropped
    instead, and a text that shows as blank becomes empty."""
    valor = texto_normalizar(valor, multilinea=multilinea)
    permitidos = "\t\n" if multilinea else ""
    limpio = "".join(
        c for c in valor if c in permitidos or not prohibido(c, multilinea=multilinea)
    ).strip()
    return "" if solo_en_blanco(limpio) else limpio


@deconstructible
class CaracteresPermitidos:
    """Refuses control, direction, separator and format characters; see the module's
    docstring."""

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
    """A single-line text of a plain form: stripped, NFC, no control, direction or format
    characters, not only blanks when required, CORTO_MAX characters unless told."""

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

    def validate(self, value):
        # Before the validators, so that the person reads only that the field is empty.
        if self.required and solo_en_blanco(value):
            raise ValidationError(self.error_messages["required"], code="required")
        super().validate(value)


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

    def validate(self, value, model_instance):
        if not self.blank and solo_en_blanco(value):
            raise ValidationError(self.error_messages["blank"], code="blank")
        super().validate(value, model_instance)

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


# --- Numbers people type: forms, the admin, the API, the commands ---------------------------

# Python reads these as numbers too (int("１０") == 10, Decimal("1_0") == 10): every character
# of a number people type is ASCII, and none is "_".
ERROR_DIGITOS = _("Escriba el número solo con dígitos del 0 al 9.")


def otros_digitos(valor) -> bool:
    """Whether a number as typed carries what only Python would read as one: a character that
    is not ASCII (the digits of other scripts, full-width ones) or an underscore."""
    return isinstance(valor, str) and any(not c.isascii() or c == "_" for c in valor.strip())


def entero_argumento(texto: str) -> int:
    """argparse's `type` for a whole number of a command (days, counts): 0-9 only."""
    import argparse

    if not _ENTERO.fullmatch(texto.strip()):
        raise argparse.ArgumentTypeError(str(ERROR_ENTERO))
    return int(texto)


def _estricto_de_django(original, mensaje):
    # What is not a number at all keeps Django's own message («Introduzca un número.»): only
    # what Python reads as one is refused here.
    @functools.wraps(original)
    def to_python(self, value):
        leido = original(self, value)
        if otros_digitos(value):
            raise ValidationError(mensaje, code="invalid")
        return leido

    to_python.estricto = True
    return to_python


def _estricto_de_drf(original, mensaje):
    @functools.wraps(original)
    def to_internal_value(self, data):
        leido = original(self, data)
        if otros_digitos(data):
            raise ErrorDeLaApi(str(mensaje), code="invalid")
        return leido

    to_internal_value.estricto = True
    return to_internal_value


def instalar_numeros_estrictos() -> None:
    """Django's and DRF's integer, decimal and float fields refuse otros_digitos() before
    they read the number. Once, from EstandaresConfig.ready()."""
    from rest_framework import fields as drf

    for clase, mensaje in (
        (forms.IntegerField, ERROR_ENTERO),
        (forms.DecimalField, ERROR_DIGITOS),
        (forms.FloatField, ERROR_DIGITOS),
    ):
        if not getattr(clase.to_python, "estricto", False):
            clase.to_python = _estricto_de_django(clase.to_python, mensaje)
    for clase, mensaje in (
        (drf.IntegerField, ERROR_ENTERO),
        (drf.DecimalField, ERROR_DIGITOS),
        (drf.FloatField, ERROR_DIGITOS),
    ):
        if not getattr(clase.to_internal_value, "estricto", False):
            clase.to_internal_value = _estricto_de_drf(clase.to_internal_value, mensaje)
