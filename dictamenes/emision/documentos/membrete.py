"""The institution's letterhead on a letter page: the band, the image with the institution's
lines beside it, the folio at the top right and the footer. Every page of the dictamen
(pdf.py) and of the expediente's historial.pdf (expediente.py) draws it."""

import functools
import io

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader

from dictamenes.emision.documentos import fuentes
from dictamenes.organizacion import imagenes

GUINDA = colors.HexColor("#6d1a36")
GRIS = colors.HexColor("#5a5a5a")
# The letterhead image's box, top left of each page, above the body (topMargin 3.3 cm).
MEMBRETE_ALTO = 2.2 * cm
MEMBRETE_ANCHO_MAX = 5 * cm


def _linea(lienzo, x, y, texto, fuente, tamano, derecha=False):
    lienzo.setFont(fuente, tamano)
    texto = fuentes.imprimible(texto, fuente).replace("\n", " ")
    (lienzo.drawRightString if derecha else lienzo.drawString)(x, y, texto)


def membrete_dibujar(lienzo, *, lineas, imagen: bytes, derecha: str, pie: str, pagina: str):
    """The institution's letterhead on a letter page: the band, the image with the lines
    beside it (the first in bold), `derecha` at the top right (the folio), and the footer
    with `pie` and `pagina`. The dictamen and the expediente's historial.pdf draw it."""
    fuentes.registrar()
    ancho, alto = LETTER
    lienzo.setFillColor(GUINDA)
    lienzo.rect(0, alto - 0.35 * cm, ancho, 0.35 * cm, stroke=0, fill=1)
    x = 2 * cm
    if imagen:
        dibujo, (w, h) = _imagen_membrete(imagen)
        alto_img = MEMBRETE_ALTO
        ancho_img = min(alto_img * w / h, MEMBRETE_ANCHO_MAX)
        alto_img = ancho_img * h / w
        lienzo.drawImage(dibujo, x, alto - 0.6 * cm - alto_img, width=ancho_img, height=alto_img)
        x += ancho_img + 0.3 * cm
    y = alto - 1.1 * cm
    for i, texto in enumerate(lineas):
        _linea(lienzo, x, y, texto, *((fuentes.NEGRITA, 9) if i == 0 else (fuentes.NORMAL, 8)))
        y -= 0.38 * cm
    _linea(lienzo, ancho - 2 * cm, alto - 1.1 * cm, derecha, fuentes.NEGRITA, 9, True)
    lienzo.setFillColor(GRIS)
    _linea(lienzo, 2 * cm, 1.2 * cm, pie, fuentes.NORMAL, 7.5)
    _linea(lienzo, ancho - 2 * cm, 1.2 * cm, pagina, fuentes.NORMAL, 7.5, True)


@functools.lru_cache(maxsize=4)
def _imagen_membrete(contenido: bytes):
    """The image flattened on white, in RGB: no transparency (an SMask) in the archival PDF,
    and the same pixels, hence the same bytes, every time. Never decoded over the limit."""
    imagenes.imagen_medir(contenido)
    with PILImage.open(io.BytesIO(contenido)) as original:
        original = original.convert("RGBA")
        fondo = PILImage.new("RGB", original.size, "white")
        fondo.paste(original, mask=original.getchannel("A"))
    return ImageReader(fondo), fondo.size
