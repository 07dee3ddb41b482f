"""The dictamen as a PDF: a pure function of its data, returning bytes (reportlab platypus).

The same DatosDictamen always gives the same bytes, so a test or an auditor can render it
again and compare: reportlab runs in invariant mode (no clock, no random document ID), and the
document's CreationDate and ModDate are the signing time it is given (`emitido_en`), never
the clock and never invariant mode's 1 January 2000.

Its text is set in DejaVu (`fuentes`), embedded, and every text that comes from data passes
through `fuentes.imprimible` so that no character prints as a black box. `archivo_pdf` then
adds the archival metadata (XMP, `/Lang`, output intent) and a file identifier that is a digest
of the content.
"""

import functools
import io
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dictamenes.emision.documentos import fuentes
from dictamenes.emision.documentos.archivistico import pdf_archivo
from dictamenes.emision.documentos.membrete import GRIS, GUINDA, membrete_dibujar
from dictamenes.emision.documentos.qr import Qr

SIN_VIGENCIA = "Un dictamen no favorable no autoriza la contratación; no tiene vigencia."
# The signer's preview (DatosDictamen.vista_previa): the same document, before the folio, the
# sello and the signature exist, marked on every page so that nobody takes it for a dictamen.
VISTA_PREVIA = "Vista previa · sin validez"
VISTA_PREVIA_FOLIO = "Se asigna al firmar"
VISTA_PREVIA_SELLO = (
    "Vista previa sin validez: el folio, la cadena original, el sello digital, la firma "
    "electrónica y el código QR de verificación se generan al firmar con la e.firma."
)
VISTA_PREVIA_PIE = "Vista previa sin validez: no es un dictamen emitido."
MARCA_AGUA = colors.HexColor("#efdfe4")
MESES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


@dataclass(frozen=True)
class PartidaPdf:
    descripcion: str
    perfil: str
    cantidad: int
    importe: str  # already formatted, e.g. "$1,234.00"
    resultado: str
    # What the requester declared in writing for this item: (requirement, text).
    declaraciones: tuple[tuple[str, str], ...] = ()
    # The strategic decision on it (issue 36); empty for dictámenes issued before decisions
    # per item existed, which print as they did.
    decision: "DecisionPdf | None" = None


@dataclass(frozen=True)
class DecisionPdf:
    resultado: str  # «Aprobada», «Aprobada por menor monto o cantidad», «No aprobada»
    cantidad: int
    importe: str  # approved, already formatted
    motivo: str = ""  # the catalogue reason's name, for a not approved item
    texto: str = ""
    base_precio: str = ""  # «Base del precio: …» (issue 62); "" for a decision kept without


@dataclass(frozen=True)
class CondicionPdf:
    texto: str
    vence: date  # the deadline to show it met (seguimiento.services.condiciones.condicion_vence)


@dataclass(frozen=True)
class OpinionPdf:
    area: str
    opinion: str
    revisor: str
    observaciones: str


@dataclass(frozen=True)
class DatosDictamen:
    folio: str
    fecha: date
    emitido_en: datetime  # aware, in local time: the PDF's CreationDate
    lugar: str
    institucion: tuple[str, ...]
    ente: str
    asunto: str
    tipo_operacion: str
    folio_solicitud: str
    monto: str
    edicion_estandares: str
    antecedentes: tuple[str, ...]
    partidas: tuple[PartidaPdf, ...]
    opiniones: tuple[OpinionPdf, ...]
    analisis: str
    resultado: str  # FAVORABLE / FAVORABLE CONDICIONADO / NO FAVORABLE
    condiciones: tuple[CondicionPdf, ...]
    vigencia_hasta: date
    firmante_nombre: str
    firmante_cargo: str
    cadena_original: str
    sello: str
    certificado_numero: str
    url_verificacion: str
    # The legal basis, one ordenamiento each: the institution's texts the dictamen is issued
    # under (models.TextosInstitucionales), no longer a default in code.
    fundamentos: tuple[str, ...] = ()
    # The letterhead image (PNG or JPEG bytes) of those texts, drawn at the top left of every
    # page with the letterhead's lines beside it; none prints the lines alone.
    membrete_imagen: bytes = b""
    rectifica: str = ""
    # A no favorable dictamen authorises nothing, so it has no validity (publico.estado).
    con_vigencia: bool = True
    # The signer's preview: no folio, no sello, no QR; a watermark on every page.
    vista_previa: bool = False
    # Business days the conditions have, as the deadline's explanation.
    dias_condiciones: int = 0
    # Requested and approved totals of the items' decisions (already formatted).
    total_solicitado: str = ""
    total_aprobado: str = ""


def fecha_larga(valor: date) -> str:
    return f"{valor.day} de {MESES[valor.month - 1]} de {valor.year}"


@functools.cache
def _estilos():
    """The paragraph styles, built once per process: nothing changes them after."""
    fuentes.registrar()
    base = getSampleStyleSheet()
    normal = ParagraphStyle(
        "n",
        parent=base["Normal"],
        fontName=fuentes.NORMAL,
        bulletFontName=fuentes.NORMAL,
        fontSize=9.5,
        leading=12.5,
    )
    return {
        "normal": normal,
        "titulo": ParagraphStyle(
            "t",
            parent=normal,
            fontName=fuentes.NEGRITA,
            fontSize=13,
            leading=16,
            alignment=TA_CENTER,
            textColor=GUINDA,
            spaceAfter=8,
        ),
        "seccion": ParagraphStyle(
            "s",
            parent=normal,
            fontName=fuentes.NEGRITA,
            fontSize=10.5,
            textColor=GUINDA,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,  # a heading never ends a page alone
        ),
        # Numbered, with the wrapped lines indented under the text, not under the number.
        "lista": ParagraphStyle("l", parent=normal, leftIndent=20, bulletIndent=0, spaceAfter=2),
        "celda": ParagraphStyle("c", parent=normal, fontSize=8.5, leading=10.5),
        "celda_der": ParagraphStyle(
            "cd", parent=normal, fontSize=8.5, leading=10.5, alignment=TA_RIGHT
        ),
        "resolutivo": ParagraphStyle(
            "r",
            parent=normal,
            fontName=fuentes.NEGRITA,
            fontSize=14,
            leading=18,
            alignment=TA_CENTER,
            spaceBefore=4,
            spaceAfter=6,
        ),
        # Long base64 and pipe strings have no spaces: let them break anywhere.
        "mono": ParagraphStyle(
            "m", parent=normal, fontName=fuentes.MONO, fontSize=6.8, leading=8.4, wordWrap="CJK"
        ),
        "celda_negrita": ParagraphStyle(
            "cn", parent=normal, fontName=fuentes.NEGRITA, fontSize=8.5, leading=10.5
        ),
        "pequeno": ParagraphStyle("p", parent=normal, fontSize=8, leading=10, textColor=GRIS),
        "negrita": ParagraphStyle("f", parent=normal, fontName=fuentes.NEGRITA),
    }


class _Parrafo(Paragraph):
    """A Paragraph that keeps its line breaking for the width it was last given. A table
    wraps each cell's paragraphs up to three times at the same width (to see whether it
    fits, to place it and to draw it), and breaking the long cadena and sello character by
    character was a good part of the rendering time."""

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's API
        previo = self.__dict__.get("_envuelto")
        if previo is not None and previo[0] == availWidth and previo[1] is self.frags:
            self.width, self.height, self.blPara, self._wrapWidths = previo[2:]
            return self.width, self.height
        ancho, alto = super().wrap(availWidth, availHeight)
        self._envuelto = (availWidth, self.frags, ancho, alto, self.blPara, self._wrapWidths)
        return ancho, alto


def _marcado(texto: str, estilo) -> str:
    """Paragraph markup for a text from data, in the style's face."""
    return escape(fuentes.imprimible(texto, estilo.fontName)).replace("\n", "<br/>")


def _p(texto: str, estilo) -> Paragraph:
    return _Parrafo(_marcado(texto, estilo), estilo)


# A table sets its cells' font before drawing them, by default reportlab's Helvetica.
_TABLA_FUENTE = ("FONT", (0, 0), (-1, -1), fuentes.NORMAL)


def _tabla(filas, anchos, encabezado=True) -> Table:
    tabla = Table(filas, colWidths=anchos, repeatRows=1 if encabezado else 0)
    estilo = [
        _TABLA_FUENTE,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#d9d2c7")),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if encabezado:
        estilo.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f6f1ea")))
    tabla.setStyle(TableStyle(estilo))
    return tabla


def _lienzo(datos: DatosDictamen):
    class Lienzo(canvas.Canvas):
        """Draws the letterhead and "Página X de Y" once the page count is known."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._paginas = []

        def showPage(self):  # noqa: N802 - reportlab's API
            self._paginas.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._paginas)
            for estado in self._paginas:
                self.__dict__.update(estado)
                self._membrete(total)
                super().showPage()
            super().save()

        def _membrete(self, total: int):
            membrete_dibujar(
                self,
                lineas=datos.institucion,
                imagen=datos.membrete_imagen,
                derecha=VISTA_PREVIA.upper() if datos.vista_previa else datos.folio,
                pie=(
                    VISTA_PREVIA_PIE
                    if datos.vista_previa
                    else f"Verifique este documento en {datos.url_verificacion}"
                ),
                pagina=f"Página {self._pageNumber} de {total}",
            )

    return Lienzo


def _marca_de_agua(lienzo, documento):
    """«Vista previa · sin validez» across the page, drawn before its content (under it)."""
    ancho, alto = LETTER
    lienzo.saveState()
    lienzo.setFillColor(MARCA_AGUA)
    lienzo.setFont(fuentes.NEGRITA, 54)
    lienzo.translate(ancho / 2, alto / 2)
    lienzo.rotate(52)
    lienzo.drawCentredString(0, -18, VISTA_PREVIA)
    lienzo.restoreState()


def _resultado_en_la_ficha(datos: DatosDictamen) -> str:
    """The result as page 1 gives it: the decision and what it allows."""
    texto = datos.resultado
    if datos.condiciones:
        n = len(datos.condiciones)
        texto += f" ({n} {'condiciones' if n > 1 else 'condición'}; véase el resolutivo)"
    return texto


def _condiciones(datos: DatosDictamen, e) -> list:
    """Each condition, numbered as it is followed up, with the day it is due."""
    parrafos = [_p("Condiciones:", e["negrita"])]
    for i, condicion in enumerate(datos.condiciones, start=1):
        plazo = f"Plazo: hasta el {fecha_larga(condicion.vence)}"
        if datos.dias_condiciones:
            plazo += f" ({datos.dias_condiciones} días hábiles a partir de la emisión)"
        texto = f"{condicion.texto.rstrip()} {plazo}."
        parrafos.append(Paragraph(_marcado(texto, e["lista"]), e["lista"], bulletText=f"{i}."))
    return parrafos


def _decisiones(datos: DatosDictamen, e, util) -> list:
    """The decision on each item: what was asked, what was decided and approved, the totals,
    why each item not approved (or approved for less, when said) was so decided, and the
    price basis of each (issue 62)."""
    encabezado = ("#", "Partida", "Cantidad solicitada", "Importe solicitado", "Decisión")
    encabezado += ("Cantidad aprobada", "Importe aprobado")
    filas = [[_p(t, e["celda"]) for t in encabezado]]
    razones = []
    for i, partida in enumerate(datos.partidas, start=1):
        d = partida.decision
        filas.append(
            [
                _p(str(i), e["celda"]),
                _p(partida.descripcion, e["celda"]),
                _p(f"{partida.cantidad:,}", e["celda_der"]),
                _p(partida.importe, e["celda_der"]),
                _p(d.resultado, e["celda"]),
                _p(f"{d.cantidad:,}", e["celda_der"]),
                _p(d.importe, e["celda_der"]),
            ]
        )
        razon = " ".join(t for t in (f"Motivo: {d.motivo}." if d.motivo else "", d.texto) if t)
        for texto in (razon, d.base_precio):  # why so decided, then the price it stood on
            if texto:
                razones.append(
                    f"Partida {i}, {partida.descripcion} ({d.resultado.lower()}): {texto}"
                )
    filas.append(
        [
            _p("", e["celda"]),
            _p("Total", e["celda_negrita"]),
            _p("", e["celda"]),
            _p(datos.total_solicitado, e["celda_der"]),
            _p("", e["celda"]),
            _p("", e["celda"]),
            _p(datos.total_aprobado, e["celda_der"]),
        ]
    )
    anchos = [0.7 * cm, 4.4 * cm, 1.9 * cm, 2.6 * cm, 3.0 * cm, 1.9 * cm]
    h = [
        _p("Decisión por partida", e["seccion"]),
        _tabla(filas, [*anchos, util - sum(anchos)]),
    ]
    for razon in razones:
        h.append(Paragraph(_marcado(razon, e["lista"]), e["lista"], bulletText="•"))
    return h


def dictamen_pdf(datos: DatosDictamen) -> bytes:
    """Render the dictamen. Pure: no database, no clock, no files."""
    e = _estilos()
    salida = io.BytesIO()
    documento = SimpleDocTemplate(
        salida,
        pagesize=LETTER,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=3.3 * cm,
        bottomMargin=2 * cm,
        invariant=1,
        pageCompression=0,  # qpdf compresses every stream once, on saving (archivo_pdf)
        # Not reportlab's Helvetica, which it names on every page even if nothing uses it.
        initialFontName=fuentes.NORMAL,
    )
    util = LETTER[0] - 4 * cm
    h = []
    h.append(
        _p(
            "DICTAMEN TÉCNICO Y ESTRATÉGICO DE TECNOLOGÍAS DE LA INFORMACIÓN Y COMUNICACIÓN",
            e["titulo"],
        )
    )
    if datos.rectifica:
        h.append(
            _p(f"Este dictamen rectifica y sustituye al dictamen {datos.rectifica}.", e["pequeno"])
        )
    ficha = [
        ("Folio", VISTA_PREVIA_FOLIO if datos.vista_previa else datos.folio),
        ("Lugar y fecha", f"{datos.lugar}, a {fecha_larga(datos.fecha)}"),
        ("Ente solicitante", datos.ente),
        ("Asunto", datos.asunto),
        ("Tipo de operación", datos.tipo_operacion),
        ("Solicitud", datos.folio_solicitud),
        ("Monto estimado", datos.monto),
    ]
    filas_ficha = [[_p(k, e["celda"]), _p(v, e["celda"])] for k, v in ficha]
    # The result on page 1, where a reader looks first; the resolutivo repeats it in full.
    filas_ficha.append(
        [_p("Resultado", e["celda_negrita"]), _p(_resultado_en_la_ficha(datos), e["celda_negrita"])]
    )
    if datos.con_vigencia:  # a no favorable one has none: the resolutivo says so
        vigencia = f"Hasta el {fecha_larga(datos.vigencia_hasta)}"
        filas_ficha.append([_p("Vigencia", e["celda"]), _p(vigencia, e["celda"])])
    h.append(_tabla(filas_ficha, [4 * cm, util - 4 * cm], encabezado=False))

    h.append(_p("Fundamento legal", e["seccion"]))
    for fundamento in (
        *datos.fundamentos,
        f"Estándares Técnicos para los bienes TIC de uso generalizado, {datos.edicion_estandares}.",
    ):
        h.append(_p(f"• {fundamento}", e["normal"]))

    h.append(_p("Antecedentes", e["seccion"]))
    for i, antecedente in enumerate(datos.antecedentes, start=1):
        h.append(Paragraph(_marcado(antecedente, e["lista"]), e["lista"], bulletText=f"{i}."))

    h.append(_p("Partidas revisadas", e["seccion"]))
    filas = [
        [
            _p(t, e["celda"])
            for t in ("#", "Descripción", "Perfil técnico", "Cantidad", "Importe", "Resultado")
        ]
    ]
    for i, partida in enumerate(datos.partidas, start=1):
        filas.append(
            [
                _p(str(i), e["celda"]),
                _p(partida.descripcion, e["celda"]),
                _p(partida.perfil, e["celda"]),
                _p(f"{partida.cantidad:,}", e["celda_der"]),
                _p(partida.importe, e["celda_der"]),
                _p(partida.resultado, e["celda"]),
            ]
        )
    h.append(_tabla(filas, [0.8 * cm, 5.2 * cm, 4.2 * cm, 1.7 * cm, 2.6 * cm, util - 14.5 * cm]))
    if any(partida.declaraciones for partida in datos.partidas):
        h.append(_p("Declaraciones del ente por partida", e["seccion"]))
        for i, partida in enumerate(datos.partidas, start=1):
            for requisito, texto in partida.declaraciones:
                h.append(
                    Paragraph(
                        _marcado(f"Partida {i}, {requisito}: «{texto}»", e["lista"]),
                        e["lista"],
                        bulletText="•",
                    )
                )

    h.append(_p("Opinión técnica por área", e["seccion"]))
    for opinion in datos.opiniones:
        texto = f"{opinion.area}: {opinion.opinion}. {opinion.observaciones}".strip()
        h.append(_p(f"{texto} (Revisó: {opinion.revisor}.)", e["normal"]))
        h.append(Spacer(1, 3))

    h.append(_p("Análisis estratégico", e["seccion"]))
    h.append(_p(datos.analisis, e["normal"]))

    if any(partida.decision for partida in datos.partidas):
        h.extend(_decisiones(datos, e, util))

    resolutivo = [
        _p("Resolutivo", e["seccion"]),
        _p(f"Se emite dictamen {datos.resultado}", e["resolutivo"]),
    ]
    if datos.condiciones:
        resolutivo.extend(_condiciones(datos, e))
    if datos.con_vigencia:
        vigencia = f"Vigencia: hasta el {fecha_larga(datos.vigencia_hasta)}."
        resolutivo.append(_p(vigencia, e["normal"]))
    else:
        resolutivo.append(_p(SIN_VIGENCIA, e["normal"]))
    h.append(KeepTogether(resolutivo))

    firma = [
        Spacer(1, 14),
        _p("Atentamente", e["normal"]),
        Spacer(1, 6),
        _p(datos.firmante_nombre, e["negrita"]),
        _p(datos.firmante_cargo, e["normal"]),
        _p(
            "Se firmará electrónicamente con e.firma."
            if datos.vista_previa
            else "Firmado electrónicamente con e.firma.",
            e["pequeno"],
        ),
    ]
    h.append(KeepTogether(firma))
    if datos.vista_previa:
        h.append(Spacer(1, 10))
        h.append(_p(VISTA_PREVIA_SELLO, e["negrita"]))
        return _construir(documento, h, datos)

    sello = Table(
        [
            [
                [
                    _p("Cadena original", e["seccion"]),
                    _p(datos.cadena_original, e["mono"]),
                    _p("Sello digital", e["seccion"]),
                    _p(datos.sello, e["mono"]),
                    _p(f"Número de certificado: {datos.certificado_numero}", e["celda"]),
                ],
                [Qr(datos.url_verificacion, 3.4 * cm), _p("Escanee para verificar", e["pequeno"])],
            ]
        ],
        colWidths=[util - 4 * cm, 4 * cm],
    )
    sello.setStyle(TableStyle([_TABLA_FUENTE, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    h.append(Spacer(1, 10))
    h.append(KeepTogether([sello]))
    return _construir(documento, h, datos)


def _construir(documento, flowables, datos: DatosDictamen) -> bytes:
    marca = {"onFirstPage": _marca_de_agua, "onLaterPages": _marca_de_agua}
    documento.build(flowables, canvasmaker=_lienzo(datos), **(marca if datos.vista_previa else {}))
    salida = documento.filename
    return pdf_archivo(
        salida.getvalue(),
        titulo=f"Vista previa del dictamen de {datos.folio_solicitud}"
        if datos.vista_previa
        else f"Dictamen {datos.folio}",
        autor=datos.institucion[-1] if datos.institucion else "",
        asunto=datos.asunto,
        folio=datos.folio,
        palabras_clave=f"Dictamen técnico y estratégico de TIC; {datos.folio}; {datos.ente}",
        creado=datos.emitido_en,
        vista_previa=datos.vista_previa,
    )
