"""The RFC of each company of the demonstration and of the history (issue 88): made up, but
as SAT forms a persona moral's: three letters of its name, its date of incorporation, a
homoclave and SAT's check character (python-stdnum's mx.rfc). Worked out from the name
alone, so that one company has one RFC in every part of the demonstration; it reads nothing
of the product, as the history's generator does not."""

import hashlib
import unicodedata

from stdnum.mx import rfc as mx_rfc

# Words SAT leaves out when it takes a company's letters.
_SIN_LETRA = {"de", "del", "la", "las", "el", "los", "y", "e", "en", "para", "por", "con", "a"}
# The characters of a homoclave: its first of 1-9 and A-V, its second of 1-9 and A-Z (SAT's).
_PRIMERA = "123456789ABCDEFGHIJKLMNPQRSTUV"
_SEGUNDA = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"


def _palabras(nombre: str) -> list[str]:
    """The name's words before its legal form («…, S.A. de C.V.»), without accents."""
    razon = nombre.split(",")[0]
    sin_acentos = "".join(
        c for c in unicodedata.normalize("NFD", razon) if unicodedata.category(c) != "Mn"
    )
    palabras = [p for p in sin_acentos.upper().replace(".", " ").split() if p.isalpha()]
    return [p for p in palabras if p.lower() not in _SIN_LETRA] or palabras


def _letras(nombre: str) -> str:
    """Three letters as SAT takes them: the first of each of three words; of two words, the
    first's and the second's first two; of one, its first three."""
    palabras = _palabras(nombre)
    if len(palabras) >= 3:
        return "".join(p[0] for p in palabras[:3])
    if len(palabras) == 2:
        return (palabras[0][0] + palabras[1][:2]).ljust(3, "X")
    return (palabras[0] if palabras else "XXX")[:3].ljust(3, "X")


def rfc_de_empresa(nombre: str) -> str:
    """A company's RFC of 12 characters, valid by SAT's check character, the same for the same
    name: incorporated between 1988 and 2016, on a day and with a homoclave taken from the
    name's digest."""
    cifra = int.from_bytes(hashlib.sha256(nombre.encode()).digest()[:8], "big")
    anio, cifra = 1988 + cifra % 29, cifra // 29
    mes, cifra = 1 + cifra % 12, cifra // 12
    dia, cifra = 1 + cifra % 28, cifra // 28
    primera, cifra = _PRIMERA[cifra % len(_PRIMERA)], cifra // len(_PRIMERA)
    segunda = _SEGUNDA[cifra % len(_SEGUNDA)]
    sin_digito = f"{_letras(nombre)}{anio % 100:02d}{mes:02d}{dia:02d}{primera}{segunda}"
    return mx_rfc.validate(sin_digito + mx_rfc.calc_check_digit(sin_digito), True)
