"""What makes reportlab's PDF an archival one, added with pikepdf: XMP metadata (title, folio,
issuing institution, language, the true dates and the PDF/A-2b identification), the same values
in the document information dictionary, `/Lang`, and an sRGB output intent.

This aims at PDF/A-2b; no validator available here (veraPDF is not) confirms it, so nothing
claims conformance beyond the identification PDF/A asks the file itself to carry. The result
is deterministic: no clock, and the file identifier is a digest of the content.
"""

import functools
import io
import re
from datetime import datetime

import pikepdf
import reportlab
from PIL import ImageCms
from pyhanko.pdf_utils.metadata.model import VENDOR as PYHANKO

from dictamenes.emision.documentos.fuentes import marca

IDIOMA = "es-MX"
APLICACION = "Dictámenes TIC"
CREADOR = f"{APLICACION} (ReportLab {reportlab.Version}, pikepdf {pikepdf.__version__})"
# pyHanko signs last: it writes exactly its own name as the XMP producer, and appends it to
# the document information's unless already there. Naming only it keeps both equal, as PDF/A
# asks (ISO 19005-2, 6.6.2.3); what drew the pages is said in the XMP's CreatorTool.
PRODUCTOR = PYHANKO
SRGB = "sRGB IEC61966-2.1"
# The signer's preview names itself in its XMP (Dublin Core's dc:type, a standard property
# PDF/A allows), so /verificar/ can say "this is a preview" rather than "altered". It proves
# nothing: an upload is authentic only by its stored bytes and its signature, checked first.
TIPO_VISTA_PREVIA = "Vista previa sin validez de un dictamen técnico y estratégico de TIC"
# XML 1.0 forbids these (and the document information dictionary has no use for them).
_NO_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@functools.cache
def perfil_srgb() -> bytes:
    """An sRGB ICC profile, made by LittleCMS through Pillow: nothing read or downloaded."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _texto(valor: str) -> str:
    return _NO_XML.sub(lambda m: marca(m.group()), " ".join(valor.split()))


def fecha_pdf(momento: datetime) -> str:
    """A PDF date string (ISO 32000-1, 7.9.4): D:YYYYMMDDHHmmSS followed by the UTC offset."""
    texto = momento.strftime("D:%Y%m%d%H%M%S")
    desfase = momento.utcoffset()
    if desfase is None:
        return texto
    minutos = int(desfase.total_seconds()) // 60
    if minutos == 0:
        return texto + "Z"
    horas, resto = divmod(abs(minutos), 60)
    return f"{texto}{'+' if minutos > 0 else '-'}{horas:02d}'{resto:02d}'"


def pdf_archivo(
    contenido: bytes,
    *,
    titulo: str,
    autor: str,
    asunto: str,
    folio: str,
    palabras_clave: str,
    creado: datetime,
    vista_previa: bool = False,
) -> bytes:
    """`contenido` with the archival metadata; `creado` (aware) is its creation and
    modification time, to the second. A `vista_previa` says so in its XMP's dc:type
    (es_vista_previa reads it back)."""
    creado = creado.replace(microsecond=0)
    titulo, autor, asunto, palabras_clave = map(_texto, (titulo, autor, asunto, palabras_clave))
    with pikepdf.open(io.BytesIO(contenido)) as pdf:
        pdf.trailer.Info = pdf.make_indirect(
            pikepdf.Dictionary(
                Title=titulo,
                Author=autor,
                Subject=asunto,
                Keywords=palabras_clave,
                Creator=CREADOR,
                Producer=PRODUCTOR,
                CreationDate=fecha_pdf(creado),
                ModDate=fecha_pdf(creado),
            )
        )
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:title"] = titulo
            xmp["dc:creator"] = [autor]
            xmp["dc:description"] = asunto
            xmp["dc:identifier"] = _texto(folio)
            xmp["dc:language"] = {IDIOMA}
            xmp["dc:format"] = "application/pdf"
            if vista_previa:
                xmp["dc:type"] = {TIPO_VISTA_PREVIA}
            xmp["pdf:Keywords"] = palabras_clave
            xmp["pdf:Producer"] = PRODUCTOR
            xmp["xmp:CreatorTool"] = CREADOR
            for clave in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                xmp[clave] = creado.isoformat()
            xmp["pdfaid:part"] = "2"
            xmp["pdfaid:conformance"] = "B"
        pdf.Root.Lang = pikepdf.String(IDIOMA)
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        pdf.Root.OutputIntents = pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.OutputIntent,
                    S=pikepdf.Name.GTS_PDFA1,
                    OutputConditionIdentifier=SRGB,
                    RegistryName="http://www.color.org",
                    Info=SRGB,
                    DestOutputProfile=pdf.make_stream(perfil_srgb(), N=3),
                )
            ]
        )
        salida = io.BytesIO()
        pdf.save(salida, deterministic_id=True, min_version="1.7")
    return salida.getvalue()


def es_vista_previa(contenido: bytes) -> bool:
    """Whether the PDF says in its XMP that it is the signer's preview (pdf_archivo with
    vista_previa). Anything unreadable is not."""
    try:
        with pikepdf.open(io.BytesIO(contenido)) as pdf:
            return TIPO_VISTA_PREVIA in (pdf.open_metadata().get("dc:type") or ())
    except Exception:  # a damaged or foreign PDF simply carries no such mark
        return False
