"""Valid Mexican personal identifiers and the ways people write them, to judge the detector of
personal data from the outside (issue 88, item 5).

Written without reading the detector: nothing here imports the product (`estandares`,
`dictamenes`, `publico`) nor `stdnum`. What it models:

- **A person** (`Persona`): a given name, two surnames, a sex and a real birth date. From them
  come the identifiers the way SAT and RENAPO build them.
- **RFC of a person** (13 characters): the first letter and first inner vowel of the paternal
  surname, the initial of the maternal surname and of the given name (so the 2nd is always a
  vowel; «inconvenient words» are drawn again), `yymmdd`, two homoclave characters and SAT's
  check character (`rfc_verificador`, also for a company's 12-character RFC).
- **CURP** (18 characters): the same four letters, `yymmdd`, H/M, a state code, the first inner
  consonant of each surname and of the name, the differentiator (a digit before 2000, a letter
  from 2000) and RENAPO's check digit (`curp_verificador`).
- **A phone** of 10 digits with a real area code (2 digits for 55/33/81, 3 for the rest).
- **An e-mail** address of a person at a free provider, its local part built from the name.

Each identifier becomes a sequence of `Pieza`: a character of the identifier (with its
position, so a later transformation knows whether it stands in a digit place) or a decoration
(a separator, a word, a prefix). Transformations come in six kinds (`TIPOS`), each a function
`(identidad, piezas, rng) -> piezas | None` that picks one of its forms at random and answers
None when no form applies (a truncation of a phone) or nothing would change:

- separadores: dots, «·», «•», «_», «%20», «/» or a mix, between parts or between characters;
- mayusculas: lowercase, mixed case, capitalised (uppercase for an e-mail);
- parecidas: letters for digits in the digit places (O/o 0, I/l 1, Z 2, E 3, A 4, S 5, G/b 6,
  T 7, B 8, g 9), Cyrillic or Greek letters for Latin ones, full-width forms;
- truncamientos: a CURP's first 16, an RFC without homoclave, the homoclave split off;
- palabras: «lada 662, número 213 4567», «tel. …», «cel: …», digits and Spanish number words
  interleaved, the date of an RFC/CURP in words, «punto» for the dots of an e-mail;
- codificaciones: HTML decimal/hex references, percent-encoding, the @ as «[@]», «(@)», «ⓐ»,
  «＠», «﹫», «arroba», a phone inside wa.me, api.whatsapp.com or tel: links.

`componer_pares` composes every pair of kinds (and each kind alone, and the plain identifier as
a baseline), applying them in the fixed order of `TIPOS` so that, e.g., the look-alikes replace
digits that separators and words left in place, and encodings come last.  It is deterministic
for a seed: the same list on every pytest-xdist worker.
"""

from __future__ import annotations

import datetime
import random
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from itertools import combinations

SAT_ALFABETO = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
RENAPO_ALFABETO = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
HOMOCLAVE_ALFABETO = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"


def _lista(texto: str) -> tuple[str, ...]:
    return tuple(texto.split())


ESTADOS = _lista(
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN"
    " ZS NE"
)
# Area codes: Hermosillo, Cd. Obregón, Nogales, San Luis Río Colorado, Navojoa, Guaymas,
# Mexicali, Tijuana, Mérida, Puebla, León; and the three two-digit ones.
LADAS = _lista("662 644 631 653 642 622 686 664 999 222 477 55 33 81")
DOMINIOS = _lista(
    "gmail.com hotmail.com outlook.com yahoo.com.mx live.com.mx icloud.com prodigy.net.mx"
)
NOMBRES = tuple(
    tuple(n.split(":"))
    for n in _lista(
        "Juan:H José:H Luis:H Carlos:H Héctor:H Ramón:H Fernando:H Sergio:H Martín:H Rubén:H"
        " María:M Guadalupe:M Patricia:M Rosa:M Laura:M Teresa:M Elena:M Adriana:M Silvia:M"
        " Karina:M"
    )
)
APELLIDOS = _lista(
    "Pérez Gómez López Ramírez Valenzuela Durazo Encinas Moreno Romero Quiroz Félix Bojórquez"
    " Salazar Ochoa Ibarra Urías Castro Molina Navarro Tapia Soto Acosta Leyva Robles Yocupicio"
    " Zazueta Munguía Esquer Cota Ruiz Hernández Vega"
)
# SAT's and RENAPO's «palabras inconvenientes»: such initials are drawn again.
INCONVENIENTES = frozenset(
    _lista(
        "BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COJA COJE COJI COJO CULO FETO GUEY JOTO KACA"
        " KACO KAGA KAGO KOGE KOJO KAKA KULO MAME MAMO MEAR MEAS MEON MION MOCO MULA PEDA PEDO"
        " PENE PUTA PUTO QULO RATA RUIN"
    )
)
VOCALES = "AEIOU"


def rfc_verificador(base: str) -> str:
    """SAT's check character of an RFC without it (12 characters a person, 11 a company)."""
    base = base.upper().rjust(12)
    suma = sum(SAT_ALFABETO.index(c) * (13 - i) for i, c in enumerate(base))
    digito = (11 - suma % 11) % 11
    return "A" if digito == 10 else str(digito)


def curp_verificador(base: str) -> str:
    """RENAPO's check digit of the first 17 characters of a CURP."""
    suma = sum(RENAPO_ALFABETO.index(c) * (18 - i) for i, c in enumerate(base.upper()))
    return str((10 - suma % 10) % 10)


def sin_acentos(texto: str) -> str:
    descompuesto = unicodedata.normalize("NFD", texto.upper())
    return "".join(c for c in descompuesto if unicodedata.category(c) != "Mn")


UNIDADES = _lista("cero uno dos tres cuatro cinco seis siete ocho nueve")
DIECES = _lista("diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve")
VEINTES = _lista(
    "veinte veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis veintisiete"
    " veintiocho veintinueve"
)
DECENAS = dict(enumerate(_lista("treinta cuarenta cincuenta sesenta setenta ochenta noventa"), 3))


def numero_en_palabras(numero: int) -> str:
    """A number from 0 to 99 in Spanish words, as a person dictates a group of a phone."""
    if numero < 10:
        return UNIDADES[numero]
    if numero < 20:
        return DIECES[numero - 10]
    if numero < 30:
        return VEINTES[numero - 20]
    decena, unidad = divmod(numero, 10)
    return DECENAS[decena] + ("" if unidad == 0 else f" y {UNIDADES[unidad]}")


# --- identities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    nombre: str
    paterno: str
    materno: str
    sexo: str
    nacimiento: datetime.date

    @property
    def nombre_completo(self) -> str:
        return f"{self.nombre} {self.paterno} {self.materno}"


@dataclass(frozen=True)
class Identidad:
    """One identifier as written canonically, and what of it must never be recoverable."""

    clase: str  # "rfc" | "curp" | "telefono" | "correo"
    texto: str
    nucleo: str  # RFC's first 10, CURP's first 16, the phone's 10 digits, the whole address
    partes: tuple[int, ...]  # the part each character belongs to
    digitos: frozenset[int]  # the positions where a digit stands (where look-alikes go)
    persona: Persona


def persona_nueva(rng: random.Random) -> Persona:
    while True:
        nombre, sexo = rng.choice(NOMBRES)
        paterno, materno = rng.sample(APELLIDOS, 2)
        inicio = datetime.date(1950, 1, 1).toordinal()
        fin = datetime.date(2006, 12, 31).toordinal()
        persona = Persona(
            nombre, paterno, materno, sexo, datetime.date.fromordinal(rng.randint(inicio, fin))
        )
        if iniciales(persona) not in INCONVENIENTES:
            return persona


def iniciales(persona: Persona) -> str:
    paterno = sin_acentos(persona.paterno)
    vocal = next(c for c in paterno[1:] if c in VOCALES)
    return paterno[0] + vocal + sin_acentos(persona.materno)[0] + sin_acentos(persona.nombre)[0]


def consonante_interna(palabra: str) -> str:
    letra = next(c for c in sin_acentos(palabra)[1:] if c.isalpha() and c not in VOCALES)
    return "X" if letra == "Ñ" else letra


def _identidad(clase, texto, nucleo, cortes, persona, lugares=None):
    """`cortes`: the lengths of consecutive parts; `lugares`: the digit places (every digit)."""
    partes = tuple(i for i, largo in enumerate(cortes) for _ in range(largo))
    if lugares is None:
        lugares = (i for i, c in enumerate(texto) if c.isdigit())
    return Identidad(clase, texto, nucleo, partes, frozenset(lugares), persona)


def rfc_persona(persona: Persona, rng: random.Random) -> Identidad:
    homoclave = "".join(rng.choices(HOMOCLAVE_ALFABETO, k=2))
    base = iniciales(persona) + persona.nacimiento.strftime("%y%m%d") + homoclave
    texto = base + rfc_verificador(base)
    # Only the date's places: a digit of the homoclave is not «a digit place» by structure.
    return _identidad("rfc", texto, texto[:10], (4, 6, 3), persona, range(4, 10))


def curp(persona: Persona, rng: random.Random) -> Identidad:
    antes_de_2000 = persona.nacimiento.year < 2000
    diferenciador = rng.choice("0123456789" if antes_de_2000 else "ABCDEFGHIJKLMNPQRSTUVWXYZ")
    consonantes = (persona.paterno, persona.materno, persona.nombre)
    base = "".join(
        [iniciales(persona), persona.nacimiento.strftime("%y%m%d"), persona.sexo]
        + [rng.choice(ESTADOS), *map(consonante_interna, consonantes), diferenciador]
    )
    texto = base + curp_verificador(base)
    lugares = [*range(4, 10), 17] + ([16] if antes_de_2000 else [])
    return _identidad("curp", texto, texto[:16], (4, 6, 1, 2, 3, 1, 1), persona, lugares)


def telefono(persona: Persona, rng: random.Random) -> Identidad:
    lada = rng.choice(LADAS)
    resto = str(rng.randint(2, 9)) + "".join(rng.choices("0123456789", k=9 - len(lada)))
    cortes = (2, 4, 4) if len(lada) == 2 else (3, 3, 4)
    return _identidad("telefono", lada + resto, lada + resto, cortes, persona)


def correo(persona: Persona, rng: random.Random) -> Identidad:
    nombre, paterno, materno = (
        sin_acentos(n).lower() for n in (persona.nombre, persona.paterno, persona.materno)
    )
    anio = persona.nacimiento.strftime(rng.choice(("%y", "%Y")))
    local = rng.choice(
        [f"{nombre}.{paterno}{anio}", f"{nombre[0]}{paterno}{anio}"]
        + [f"{nombre}.{paterno}.{materno[0]}", f"{paterno}{nombre[0]}{anio}"]
    )
    texto = f"{local}@{rng.choice(DOMINIOS)}"
    # A part is a run between «.» and «@»; each «.» and «@» is a part of its own.
    cortes = [len(trozo) for trozo in re.split(r"([.@])", texto)]
    lugares = (i for i, c in enumerate(local) if c.isdigit())
    return _identidad("correo", texto, texto, cortes, persona, lugares)


CLASES = {"rfc": rfc_persona, "curp": curp, "telefono": telefono, "correo": correo}


# --- pieces and transformations --------------------------------------------------------------


@dataclass(frozen=True)
class Pieza:
    texto: str
    pos: int | None = None  # position in the canonical identifier; None for a decoration


def piezas_de(identidad: Identidad) -> tuple[Pieza, ...]:
    return tuple(Pieza(c, i) for i, c in enumerate(identidad.texto))


def texto_de(piezas) -> str:
    return "".join(p.texto for p in piezas)


def _propias(piezas):
    return [i for i, p in enumerate(piezas) if p.pos is not None]


def _cambia(piezas, nuevas):
    return None if nuevas is None or texto_de(nuevas) == texto_de(piezas) else tuple(nuevas)


def separadores(identidad, piezas, rng):
    """Separators between the parts, or between every character, of one kind or mixed."""
    if identidad.clase == "correo":
        forma = rng.choice(("espacios", "punto_medio", "vineta", "%20", "cada_caracter", "mezcla"))
        nuevas = []
        for p in piezas:
            es_signo = p.pos is not None and p.texto in ".@"
            if forma == "espacios" and es_signo:
                nuevas += [Pieza(" "), p, Pieza(" ")]
            elif forma in ("punto_medio", "vineta") and es_signo and p.texto == ".":
                nuevas.append(Pieza("·" if forma == "punto_medio" else "•", p.pos))
            elif forma == "%20" and es_signo and p.texto == "@":
                nuevas += [Pieza("%20"), p, Pieza("%20")]
            elif forma == "mezcla" and es_signo:
                nuevas += [Pieza(rng.choice((" ", " · ", "  "))), p, Pieza(rng.choice((" ", "")))]
            else:
                nuevas.append(p)
        if forma == "cada_caracter":
            nuevas = _entre(identidad, piezas, lambda: " ", cada_caracter=True)
        return _cambia(piezas, nuevas)
    cada_caracter = rng.random() < 0.5
    if rng.random() < 0.25:
        mezcla = (".", "-", " ", "·", "/", "_", "•")
        return _cambia(piezas, _entre(identidad, piezas, lambda: rng.choice(mezcla), cada_caracter))
    separador = rng.choice((".", "·", "•", "_", "%20", "/", " . ", " - "))
    return _cambia(piezas, _entre(identidad, piezas, lambda: separador, cada_caracter))


def _entre(identidad, piezas, separador, cada_caracter):
    nuevas = [piezas[0]]
    for antes, p in zip(piezas, piezas[1:], strict=False):
        if (
            antes.pos is not None
            and p.pos is not None
            and (cada_caracter or identidad.partes[antes.pos] != identidad.partes[p.pos])
        ):
            nuevas.append(Pieza(separador()))
        nuevas.append(p)
    return nuevas


def mayusculas(identidad, piezas, rng):
    """Lowercase, uppercase, mixed case or capitalised: the identifier's characters and the
    words around them («LADA», «Tel.», «OCHENTA»); an e-mail is lowercase already."""
    formas = (
        ("mayusculas", "mezcla")
        if identidad.clase == "correo"
        else ("minusculas", "mayusculas", "mezcla", "capital")
    )
    forma = rng.choice(formas)
    nuevas = []
    for n, p in enumerate(piezas):
        if forma == "minusculas":
            c = p.texto.lower()
        elif forma == "mayusculas":
            c = p.texto.upper()
        elif forma == "capital":
            c = p.texto.upper() if n == 0 else p.texto.lower()
        else:
            c = "".join(x.lower() if rng.random() < 0.5 else x.upper() for x in p.texto)
        nuevas.append(Pieza(c, p.pos))
    return _cambia(piezas, nuevas)


# Letters and signs people write for a digit; Cyrillic and Greek letters for Latin ones.
PARECIDAS = dict(zip("0123456789", _lista("Oo Il Z E A S Gb T B g"), strict=True))
HOMOGLIFOS = dict(
    par.split(":")
    for par in _lista(
        "A:АΑ B:ВΒ C:С E:ЕΕ H:НΗ I:ІΙ J:Ј K:КΚ M:МΜ N:Ν O:ОΟ P:РΡ S:Ѕ T:ТΤ X:ХΧ Y:Υ Z:Ζ"
        " a:а c:с e:е i:і j:ј o:оο p:р s:ѕ x:х y:у"
    )
)


def ancho_completo(c: str) -> str:
    return chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c


def parecidas(identidad, piezas, rng):
    """Letters for digits in the digit places, Cyrillic/Greek letters, or full-width forms."""
    propias = _propias(piezas)
    lugares = [
        i for i in propias if piezas[i].pos in identidad.digitos and piezas[i].texto in PARECIDAS
    ]
    letras = [i for i in propias if piezas[i].texto in HOMOGLIFOS]
    formas = [
        f
        for f, hay in (("digitos", len(lugares) >= 2), ("homoglifos", letras), ("ancho", propias))
        if hay
    ]
    if not formas:
        return None
    forma = rng.choice(formas)
    nuevas = list(piezas)
    if forma == "ancho":
        elegidas, mapa = propias, lambda c: "".join(ancho_completo(x) for x in c)
    elif forma == "digitos":
        # Some of the places, not all: a phone of ten letters would be a part number.
        elegidas = rng.sample(lugares, rng.randint(2, max(2, len(lugares) // 2)))
        mapa = lambda c: rng.choice(PARECIDAS[c])  # noqa: E731
    else:
        elegidas = rng.sample(letras, rng.randint(1, len(letras)))
        mapa = lambda c: rng.choice(HOMOGLIFOS[c])  # noqa: E731
    for i in elegidas:
        nuevas[i] = Pieza(mapa(piezas[i].texto), piezas[i].pos)
    return _cambia(piezas, nuevas)


def truncamientos(identidad, piezas, rng):
    """An RFC without homoclave or with it split off; a CURP's first 16, or its last 2 apart."""
    if identidad.clase not in ("rfc", "curp"):
        return None
    corte = 10 if identidad.clase == "rfc" else 16
    cabeza = [p for p in piezas if p.pos is None or p.pos < corte]
    cola = [p for p in piezas if p.pos is not None and p.pos >= corte]
    # Decorations that a former kind put between head and tail stay with the head.
    while cabeza and cabeza[-1].pos is None:
        cabeza.pop()
    if identidad.clase == "rfc":
        forma = rng.choice(("sin_homoclave", "espacio", "parentesis"))
        envoltura = {
            "sin_homoclave": None,
            "espacio": (" ", ""),
            "parentesis": (" (homoclave ", ")"),
        }[forma]
    else:
        forma = rng.choice(("dieciseis", "espacio", "diagonal"))
        envoltura = {"dieciseis": None, "espacio": (" ", ""), "diagonal": (" / ", "")}[forma]
    if envoltura is None:
        return _cambia(piezas, cabeza)
    return _cambia(piezas, [*cabeza, Pieza(envoltura[0]), *cola, Pieza(envoltura[1])])


def _en_palabras(grupo: str, inicio: int, rng: random.Random) -> list[Pieza]:
    """A group of digits said in chunks of 1 or 2, each as a number word or as digits."""
    piezas, i = [], 0
    while i < len(grupo):
        largo = 1 if grupo[i] == "0" or i == len(grupo) - 1 else rng.choice((1, 2))
        trozo = grupo[i : i + largo]
        if piezas:
            piezas.append(Pieza(" "))
        if rng.random() < 0.6:
            piezas.append(Pieza(numero_en_palabras(int(trozo))))
        else:
            piezas += [Pieza(c, inicio + i + k) for k, c in enumerate(trozo)]
        i += largo
    return piezas


def palabras(identidad, piezas, rng):
    """Phones with «lada/número/tel./cel:» and number words; a date in words; «punto»."""
    if identidad.clase == "correo":
        cambiar_arroba = rng.random() < 0.5
        nuevas = []
        for p in piezas:
            if p.pos is not None and p.texto == ".":
                nuevas.append(Pieza(" punto "))
            elif cambiar_arroba and p.pos is not None and p.texto == "@":
                nuevas.append(Pieza(" arroba "))
            else:
                nuevas.append(p)
        return _cambia(piezas, nuevas)
    if identidad.clase == "telefono":
        return _telefono_en_palabras(identidad, rng)  # words come first for a phone
    # RFC or CURP: the birth date (positions 4 to 9) said in words, two digits at a time.
    nuevas, dicha = [], False
    for n, p in enumerate(piezas):
        if p.pos in (4, 6, 8) and rng.random() < 0.7:
            par = identidad.texto[p.pos : p.pos + 2]
            dicho = (
                numero_en_palabras(int(par))
                if par[0] != "0"
                else f"cero {numero_en_palabras(int(par[1]))}"
            )
            nuevas += [Pieza(" "), Pieza(dicho)]
            dicha = True
        elif p.pos in (5, 7, 9) and nuevas and nuevas[-1].pos is None:
            pass  # its pair was said in words
        elif p.pos in (4, 6, 8):
            nuevas += [Pieza(" "), p]
        else:
            nuevas.append(p)
        if p.pos == 9 and n + 1 < len(piezas) and piezas[n + 1].pos is not None:
            nuevas.append(Pieza(" "))
    return tuple(nuevas) if dicha else None


def _telefono_en_palabras(identidad, rng):
    texto = identidad.texto
    lada_largo = identidad.partes.count(0)
    forma = rng.choice(("lada", "tel", "cel", "intercaladas"))
    if forma == "intercaladas":
        cortes = (lada_largo, lada_largo + 3 + (lada_largo == 2), 10)
        nuevas, inicio = [], 0
        for n, fin in enumerate(cortes):
            if n:
                nuevas.append(Pieza(", "))
            nuevas += _en_palabras(texto[inicio:fin], inicio, rng)
            inicio = fin
        if all(p.pos is not None or not p.texto.strip(", ") for p in nuevas):
            return None
        return tuple(nuevas)
    digitos = lambda a, b: [Pieza(texto[i], i) for i in range(a, b)]  # noqa: E731
    cabeza = digitos(0, lada_largo)
    if forma == "lada":
        return (
            Pieza("lada "),
            *cabeza,
            Pieza(", número "),
            *digitos(lada_largo, 6),
            Pieza(" "),
            *digitos(6, 10),
        )
    prefijo = "tel. " if forma == "tel" else "cel: "
    return (
        Pieza(prefijo),
        *cabeza,
        Pieza(" "),
        *digitos(lada_largo, 6),
        Pieza(" "),
        *digitos(6, 8),
        Pieza(" "),
        *digitos(8, 10),
    )


ENLACES = _lista(
    "wa.me/52 https://wa.me/52 https://api.whatsapp.com/send?phone=52 tel:+52 tel:+52-"
)
ARROBAS = ("[@]", "(@)", "ⓐ", "＠", "﹫", " arroba ", "&#64;", "&#x40;", "%40")


REFERENCIAS = ("decimal", "hex", "porcentaje")


def _referencia(c: str, forma: str) -> str:
    """`c` as HTML decimal or hexadecimal references, or percent-encoded (UTF-8 bytes)."""
    if forma == "decimal":
        return "".join(f"&#{ord(x)};" for x in c)
    if forma == "hex":
        return "".join(f"&#x{ord(x):x};" for x in c)
    return urllib.parse.quote(c, safe="")


def codificaciones(identidad, piezas, rng):
    """HTML references and percent-encoding; the @ in its disguises; a phone inside a link."""
    formas = ["algunos", "todos"]
    if identidad.clase == "correo" and any(p.texto == "@" for p in piezas):
        formas += ["arroba", "arroba"]
    if identidad.clase == "telefono" and all(p.pos is not None for p in piezas[:1]):
        formas += ["enlace", "enlace"]
    forma = rng.choice(formas)
    nuevas = list(piezas)
    propias = _propias(piezas)
    if forma == "arroba":
        nuevas = [Pieza(rng.choice(ARROBAS), p.pos) if p.texto == "@" else p for p in piezas]
    elif forma == "enlace":
        nuevas = [Pieza(rng.choice(ENLACES)), *piezas]
    elif not propias:
        return None
    else:  # «todos»: one kind of reference for every character; «algunos»: any, for a few
        referencia = rng.choice(REFERENCIAS)
        if forma == "algunos":
            propias = rng.sample(propias, rng.randint(1, max(1, len(propias) // 3)))
        for i in propias:
            tipo = referencia if forma == "todos" else rng.choice(REFERENCIAS)
            nuevas[i] = Pieza(_referencia(piezas[i].texto, tipo), piezas[i].pos)
    return _cambia(piezas, nuevas)


# The order in which a pair is applied: the identifier is cut and said first, then separated,
# cased, disguised, and encoded last (an encoding of a look-alike, not a look-alike of «&#54;»).
TIPOS = {
    "truncamientos": truncamientos,
    "palabras": palabras,
    "separadores": separadores,
    "mayusculas": mayusculas,
    "parecidas": parecidas,
    "codificaciones": codificaciones,
}


@dataclass(frozen=True)
class Variante:
    tipo_a: str
    tipo_b: str
    texto: str
    identidad: Identidad

    @property
    def par(self) -> str:
        return f"{self.tipo_a}×{self.tipo_b}"


def pares_de_tipos() -> list[tuple[str, str]]:
    """The plain identifier, each kind alone (`×sola`) and each pair of kinds, in TIPOS order."""
    return [("original", "sola"), *((t, "sola") for t in TIPOS), *combinations(TIPOS, 2)]


def componer(identidad: Identidad, tipos, rng: random.Random) -> str | None:
    piezas = piezas_de(identidad)
    for tipo in tipos:
        piezas = TIPOS[tipo](identidad, piezas, rng)
        if piezas is None:
            return None
    return texto_de(piezas)


def componer_pares(semilla: int = 88, por_par: int = 3, intentos: int = 40) -> list[Variante]:
    """`por_par` distinct variants for each pair of kinds and each class of identifier where the
    pair applies (a truncation applies to RFC and CURP only), deterministic for `semilla`."""
    variantes = []
    for tipo_a, tipo_b in pares_de_tipos():
        tipos = [t for t in (tipo_a, tipo_b) if t in TIPOS]
        for clase, hacer in CLASES.items():
            rng = random.Random(f"{semilla}:{tipo_a}:{tipo_b}:{clase}")  # noqa: S311
            vistos: set[str] = set()
            for _ in range(intentos):
                if len(vistos) == por_par:
                    break
                identidad = hacer(persona_nueva(rng), rng)
                texto = componer(identidad, tipos, rng)
                if texto is not None and texto not in vistos:
                    vistos.add(texto)
                    variantes.append(Variante(tipo_a, tipo_b, texto, identidad))
    return variantes


def rfc_moral(siglas: str, fecha: datetime.date, homoclave: str) -> str:
    """A company's 12-character RFC with SAT's check character (for the corpus of ordinary
    texts: a company's RFC is public)."""
    base = siglas.upper() + fecha.strftime("%y%m%d") + homoclave.upper()
    return base + rfc_verificador(base)
