"""A person's RFC and CURP as people type them, generated for the property tests of issue 77.

Each is made whole, with its check character computed here from the published algorithms
(SAT's for the RFC, RENAPO's for the CURP), not by the product nor by python-stdnum: an oracle
that shares nothing with the detector under test. Then it is written as the outside probe
wrote them: letters that look like the digits of its date (S for 5, O or o for 0, B for 8, I
or l for 1), its parts apart (spaces, dashes, dots, slashes, underscores, a line break), in
small letters, or in full-width forms.

A company's RFC (persona moral: three letters, the date, the homoclave; 12 characters) is
public procurement data, not a person's: `rfc_moral` makes one to be published verbatim.
"""

import datetime
import string

from hypothesis import strategies as st

# SAT: each character's value is its index here; the RFC is right-aligned on 12 characters
# (a company's, of 11 before its check, gets a leading space, value 37).
RFC_ALFABETO = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
# RENAPO: the same idea over the CURP's first 17 characters.
CURP_ALFABETO = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
HOMOCLAVE = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
CONSONANTES = "BCDFGHJKLMNPQRSTVWXZ"
# The states' two letters in a CURP (NE: born abroad).
_ESTADOS = "ASBCBSCCCLCMCSCHDFDGGTGRHGJCMCMNMSNTNLOCPLQTQRSPSLSRTCTSTLVZYNZSNE"
ESTADOS = tuple(_ESTADOS[i : i + 2] for i in range(0, len(_ESTADOS), 2))
LETRAS = string.ascii_uppercase


def rfc_digito(sin_digito: str) -> str:
    """The check character of an RFC written without it (12 or 11 characters)."""
    base = sin_digito.rjust(12)
    suma = sum(RFC_ALFABETO.index(c) * (13 - i) for i, c in enumerate(base))
    return "0123456789A"[(11 - suma % 11) % 11]


def curp_digito(sin_digito: str) -> str:
    """The check digit of a CURP's first 17 characters."""
    suma = sum(CURP_ALFABETO.index(c) * (18 - i) for i, c in enumerate(sin_digito))
    return str((10 - suma % 10) % 10)


def _fecha(dia: datetime.date) -> str:
    return f"{dia:%y%m%d}"


_FECHAS = st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2008, 12, 31))


def _letras(n: int):
    return st.text(alphabet=LETRAS, min_size=n, max_size=n)


@st.composite
def rfc_fisica(draw) -> tuple[str, str, str]:
    """A person's RFC, whole and valid, as its three parts: letters, date, homoclave."""
    letras = draw(_letras(4))
    fecha = _fecha(draw(_FECHAS))
    # SAT's homoclave: its first character comes from the first 30 of its table (1-9, A-N,
    # P-V: the quotient of a number under 1000 by 34), the second from all 34.
    homoclave = draw(st.sampled_from(HOMOCLAVE[:30])) + draw(st.sampled_from(HOMOCLAVE))
    return letras, fecha, homoclave + rfc_digito(letras + fecha + homoclave)


@st.composite
def curp(draw) -> tuple[str, str, str]:
    """A CURP, whole and valid, as letters, date and the rest (sex, state, consonants, the
    differentiator: a digit for those born before 2000, a letter after, and the check)."""
    letras = draw(_letras(4))
    dia = draw(_FECHAS)
    resto = (
        draw(st.sampled_from("HM"))
        + draw(st.sampled_from(ESTADOS))
        + draw(st.text(alphabet=CONSONANTES, min_size=3, max_size=3))
        + draw(st.sampled_from(string.digits if dia.year < 2000 else LETRAS))
    )
    sin_digito = letras + _fecha(dia) + resto
    return letras, _fecha(dia), resto + curp_digito(sin_digito)


def rfc_moral(letras: str, dia: datetime.date, homoclave: str) -> str:
    """A company's RFC (12 characters) with its check character."""
    sin_digito = letras + _fecha(dia) + homoclave
    return sin_digito + rfc_digito(sin_digito)


# Letters written for the digits of the date, as the outside probe did ("7SOSO3", "B00101").
PARECIDOS = {"0": "Oo", "1": "Il", "5": "S", "8": "B"}
SEPARADORES = ("", " ", "-", ".", "/", "_", " / ", "\n", "-\n")


def _ancho_completo(texto: str) -> str:
    """ASCII letters and digits as their full-width forms (U+FF10...)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in texto)


@st.composite
def escrita(draw, clave, *, una_linea: bool = False, largo: int | None = None) -> tuple[str, str]:
    """One of `clave`'s (a strategy of its three parts) as people type it, and the whole key.
    una_linea: no line break between its parts; largo: at most that many characters."""
    letras, fecha, resto = draw(clave)
    entera = letras + fecha + resto
    if draw(st.booleans()):
        letras, resto = letras.lower(), resto.lower()
    fecha = "".join(draw(st.sampled_from(d + PARECIDOS.get(d, ""))) for d in fecha)
    separadores = [s for s in SEPARADORES if not (una_linea and "\n" in s)]
    if largo is not None:
        separadores = [s for s in separadores if len(s) <= (largo - len(entera)) // 2]
    primero, segundo = draw(st.sampled_from(separadores)), draw(st.sampled_from(separadores))
    texto = f"{letras}{primero}{fecha}{segundo}{resto}"
    if draw(st.booleans()):
        texto = _ancho_completo(texto)
    return texto, entera
