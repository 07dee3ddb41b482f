"""One identity for every name and number (issue 88): the canonical form that every check reads.

A supplier, an agency, an address, a telephone or a person is written in many ways that a
reader takes for the same: «Redes del Norte, S.A. de C.V.» and «REDES DEL NORTE SA DE CV»,
«Av. Reforma 123» and «Avenida Reforma #123», a Cyrillic «о» for a Latin «o», «&#64;» for
«@». Each check that compared the text as typed, with a normaliser of its own, was one
spelling behind. Here is the one form they all read:

- the text as a reader reads it (estandares.lectura: HTML references and percent-encoding
  decoded, compatibility forms, letters of other scripts that look Latin as their Latin
  skeleton from Unicode's confusables data, invisible characters dropped, digits of every
  script), accents dropped but «ñ» kept, in lower case, every sign between words a space;
- for names (`nombre_canonico`): the RFC written inside dropped, and the legal form at the
  end («S.A. de C.V.», «S. de R.L. de C.V.», «Sociedad Anónima»...) dropped, so that a
  company is its name;
- for addresses (`domicilio_canonico`): the abbreviations expanded («Av.», «Ave.», «Avda.»
  as «avenida»; «Blvd.», «Bulevar» as «boulevard»; «Col.» as «colonia»...) and the marks
  of the number dropped («#», «No.», «núm.»);
- for telephones (`telefono_canonico`): the last ten digits, the letters written for digits
  read as them («66O 2l3 4S67»);
- for an RFC (`rfc_canonico`, `rfcs_en`): compact, in capitals, the look-alike letters in its
  date read as digits, valid by SAT's check character (python-stdnum's mx.rfc);
- for the agencies (`claves_de_ente`, `claves_como_ente`): an agency's name with and without
  «del Estado de …» or «Gobierno del Estado de …», its acronym, and a supplier's name read
  the same way, with its legal form dropped («SH, S.A. de C.V.» is the acronym «SH»).

`casi_iguales` says whether two canonical names are one typo apart (Damerau-Levenshtein, by
RapidFuzz): the same supplier, written twice.

The personal-data detector (estandares.datos_personales) reads estandares.lectura, the same
reading with each character's place kept, because what it finds it must mask in the original.
"""

import datetime
import functools
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import DamerauLevenshtein
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.mx import rfc as mx_rfc

from estandares.datos_personales import SIN_DATOS_PERSONALES, hallazgos
from estandares.lectura import lectura

# --- The canonical text --------------------------------------------------------------------

_ENIE = "\0"
_NO_ALFANUMERICO = re.compile(r"[^0-9a-zñ&]+")
# Dots, commas and apostrophes join what they separate: «S.A.» is «sa», «O'Neil» «oneil».
_QUE_UNEN = str.maketrans("", "", ".,'’´`")


@functools.lru_cache(maxsize=8192)
def canonica(texto: str) -> str:
    """The canonical form of a typed text (see the module's docstring)."""
    texto = unicodedata.normalize("NFC", texto or "")
    texto = texto.replace("ñ", _ENIE).replace("Ñ", _ENIE)
    leido = lectura(texto).texto.casefold().replace(_ENIE, "ñ")
    return _NO_ALFANUMERICO.sub(" ", leido.translate(_QUE_UNEN)).strip()


# --- RFC -----------------------------------------------------------------------------------

# An RFC as it may be written in a text: 3 letters of a company or 4 of a person, a date whose
# digits may be look-alike letters, and a homoclave, each part apart by a few separators.
_SEP = r"[\s._\-/]{0,3}"
_DIGITO = "[0-9OoIlZzEASsGbTBgq]"
_RFC_ESCRITO = re.compile(
    rf"(?<![A-Za-z0-9Ññ&])(?P<letras>[A-Za-zÑñ&]{{3,4}}){_SEP}"
    rf"(?P<fecha>{_DIGITO}{{2}}{_SEP}{_DIGITO}{{2}}{_SEP}{_DIGITO}{{2}}){_SEP}"
    rf"(?P<homoclave>[A-Za-z0-9]{{2}}[0-9Aa])(?![A-Za-z0-9Ññ&])"
)
_COMO_DIGITO = str.maketrans("OoIlZzEASsGbTBgq", "0011223455667899")
_SEPARADORES = re.compile(r"[\s._\-/]")


def _leido(texto: str) -> str:
    """The text read as a reader does, «ñ» kept: an RFC may carry one."""
    texto = unicodedata.normalize("NFC", texto or "").replace("ñ", _ENIE).replace("Ñ", "\1")
    return lectura(texto).texto.replace(_ENIE, "ñ").replace("\1", "Ñ")


@functools.lru_cache(maxsize=8192)
def rfcs_en(texto: str) -> tuple[str, ...]:
    """Each valid RFC (a company's of 12 characters or a person's of 13, by SAT's check
    character) written in `texto`, compact and in capitals, in order."""
    hallados = []
    for m in _RFC_ESCRITO.finditer(_leido(texto)):
        fecha = _SEPARADORES.sub("", m.group("fecha")).translate(_COMO_DIGITO)
        clave = (m.group("letras") + fecha + m.group("homoclave")).upper()
        try:
            hallados.append(mx_rfc.validate(clave, validate_check_digits=True))
        except StdnumError:
            continue
    return tuple(dict.fromkeys(hallados))


def rfc_canonico(texto: str) -> str:
    """The RFC a field holds, compact and in capitals; "" when it holds no valid one."""
    hallados = rfcs_en(texto)
    return hallados[0] if len(hallados) == 1 else ""


ERROR_RFC = _("El RFC «%(rfc)s» no es válido: %(motivo)s.")
# Why, said once the text is read compact (without spaces, dashes, dots or slashes).
MOTIVO_RFC_LARGO = _(
    "tiene %(n)s caracteres, y el de una empresa tiene 12 y el de una persona 13 (con su homoclave)"
)
MOTIVO_RFC_FORMA = _(
    "son 3 letras (empresa) o 4 (persona), la fecha de 6 dígitos y la homoclave de 3 caracteres"
)
MOTIVO_RFC_FECHA = _("su fecha «%(fecha)s» (año, mes y día) no existe")
MOTIVO_RFC_HOMOCLAVE = _("su homoclave «%(homoclave)s» no es de las que da el SAT")
MOTIVO_RFC_LETRAS = _("el SAT no da las letras «%(letras)s» (cambia la última por una X)")
MOTIVO_RFC_DIGITO = _(
    "su último carácter no es el dígito verificador que le corresponde; revise que esté "
    "completo y sin errores"
)
ERROR_RFC_EN_EL_NOMBRE = _(
    "El nombre del proveedor lleva un RFC («%(rfc)s»): escríbalo en el campo «RFC del "
    "proveedor» y deje aquí solo el nombre o la razón social."
)
# What an RFC looks like in a name, valid or not: a company's 3 letters or a person's 4, a
# date, a homoclave.
_PARECE_RFC = re.compile(
    rf"(?<![A-Za-z0-9Ññ&])[A-Za-zÑñ&]{{3,4}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{2}}"
    rf"{_SEP}[A-Za-z0-9]{{3}}(?![A-Za-z0-9Ññ&])"
)
_FORMA_RFC = re.compile(r"^[A-ZÑ&]{3,4}[0-9]{6}[0-9A-Z]{3}$")


def _motivo_rfc(compacto: str) -> str:
    """Why a compact text is not an RFC of 12 or 13 characters with SAT's check character
    ("" when it is one)."""
    if len(compacto) not in (12, 13):
        return MOTIVO_RFC_LARGO % {"n": len(compacto)}
    if not _FORMA_RFC.match(compacto):
        return str(MOTIVO_RFC_FORMA)
    fecha = compacto[-9:-3]
    try:
        datetime.date(2000 + int(fecha[:2]), int(fecha[2:4]), int(fecha[4:]))
    except ValueError:
        return MOTIVO_RFC_FECHA % {"fecha": fecha}
    try:
        mx_rfc.validate(compacto, validate_check_digits=True)
    except mx_rfc.InvalidChecksum:
        return str(MOTIVO_RFC_DIGITO)
    except StdnumError:
        homoclave = compacto[-3:]
        if not re.match(r"^[1-9A-V][1-9A-Z][0-9A]$", homoclave):
            return MOTIVO_RFC_HOMOCLAVE % {"homoclave": homoclave}
        # A person's four letters that make a word SAT replaces (stdnum's list).
        return MOTIVO_RFC_LETRAS % {"letras": compacto[:4]}
    return ""


def rfc_validado(texto: str) -> str:
    """The RFC of a field of its own, compact and in capitals; "" for none. Not one RFC
    (a company's of 12 characters or a person's of 13, with SAT's check character): refused,
    saying why."""
    escrito = (texto or "").strip()
    if not escrito:
        return ""
    compacto = _SEPARADORES.sub("", _leido(escrito)).upper()
    if motivo := _motivo_rfc(compacto):
        raise ValidationError(ERROR_RFC, code="rfc", params={"rfc": escrito, "motivo": motivo})
    return compacto


def validar_rfc(texto: str) -> None:
    """The model field's check (rfc_validado)."""
    rfc_validado(texto)


def rfc_en_el_nombre(nombre: str) -> str:
    """An RFC written in a name, valid or not ("" for none): a name holds a name. A person's
    as the personal-data detector reads it (its check character may be wrong), as written; a
    company's or a person's with its check character however written (rfcs_en), compact; or
    anything with an RFC's shape."""
    for hallazgo in hallazgos(nombre):
        if hallazgo.tipo == "rfc" and len(hallazgo.clave) == 13:
            return hallazgo.texto  # as written
    if hallados := rfcs_en(nombre):
        return hallados[0]
    m = _PARECE_RFC.search(_leido(nombre))
    return m.group(0) if m else ""


def nombre_sin_rfc(nombre: str) -> str:
    """A supplier's name as every door takes it: refused when it carries an RFC, which has a
    field of its own. A person's is also personal data in a published text: refused first
    with the message of every such text (SIN_DATOS_PERSONALES), which says why, and then with
    this one, which says where it goes."""
    if not (escrito := rfc_en_el_nombre(nombre)):
        return nombre
    errores = []
    try:
        SIN_DATOS_PERSONALES(nombre)
    except ValidationError as error:
        errores.extend(error.error_list)
    errores.append(
        ValidationError(ERROR_RFC_EN_EL_NOMBRE, code="rfc_en_el_nombre", params={"rfc": escrito})
    )
    raise ValidationError(errores)


def proveedor_rfc_leer(*, proveedor: str, proveedor_rfc: str) -> str:
    """A supplier as every door takes it (quotes, contracts): its name holds a name, its RFC
    its own field. The RFC, compact and in capitals ("" for none); refused, each on its
    field and both at once, an RFC in the name and an RFC that is not one."""
    errores, rfc = {}, ""
    try:
        nombre_sin_rfc(proveedor)
    except ValidationError as error:
        errores["proveedor"] = error
    try:
        rfc = rfc_validado(proveedor_rfc)
    except ValidationError as error:
        errores["proveedor_rfc"] = error
    if errores:
        raise ValidationError(errores)
    return rfc


def es_rfc_de_empresa(rfc: str) -> bool:
    """A company's RFC (persona moral, 12 characters): public procurement data."""
    return len(rfc or "") == 12


def rfc_publicable(rfc: str) -> str:
    """What of a supplier's RFC may leave the row: a company's; a person's (13 characters) is
    personal data, ""."""
    return rfc if es_rfc_de_empresa(rfc) else ""


# --- Names ---------------------------------------------------------------------------------

# The legal forms of Mexican companies, as their canonical words read joined: «S.A. de C.V.»
# is «sadecv», «Sociedad Anónima de Capital Variable» too.
_SOCIEDADES = {
    "sociedad anonima": "sa",
    "sociedad anonima bursatil": "sab",
    "sociedad anonima promotora de inversion": "sapi",
    "sociedad por acciones simplificada": "sas",
    "sociedad civil": "sc",
    "asociacion civil": "ac",
    "sociedad de responsabilidad limitada": "sderl",
    "sociedad cooperativa": "scl",
    "sociedad de produccion rural": "spr",
    "de capital variable": "decv",
    "de responsabilidad limitada": "derl",
}
_SOCIEDAD = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _SOCIEDADES), key=len, reverse=True)) + r")\b"
)
FORMAS_JURIDICAS = {
    f + cv
    for f in (
        "sa",
        "sab",
        "sapi",
        "sapib",
        "sas",
        "sc",
        "scp",
        "scl",
        "ac",
        "sderl",
        "sderlmi",
        "scderl",
        "spr",
        "sprderl",
        "sprderi",
        "sdess",
        "sderi",
    )
    for cv in ("", "decv")
}


def _sin_forma_juridica(palabras: list[str]) -> list[str]:
    """The words without the longest ending that is a legal form, leaving at least one."""
    for k in range(1, len(palabras)):
        if "".join(palabras[k:]) in FORMAS_JURIDICAS:
            return palabras[:k]
    return palabras


@functools.lru_cache(maxsize=8192)
def nombre_canonico(texto: str) -> str:
    """A supplier's or a person's name as every check compares it: its canonical form without
    the RFC written inside it and without its legal form at the end."""
    leido = _leido(texto)
    for m in reversed(list(_RFC_ESCRITO.finditer(leido))):
        leido = leido[: m.start()] + " " + leido[m.end() :]
    palabras = _SOCIEDAD.sub(lambda m: _SOCIEDADES[m.group(0)], canonica(leido)).split()
    return " ".join(_sin_forma_juridica(palabras))


def persona_canonica(nombre: str) -> str:
    """A person's name as compared: its canonical form, «ñ» read as «n» (a keyboard without
    it writes «Nunez» for «Núñez»; the hashes of who signs a quote were made so)."""
    return nombre_canonico(nombre).replace("ñ", "n")


# One typo: a letter more, less, changed, or two swapped, in one word of at least this many
# letters; in a shorter one, one letter makes another word («Grupo A», «Grupo B»).
LETRAS_PARA_UN_ERROR = 5


def casi_iguales(a: str, b: str) -> bool:
    """Two canonical names that are the same, or one typo apart: the same words but one,
    which is one letter off (Damerau-Levenshtein) and long enough, or the same letters with
    the spaces elsewhere. A typo is a letter, never a digit («Lote 1» and «Lote 2» are two)."""
    if not a or not b:
        return False
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    palabras_a, palabras_b = a.split(), b.split()
    if len(palabras_a) != len(palabras_b):
        return False
    distintas = [(x, y) for x, y in zip(palabras_a, palabras_b, strict=True) if x != y]
    if len(distintas) != 1:
        return False
    x, y = distintas[0]
    if min(len(x), len(y)) < LETRAS_PARA_UN_ERROR or not (x + y).isalpha():
        return False
    return DamerauLevenshtein.distance(x, y, score_cutoff=1) <= 1


def _firmas(nombre: str) -> set[str]:
    """What two names that casi_iguales joins have in common: the same letters without
    spaces, or the same words but one (in its place)."""
    palabras = nombre.split()
    firmas = {"=" + nombre.replace(" ", "")}
    for i, palabra in enumerate(palabras):
        if len(palabra) >= LETRAS_PARA_UN_ERROR - 1:
            firmas.add(f"{len(palabras)}:{i}:" + " ".join(palabras[:i] + ["*"] + palabras[i + 1 :]))
    return firmas


class Parecidos:
    """Canonical names, each with a value, found as written or one typo away (casi_iguales)
    without comparing with each: by what they share (_firmas)."""

    def __init__(self, valores: dict):
        self.valores = valores
        self._por_firma: dict[str, list[str]] = {}
        for nombre in valores:
            for firma in _firmas(nombre):
                self._por_firma.setdefault(firma, []).append(nombre)

    def agregar(self, nombre: str, valor) -> None:
        if nombre not in self.valores:
            self.valores[nombre] = valor
            for firma in _firmas(nombre):
                self._por_firma.setdefault(firma, []).append(nombre)

    def buscar(self, nombre: str):
        """The value of `nombre`, or of a name one typo from it; None for none."""
        if nombre in self.valores:
            return self.valores[nombre]
        for firma in sorted(_firmas(nombre)):
            for otro in self._por_firma.get(firma, ()):
                if casi_iguales(nombre, otro):
                    return self.valores[otro]
        return None


class Proveedores:
    """Suppliers as one identity however written (issue 88): the same RFC, the same canonical
    name, or a name one typo away are one supplier; `clave` gives each the key of the first
    of its group to arrive (its canonical name)."""

    def __init__(self):
        self._por_rfc: dict[str, str] = {}
        self._nombres = Parecidos({})

    def clave(self, nombre: str, rfc: str = "") -> str:
        canonico = nombre_canonico(nombre)
        clave = (rfc and self._por_rfc.get(rfc)) or self._nombres.buscar(canonico) or canonico
        if rfc:
            self._por_rfc.setdefault(rfc, clave)
        self._nombres.agregar(canonico, clave)
        return clave


# --- Addresses -----------------------------------------------------------------------------

_ABREVIATURAS = {
    "av": "avenida",
    "ave": "avenida",
    "avda": "avenida",
    "blvd": "boulevard",
    "blv": "boulevard",
    "blvr": "boulevard",
    "bvd": "boulevard",
    "bulevar": "boulevard",
    "bulevard": "boulevard",
    "boulevar": "boulevard",
    "calz": "calzada",
    "carr": "carretera",
    "col": "colonia",
    "fracc": "fraccionamiento",
    "fraccto": "fraccionamiento",
    "prol": "prolongacion",
    "priv": "privada",
    "pte": "poniente",
    "ote": "oriente",
    "nte": "norte",
    "int": "interior",
    "ext": "exterior",
    "esq": "esquina",
    "edif": "edificio",
    "cd": "ciudad",
    "sn": "sin numero",
}
# What marks a number and adds nothing to the address.
_MARCAS_DE_NUMERO = {"no", "num", "numero", "nro", "n"}


@functools.lru_cache(maxsize=8192)
def domicilio_canonico(texto: str) -> str:
    """An address as the checks compare it: canonical, abbreviations expanded, without the
    marks of its numbers («#», «No.», «núm.»)."""
    palabras = canonica((texto or "").replace("s/n", " sn ").replace("S/N", " sn ")).split()
    palabras = [_ABREVIATURAS.get(p, p) for p in palabras if p not in _MARCAS_DE_NUMERO]
    return " ".join(palabras)


# --- Telephones ----------------------------------------------------------------------------

_DIGITOS_DE_UN_TELEFONO = 10
_DIGITOS_O_PARECIDAS = re.compile(r"[0-9OoIlZzSsGbBgq]")


def telefono_canonico(texto: str) -> str:
    """A Mexican telephone as compared: its last ten digits, the letters written for digits
    read as them; "" with fewer."""
    leido = lectura(texto).texto
    digitos = "".join(_DIGITOS_O_PARECIDAS.findall(leido)).translate(_COMO_DIGITO)
    digitos = re.sub(r"\D", "", digitos)
    return digitos[-_DIGITOS_DE_UN_TELEFONO:] if len(digitos) >= _DIGITOS_DE_UN_TELEFONO else ""


# --- Agencies ------------------------------------------------------------------------------

# What a long name adds to an agency's: «… del Estado de Sonora», «… del Poder Ejecutivo»,
# «Gobierno del Estado de Sonora, …», any state; and the unit a short name leaves out
# («Dirección General del Registro Civil» is «Registro Civil»).
_DEL_ESTADO = re.compile(
    r"(?:\s+(?:del|de la|de)\s+(?:gobierno|poder ejecutivo|estado|entidad)"
    r"(?:\s+libre y soberano)?(?:\s+del estado)?(?:\s+de\s+[a-zñ]+(?:\s+[a-zñ]+){0,2})?)+$"
)
_GOBIERNO_DEL_ESTADO = re.compile(
    r"^gobierno del estado(?: de [a-zñ]+)?\s+(?:(?:de la|del|de)\s+)?"
)
_UNIDAD = re.compile(
    r"^(?:direccion|coordinacion|subsecretaria|unidad|oficina|jefatura|departamento)"
    r"(?:\s+(?:general|estatal|ejecutiva))?\s+(?:de la|de los|de las|del|de)\s+"
)
_PARENTESIS = re.compile(r"\(([^)]*)\)")


def _formas_de_ente(canonico: str) -> set[str]:
    formas, nuevas = set(), {canonico}
    while nuevas:
        formas |= nuevas
        nuevas = {
            otra.strip()
            for forma in nuevas
            for patron in (_DEL_ESTADO, _GOBIERNO_DEL_ESTADO, _UNIDAD)
            for otra in (patron.sub("", forma),)
        } - formas
    return formas - {""}


@functools.lru_cache(maxsize=4096)
def claves_de_ente(texto: str) -> frozenset[str]:
    """An agency's name or acronym as the checks compare a supplier's with it: canonical,
    with and without what a long name adds («del Estado de Sonora»)."""
    return frozenset(_formas_de_ente(canonica(texto)))


@functools.lru_cache(maxsize=4096)
def claves_como_ente(proveedor: str) -> frozenset[str]:
    """What of a supplier's name may be an agency's name or acronym: the whole name, without
    its legal form, outside brackets and each bracket's content, each with and without what a
    long name adds («Secretaría de Hacienda del Estado de Sonora (SH), S.A. de C.V.»)."""
    proveedor = proveedor or ""
    partes = [proveedor, _PARENTESIS.sub(" ", proveedor), *_PARENTESIS.findall(proveedor)]
    claves: set[str] = set()
    for parte in partes:
        for forma in (canonica(parte), nombre_canonico(parte)):
            claves |= _formas_de_ente(forma)
    return frozenset(claves)
