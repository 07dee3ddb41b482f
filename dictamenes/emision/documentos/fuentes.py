"""The fonts of the dictamen's PDF: DejaVu, a free family with full Spanish coverage, installed
from Debian's fonts-dejavu-core and embedded as subsets, never downloaded at run time.

A character the font has no glyph for would print as .notdef, a black box or nothing. Such
characters (CJK, emoji, control and unassigned code points) are printed instead as a visible,
clean mark built from glyphs the font has: «‹U+4E2D›».
"""

import functools
import re
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DIRECTORIO = "/usr/share/fonts/truetype/dejavu"
NORMAL = "DejaVuSans"
NEGRITA = "DejaVuSans-Bold"
MONO = "DejaVuSansMono"
ARCHIVOS = {NORMAL: "DejaVuSans.ttf", NEGRITA: "DejaVuSans-Bold.ttf", MONO: "DejaVuSansMono.ttf"}
ERROR_FUENTES = (
    "Faltan las fuentes del PDF del dictamen ({faltan}) en {directorio}. Instálelas con "
    "`apt-get install fonts-dejavu-core` o indique su carpeta en DICTAMENES_PDF_FUENTES."
)
ID_ERROR_FUENTES = "dictamenes.E201"


def directorio() -> Path:
    return Path(getattr(settings, "DICTAMENES_PDF_FUENTES", DIRECTORIO))


def faltantes() -> list[str]:
    base = directorio()
    return [archivo for archivo in ARCHIVOS.values() if not (base / archivo).is_file()]


def fuentes_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: without the fonts no dictamen can be rendered, hence signed."""
    faltan = faltantes()
    if not faltan:
        return []
    return [
        checks.Error(
            ERROR_FUENTES.format(faltan=", ".join(faltan), directorio=directorio()),
            id=ID_ERROR_FUENTES,
        )
    ]


@functools.cache
def registrar() -> None:
    """Register the three faces with reportlab, once per process (reading them takes ~70 ms).
    reportlab embeds only the glyphs each document uses."""
    faltan = faltantes()
    if faltan:
        raise ImproperlyConfigured(
            ERROR_FUENTES.format(faltan=", ".join(faltan), directorio=directorio())
        )
    for nombre, archivo in ARCHIVOS.items():
        pdfmetrics.registerFont(TTFont(nombre, str(directorio() / archivo)))
    # <b> in a paragraph of the family picks the bold face.
    for negrita, cara in ((0, NORMAL), (1, NEGRITA)):
        for cursiva in (0, 1):
            addMapping(NORMAL, negrita, cursiva, cara)


def marca(caracter: str) -> str:
    """How a character that cannot be printed is printed."""
    return f"‹U+{ord(caracter):04X}›"


@functools.cache
def _no_imprimibles(fuente: str) -> re.Pattern:
    """A pattern matching every character the face has no glyph for, control characters even
    when it has one, and everything beyond the Basic Multilingual Plane: reportlab writes the
    text map of a font (ToUnicode) with four hex digits, so DejaVu's «😀» (U+1F600) would be
    copied or searched as «ὠ» (U+1F60). A line break is left to the caller."""
    registrar()
    codigos = sorted(
        codigo
        for codigo in pdfmetrics.getFont(fuente).face.charToGlyph
        if codigo <= 0xFFFF and unicodedata.category(chr(codigo)) not in ("Cc", "Cs")
    )
    tramos = []
    inicio = previo = codigos[0]
    for codigo in codigos[1:]:
        if codigo != previo + 1:
            tramos.append((inicio, previo))
            inicio = codigo
        previo = codigo
    tramos.append((inicio, previo))
    clase = "".join(rf"\U{a:08x}-\U{b:08x}" if a != b else rf"\U{a:08x}" for a, b in tramos)
    return re.compile(rf"[^\n{clase}]")


def _reemplazo(coincidencia: re.Match) -> str:
    return marca(coincidencia.group())


def imprimible(texto: str, fuente: str = NORMAL) -> str:
    """The text as `fuente` can print it: composed (NFC, so that «é» typed as «e» and an
    accent is one glyph), line ends as «\\n», tabs as spaces, and every character without a
    glyph replaced by its mark."""
    if texto.isascii() and texto.isprintable():
        return texto
    texto = texto.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _no_imprimibles(fuente).sub(_reemplazo, unicodedata.normalize("NFC", texto))
