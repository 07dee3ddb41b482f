"""A text as a reader reads it: the copy in which personal data is looked for (issue 59).

People write an RFC, a CURP, an e-mail address or a telephone number in many forms that a
reader still reads as the same datum, and that a pattern over the stored characters does not
see. `lectura(texto)` makes the copy a reader "sees", keeping for each of its characters the
span of the original text it comes from, so that what is found in the copy is masked in the
original:

- Unicode compatibility forms (NFKD: full-width "ＰＥＬＪ", "＠", mathematical letters,
  superscripts), accents and other combining marks dropped ("É" reads "E");
- the characters drawn as nothing dropped: the format characters (zero-width space and
  joiners, word joiner, soft hyphen, BOM...), the Hangul fillers, the blank Braille pattern,
  the variation selectors (estandares.entradas.en_blanco);
- the digits of every script as 0-9 ("٦" reads "6"), every dash as "-", every space as " ";
- the letters of other scripts that look Latin (Cyrillic "А", Greek "Ο"...) as the Latin
  letter they look like, from Unicode's confusables data (UTS #39) as the
  `confusable-homoglyphs` package ships it, not from a table of ours;
- the words people write for "@" ("arroba", "(at)", "[at]", " at ") as "@", and once there is
  an "@", those for the dot ("punto", "(dot)"...) as ".";
- digits written as words ("seis seis dos uno...", "six six two...") as digits, when at least
  six digits come together (one "dos" in a sentence stays a word), and O, I or l written for
  0 and 1 in a number ("66O l23 4567");
- a datum spelled out one character at a time ("P E L J 8 0 0 1 0 1 ...") joined.

Separators inside an RFC or a CURP and the letters O, I and l written for 0 and 1 in their
date are read by the patterns of estandares.datos_personales, which know where they may be.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from estandares.entradas import en_blanco


@dataclass(frozen=True)
class Lectura:
    texto: str
    # For each character of `texto`, where in the original it comes from; None: the same
    # position (the copy is the original).
    inicios: list[int] | None
    fines: list[int] | None

    def original(self, inicio: int, fin: int) -> tuple[int, int]:
        """The span of the original that the copy's span [inicio, fin) reads (not empty)."""
        if self.inicios is None:
            return inicio, fin
        return self.inicios[inicio], self.fines[fin - 1]


@functools.cache
def _parecidas() -> dict[str, str]:
    """Each non-ASCII character that Unicode's confusables data says looks like one Latin
    letter or digit, and that letter or digit. Loaded on first use (a fifth of a second)."""
    from confusable_homoglyphs.confusables import confusables_data

    latinas = {c for c in map(chr, range(0x30, 0x7B)) if c.isalnum()}
    parecidas: dict[str, str] = {}

    def anotar(caracter: str, latina: str) -> None:
        caracter = caracter.strip("\u200e\u200f")
        if len(caracter) != 1 or caracter.isascii() or caracter in parecidas:
            return
        # UTS #39 reads "I" as "l": an uppercase letter keeps its case.
        if latina == "l" and caracter.isupper():
            latina = "I"
        parecidas[caracter] = latina

    for caracter, iguales in confusables_data.items():
        for igual in iguales:
            if igual["c"] in latinas:
                anotar(caracter, igual["c"])
                break
    for latina in sorted(latinas):
        for igual in confusables_data.get(latina, ()):
            anotar(igual["c"], latina)
    return parecidas


@functools.lru_cache(maxsize=4096)
def _como_se_lee(caracter: str) -> str:
    """What a reader reads for one non-ASCII character (see the module's docstring)."""
    if en_blanco(caracter) and not caracter.isspace():
        return ""
    categoria = unicodedata.category(caracter)
    if categoria in ("Mn", "Me"):
        return ""
    if categoria == "Nd":
        return str(unicodedata.decimal(caracter))
    if categoria == "Pd":
        return "-"
    if caracter.isspace():
        return " " if caracter not in "\n\r\t" else caracter
    partes = []
    for parte in unicodedata.normalize("NFKD", caracter):
        if unicodedata.category(parte) in ("Mn", "Me"):
            continue
        if not parte.isascii():
            if unicodedata.category(parte) == "Nd":
                parte = str(unicodedata.decimal(parte))
            else:
                parte = _parecidas().get(parte, parte)
        partes.append(parte)
    return "".join(partes)


# The characters that do not read as exactly one character ("ㅤ" as none, "½" as three).
_NO_UNO: set[str] = set()


class _Tabla(dict):
    """str.translate's table: each character as it reads, worked out once."""

    def __missing__(self, codigo: int) -> str:
        caracter = chr(codigo)
        leido = self[codigo] = caracter if caracter.isascii() else _como_se_lee(caracter)
        if len(leido) != 1:
            _NO_UNO.add(caracter)
        return leido


_TABLA = _Tabla()


def _caracteres(texto: str) -> Lectura:
    if texto.isascii():
        return Lectura(texto, None, None)
    # Mostly each character reads as one ("é" as "e", "×" as "x"): then the copy keeps the
    # positions, and translate does it at C speed (a CSV reads thousands of titles).
    leido = texto.translate(_TABLA)
    if _NO_UNO.isdisjoint(texto):
        return Lectura(leido, None, None)
    partes, inicios, fines = [], [], []
    for i, caracter in enumerate(texto):
        leido = caracter if caracter.isascii() else _como_se_lee(caracter)
        partes.append(leido)
        inicios += [i] * len(leido)
        fines += [i + 1] * len(leido)
    return Lectura("".join(partes), inicios, fines)


def _reemplazar(lectura: Lectura, cambios: list[tuple[int, int, str]]) -> Lectura:
    """`lectura` with each span (inicio, fin) of its text, in order and apart, replaced by a
    text; each character of a replacement comes from the whole span of the original that
    the replaced span read."""
    if not cambios:
        return lectura
    texto = lectura.texto
    n = len(texto)
    inicios = lectura.inicios if lectura.inicios is not None else list(range(n))
    fines = lectura.fines if lectura.fines is not None else list(range(1, n + 1))
    partes, nuevos_inicios, nuevos_fines, desde = [], [], [], 0
    for inicio, fin, nuevo in cambios:
        partes += [texto[desde:inicio], nuevo]
        nuevos_inicios += inicios[desde:inicio] + [inicios[inicio]] * len(nuevo)
        nuevos_fines += fines[desde:inicio] + [fines[fin - 1]] * len(nuevo)
        desde = fin
    partes.append(texto[desde:])
    nuevos_inicios += inicios[desde:]
    nuevos_fines += fines[desde:]
    return Lectura("".join(partes), nuevos_inicios, nuevos_fines)


def _sustituir(lectura: Lectura, patron: re.Pattern, como) -> Lectura:
    """`lectura` with each match of `patron` (never empty) replaced by `como(match)`, or
    left as it is when that is None."""
    cambios = []
    for m in patron.finditer(lectura.texto):
        nuevo = como(m)
        if nuevo is not None:
            cambios.append((m.start(), m.end(), nuevo))
    return _reemplazar(lectura, cambios)


_ABRE, _CIERRA = r"[(\[{<]", r"[)\]}>]"
# "(at)", "[arroba]", "{at}", "<at>", or the word alone between spaces: "@".
ARROBA = re.compile(
    rf"\s*{_ABRE}\s*(?:at|arroba)\s*{_CIERRA}\s*|\s+(?:at|arroba)\s+|\s+@\s+", re.IGNORECASE
)
# A dot word just before: «aaa punto at punto mx», «aaa (dot) at (dot) mx».
_TRAS_UN_PUNTO = re.compile(rf"(?:dot|punto)\s*{_CIERRA}?$", re.IGNORECASE)


def _arroba(texto: str):
    """How ARROBA reads each match of `texto`: "@", except the word alone right after a dot
    word, which is a label of the domain (Austria's "at"), not a second "@" that would leave
    no address to find."""

    def como(m):
        if m.group(0).strip().lower() == "at" and _TRAS_UN_PUNTO.search(texto, 0, m.start()):
            return None
        return "@"

    return como


PUNTO = re.compile(rf"\s*{_ABRE}\s*(?:dot|punto)\s*{_CIERRA}\s*|\s+(?:dot|punto)\s+", re.IGNORECASE)
DIGITOS_EN_PALABRAS = {
    **dict.fromkeys(("cero", "zero"), "0"),
    **dict.fromkeys(("uno", "one"), "1"),
    **dict.fromkeys(("dos", "two"), "2"),
    **dict.fromkeys(("tres", "three"), "3"),
    **dict.fromkeys(("cuatro", "four"), "4"),
    **dict.fromkeys(("cinco", "five"), "5"),
    **dict.fromkeys(("seis", "six"), "6"),
    **dict.fromkeys(("siete", "seven"), "7"),
    **dict.fromkeys(("ocho", "eight"), "8"),
    **dict.fromkeys(("nueve", "nine"), "9"),
}
_PALABRA_DIGITO = "|".join(sorted(DIGITOS_EN_PALABRAS, key=len, reverse=True))
_FICHA = rf"(?:{_PALABRA_DIGITO}|\d+)"
# Digits and digit words one after another, separated by spaces, dashes, dots or commas.
_DICTADO = re.compile(
    rf"(?<![^\W_]){_FICHA}(?![^\W_])(?:[\s,;.\-]+{_FICHA}(?![^\W_]))+", re.IGNORECASE
)
_PALABRA = re.compile(rf"(?<![^\W_])(?:{_PALABRA_DIGITO})(?![^\W_])", re.IGNORECASE)
# Digits read together: at least an RFC's date.
DIGITOS_JUNTOS = 6
# One character at a time: at least six letters or digits, each alone between separators.
_DELETREADO = re.compile(r"(?<![^\W_])[^\W_](?:[ .,\-]{1,3}[^\W_](?![^\W_])){5,}")


def _palabras_como_digitos(leida: Lectura) -> Lectura:
    """Each digit word of a run of at least DIGITOS_JUNTOS digits with a word among them, as
    its digit; the separators stay, and the run is joined as spelled out (_DELETREADO)."""
    bajo = leida.texto.lower()
    if not any(palabra in bajo for palabra in DIGITOS_EN_PALABRAS):
        return leida
    cambios = []
    for m in _DICTADO.finditer(leida.texto):
        palabras = list(_PALABRA.finditer(m.group(0)))
        digitos = sum(len(d) for d in re.findall(r"\d+", m.group(0))) + len(palabras)
        if palabras and digitos >= DIGITOS_JUNTOS:
            cambios += [
                (
                    m.start() + p.start(),
                    m.start() + p.end(),
                    DIGITOS_EN_PALABRAS[p.group(0).lower()],
                )
                for p in palabras
            ]
    return _reemplazar(leida, cambios)


# A number with O, I or l written for 0 and 1 ("66O l23 4567", "644 OOO OOOO"): words of
# digits and those capitals (and l) only, one after another, with at least one digit and
# seven characters in all (a lone "lo" or "2O" stays as it is).
_CON_LETRAS = re.compile(r"(?<![^\W_])[0-9OIl]+(?:[ .\-]{1,3}[0-9OIl]+)*(?![^\W_])")
_CON_LETRAS_MINIMO = 7
_DIGITO_ESCRITO = str.maketrans("OoIiLl", "001111")


def _numero_con_letras(m: re.Match) -> str | None:
    numero = m.group(0)
    if (
        any(c in "OIl" for c in numero)
        and any(c.isdigit() for c in numero)
        and sum(c not in " .-" for c in numero) >= _CON_LETRAS_MINIMO
    ):
        return numero.translate(_DIGITO_ESCRITO)
    return None


def lectura(texto: str) -> Lectura:
    """The copy of `texto` that a reader reads (see the module's docstring)."""
    leida = _caracteres(texto or "")
    leida = _sustituir(leida, ARROBA, _arroba(leida.texto))
    if "@" in leida.texto:
        leida = _sustituir(leida, PUNTO, lambda m: ".")
    leida = _palabras_como_digitos(leida)
    leida = _sustituir(leida, _CON_LETRAS, _numero_con_letras)
    leida = _reemplazar(
        leida,
        [
            (m.start() + s.start(), m.start() + s.end(), "")
            for m in _DELETREADO.finditer(leida.texto)
            for s in re.finditer(r"[ .,\-]+", m.group(0))
        ],
    )
    return leida
