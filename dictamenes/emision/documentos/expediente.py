"""The whole expediente of a request as one ZIP, for auditors: the attachments, the signed
dictámenes, the evidence of their conditions, the requester's written declarations, the
timeline as JSON and as a PDF report, and a manifest of SHA-256 hashes. The same history PDF
is also downloaded alone from the request page (historial_pdf).

Every stored file (attachment, evidence) is checked against the SHA-256 recorded when it was
uploaded before it goes in: a file changed in storage stops the export instead of travelling
as if it were the original."""

import hashlib
import io
import json
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dictamenes.comun import archivos
from dictamenes.comun.fechas import zona_local
from dictamenes.emision.documentos import fuentes
from dictamenes.emision.documentos.declaraciones import declaraciones_por_partida
from dictamenes.emision.documentos.membrete import membrete_dibujar
from dictamenes.models import EvidenciaCondicion
from dictamenes.organizacion.selectors.textos import membrete_imagen_leer, textos_vigentes
from dictamenes.precios.selectors.base import base_precio_texto
from dictamenes.tramite.selectors import decisiones, historial


def hora_local(momento) -> str:
    """A moment as the pages show it, in the installation's time, with its zone said:
    «14/11/2026 09:30 (UTC-07:00, America/Hermosillo)»."""
    return f"{timezone.localtime(momento):%d/%m/%Y %H:%M} ({zona_local(momento)})"


def _eventos(solicitud) -> list[dict]:
    return [
        {
            "numero": e.numero,
            "ocurrido_en": e.ocurrido_en.isoformat(),
            "hora_local": hora_local(e.ocurrido_en),
            "tipo": e.tipo,
            "descripcion": e.descripcion,
            "motivo": e.motivo,
            "usuario": e.usuario.get_full_name() if e.usuario else "Sistema",
            "datos": e.datos,
            "hash": e.hash,
            "anterior_hash": e.anterior_hash,
        }
        for e in solicitud.eventos.select_related("usuario").order_by("numero")
    ]


# The report's numbering, said once on its first page: events are numbered per request, and
# the number each has in the system's audit chain (shared by every request) comes beside it.
NUMERACION = (
    "Los eventos se numeran del 1 en adelante en esta solicitud. Entre paréntesis va su número "
    "en la cadena de auditoría del sistema, que comparte con los eventos de las demás "
    "solicitudes (por eso esos números saltan); la huella SHA-256 de cada evento encadena con "
    "la del anterior de la cadena, y historial.json trae ambas para comprobarlo."
)


def _pesos(valor) -> str:
    return f"${Decimal(valor):,.2f}"


def _decision_de_partida(d: dict) -> str:
    """One item's decision as the decision's event recorded it (decisiones_guardar)."""
    texto = f"Partida «{d.get('descripcion')}»: {d.get('decision')}"
    if d.get("resultado") == "reducida":
        texto += (
            f" ({d.get('cantidad_aprobada')} de {d.get('cantidad_solicitada')}; "
            f"{_pesos(d.get('monto_aprobado'))} de {_pesos(d.get('monto_solicitado'))})"
        )
    if d.get("motivo_nombre"):
        texto += f" · {d['motivo_nombre']}"
    if d.get("texto"):
        texto += f". {d['texto']}"
    if base := base_precio_texto(d.get("precio")):
        texto += f". {base}"
    return texto


def _membrete(textos, *, generado: str):
    lineas = textos.membrete_lineas
    imagen = membrete_imagen_leer(textos)

    def dibujar(lienzo, documento):
        lienzo.saveState()
        membrete_dibujar(
            lienzo,
            lineas=lineas,
            imagen=imagen,
            derecha=documento.title,
            pie=f"{generado} generado el {hora_local(timezone.now())}",
            pagina=f"Página {documento.page}",
        )
        lienzo.restoreState()

    return dibujar


def _cantidad_y_monto(cantidad, monto) -> str:
    # As the request page says it: «1 por $10,000.00».
    return f"{cantidad} por {_pesos(monto)}"


def _lo_aprobado(solicitud, estilo, titulo) -> list:
    """What the dictamen in force decided of each item and the approved total, before the
    events (the same reading as the request page: tramite.selectors.decisiones)."""
    contenido = [Paragraph("Lo que aprobó el dictamen en vigor", titulo)]
    dictamen = decisiones.dictamen_en_vigor(solicitud=solicitud)
    if dictamen is None:
        texto = "La solicitud no tiene dictamen en vigor: no hay nada aprobado."
        return [*contenido, Paragraph(texto, estilo), Spacer(1, 12)]
    leidas = decisiones.decisiones_de_solicitud(solicitud=solicitud, resultado=dictamen.resultado)
    encabezado = f"Dictamen {dictamen.folio}: {dictamen.get_resultado_display()}."
    if leidas is None:
        texto = (
            f"{encabezado} Monto solicitado: {_pesos(solicitud.monto_estimado)}. La solicitud "
            "no tiene partidas (histórico importado): no hay decisiones por partida."
        )
        return [*contenido, Paragraph(escape(texto), estilo), Spacer(1, 12)]
    celda = ParagraphStyle("c", parent=estilo, fontSize=8, leading=10)

    def p(texto: str) -> Paragraph:
        return Paragraph(escape(texto), celda)

    filas = [
        [
            p(t)
            for t in ("Partida", "Solicitado", "Decisión", "Aprobado", "Motivo y base del precio")
        ],
        *(
            [
                p(d.partida.descripcion),
                p(_cantidad_y_monto(d.partida.cantidad, d.partida.importe)),
                p(d.etiqueta),
                p(_cantidad_y_monto(d.cantidad_aprobada, d.monto_aprobado)),
                p(" ".join(filter(None, [d.razon, d.base_texto]))),
            ]
            for d in leidas.partidas
        ),
        [
            p("Total"),
            p(_pesos(leidas.total_solicitado)),
            p(""),
            p(_pesos(leidas.total_aprobado)),
            p(f"Ahorro: {_pesos(leidas.ahorro)}"),
        ],
    ]
    tabla = Table(filas, colWidths=[4.4 * cm, 2.9 * cm, 3 * cm, 2.9 * cm, 4.3 * cm], repeatRows=1)
    tabla.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f4f4f4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    resumen = (
        f"{encabezado} Aprobó {_pesos(leidas.total_aprobado)} de los "
        f"{_pesos(leidas.total_solicitado)} solicitados en sus partidas."
    )
    return [*contenido, Paragraph(escape(resumen), estilo), Spacer(1, 6), tabla, Spacer(1, 12)]


def historial_pdf(solicitud) -> bytes:
    """The history PDF alone, as the request page downloads it."""
    return _informe_pdf(solicitud, _eventos(solicitud), generado="Historial")


def _informe_pdf(solicitud, eventos, *, generado: str = "Expediente") -> bytes:
    """The history as a report on the institution's letterhead: what the dictamen in force
    approved, then each event numbered in the request, with its chain number, its reason,
    its conditions and decisions per item in words, and its hash."""
    fuentes.registrar()
    estilos = getSampleStyleSheet()
    normal = ParagraphStyle("h", parent=estilos["Normal"], fontName=fuentes.NORMAL)
    titulo = ParagraphStyle("ht", parent=estilos["Title"], fontName=fuentes.NEGRITA)
    subtitulo = ParagraphStyle("hs", parent=estilos["Heading2"], fontName=fuentes.NEGRITA)
    salida = io.BytesIO()
    doc = SimpleDocTemplate(
        salida,
        pagesize=LETTER,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=3.2 * cm,
        bottomMargin=2 * cm,
        title=f"Historial {solicitud.folio}",
        invariant=1,
    )
    contenido = [
        Paragraph(escape(f"Historial de la solicitud {solicitud.folio}"), titulo),
        Paragraph(escape(f"{solicitud.titulo} · {solicitud.ente}"), normal),
        Spacer(1, 6),
        *_lo_aprobado(solicitud, normal, subtitulo),
        Paragraph("Eventos", subtitulo),
        Paragraph(escape(NUMERACION), normal),
        Spacer(1, 12),
    ]
    areas = historial.nombres_de_areas()
    for orden, e in enumerate(eventos, start=1):
        texto = (
            f"<b>{orden}. {escape(e['hora_local'])}</b> (n.º {e['numero']} de la cadena) · "
            f"{escape(e['descripcion'])} · {escape(e['usuario'])}"
        )
        if e["motivo"]:
            texto += f"<br/><i>{escape(e['motivo'])}</i>"
        datos = e["datos"] if isinstance(e["datos"], dict) else {}
        if condiciones := datos.get("condiciones"):
            legibles = historial.condiciones_legibles(condiciones, areas)
            texto += "<br/>Condiciones: " + escape(legibles).replace("\n", "<br/>")
        for decision in datos.get("partidas") or ():
            if isinstance(decision, dict):
                texto += "<br/>" + escape(_decision_de_partida(decision))
        for r in datos.get("recibido") or ():
            if isinstance(r, dict):
                texto += "<br/>" + escape(
                    f"Recibido de «{r.get('descripcion', '')}»: {r.get('cantidad')} de "
                    f"{r.get('aprobada')} aprobadas"
                )
        texto += f"<br/><font size=6 face={fuentes.MONO}>{e['hash']}</font>"
        contenido += [Paragraph(texto, normal), Spacer(1, 6)]
    membrete = _membrete(textos_vigentes(), generado=generado)
    doc.build(contenido, onFirstPage=membrete, onLaterPages=membrete)
    return salida.getvalue()


def _ruta_segura(nombre: str) -> str:
    return nombre.replace("/", "-").replace("\\", "-")


def _evidencias(solicitud) -> dict[str, bytes]:
    """Every evidence file of the conditions of the request's dictámenes, accepted, rejected
    or waiting: condiciones/<dictamen>/<number>/<evidence id>-<name>."""
    contenido = {}
    for evidencia in (
        EvidenciaCondicion.objects.filter(condicion__dictamen__solicitud=solicitud)
        .select_related("condicion__dictamen")
        .order_by("condicion__dictamen__emitido_en", "condicion__numero", "subida_en", "pk")
    ):
        with evidencia.archivo.open("rb") as f:
            datos = f.read()
        if archivos.sha256_de(io.BytesIO(datos)) != evidencia.sha256:
            raise ValueError(f"La evidencia {evidencia.pk} no coincide con su SHA-256")
        condicion = evidencia.condicion
        ruta = (
            f"condiciones/{_ruta_segura(condicion.dictamen.folio)}/{condicion.numero}/"
            f"{evidencia.pk:06d}-{_ruta_segura(evidencia.nombre)}"
        )
        contenido[ruta] = datos
    return contenido


def _declaraciones(solicitud) -> bytes:
    """What the requester declared in writing, item by item (the engine only notes that a
    declaration was made; its text is here, as the PDF prints it)."""
    partidas = list(solicitud.partidas.order_by("pk"))
    por_partida = declaraciones_por_partida(partidas)
    return json.dumps(
        {
            "solicitud": solicitud.folio,
            "partidas": [
                {
                    "numero": numero,
                    "partida": partida.pk,
                    "descripcion": partida.descripcion,
                    "declaraciones": [
                        {"requisito": requisito, "texto": texto}
                        for requisito, texto in por_partida[partida.pk]
                    ],
                }
                for numero, partida in enumerate(partidas, start=1)
            ],
        },
        ensure_ascii=False,
        indent=2,
    ).encode("utf-8")


def expediente_zip(solicitud) -> bytes:
    archivos_zip: dict[str, bytes] = {}
    for anexo in solicitud.anexos.order_by("subido_en", "pk"):
        with anexo.archivo.open("rb") as f:
            datos = f.read()
        if archivos.sha256_de(io.BytesIO(datos)) != anexo.sha256:
            raise ValueError(f"El anexo {anexo.pk} no coincide con su SHA-256")
        archivos_zip[f"anexos/{anexo.pk:06d}-{anexo.tipo}-{_ruta_segura(anexo.nombre)}"] = datos
    for dictamen in solicitud.dictamenes.order_by("emitido_en"):
        with dictamen.pdf.open("rb") as f:
            archivos_zip[f"dictamenes/{_ruta_segura(dictamen.folio)}.pdf"] = f.read()
    archivos_zip.update(_evidencias(solicitud))
    archivos_zip["declaraciones.json"] = _declaraciones(solicitud)
    eventos = _eventos(solicitud)
    archivos_zip["historial.json"] = json.dumps(
        {"solicitud": solicitud.folio, "eventos": eventos},
        ensure_ascii=False,
        indent=2,
        default=str,
    ).encode("utf-8")
    archivos_zip["historial.pdf"] = _informe_pdf(solicitud, eventos)
    manifiesto = "".join(
        f"{hashlib.sha256(datos).hexdigest()}  {ruta}\n"
        for ruta, datos in sorted(archivos_zip.items())
    )
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for ruta, datos in sorted(archivos_zip.items()):
            zf.writestr(ruta, datos)
        zf.writestr("MANIFIESTO.sha256", manifiesto)
        zf.comment = f"Expediente {solicitud.folio} · {timezone.now().isoformat()}".encode()
    return salida.getvalue()
