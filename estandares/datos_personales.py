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

What counts, chosen so that what a request is made of (amounts, dates, folios such as
SOL-2026-00012 or SGD/DT/2026/0001, model and part numbers, IP addresses, "20 × $24,000") is
not taken for personal data:
- an e-mail address: a word, "@", a domain with a dot;
- a telephone number: what Google's libphonenumber (the `phonenumbers` package) finds in the
  text as a valid number of the Mexican numbering plan, or of another country when written
  with its "+" code (ten digits with a real area code; a folio, an amount, a date or an IP
  address is not one), and any number of ten digits or more written after a "+" (the
  old "+52 1 662 …" of a mobile, no longer in the plan, is still someone's);
- an RFC (3 or 4 letters, a date, a 3-character homoclave) or a CURP (4 letters, a date, sex,
  state, consonants and two check characters), as a whole word, in capitals or not, whose
  date is a possible one (month 01-12, day 01-31).

In every form people type or paste them (issue 59): each is looked for in the text as a reader
reads it (estandares.lectura: compatibility forms, invisible joiners and fillers, letters of
other scripts that look Latin, "arroba" and "(at)", digits written as words), and an RFC or a
CURP may carry separators (spaces, dashes, dots, underscores) where people put them: between
its letters, its date's year, month and day, and the rest; and O, I or l for 0 and 1 in its
date. One predicate (`hallazgos`) refuses at entry and masks at publication.
"""

import re
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from estandares.lectura import lectura

# The region a number without "+" is read in.
REGION = "MX"

CORREO = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Between the parts of an RFC or a CURP: nothing, or up to three spaces, dashes, dots or
# underscores ("PELJ-800101-AB1", "PELJ 800101 AB1", "PELJ_80.01.01_AB1").
_S = r"[\s._-]{0,3}"
# A digit of the date, or the letter written for it ("PELJ8OO1O1AB1").
_D = "[0-9OIl]"
RFC_O_CURP = re.compile(
    rf"(?<![A-Z0-9Ñ&])(?P<letras>[A-ZÑ&]{{3,4}}){_S}"
    rf"(?P<fecha>{_D}{{2}}{_S}{_D}{{2}}{_S}{_D}{{2}})"
    rf"(?:{_S}(?P<curp>[HMX]{_S}[A-Z]{{2}}{_S}[A-Z]{{3}}{_S}[A-Z0-9]{_S}{_D})"
    rf"|(?P<homoclave>[A-Z0-9]{{3}})"
    # Apart from the date, the homoclave must end as one does, in its check digit (0-9 or
    # A): "núm. 240115 del" is a number and a word, not an RFC.
    rf"|[\s._-]{{1,3}}(?P<homoclave_aparte>[A-Z0-9]{{2}}[0-9A]))(?![A-Z0-9])",
    re.IGNORECASE,
)
_NO_CLAVE = re.compile(r"[\s._-]")
_DIGITO_ESCRITO = str.maketrans("OoIiLl", "001111")
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


@dataclass(frozen=True)
class Hallazgo:
    tipo: str  # "correo", "telefono", "rfc", "curp"
    inicio: int
    fin: int
    texto: str  # as written, in the original text
    # An RFC or a CURP as it reads, without separators, in capitals, its date in digits.
    clave: str = ""


def _fecha_posible(fecha: str) -> bool:
    return 1 <= int(fecha[2:4]) <= 12 and 1 <= int(fecha[4:6]) <= 31


def clave_de(m: re.Match) -> str:
    """The RFC or CURP matched by RFC_O_CURP as it reads: "pelj-8OO1O1-ab1" -> "PELJ800101AB1"."""
    fecha = _NO_CLAVE.sub("", m.group("fecha")).translate(_DIGITO_ESCRITO)
    if m.group("curp"):
        resto = _NO_CLAVE.sub("", m.group("curp"))
        resto = resto[:-1] + resto[-1].translate(_DIGITO_ESCRITO)
    else:
        resto = m.group("homoclave") or m.group("homoclave_aparte")
    return (m.group("letras") + fecha + resto).upper()


def _telefonos(texto: str):
    if len(_DIGITO.findall(texto)) < _DIGITOS_DE_UN_TELEFONO:
        return
    for hallado in phonenumbers.PhoneNumberMatcher(
        texto, REGION, leniency=phonenumbers.Leniency.VALID
    ):
        # The rest of a folio ("SGD/DT/2015/0001 10 equipos" reads 2015000110), an amount
        # or a date, not a number.
        if _CONTINUA_UN_FOLIO.search(texto, 0, hallado.start) or _FECHA.search(hallado.raw_string):
            continue
        yield Hallazgo("telefono", hallado.start, hallado.end, hallado.raw_string)
    for m in _CON_PREFIJO.finditer(texto):
        if len(_DIGITO.findall(m.group(0))) >= _DIGITOS_DE_UN_TELEFONO:
            yield Hallazgo("telefono", m.start(), m.end(), m.group(0))


def _en_lectura(texto: str) -> list[Hallazgo]:
    encontrados = []
    if "@" in texto:
        encontrados += [
            Hallazgo("correo", m.start(), m.end(), m.group(0)) for m in CORREO.finditer(texto)
        ]
    for m in RFC_O_CURP.finditer(texto):
        clave = clave_de(m)
        if _fecha_posible(clave[len(m.group("letras")) :][:6]):
            tipo = "curp" if m.group("curp") else "rfc"
            encontrados.append(Hallazgo(tipo, m.start(), m.end(), m.group(0), clave))
    # A telephone number inside an e-mail address or an RFC is theirs.
    ocupado = [(h.inicio, h.fin) for h in encontrados]
    for h in _telefonos(texto):
        if not any(a < h.fin and h.inicio < b for a, b in ocupado):
            encontrados.append(h)
            ocupado.append((h.inicio, h.fin))
    return encontrados


def hallazgos(texto: str) -> list[Hallazgo]:
    """The personal data in `texto`, in order, none inside another: found in the text as it
    reads (estandares.lectura), each with its span and its characters in `texto`."""
    texto = texto or ""
    leida = lectura(texto)
    encontrados, ocupado = [], []
    for h in sorted(_en_lectura(leida.texto), key=lambda h: h.inicio):
        inicio, fin = leida.original(h.inicio, h.fin)
        # Two read from the same characters of the original (a word read as digits) are one.
        if any(a < fin and inicio < b for a, b in ocupado):
            continue
        ocupado.append((inicio, fin))
        encontrados.append(
            Hallazgo(h.tipo, inicio, fin, texto[inicio:fin], h.clave or h.texto.upper())
        )
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
    """Refuses a text that carries an e-mail address, a telephone number, an RFC or a CURP,
    naming each (see the module's docstring)."""

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
