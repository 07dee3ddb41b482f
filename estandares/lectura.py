"""A text as a reader reads it: the copy in which personal data is looked for (issues 59, 77).

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
- the digits of every script as 0-9 ("٦" reads "6"), every dash as "-", every space as " "
  (line breaks and tabs stay);
- the letters of other scripts that look Latin (Cyrillic "А", Greek "Ο"...) as the Latin
  letter they look like, from Unicode's confusables data (UTS #39) as the
  `confusable-homoglyphs` package ships it, not from a table of ours;
- the words people write for "@" ("arroba", "(at)", "[at]", " at ") as "@"; " en " as "@"
  only in the shape of an address in words, a word, " en ", a domain whose dots are words and
  a common top-level domain ("juanperez en gmail punto com"; "instalación en sitio punto de
  venta" stays text); and once there is an "@", the words for the dot ("punto", "(dot)"...)
  as ".";
- numbers written as words as digits, read by `text2num` (Allo-Media's parser of Spanish
  number words: units, tens and hundreds, "seis seis dos, doscientos trece, cuarenta y
  cinco, sesenta y siete"), and the English digit words ("six six two"), when a run of them,
  with digit groups of up to four among them, has at least six digits: the run reads as its
  digits joined ("6622134567"), from its first number in words to its last and the digit
  groups beside them up to ten digits ("ISO 27001:2022, seis seis dos…" leaves the year
  out). One "dos" or "cuarenta y cinco licencias" in a sentence stays a word, and so does an
  amount ("un millón doscientos mil") or an ordinal: a run is made of numbers below a
  thousand;
- a datum spelled out one character at a time ("P E L J 8 0 0 1 0 1 ...", "P/E/L/J...")
  joined; beside an "@", the separators with a dot read as one dot ("j o s e . o c h o a @
  l i v e . c o m");
- issue 88, before all the rest: what a browser or a URL decodes (HTML references "&#64;",
  "&#x40;", percent-encoding "%40", "%20"), the dots drawn in the middle of a line ("·", "•")
  as ".", the circled "ⓐ" and "[@]" as "@", a telephone in a link ("wa.me/52…", "tel:")
  with its "+", and the words and underscores between a telephone's groups ("lada 662,
  número 213 4567") as a space.

And, in a copy of its own for telephone numbers (`como_numeros`), the letters written for
digits in a number ("66O l23 4S67"): O, o and Q for 0; I, i, l and | for 1; Z and z for 2; E
for 3; A for 4; S and s for 5; G and b for 6; T for 7; B for 8; g and q for 9. In groups of
such characters one after another (separated by spaces, dots, dashes, parentheses, slashes or
underscores), seven at least and one of them a real digit; a group with a letter other than
O, I and l must have a real digit of its own ("662 213 4S67" reads, "ISO 9001" and "los" do
not), unless the text said it is a telephone just before ("tel. Bl 2A1 lG TBZ").

The look-alikes in an RFC's or a CURP's date, the separators between their parts and the line
breaks inside them are read by estandares.datos_personales, which knows where a digit goes
(in "BBBQ000101000" the first four are letters).
"""

import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from estandares import dictados
from estandares.dictados import LETRAS_POR_DIGITOS
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


def _componer(primera: Lectura, segunda: Lectura) -> Lectura:
    """`segunda`, a reading of `primera.texto`, as a reading of `primera`'s original."""
    if primera.inicios is None:
        return segunda
    if segunda.inicios is None:
        return Lectura(segunda.texto, primera.inicios, primera.fines)
    return Lectura(
        segunda.texto,
        [primera.inicios[i] for i in segunda.inicios],
        [primera.fines[f - 1] for f in segunda.fines],
    )


# What a browser or a URL decodes: HTML character references ("&#64;", "&#x40;", "&commat;")
# and percent-encoded UTF-8 ("%40", "%20", "%C3%A9"), nested ones too ("%2540", "&amp;#64;").
_REFERENCIA_HTML = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_PORCENTAJES = re.compile(r"(?:%[0-9a-fA-F]{2})+")
_VUELTAS_DE_DECODIFICAR = 3


def _decodificada(leida: Lectura) -> Lectura:
    def referencia(m):
        leido = html.unescape(m.group(0))
        return leido if leido != m.group(0) else None

    def porcentajes(m):
        leido = unquote(m.group(0), errors="strict") if _utf8(m.group(0)) else None
        return leido if leido != m.group(0) else None

    for _vuelta in range(_VUELTAS_DE_DECODIFICAR):
        antes = leida.texto
        if "&" in antes:
            leida = _sustituir(leida, _REFERENCIA_HTML, referencia)
        if "%" in leida.texto:
            leida = _sustituir(leida, _PORCENTAJES, porcentajes)
        if leida.texto == antes:
            break
    return leida


def _utf8(porcentajes: str) -> bool:
    try:
        bytes.fromhex(porcentajes.replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decodificado(texto: str) -> str:
    """`texto` as a browser or a URL shows it (HTML references and percent-encoding)."""
    return _decodificada(Lectura(texto or "", None, None)).texto


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


# The dots drawn in the middle of a line, read as the dot ("PELJ·800101·AB1", "662•213•4567").
_PUNTOS = frozenset("\u00b7\u2022\u2024\u2027\u2219\u22c5\u30fb\uff65\u2981")
# The letter a in a circle, written for "@" ("juanⓐgmail.com"): NFKD reads it as "a".
_ARROBAS = frozenset("\u24d0\u24b6")


@functools.lru_cache(maxsize=4096)
def _como_se_lee(caracter: str) -> str:
    """What a reader reads for one non-ASCII character (see the module's docstring)."""
    if en_blanco(caracter) and not caracter.isspace():
        return ""
    if caracter in _PUNTOS:
        return "."
    if caracter in _ARROBAS:
        return "@"
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
    rf"\s*{_ABRE}\s*(?:at|arroba|@)\s*{_CIERRA}\s*|\s+(?:at|arroba)\s+|\s+@\s+", re.IGNORECASE
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


# The top-level domains an address in words or with spaced dots ends in. Not "de", "es" or
# "co": Spanish words ("punto de venta").
DOMINIOS_SUPERIORES = "com|net|org|edu|gob|gov|mil|info|biz|io|mx"
_PUNTO_EN_PALABRAS = rf"(?:\s+(?:punto|dot)\s+|\s*{_ABRE}\s*(?:punto|dot)\s*{_CIERRA}\s*)"
_ETIQUETA = r"[A-Za-z0-9][\w-]*"
# «juanperez en gmail punto com», «ana en sonora punto gob punto mx»: " en " is the "@" of an
# address in words only when a domain in words follows it, ending in a common top-level
# domain; "en www punto ..." is a web site.
EN_COMO_ARROBA = re.compile(
    rf"(?<=[^\W_])\s+en\s+(?=(?!www\b){_ETIQUETA}(?:{_PUNTO_EN_PALABRAS}{_ETIQUETA})*?"
    rf"{_PUNTO_EN_PALABRAS}(?:{DOMINIOS_SUPERIORES})(?![\w-]))",
    re.IGNORECASE,
)
PUNTO = re.compile(rf"\s*{_ABRE}\s*(?:dot|punto)\s*{_CIERRA}\s*|\s+(?:dot|punto)\s+", re.IGNORECASE)

# --- Letters written for digits ------------------------------------------------------------

_COMO_DIGITO = str.maketrans(LETRAS_POR_DIGITOS, "0001111223455667899")
# These three, the typewriter's, read as digits in a group without a real digit ("644 OOO
# OOOO"); the others only beside one.
_CLASICAS = set("OIl")
_PARECIDAS = set("OoQIil|ZzEASsGbTBgq") - _CLASICAS
# "|" too, beside the others ("000|"); alone it is a table's or a list's bar.
_GRUPO = r"\|*[0-9OoQIilZzEASsGbTBgq][0-9OoQIilZzEASsGbTBgq|]*"
_SEPARA_GRUPOS = r"[ .\-()/_]{1,3}"
_CON_LETRAS_MINIMO = 7
# Seven characters at least (a lookahead that spares most words a call: "los", "2026").
_CON_LETRAS = re.compile(
    rf"(?<![^\W_])(?=[0-9OoQIil|ZzEASsGbTBgq .\-()/_]{{{_CON_LETRAS_MINIMO}}})"
    rf"{_GRUPO}(?:{_SEPARA_GRUPOS}{_GRUPO})*(?![^\W_])"
)
_GRUPOS = re.compile(_GRUPO)


def _grupo_legible(grupo: str) -> bool:
    return any(c.isdigit() for c in grupo) or not _PARECIDAS.intersection(grupo)


_DICHO_TELEFONO = re.compile(
    r"\b(?:tel|telefono|cel|celular|movil|lada|whatsapp|whats|wa)\b\.?:?\s*$", re.IGNORECASE
)


def como_numeros(leida: Lectura) -> Lectura:
    """`leida` with the letters written for digits in a number read as the digits (see the
    module's docstring), each from its own character: the positions stay. A copy of its own,
    for telephone numbers: in "BBBQ000101000" the letters are an RFC's, which
    estandares.datos_personales reads by its structure."""
    cambios = []
    for m in _CON_LETRAS.finditer(leida.texto):
        if m.group(0).isdigit():
            continue
        # Right after "tel.", "cel:", "lada"..., every group is read: it was said to be one.
        dicho = _DICHO_TELEFONO.search(leida.texto, max(0, m.start() - 16), m.start())
        corrida: list[re.Match] = []
        for grupo in [*_GRUPOS.finditer(m.group(0)), None]:
            if grupo is not None and (dicho or _grupo_legible(grupo.group(0))):
                corrida.append(grupo)
                continue
            escrito = "".join(g.group(0) for g in corrida)
            if (
                len(escrito) >= _CON_LETRAS_MINIMO
                and any(c.isdigit() for c in escrito)
                and not escrito.isdigit()
            ):
                cambios += [
                    (
                        m.start() + g.start() + i,
                        m.start() + g.start() + i + 1,
                        c.translate(_COMO_DIGITO),
                    )
                    for g in corrida
                    for i, c in enumerate(g.group(0))
                    if not c.isdigit()
                ]
                # An underscore between its groups as a space: libphonenumber reads none.
                desde, hasta = m.start() + corrida[0].start(), m.start() + corrida[-1].end()
                cambios += [(j, j + 1, " ") for j in range(desde, hasta) if leida.texto[j] == "_"]
            corrida = []
    return _reemplazar(leida, sorted(cambios))


# One character at a time: at least six letters or digits, each alone between separators.
_SEPARA_LETRAS = r"[\s.,\-_/\\]"
_DELETREADO = re.compile(rf"(?<![^\W_])[^\W_](?:{_SEPARA_LETRAS}{{1,3}}[^\W_](?![^\W_])){{5,}}")
_SEPARA_LETRAS_RE = re.compile(rf"{_SEPARA_LETRAS}+")


# A telephone number written in a link: WhatsApp's ("wa.me/52…", "…/send?phone=52…") and
# "tel:" carry it with its country code, without the "+".
_EN_ENLACE = re.compile(
    r"(?:\bwa\.me/|\bwhatsapp\.com/send/?\?phone=|\btel:|\bsms:|\bcallto:)\+?"
    r"(?=[\dOoIlZzEASsGbTBgq]{8})",
    re.IGNORECASE,
)
# The words people write between the groups of a telephone number ("lada 662, número 213
# 4567", "662 tel. 213 45 67"), and underscores between its digits: read as a space. After
# a group of digits alone, not after a key's last digit ("…AB1, tel. 662…").
_ENTRE_GRUPOS = re.compile(
    r"(?<![^\W\d_])\d+(?P<entre>[\s,;:.#]*\b(?:numero|num|no|lada|tel|telefono|cel|celular"
    r"|movil|whatsapp|whats|wa)\b[\s,;:.#]*|_+)(?=\d)",
    re.IGNORECASE,
)


def con_palabras_de_otro_dato(texto: str) -> bool:
    """Whether `texto` has a word that an e-mail address or a telephone number may have and
    a key may hold: a word for "@" («AT⏎AB000101HAS…»: a CURP's first letters, or "at"), or
    one between two groups of digits («GIAS460513 1⏎WA, 20»: a homoclave, or «wa» between
    «1» and «20»). `lectura(texto, claves=True)` keeps them words."""
    decodificada = _decodificada(Lectura(texto or "", None, None))
    texto = _componer(decodificada, _caracteres(decodificada.texto)).texto
    return ARROBA.search(texto) is not None or _ENTRE_GRUPOS.search(texto) is not None


def _grupos_de_un_telefono(leida: Lectura) -> Lectura:
    return _reemplazar(
        leida,
        [(m.start("entre"), m.end("entre"), " ") for m in _ENTRE_GRUPOS.finditer(leida.texto)],
    )


def lectura(
    texto: str, *, decenas_aparte: bool = False, parecidos: bool = False, claves: bool = False
) -> Lectura:
    """The copy of `texto` that a reader reads (see the module's docstring).

    Two other readings, for what reads two ways: `decenas_aparte`, a ten and a unit without
    «y» as two numbers («noventa uno», 90 and 1, not 91); `parecidos`, a group of digits with
    letters for some of them joins the numbers in words beside it («SG cero seis once 1I9»,
    an RFC's date and homoclave). The second is a reading for an RFC's or a CURP's structure
    only: «8TB 1TB 2TB, cuatro piezas» is no telephone. `claves`, for a key's structure too:
    the words for "@" and those between groups of digits stay words («AT⏎AB000101…»,
    «…513 1⏎WA, 20»)."""
    decodificada = _decodificada(Lectura(texto or "", None, None))
    leida = _componer(decodificada, _caracteres(decodificada.texto))
    leida = _sustituir(leida, _EN_ENLACE, lambda m: " +")
    if not claves:
        leida = _grupos_de_un_telefono(leida)
        leida = _sustituir(leida, ARROBA, _arroba(leida.texto))
        bajo = leida.texto.lower()
        if "punto" in bajo or "dot" in bajo:
            leida = _sustituir(leida, EN_COMO_ARROBA, lambda m: "@")
    if "@" in leida.texto:
        leida = _sustituir(leida, PUNTO, lambda m: ".")
    leida = _reemplazar(
        leida, dictados.cambios(leida.texto, decenas_aparte=decenas_aparte, parecidos=parecidos)
    )
    return _reemplazar(leida, _deletreados(leida.texto))


def _deletreados(texto: str) -> list[tuple[int, int, str]]:
    """The separators of each datum spelled out, dropped; beside an "@" (an e-mail spelled
    out, «j o s e . o c h o a @ l i v e . c o m»), those with a dot read as one dot."""
    cambios = []
    for m in _DELETREADO.finditer(texto):
        correo = texto[: m.start()].rstrip().endswith("@") or texto[m.end() :].lstrip()[:1] == "@"
        cambios += [
            (
                m.start() + s.start(),
                m.start() + s.end(),
                "." if correo and "." in s.group(0) else "",
            )
            for s in _SEPARA_LETRAS_RE.finditer(m.group(0))
        ]
    return cambios
