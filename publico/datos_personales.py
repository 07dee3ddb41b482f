"""RFC and CURP on public pages: shown masked, never whole; and, in the text people typed
that the open data publishes, e-mail addresses and telephone numbers hidden too.

Anyone may open /verificar/<folio>/, and folios are consecutive, so the pages can be walked
one after another. The signer's RFC and CURP are personal data (even a public servant's):
the public pages show their first four characters, the initials of the name the page already
shows, and hide the rest (birth date, sex, state and homoclave). See README, «Datos
personales en las páginas públicas».
"""

import re

VISIBLES = 4
OCULTO = "*"
_INICIALES = re.compile(f"[A-ZÑ&]{{0,{VISIBLES}}}")

# An RFC (3 or 4 letters, the date, a 3-character homoclave) or a CURP (4 letters, the date,
# sex, state, consonants and two check characters), as a whole word: inside a cadena original
# "||...|GATA750503SD1|...||" too.
_RFC_O_CURP = re.compile(
    r"(?<![A-Z0-9Ñ&])([A-ZÑ&]{3,4})(\d{6}(?:[A-Z0-9]{3}|[HMX][A-Z]{5}[A-Z0-9]\d))(?![A-Z0-9])"
)


def clave_enmascarar(clave: str) -> str:
    """ "GATA750503SD1" -> "GATA*********": the initials (at most four letters; a company's
    RFC has three, and its date must not show), the rest hidden."""
    clave = (clave or "").strip()
    iniciales = _INICIALES.match(clave.upper()).group(0)
    return clave[: len(iniciales)] + OCULTO * (len(clave) - len(iniciales))


def texto_enmascarar(texto: str) -> str:
    """The text with every RFC- or CURP-shaped word masked as clave_enmascarar does."""
    return _RFC_O_CURP.sub(lambda m: clave_enmascarar(m.group(0)), texto or "")


# An e-mail address, and a telephone number: ten digits or more, in groups separated by
# spaces, dots, dashes or parentheses, perhaps after a + (a folio or an amount has fewer
# digits, or no such groups).
_CORREO = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TELEFONO = re.compile(r"(?<![\w/])\+?\(?\d(?:[\d\s().-]{8,}\d)(?![\w/])")
CORREO_OCULTO = "[correo oculto]"
TELEFONO_OCULTO = "[teléfono oculto]"


def _telefono(coincidencia: re.Match) -> str:
    digitos = sum(c.isdigit() for c in coincidencia.group(0))
    return TELEFONO_OCULTO if digitos >= 10 else coincidencia.group(0)


def texto_publicable(texto: str) -> str:
    """Text people typed, as the open data publishes it: RFC and CURP masked as
    texto_enmascarar does, e-mail addresses and telephone numbers replaced by a notice."""
    texto = _CORREO.sub(CORREO_OCULTO, texto or "")
    return texto_enmascarar(_TELEFONO.sub(_telefono, texto))
