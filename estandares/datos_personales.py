"""Personal data in free text that is published: found in one place, refused at entry and
masked on the way out.

A request's title and justification, its items' descriptions, the strategic reviewer's
explanation of each item's decision, the conditions, a cancellation's reason and the contract's
supplier and number go into the open data (OCDS, the register and its CSV and JSON, the public
verification page), where anyone reads them. A person's e-mail address, telephone number, RFC
or CURP written there would be published with them, and personal data is not published
(Ley General de Protección de Datos Personales en Posesión de Sujetos Obligados). So:

- at entry, those fields refuse them with a message that says the text is public and why
  (`SinDatosPersonales`, on the model fields, the plain forms and the API's fields);
- every public output masks them anyway (publico.datos_personales.texto_publicable), for
  what was stored before the rule.

One predicate (`hallazgos`) does both. It looks in the text as a reader reads it
(estandares.lectura: compatibility forms, invisible characters, letters of other scripts that
look Latin, words for "@" and the dot, numbers in words, letters written for digits, spelling
one character at a time), and it recognises each datum by its STRUCTURE, not by a list of the
forms it was seen in (issue 77: every list of look-alikes was one kind behind the next probe):

- a person's RFC (persona física: 4 letters, a birth date, a 3-character homoclave) and a CURP
  (4 letters, a birth date, sex, state, 3 consonants, a differentiator and a check digit).
  Where the structure wants a digit (the date, the CURP's check digit), every character that
  stands for one is read as it: O, o, Q for 0; I, i, l, | for 1; Z, z for 2; E, e for 3;
  A, a for 4; S, s for 5; G, b for 6; T, t for 7; B for 8; g, q for 9 ("GATA7SOSO3SD1",
  "PELJB00101HSRRPN09", issue 88: "PEGJE0OIOIHSRRMN09"). A piece of the date that carries one
  of them, other than the typewriter's O, I and l, has a real digit of its own, or the check
  digit must confirm it. The parts may be apart where people put separators: spaces,
  dashes, dots, underscores, slashes, backslashes or line breaks between the letters, the
  year, the month, the day and the homoclave ("PELJ/800101/AB1"; a CURP's sex, state and
  consonants too), and a line break anywhere (a text wrapped in a multi-line
  field: "PELJ8001⏎01AB1"). The date must be a real one (its day within its month). The
  check digit (SAT's for the RFC, RENAPO's for the CURP, by python-stdnum's mx.rfc and
  mx.curp) raises confidence but is not a gate: people mistype it. It decides only the weak
  shapes: a date whose letters have no digit beside them; a homoclave apart without a digit
  in a key that is not all capitals ("para 150126 una" is a word, a number and a word); a
  line break right after the first letter, where the rest is a company's RFC ("…Y⏎ABC800101AB1"),
  which counts only when the person's check digit holds and the company's does not.
- issue 88: a CURP's first 16 characters (name, birth date, sex and state, without the
  differentiator and the check digit), and a person's RFC without its homoclave ("PEGJ800101",
  "PEGJ800101 (homoclave AB1)"): the second letter a vowel, as a person's initials have it,
  the letters in one case (in any when written together with the date's real digits,
  "Febr020725"), and the date in real digits, or beside one in a key in capitals.
- issue 88, from a generator written without reading this module: the four letters each apart
  ("D . U . V . J", "R/U.C_S"), and the homoclave too ("Q . U . 0"), with any letter for a
  digit in the date a weak shape; a date dictated among groups with letters for digits ("SG
  cero seis once 1I9"), read in a copy of its own where only a key is looked for; a ten and a
  unit without "y" read both as text2num reads them and as two numbers ("noventa uno").
- what is public stays public: a company's RFC (persona moral: 3 letters, the date of
  incorporation, a homoclave; 12 characters) and its name are public procurement data, and
  are not personal data. "S.A. ABC800101AB1" is not read as "AABC800101AB1": the letters of
  a key are joined only across a line break.
- a telephone number: what Google's libphonenumber (the `phonenumbers` package) finds in the
  copy as a valid number of the Mexican numbering plan, or of another country when written
  with its "+" code (ten digits with a real area code; a folio, an amount, a date or an IP
  address is not one; a line break between its digits reads as a space), and any number of
  ten digits or more written after a "+" (the old "+52 1 662 …" of a mobile, no longer in
  the plan, is still someone's). The copy has it in every form people write: "seis seis dos,
  dos trece, cuarenta y cinco, sesenta y dos" (text2num), "662 213 4S67". Ten digits written
  as one number right after a document's name are its number ("Pedido 4500012345", an order
  in SAP's range); in groups they are read as a telephone.
- an e-mail address: a word, "@", a domain with a dot and a top-level domain of letters
  ("Xeon Gold 6338 @ 2.0GHz" is a processor's speed); with spaces around its dots when it ends
  in a common top-level domain ("juan.perez @ gmail . com"); without a top-level domain when
  the "@" was written as one, between a word with a letter and a domain that starts with one
  ("juan.perez@gmail"; "soporte at home" and "licencias @ USD" are not); in words
  ("juanperez en gmail punto com"); with dots apart and doubled ("karina . esquer .b @ live
  · .com"; before the "@" a dot apart has a space before it); and spelled out, its dots kept
  ("j o s e . o c h o a @ l i v e . c o m").

`RFC_O_CURP` and `clave_de` are the shape of a key that is known to be one (the signer's, in
the cadena original): publico.datos_personales.texto_enmascarar masks them there.
"""

import calendar
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from stdnum.mx import curp as mx_curp
from stdnum.mx import rfc as mx_rfc

from estandares.dictados import con_decenas_aparte, con_parecidos
from estandares.lectura import (
    DOMINIOS_SUPERIORES,
    Lectura,
    como_numeros,
    con_palabras_de_otro_dato,
    lectura,
)

# The region a number without "+" is read in.
REGION = "MX"

# --- E-mail addresses ----------------------------------------------------------------------

_LOCAL = r"(?<![\w.+-])[\w.+-]+"
CORREO = re.compile(rf"{_LOCAL}@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{{2,}}(?![\w-])")
# Dots set apart, and doubled by a middle dot beside a dot: «karina . esquer .b@live · .com».
# Before the "@", a dot apart has a space before it («fin del texto. juan@…» is not one).
_CORREO_ESPACIADO = re.compile(
    r"(?<![\w.+-])[\w+-]+(?:(?:\.|\s+\.+\s*)[\w+-]+)*@[\w-]+(?:(?:\s*\.)+\s*[\w-]+)*"
    rf"(?:\s*\.)+\s*(?:{DOMINIOS_SUPERIORES})(?![\w-])",
    re.IGNORECASE,
)
_CORREO_SIN_DOMINIO_SUPERIOR = re.compile(rf"{_LOCAL}@[A-Za-z][\w-]*(?![\w-])")
_LETRA = re.compile(r"[A-Za-z]")


def _arroba_escrita(leida: Lectura, original: str, posicion: int) -> bool:
    """Whether the "@" at `posicion` of the copy was written as one character that reads "@"
    (not "arroba", "(at)" or " @ ")."""
    inicio, fin = leida.original(posicion, posicion + 1)
    return fin - inicio == 1 and unicodedata.normalize("NFKC", original[inicio:fin]) == "@"


def _correos(leida: Lectura, original: str):
    texto = leida.texto
    for m in CORREO.finditer(texto):
        yield m
    for m in _CORREO_ESPACIADO.finditer(texto):
        yield m
    for m in _CORREO_SIN_DOMINIO_SUPERIOR.finditer(texto):
        local = m.group(0)[: m.group(0).index("@")]
        if _LETRA.search(local) and _arroba_escrita(leida, original, m.start() + len(local)):
            yield m


# --- RFC and CURP ----------------------------------------------------------------------------

# What stands for a digit where the structure wants one (see the module's docstring).
_COMO_DIGITO = str.maketrans("OoQIil|ZzEeAaSsGbTtBgq", "0001111223344556677899")
_TIPOGRAFICAS = set("OIl")
_PARECIDAS = set("OoQIil|ZzEeAaSsGbTtBgq") - _TIPOGRAFICAS
_L = "[A-Za-z&]"
_D = "[0-9OoQIil|ZzEeAaSsGbTtBgq]"
_X = "[A-Za-z0-9]"
# Inside a part: nothing, or a line break (a wrapped line, a hyphen before it).
_SALTO = r"(?:-?[ \t]*(?:\r\n?|\n)[ \t]*)?"
# Between parts: up to three spaces, line breaks, dashes, dots, underscores or slashes.
_SEPARADORES = r"[\s._\-/\\]"
_ENTRE = f"{_SEPARADORES}{{0,3}}"


def _seguidos(clase: str, n: int) -> str:
    return _SALTO.join([clase] * n)


# Or each letter apart: «D . U . V . J», «R/U.C_S».
_APARTE = f"{_SEPARADORES}{{1,3}}"


def _apartados(clase: str, n: int) -> str:
    return _APARTE.join([clase] * n)


RFC_PERSONA_O_CURP = re.compile(
    rf"(?<![A-Za-z0-9&])(?P<letras>{_seguidos(_L, 4)}|(?P<letras_aparte>{_apartados(_L, 4)}))"
    rf"{_ENTRE}"
    rf"(?P<fecha>{_seguidos(_D, 2)}{_ENTRE}{_seguidos(_D, 2)}{_ENTRE}{_seguidos(_D, 2)})"
    # A CURP's first 16 characters are a person's already: name, birth date, sex and state.
    rf"(?:{_ENTRE}(?P<curp>[HMXhmx]{_ENTRE}{_seguidos(_L, 2)}{_ENTRE}{_seguidos(_L, 3)}"
    rf"(?:{_ENTRE}{_X}{_ENTRE}{_D})?)"
    rf"|(?P<homoclave>{_SALTO}{_seguidos(_X, 3)})"
    # Apart from the date, the homoclave ends as one does, in its check character (0-9 or
    # A): "núm. 240115 del" is a number and a word.
    rf"|{_APARTE}(?P<homoclave_aparte>{_seguidos(_X, 2)}{_SALTO}[0-9Aa]"
    rf"|{_apartados(_X, 2)}{_APARTE}[0-9Aa])"
    # Without its homoclave, a person's RFC is still the initials and the birth date.
    rf"|(?P<sin_homoclave>))"
    rf"(?![A-Za-z0-9&])"
)
_SIN_SEPARADORES = re.compile(r"[\s._\-/\\]")
_PIEZAS = re.compile(r"[\s._\-/\\]+")
_SALTO_TRAS_LA_PRIMERA = re.compile(r"[A-Za-z&]-?[ \t]*[\r\n]")
# The states of a CURP, and NE (born abroad).
ESTADOS = frozenset(
    ("AS", "BC", "BS", "CC", "CH", "CL", "CM", "CS", "DF", "DG", "GR", "GT", "HG", "JC", "MC")
    + ("MN", "MS", "NE", "NL", "NT", "OC", "PL", "QR", "QT", "SL", "SP", "SR", "TC", "TL", "TS")
    + ("VZ", "YN", "ZS")
)


def _fecha_posible(fecha: str) -> bool:
    """yymmdd, its day within its month (29 February in a year divisible by four)."""
    if not fecha.isdigit():
        return False
    anio, mes, dia = int(fecha[:2]), int(fecha[2:4]), int(fecha[4:6])
    return 1 <= mes <= 12 and 1 <= dia <= calendar.monthrange(2000 + anio, mes)[1]


# A person's RFC begins with the first letter of the first surname and its first vowel.
_VOCALES = "AEIOUX"


def _sin_homoclave(
    letras: str, fecha_escrita: str, fecha: str, junto: bool
) -> tuple[str, str] | None:
    """A person's RFC without its homoclave, the initials and the birth date ("PEGJ800101"):
    no check character confirms it, so only its plain shape counts: the second letter a
    vowel, the letters in one case, the date in real digits."""
    escrita = _SIN_SEPARADORES.sub("", fecha_escrita)
    # In one case, or in any when the letters and the date's real digits are written
    # together (`junto`: «Febr020725»).
    pegada = junto and escrita == fecha_escrita and escrita.isdigit()
    if letras[1].upper() not in _VOCALES or not (letras.isupper() or letras.islower() or pegada):
        return None
    # Letters for its digits only beside a real one, and in a key written in capitals.
    if not escrita.isdigit() and not (letras.isupper() and any(c.isdigit() for c in escrita)):
        return None
    return "rfc", letras.upper() + fecha


def _clave_persona(m: re.Match) -> tuple[str, str] | None:
    """The person's RFC or CURP that RFC_PERSONA_O_CURP matched, as (tipo, clave) in capitals
    with its digits, or None when its structure does not hold (see the module's docstring)."""
    letras = _SIN_SEPARADORES.sub("", m.group("letras"))
    fecha_escrita = m.group("fecha")
    fecha = _SIN_SEPARADORES.sub("", fecha_escrita).translate(_COMO_DIGITO)
    if not _fecha_posible(fecha):
        return None
    # The look-alikes other than O, I and l, in a piece of the date without a real digit; or
    # any letter for a digit when the key's letters stand apart.
    debil = any(
        _PARECIDAS.intersection(pieza) and not any(c.isdigit() for c in pieza)
        for pieza in _PIEZAS.split(fecha_escrita)
    ) or (
        m.group("letras_aparte") is not None
        and not _SIN_SEPARADORES.sub("", fecha_escrita).isdigit()
    )
    if m.group("curp"):
        resto = _SIN_SEPARADORES.sub("", m.group("curp"))
        resto = resto[:-1].upper() + resto[-1].translate(_COMO_DIGITO)
        if resto[1:3] not in ESTADOS:
            return None
        clave = letras.upper() + fecha + resto
        return ("curp", clave) if not debil or mx_curp.is_valid(clave) else None
    if m.group("sin_homoclave") is not None:
        junto = m.end("letras") == m.start("fecha")
        return _sin_homoclave(letras, fecha_escrita, fecha, junto)
    aparte = m.group("homoclave_aparte")
    homoclave = _SIN_SEPARADORES.sub("", m.group("homoclave") or aparte)
    if homoclave[-1] not in "0123456789Aa":
        homoclave = homoclave[:-1] + homoclave[-1].translate(_COMO_DIGITO)
    clave = (letras + fecha + homoclave).upper()
    escrita = letras + homoclave
    debil = debil or (
        aparte is not None
        and not any(c.isdigit() for c in homoclave)
        and escrita != escrita.upper()
    )
    if _SALTO_TRAS_LA_PRIMERA.match(m.group("letras")):
        # "…Y⏎ABC800101AB1": a word and a company's RFC, unless the check digits say otherwise.
        valido = mx_rfc.is_valid(clave, validate_check_digits=True)
        return ("rfc", clave) if valido and not mx_rfc.is_valid(clave[1:], True) else None
    return ("rfc", clave) if not debil or mx_rfc.is_valid(clave, True) else None


# The shape of an RFC (3 or 4 letters) or a CURP known to be one: the signer's, in the cadena
# original (publico.datos_personales.texto_enmascarar). Not for free text: see above.
_S = r"[\s._-]{0,3}"
_DO = "[0-9OIl]"
RFC_O_CURP = re.compile(
    rf"(?<![A-Z0-9Ñ&])(?P<letras>[A-ZÑ&]{{3,4}}){_S}"
    rf"(?P<fecha>{_DO}{{2}}{_S}{_DO}{{2}}{_S}{_DO}{{2}})"
    rf"(?:{_S}(?P<curp>[HMX]{_S}[A-Z]{{2}}{_S}[A-Z]{{3}}{_S}[A-Z0-9]{_S}{_DO})"
    rf"|(?P<homoclave>[A-Z0-9]{{3}})"
    rf"|[\s._-]{{1,3}}(?P<homoclave_aparte>[A-Z0-9]{{2}}[0-9A]))(?![A-Z0-9])",
    re.IGNORECASE,
)
_NO_CLAVE = re.compile(r"[\s._-]")
_DIGITO_ESCRITO = str.maketrans("OoIiLl", "001111")


def clave_de(m: re.Match) -> str:
    """The RFC or CURP matched by RFC_O_CURP as it reads: "pelj-8OO1O1-ab1" -> "PELJ800101AB1"."""
    fecha = _NO_CLAVE.sub("", m.group("fecha")).translate(_DIGITO_ESCRITO)
    if m.group("curp"):
        resto = _NO_CLAVE.sub("", m.group("curp"))
        resto = resto[:-1] + resto[-1].translate(_DIGITO_ESCRITO)
    else:
        resto = m.group("homoclave") or m.group("homoclave_aparte")
    return (m.group("letras") + fecha + resto).upper()


# --- Telephone numbers -----------------------------------------------------------------------

# A number with fewer digits than this is never a telephone number: most texts are skipped
# without calling libphonenumber (the CSV masks every row's title).
_DIGITOS_DE_UN_TELEFONO = 10
_DIGITO = re.compile(r"\d")
# What comes before a number that is the rest of a folio or an amount.
_CONTINUA_UN_FOLIO = re.compile(r"(?:[/$]|[^\W_]-)$")
# A date inside what libphonenumber took for a number ("$27 10-01-2015").
_FECHA = re.compile(r"(?<!\d)\d{1,2}([-/.])\d{1,2}\1(?:19|20)\d\d(?!\d)")
# After a "+", digits in groups: an international number, valid in its plan or not.
_CON_PREFIJO = re.compile(r"(?<![\w+])\+\d[\d\s().-]{8,}\d(?![\w/])")
# A document's name just before ten digits written as one number: its number, not a telephone
# ("Pedido 4500012345", an order in SAP's range). Written in groups, it is read as a telephone.
_ROTULO_DE_DOCUMENTO = re.compile(
    r"(?<![^\W_])(?:pedido|orden(?: de compra)?|folio|contrato|factura|requisicion|expediente"
    r"|oficio|serie|inventario|ticket|poliza|referencia|resguardo)"
    r"\s*(?:(?:num(?:ero)?|no)\.?\s*)?(?:[:#]\s*)?$",
    re.IGNORECASE,
)
# An IPv4 address that libphonenumber takes for a number ("201.116.24.35", issue 88).
_IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)")


def _es_ipv4(texto: str, inicio: int, fin: int) -> bool:
    """Whether [inicio, fin) of `texto` is an IPv4 address, and not a part of a longer one."""
    return bool(_IPV4.fullmatch(texto, inicio, fin)) and not (
        texto[fin : fin + 1] == "." or texto[max(0, inicio - 1) : inicio] == "."
    )


# A line break between digits: libphonenumber reads none across one.
_SALTO_ENTRE_DIGITOS = re.compile(r"(?<=\d)[ \t]*(?:\r\n?|\n)[ \t]*(?=\d)")


def _telefonos(texto: str):
    if len(_DIGITO.findall(texto)) < _DIGITOS_DE_UN_TELEFONO:
        return
    # As spaces, one for each character: the positions stay.
    texto = _SALTO_ENTRE_DIGITOS.sub(lambda m: " " * len(m.group(0)), texto)
    for hallado in phonenumbers.PhoneNumberMatcher(
        texto, REGION, leniency=phonenumbers.Leniency.VALID
    ):
        # The rest of a folio ("SGD/DT/2015/0001 10 equipos" reads 2015000110), an amount
        # or a date, not a number.
        if _CONTINUA_UN_FOLIO.search(texto, 0, hallado.start) or _FECHA.search(hallado.raw_string):
            continue
        if _es_ipv4(texto, hallado.start, hallado.end):
            continue
        if hallado.raw_string.isdigit() and _ROTULO_DE_DOCUMENTO.search(
            texto, max(0, hallado.start - 40), hallado.start
        ):
            continue
        yield Hallazgo("telefono", hallado.start, hallado.end, hallado.raw_string)
    for m in _CON_PREFIJO.finditer(texto):
        if len(_DIGITO.findall(m.group(0))) >= _DIGITOS_DE_UN_TELEFONO:
            yield Hallazgo("telefono", m.start(), m.end(), m.group(0))


# --- The predicate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Hallazgo:
    tipo: str  # "correo", "telefono", "rfc", "curp"
    inicio: int
    fin: int
    texto: str  # as written, in the original text
    # An RFC or a CURP as it reads, without separators, in capitals, its digits as digits.
    clave: str = ""


_RFC_EMPRESA = re.compile(r"(?<![A-Za-z0-9&])[A-Za-z&]{3}[0-9]{6}[A-Za-z0-9]{3}(?![A-Za-z0-9&])")


def _se_cruza(inicio: int, fin: int, ocupado: list[tuple[int, int]]) -> bool:
    return any(a < fin and inicio < b for a, b in ocupado)


def _en_lectura(leida: Lectura, original: str, *, solo_claves: bool = False) -> list[Hallazgo]:
    texto = leida.texto
    encontrados: list[Hallazgo] = []
    ocupado: list[tuple[int, int]] = []

    def anotar(h: Hallazgo) -> None:
        if not _se_cruza(h.inicio, h.fin, ocupado):
            encontrados.append(h)
            ocupado.append((h.inicio, h.fin))

    if "@" in texto and not solo_claves:
        for m in _correos(leida, original):
            anotar(Hallazgo("correo", m.start(), m.end(), m.group(0)))
    for m in RFC_PERSONA_O_CURP.finditer(texto):
        if (leido := _clave_persona(m)) is not None:
            anotar(Hallazgo(leido[0], m.start(), m.end(), m.group(0), leido[1]))
    if solo_claves:
        return encontrados
    # A company's RFC is public, and its digits are not a telephone ("A&B000101110").
    for m in _RFC_EMPRESA.finditer(texto):
        if mx_rfc.is_valid(m.group(0).upper(), validate_check_digits=True):
            ocupado.append((m.start(), m.end()))
    # A telephone number inside an e-mail address or an RFC is theirs. Its copy reads the
    # letters written for digits, one for one: the positions are the same.
    for h in _telefonos(como_numeros(leida).texto):
        anotar(h)
    return encontrados


def hallazgos(texto: str) -> list[Hallazgo]:
    """The personal data in `texto`, in order, none inside another: found in the text as it
    reads (estandares.lectura), each with its span and its characters in `texto`."""
    texto = texto or ""
    # «noventa uno» is 91 or 90 and 1; «cero seis once 1I9» is words and a group, or the
    # date and homoclave of a key: each reading is looked at (estandares.lectura.lectura).
    lecturas = [(lectura(texto), False)]
    if con_decenas_aparte(texto):
        lecturas.append((lectura(texto, decenas_aparte=True), False))
    if con_parecidos(texto):
        lecturas.append((lectura(texto, parecidos=True), True))
    # «AT⏎AB000101HAS…», «GIAS460513 1⏎WA, 20»: a key, or "@" and WhatsApp's «wa».
    if con_palabras_de_otro_dato(texto):
        lecturas.append((lectura(texto, claves=True), True))
    leidos = []
    for leida, solo_claves in lecturas:
        for h in _en_lectura(leida, texto, solo_claves=solo_claves):
            inicio, fin = leida.original(h.inicio, h.fin)
            leidos.append(
                Hallazgo(h.tipo, inicio, fin, texto[inicio:fin], h.clave or h.texto.upper())
            )
    encontrados, ocupado = [], []
    for h in sorted(leidos, key=lambda h: (h.inicio, -h.fin)):
        # Two read from the same characters of the original (a word read as digits) are one;
        # from the same start, the longer («GIAS460513 1⏎WA»: not «GIAS460513» alone).
        if not _se_cruza(h.inicio, h.fin, ocupado):
            ocupado.append((h.inicio, h.fin))
            encontrados.append(h)
    return encontrados


def reemplazar(texto: str, como) -> str:
    """`texto` with each personal datum replaced by `como(hallazgo)`."""
    texto = texto or ""
    partes, desde = [], 0
    for h in hallazgos(texto):
        partes += [texto[desde : h.inicio], como(h)]
        desde = h.fin
    return "".join(partes) + texto[desde:]


_NOMBRES = {
    "correo": _("el correo"),
    "telefono": _("el teléfono"),
    "rfc": _("el RFC"),
    "curp": _("la CURP"),
}
ERROR_DATOS_PERSONALES = _(
    "Este texto se publica en los datos abiertos y en el registro público, donde cualquiera "
    "lo lee, y los datos personales no se publican: quite %(datos)s."
)
# At most this many are named in the message.
NOMBRADOS = 5


@deconstructible
class SinDatosPersonales:
    """Refuses a text that carries an e-mail address, a telephone number, a person's RFC or a
    CURP, naming each (see the module's docstring)."""

    code = "datos_personales"

    def __call__(self, valor) -> None:
        if not isinstance(valor, str):
            return
        encontrados = hallazgos(valor)
        if encontrados:
            datos = "; ".join(f"{_NOMBRES[h.tipo]} «{h.texto}»" for h in encontrados[:NOMBRADOS])
            raise ValidationError(ERROR_DATOS_PERSONALES, code=self.code, params={"datos": datos})

    def __eq__(self, other) -> bool:
        return isinstance(other, SinDatosPersonales)

    def __hash__(self) -> int:
        return hash(type(self))


SIN_DATOS_PERSONALES = SinDatosPersonales()
