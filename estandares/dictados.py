"""Numbers dictated in words, read as their digits: the part of estandares.lectura that reads
«seis seis dos, doscientos trece, cuarenta y cinco» as 6622134567 (see its docstring).

text2num (Allo-Media's parser of Spanish number words) reads the words; this module decides
which runs of numbers were dictated and joins them. Two readings are offered for what reads
two ways (issue 88): a ten and a unit without «y» («noventa uno»: 91, or 90 and 1), and a
group of digits with letters for some of them among the words («SG cero seis once 1I9»).
"""

import re

from text_to_num import find_numbers

# The letters written for digits, as estandares.lectura.como_numeros reads them.
LETRAS_POR_DIGITOS = "OoQIil|ZzEASsGbTBgq"

# text2num reads Spanish; the English digit words are read here.
DIGITOS_EN_INGLES = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
# What may be a number word, in lower case: a text without any goes by untouched (a CSV reads
# thousands).
_PALABRA_NUMERO = re.compile(
    r"\b(?:cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce"
    r"|quince|dieci\w+|veint\w+|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa"
    r"|cien|ciento|(?:dos|tres|cuatro|seis|sete|ocho|nove)cient[oa]s|quinient[oa]s|"
    + "|".join(DIGITOS_EN_INGLES)
    + r")\b"
)
# The copy has no accents; text2num wants the ones these words carry.
_CON_ACENTO = {
    "dieciseis": "dieciséis",
    "veintidos": "veintidós",
    "veintitres": "veintitrés",
    "veintiseis": "veintiséis",
    "millon": "millón",
}
# Digits read together: at least an RFC's date.
DIGITOS_JUNTOS = 6
# And at most a telephone number's.
DIGITOS_DICTADOS = 10
# Each number word gives at most three.
_DIGITOS_POR_PALABRA = 3
# A group of digits among the words: what people dictate in ("662 dos trece 45 62").
_GRUPO_DICTADO = 4
_FICHA = re.compile(r"[^\W_]+|\S")
_ENTRE_NUMEROS = set(",;.-")


class _Ficha:
    """A word or a sign of the copy, as text2num's find_numbers reads tokens."""

    __slots__ = ("fin", "inicio", "palabra")

    def __init__(self, m: re.Match):
        self.inicio, self.fin = m.start(), m.end()
        palabra = m.group(0).lower()
        self.palabra = _CON_ACENTO.get(palabra, palabra)

    def text(self) -> str:
        return self.palabra

    def nt_separated(self, previous) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


_DECENAS = {
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
}
_UNIDADES = dict(
    zip(
        ("uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
        range(1, 10),
        strict=True,
    )
)


def _decena_y_unidad(fichas: list[_Ficha], numero) -> bool:
    """A number of two words, a ten and a unit with no «y» between them."""
    return (
        numero.end - numero.start == 2
        and fichas[numero.start].palabra in _DECENAS
        and fichas[numero.start + 1].palabra in _UNIDADES
    )


# A group of digits with letters written for some of them: joins a run, never starts one.
_PARECIDO = "parecido"


def _con_letras_por_digitos(escrito: str) -> bool:
    return (
        len(escrito) <= _GRUPO_DICTADO
        and not escrito.isdigit()
        and any(c.isdigit() for c in escrito)
        and all(c.isdigit() or c in LETRAS_POR_DIGITOS for c in escrito)
    )


def _numeros(texto: str, decenas_aparte: bool, parecidos: bool):
    """Each number of `texto` as (inicio, fin, digits, in words), None for what breaks a run
    (a word, a number in words of a thousand or more, an ordinal, a decimal, more than
    _GRUPO_DICTADO digits together) and "" for a separator."""
    fichas = [_Ficha(m) for m in _FICHA.finditer(texto)]
    en_palabras = {o.start: o for o in find_numbers(fichas, "es", 0)}
    i = 0
    while i < len(fichas):
        ficha, numero = fichas[i], en_palabras.get(i)
        if numero is not None and decenas_aparte and _decena_y_unidad(fichas, numero):
            # «noventa uno», read as 91 (text2num's reading), may also be two numbers
            # dictated, 90 and 1: the other reading (see `lectura`).
            decena, unidad = fichas[i], fichas[i + 1]
            yield decena.inicio, decena.fin, str(_DECENAS[decena.palabra]), True
            yield unidad.inicio, unidad.fin, str(_UNIDADES[unidad.palabra]), True
            i = numero.end
            continue
        if numero is not None:
            dictado = not numero.is_ordinal and numero.text.isdigit() and numero.value < 1000
            yield (ficha.inicio, fichas[numero.end - 1].fin, numero.text, True) if dictado else None
            i = numero.end
            continue
        if ficha.palabra.isdigit():
            dictado = len(ficha.palabra) <= _GRUPO_DICTADO
            yield (ficha.inicio, ficha.fin, ficha.palabra, False) if dictado else None
        elif ficha.palabra in DIGITOS_EN_INGLES:
            yield ficha.inicio, ficha.fin, DIGITOS_EN_INGLES[ficha.palabra], True
        elif parecidos and _con_letras_por_digitos(escrito := texto[ficha.inicio : ficha.fin]):
            # «cero seis once 1I9»: a group with letters for digits beside a real one (as
            # `como_numeros` reads them) joins a run as written (a homoclave may hold an I),
            # and is never what starts one (see `lectura`).
            yield ficha.inicio, ficha.fin, escrito, _PARECIDO
        else:
            yield "" if ficha.palabra in _ENTRE_NUMEROS else None
        i += 1


def _dictado(corrida: list[tuple]) -> list[tuple]:
    """The numbers of a run that were dictated: from its first number in words to its last,
    and the digit groups beside them while the whole has at most DIGITOS_DICTADOS digits
    (first those after it, then those before): "ISO 27001:2022, seis seis dos 213 4567" is
    6622134567, without the standard's year."""
    palabras = [i for i, numero in enumerate(corrida) if numero[3] is True]
    if not palabras:
        return []
    desde, hasta = palabras[0], palabras[-1] + 1
    digitos = sum(len(numero[2]) for numero in corrida[desde:hasta])
    while hasta < len(corrida) and digitos + len(corrida[hasta][2]) <= DIGITOS_DICTADOS:
        digitos += len(corrida[hasta][2])
        hasta += 1
    while desde > 0 and digitos + len(corrida[desde - 1][2]) <= DIGITOS_DICTADOS:
        desde -= 1
        digitos += len(corrida[desde][2])
    return corrida[desde:hasta] if digitos >= DIGITOS_JUNTOS else []


def cambios(texto: str, *, decenas_aparte: bool, parecidos: bool) -> list[tuple[int, int, str]]:
    """Each run of numbers dictated with number words among them, DIGITOS_JUNTOS digits or
    more, read as its digits joined (see the module's docstring): the changes, as (inicio,
    fin, what it reads), for estandares.lectura."""
    palabras = len(_PALABRA_NUMERO.findall(texto.lower()))
    if not palabras or palabras * _DIGITOS_POR_PALABRA + sum(map(str.isdigit, texto)) < (
        DIGITOS_JUNTOS
    ):
        return []
    leidos, corrida = [], []

    def cerrar():
        dictado = _dictado(corrida)
        for anterior, numero in zip([None, *dictado], dictado, strict=False):
            if anterior is not None and anterior[1] < numero[0]:
                leidos.append((anterior[1], numero[0], ""))
            if numero[3] is True:
                leidos.append(numero[:3])
        corrida.clear()

    for numero in _numeros(texto, decenas_aparte, parecidos):
        if numero is None:
            cerrar()
        elif numero:
            corrida.append(numero)
    cerrar()
    return leidos


# A ten and a unit with no «y» between them: two readings.
_DECENA_Y_UNIDAD = re.compile(
    r"\b(?:treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa)\s+"
    r"(?:uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)\b",
    re.IGNORECASE,
)


def con_decenas_aparte(texto: str) -> bool:
    """Whether `texto` has a ten and a unit with no «y» between them («noventa uno»): 91 to
    text2num, and perhaps 90 and 1 dictated; `lectura(texto, decenas_aparte=True)` reads the
    second."""
    return _DECENA_Y_UNIDAD.search(texto or "") is not None


_GRUPO_CON_PARECIDAS = re.compile(
    r"(?<![^\W_])(?=[^\W_]*\d)(?=[^\W_]*[OoQIil|ZzEASsGbTBgq])[0-9OoQIil|ZzEASsGbTBgq]{2,4}"
    r"(?![^\W_])"
)


def con_parecidos(texto: str) -> bool:
    """Whether `texto` has numbers in words and a group of digits with letters for some of
    them («cero seis once 1I9»): `lectura(texto, parecidos=True)` joins them."""
    texto = texto or ""
    return bool(_GRUPO_CON_PARECIDAS.search(texto)) and bool(_PALABRA_NUMERO.search(texto.lower()))
