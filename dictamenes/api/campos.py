"""The API's input fields, exactly as strict as the schema that describes them.

A client that builds its requests from /api/v1/esquema/ must never be refused for a value the
schema allows, nor accepted with one it forbids (Schemathesis checks both ways, in
tests/seguridad/test_fuzzing_api.py). So each field reads the raw value by the same rule that
its schema writes down as `pattern`, `minLength`, `maxLength`, `minimum` and `maximum`, and
only then hands it to the model's own normalisation (estandares.entradas).
"""

import re
import sys
import unicodedata
from decimal import Decimal
from functools import cache

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.utils import html

from dictamenes.api.spectacular import esquema_de_spectacular
from dictamenes.montos import ERROR_MONTO_POSITIVO
from estandares.entradas import (
    DIRECCION,
    EN_BLANCO,
    ERROR_MONTO,
    ETIQUETAS,
    SEPARADORES,
    CaracteresPermitidos,
    solo_en_blanco,
    texto_normalizar,
)
from estandares.motivos import MOTIVO, MOTIVO_LETRAS, MOTIVO_MINIMO, motivo_visible

ERROR_NO_ES_TEXTO = _("Escriba un texto (entre comillas), no un número ni otro tipo de dato.")


def _punto(punto: int) -> str:
    # Outside the Basic Multilingual Plane a \\u escape cannot name the character, and
    # Python's \\U and ECMA-262's \\u{...} are each unknown to the other: the character
    # itself, which Python and a Unicode-aware ECMA-262 pattern both read as one code point.
    return f"\\u{punto:04x}" if punto <= 0xFFFF else chr(punto)


def _clase(caracteres) -> str:
    """The body of a regular-expression character class, with runs as ranges and each
    character of the Basic Multilingual Plane as a \\uXXXX escape, which ECMA-262 (the
    schema's dialect) and Python read alike."""
    puntos = sorted(ord(c) for c in caracteres)
    tramos = []
    for punto in puntos:
        if tramos and punto == tramos[-1][1] + 1:
            tramos[-1][1] = punto
        else:
            tramos.append([punto, punto])
    return "".join(_punto(a) if a == b else f"{_punto(a)}-{_punto(b)}" for a, b in tramos)


# Python's str.strip() whitespace (DRF and Django's forms strip it). Unicode has no whitespace
# outside the Basic Multilingual Plane.
_BLANCOS = frozenset(chr(c) for c in range(0x10000) if chr(c).isspace())
_CONTROL = frozenset(chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)))


@cache
def _formato() -> frozenset[str]:
    """Every format character (category Cf), and the tag block, read once (a tenth of a
    second: only when the schema is written)."""
    return frozenset(
        chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"
    ) | frozenset(map(chr, ETIQUETAS))


def _prohibidos(multilinea: bool) -> frozenset[str]:
    """What the field refuses (estandares.entradas.prohibido): the control characters (a
    multi-line text allows tab and newline, and CR, which becomes a newline), the direction
    characters, the line and paragraph separators, the tag block and, in a single line, every
    format character. Lone surrogates are refused too, but no regular expression of the
    schema's dialect can name them (JSON text generators never make them)."""
    if multilinea:
        return (_CONTROL - set("\t\n\r")) | DIRECCION | SEPARADORES | set(map(chr, ETIQUETAS))
    return _CONTROL | DIRECCION | SEPARADORES | _formato()


def _espacios(multilinea: bool) -> frozenset[str]:
    """What shows as blank (estandares.entradas.en_blanco) and the field does not refuse: a
    required text needs one character outside these."""
    return (_BLANCOS | EN_BLANCO | _formato()) - _prohibidos(multilinea)


def patron_texto(*, multilinea: bool) -> str:
    """Allowed characters only, and at least one that does not show as blank: leading
    blanks, then the first visible character, then anything allowed (linear, no
    backtracking)."""
    prohibidos = _clase(_prohibidos(multilinea))
    espacios = _clase(_espacios(multilinea))
    # The empty alternative changes nothing (the schema's minLength of 1 refuses an empty
    # text), but it keeps Schemathesis from rewriting the quantifiers for maxLength: its
    # rewrite writes the characters outside the Basic Multilingual Plane as Python's \U
    # escapes, which ECMA-262 refuses, and then it generates nothing for the operation.
    return f"^(?:[{espacios}]*[^{prohibidos}{espacios}][^{prohibidos}]*|)$"


@cache
def _motivo_clases() -> tuple[str, str]:
    """The letters and the visible characters a reason is counted by (estandares.motivos:
    categories L, and L, N, P and S, without what shows as blank), as class bodies."""
    letras, visibles = set(), set()
    for punto in range(sys.maxunicode + 1):
        caracter = chr(punto)
        if motivo_visible(caracter):
            visibles.add(caracter)
            if unicodedata.category(caracter)[0] == "L":
                letras.add(caracter)
    return _clase(letras), _clase(visibles)


def patron_motivo(*, multilinea: bool) -> str:
    """patron_texto's characters, and what a reason needs (estandares.motivos.
    motivo_suficiente): MOTIVO_LETRAS letters and MOTIVO_MINIMO visible characters, each
    counted by a lookahead that skips what is not one. The server counts after NFC: Hangul
    jamo that compose into one syllable count once there and twice here, the one case where
    the two differ."""
    prohibidos = _clase(_prohibidos(multilinea))
    letras, visibles = _motivo_clases()
    return (
        f"^(?:(?=(?:[^{prohibidos}{letras}]*[{letras}]){{{MOTIVO_LETRAS}}})"
        f"(?=(?:[^{prohibidos}{visibles}]*[{visibles}]){{{MOTIVO_MINIMO}}})"
        f"[^{prohibidos}]*|)$"
    )


# Every blank str.strip() removes, as a character class body.
BLANCOS = _clase(_BLANCOS)


def patron_texto_recortado(*, largo: int) -> str:
    """A single-line text of a query string (estandares.entradas.TextoCortoField): the form
    strips the blanks around it first, then refuses the characters and counts the length
    (`largo` at most) of what is left; empty means no filter."""
    prohibidos = _clase(_prohibidos(False))
    visible = f"[^{prohibidos}{BLANCOS}]"
    medio = f"{{0,{largo - 2}}}"
    return f"^[{BLANCOS}]*(?:{visible}(?:[^{prohibidos}]{medio}{visible})?)?[{BLANCOS}]*$"


class TextoApi(serializers.CharField):
    """A text typed by a person: a JSON string (not a number), no longer than `max_length` as
    sent, without the characters the field refuses, and not blank (nor made only of what
    shows as blank). Then stripped and in NFC, with CR LF as LF in a multi-line text, as the
    model stores it."""

    def __init__(self, *, multilinea: bool = False, motivo: bool = False, **kwargs):
        # motivo: a reason, which says something (estandares.motivos), and its schema says so.
        self.multilinea, self.motivo = multilinea, motivo
        super().__init__(**kwargs)
        if motivo:
            self.validators.append(MOTIVO)

    def run_validation(self, data=serializers.empty):
        # Before the characters: a text that shows as empty is told it is empty.
        if not self.allow_blank and solo_en_blanco(data):
            self.fail("blank")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(ERROR_NO_ES_TEXTO, code="invalid")
        # As sent: the schema's maxLength counts the characters the client wrote.
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        # CR is read as a newline in a multi-line text (texto_normalizar), and refused in a line.
        CaracteresPermitidos(multilinea=self.multilinea)(
            data.replace("\r", "\n") if self.multilinea else data
        )
        return texto_normalizar(super().to_internal_value(data), multilinea=self.multilinea)


class TextoApiEsquema(OpenApiSerializerFieldExtension):
    """TextoApi's schema: drf-spectacular's own (maxLength, minLength) plus its pattern."""

    target_class = TextoApi
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        esquema = esquema_de_spectacular(auto_schema, self.target, direction, sin_extension=True)
        patron = patron_motivo if self.target.motivo else patron_texto
        esquema["pattern"] = patron(multilinea=self.target.multilinea)
        return esquema


# Greater than zero, at most 12 whole digits and 2 decimals (max_digits=14, decimal_places=2),
# without sign, exponent, spaces or a bare point.
PATRON_MONTO = r"^(?:[1-9][0-9]{0,11}(?:\.[0-9]{1,2})?|0\.(?:[1-9][0-9]?|0[1-9]))$"
_MONTO = re.compile(PATRON_MONTO)


class MontoApi(serializers.DecimalField):
    """An amount in pesos, greater than zero, written as a JSON string such as "150000.50"
    (the way DRF writes it back)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(ERROR_NO_ES_TEXTO, code="invalid")
        if not _MONTO.fullmatch(data):
            if re.fullmatch(r"-?[0-9]{1,12}(\.[0-9]{1,2})?", data):
                raise serializers.ValidationError(ERROR_MONTO_POSITIVO, code="min_value")
            raise serializers.ValidationError(ERROR_MONTO, code="invalid")
        return Decimal(data)


class MontoApiEsquema(OpenApiSerializerFieldExtension):
    target_class = MontoApi

    def map_serializer_field(self, auto_schema, direction):
        esquema = esquema_de_spectacular(auto_schema, self.target, direction, sin_extension=True)
        esquema["pattern"] = PATRON_MONTO
        esquema["description"] = str(_('Monto en pesos, mayor que cero, p. ej. "150000.50".'))
        return esquema


ERROR_NO_ES_BOOLEANO = _("Escriba true o false (sin comillas).")
FORMA = {"true": True, "false": False}


class BooleanoApi(serializers.BooleanField):
    """A JSON true or false, and nothing else: DRF's own field also takes "yes", 1 or "on",
    which the schema's boolean forbids. A form (multipart) has only text: there, exactly
    "true" or "false", as the schema's boolean is written in one."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if html.is_html_input(getattr(self.parent, "initial_data", None)) and data in FORMA:
            return FORMA[data]
        raise serializers.ValidationError(ERROR_NO_ES_BOOLEANO, code="invalid")
