"""A reason says something (issue 93, item 4): the one rule for every required reason,
justification or motive of the product, beside estandares.entradas (whose `en_blanco` it
reads) in the lowest layer of the import contracts.

Why an item is approved over its reference, why a contract passes what was approved, why
evidence is refused, why a dictamen is cancelled or rectified, why a change is asked or
refused, why a sign is closed, why a reviewer is lent or an absence cancelled: each is read,
in the audit, the signed PDF, an e-mail or the open data, by someone who must act on it. The
strategic reviewer once approved three flagged items with one U+3164 HANGUL FILLER as their
reason, and the signed PDF printed the blank: U+3164 is a letter to Unicode, and the checks
of «not only spaces» let it pass.

- `motivo_suficiente` is the one predicate (the rule, and why its minimum, in its docstring).
- `motivo_leer` is the one check of the services, which the pages, the admin, the API, the
  imports and the commands all reach: it returns the reason as kept, or raises the
  ValidationError keyed by its field.
- `MotivoField` and `MotivoCortoField` are the same rule in a plain form, so that a page
  shows the refusal beside its field with what was typed; `MOTIVO` is its validator.

A reason the caller finds empty (nothing visible) keeps the caller's own message, which says
why the reason is asked or names the item; anything else short of the rule gets ERROR_MOTIVO,
the same everywhere."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from estandares.entradas import TextoCortoField, TextoLargoField, en_blanco, texto_normalizar

# The shortest reason that still says why: «No procede.» (10 characters without its space).
MOTIVO_MINIMO = 10
# Of them, letters: a word or two; the rest may be figures, folios and codes.
MOTIVO_LETRAS = MOTIVO_MINIMO // 2
ERROR_MOTIVO = _(
    "Escriba el motivo con palabras: al menos %(minimo)s caracteres sin contar los espacios, "
    "%(letras)s de ellos letras. Los signos, las cifras y los caracteres invisibles solos no "
    "dicen por qué."
)
PARAMETROS = {"minimo": MOTIVO_MINIMO, "letras": MOTIVO_LETRAS}


def motivo_visible(caracter: str) -> bool:
    # A letter, digit, punctuation mark or symbol that is not drawn as nothing. Marks (M*)
    # ride on another character and do not count by themselves; spaces, separators, control,
    # format, private-use and unassigned characters (Z*, C*) show nothing anyone can read.
    return unicodedata.category(caracter)[0] in "LNPS" and not en_blanco(caracter)


def visibles(valor: str) -> str:
    """The characters of `valor` that a reader sees: what a reason is judged by."""
    return "".join(c for c in unicodedata.normalize("NFC", valor) if motivo_visible(c))


def motivo_suficiente(valor) -> bool:
    """Whether a required reason says something (issue 93, item 4): at least MOTIVO_MINIMO
    visible characters, MOTIVO_LETRAS of them letters.

    Visible: letters, digits, punctuation and symbols, after the characters drawn as nothing
    are taken away: spaces and separators (Z*, the ideographic space and NBSP included), the
    format characters (Cf: zero-width spaces and joiners, the direction marks, U+FEFF...),
    control, private-use and unassigned characters, the combining marks on their own, and
    EN_BLANCO (the Hangul fillers U+3164, U+115F, U+1160, U+FFA0, the blank Braille pattern
    U+2800, the variation selectors). U+3164 is a letter to Unicode (Lo), which is how it
    passed a check of «not only spaces» and printed a blank on a signed dictamen.

    Why 10: the shortest reasons people write to say why are a short sentence or one precise
    word: «No procede.» (10), «Vacaciones» (10), «Duplicada.» (10), «Oficio 123/2024» (13);
    what is shorter («x», «ok», «.», «n/a», «Sí», «No aplica» without its period is 8) says
    nothing a reader of the audit, the PDF or the e-mail can act on. Why 5 letters, not a
    share: a reason is words, and punctuation alone («..........»), digits alone
    («1234567890») or a number with a letter («1234567890a») are not; but a technical
    justification is full of folios, amounts and models, and one real request's (tests:
    test_textos_publicos.JUSTIFICACION_REAL, 300 visible characters) is 49.7 % letters, so
    «half of them letters» refused it. Five letters is a word or two: «Oficio 7/2026» (6) and
    «Art. 27 fr. II» (7) pass. The rule cannot tell a true reason from a false one: it refuses
    only what cannot be one."""
    if not isinstance(valor, str):
        return False
    vistos = visibles(valor)
    letras = sum(1 for c in vistos if unicodedata.category(c)[0] == "L")
    return len(vistos) >= MOTIVO_MINIMO and letras >= MOTIVO_LETRAS


def motivo_recortado(valor) -> str:
    """A reason as it is kept, not yet judged (a text that the service asks for only in some
    cases): NFC, CR LF as a newline, without the format characters (texto_normalizar of a
    multi-line text) and without what shows as blank at its ends, which str.strip() keeps
    (U+3164, U+2800...)."""
    valor = texto_normalizar(valor if isinstance(valor, str) else "", multilinea=True)
    inicio, fin = 0, len(valor)
    while inicio < fin and en_blanco(valor[inicio]):
        inicio += 1
    while fin > inicio and en_blanco(valor[fin - 1]):
        fin -= 1
    return valor[inicio:fin]


def motivo_error(valor, *, vacio=None, code: str = "sin_motivo", params=None):
    """The ValidationError a required reason gets, or None when it says something
    (motivo_suficiente). `vacio`: the caller's message for a reason with nothing visible in
    it (it names the item or says why the reason is asked), with its `code` and `params`;
    anything else short of the rule gets ERROR_MOTIVO."""
    if motivo_suficiente(valor):
        return None
    if vacio is not None and not visibles(valor if isinstance(valor, str) else ""):
        return ValidationError(vacio, code=code, params=params)
    return ValidationError(ERROR_MOTIVO, code="motivo_sin_palabras", params=PARAMETROS)


def motivo_leer(
    valor, *, campo: str | None = None, vacio=None, code: str = "sin_motivo", params=None
) -> str:
    """A required reason as the service keeps it (motivo_recortado), or a ValidationError
    (keyed by `campo` when given, so that the form shows it beside that field) when it does
    not say something (motivo_error)."""
    texto = motivo_recortado(valor)
    error = motivo_error(texto, vacio=vacio, code=code, params=params)
    if error is not None:
        raise ValidationError({campo: error}) if campo else error
    return texto


def vacio_del_campo(modelo, campo: str) -> dict:
    """motivo_leer's `vacio` and `code` for a reason that its model requires: the field's own
    message for a blank one («Este campo no puede estar en blanco.»), as full_clean() says it."""
    return {"vacio": modelo._meta.get_field(campo).error_messages["blank"], "code": "blank"}


@deconstructible
class MotivoConPalabras:
    """The rule as a validator (of a form field or a serializer's): a value that is not empty
    must say something (motivo_suficiente)."""

    code = "motivo_sin_palabras"

    def __call__(self, valor) -> None:
        if isinstance(valor, str) and valor and not motivo_suficiente(valor):
            raise ValidationError(ERROR_MOTIVO, code=self.code, params=PARAMETROS)

    def __eq__(self, other) -> bool:
        return isinstance(other, MotivoConPalabras)

    def __hash__(self) -> int:
        return hash(type(self))


MOTIVO = MotivoConPalabras()


class _Motivo:
    """A required reason in a plain form: refused beside its field, with what was typed kept,
    when it does not say something (motivo_suficiente). Not required (the reason is asked
    only in some cases, which the service knows): judged only when written."""

    def validate(self, value):
        super().validate(value)
        if value not in self.empty_values:
            MOTIVO(value)


class MotivoField(_Motivo, TextoLargoField):
    """A reason of several lines (a textarea)."""


class MotivoCortoField(_Motivo, TextoCortoField):
    """A reason of one line."""
