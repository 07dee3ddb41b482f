"""RFC and CURP on public pages: shown masked, never whole; and, in the text people typed
that the open data publishes, e-mail addresses and telephone numbers hidden too.

Anyone may open /verificar/<folio>/, and folios are consecutive, so the pages can be walked
one after another. The signer's RFC and CURP are personal data (even a public servant's):
the public pages show their first four characters, the initials of the name the page already
shows, and hide the rest (birth date, sex, state and homoclave). See
docs/sistema/paginas-publicas.md, «Datos personales en las páginas públicas».
"""

import functools
import re

from estandares.datos_personales import RFC_O_CURP, clave_de, reemplazar
from estandares.entradas import formato_quitar

VISIBLES = 4
OCULTO = "*"
_INICIALES = re.compile(f"[A-ZÑ&]{{0,{VISIBLES}}}")


def clave_enmascarar(clave: str) -> str:
    """ "GATA750503SD1" -> "GATA*********": the initials (at most four letters; a company's
    RFC has three, and its date must not show), the rest hidden."""
    clave = (clave or "").strip()
    iniciales = _INICIALES.match(clave.upper()).group(0)
    return clave[: len(iniciales)] + OCULTO * (len(clave) - len(iniciales))


def texto_enmascarar(texto: str) -> str:
    """The text with every RFC- or CURP-shaped word (estandares.datos_personales.RFC_O_CURP,
    inside a cadena original "||...|GATA750503SD1|...||" too) masked as clave_enmascarar does."""
    return RFC_O_CURP.sub(lambda m: clave_enmascarar(clave_de(m)), texto or "")


CORREO_OCULTO = "[correo oculto]"
TELEFONO_OCULTO = "[teléfono oculto]"
_OCULTOS = {"correo": CORREO_OCULTO, "telefono": TELEFONO_OCULTO}


def _oculto(hallazgo) -> str:
    # An RFC or a CURP as it reads: "РЕLЈ-800101-АВ1" (Cyrillic) shows as "PELJ*********".
    return _OCULTOS.get(hallazgo.tipo) or clave_enmascarar(hallazgo.clave)


@functools.lru_cache(maxsize=4096)
def texto_publicable(texto: str) -> str:
    """Text people typed, as every public output publishes it (OCDS, the register and its
    CSV and JSON, the verification page): without format characters, RFC and CURP masked as
    clave_enmascarar does, e-mail addresses and telephone numbers replaced by a notice. What
    counts as each is estandares.datos_personales's, the same the fields refuse at entry;
    this is for what was stored before they did.

    A pure function of the text, kept for the last few thousand texts: the register's first
    pages (HTML and /api/v1/registro/) read the same titles and items on every visit, and
    reading each for personal data was a sixth of the API's time."""
    return reemplazar(formato_quitar(texto or ""), _oculto)


@functools.lru_cache(maxsize=1024)
def nombre_publicable(nombre: str) -> str:
    """An agency's name or a signer's cargo as every public output publishes it: as
    texto_publicable does (issue 59), once per distinct name (a CSV repeats each agency on
    thousands of rows)."""
    return texto_publicable(nombre)
