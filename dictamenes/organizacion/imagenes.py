"""Images people give the system (the letterhead, issue 59 item 7): their size in pixels is read
from the header before anything decodes them, and an image over the limit is refused with a
Spanish message that says the limit, never a 500.

Why a limit in pixels and not only in bytes: a PNG of 48 KB may declare 20,000 × 20,000 pixels;
decoding it takes 1.6 GB. Pillow's own guard (``Image.MAX_IMAGE_PIXELS``, about 89 million
pixels) raises ``DecompressionBombError`` only beyond twice that, and a 9,400 × 9,400 image
(88 million) passes it and costs 859 MB and 3.3 s to render in the PDF.

The limit, ``settings.DICTAMENES_IMAGEN_MAX_PX`` (4,000 by default) on each side: the letterhead
prints at most 5 × 2.2 cm (emision.documentos.pdf), which is 1,181 × 520 pixels at 600 dpi, the
finest a printer needs; 4,000 leaves three times that for a logo exported large, and decoded in
RGBA it weighs at most 64 MB. Read at call time, so a state may raise it and the tests may
lower it.

``imagen_medir`` is the one check: the pages, the state profile loader, the changes that wait for
approval and the PDF (before it decodes an image that got in earlier) all call it."""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_PX_POR_OMISION = 4000

ERROR_IMAGEN_PIXELES = _(
    "La imagen mide %(ancho)s × %(alto)s píxeles; el máximo es %(maximo)s píxeles por lado. "
    "Redúzcala y vuelva a subirla."
)
# Pillow refuses to open an image over Image.MAX_IMAGE_PIXELS (89 million pixels; it warns, and
# beyond twice that it raises), so its sides are not known: only that it is far beyond the limit
# (which allows at most 16 million).
ERROR_IMAGEN_BOMBA = _(
    "La imagen declara más de %(pixeles)s millones de píxeles; el máximo es %(maximo)s píxeles "
    "por lado. Redúzcala y vuelva a subirla."
)
ERROR_IMAGEN_ILEGIBLE = _("La imagen está dañada y no se puede abrir.")


def maximo_px() -> int:
    return getattr(settings, "DICTAMENES_IMAGEN_MAX_PX", MAX_PX_POR_OMISION)


def imagen_medir(contenido: bytes) -> tuple[int, int]:
    """Width and height of the image in `contenido`, read from its header only (Pillow's
    ``Image.open`` is lazy: nothing is decoded). ValidationError (code "pixeles") when a side
    passes the limit, or (code "danada") when no header can be read."""
    maximo = maximo_px()
    try:
        with warnings.catch_warnings():
            # Between Pillow's limit and twice it, Pillow only warns: a refusal here too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(contenido)) as imagen:
                ancho, alto = imagen.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            ERROR_IMAGEN_BOMBA,
            code="pixeles",
            params={"pixeles": f"{Image.MAX_IMAGE_PIXELS // 1_000_000:,}", "maximo": f"{maximo:,}"},
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(ERROR_IMAGEN_ILEGIBLE, code="danada") from exc
    if ancho > maximo or alto > maximo:
        raise ValidationError(
            ERROR_IMAGEN_PIXELES,
            code="pixeles",
            params={"ancho": f"{ancho:,}", "alto": f"{alto:,}", "maximo": f"{maximo:,}"},
        )
    return ancho, alto
