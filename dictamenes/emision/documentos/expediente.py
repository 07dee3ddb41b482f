"""The whole expediente of a request as one ZIP, for auditors: the attachments, the signed
dictámenes, the evidence of their conditions, the requester's written declarations, the
timeline as JSON and as a PDF report, and a manifest of SHA-256 hashes.

Every stored file (attachment, evidence) is checked against the SHA-256 recorded when it was
uploaded before it goes in: a file changed in storage stops the export instead of travelling
as if it were the original."""

import hashlib
import io
import json
import zipfile
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from dictamenes.comun import archivos
from dictamenes.emision.documentos.declaraciones import declaraciones_por_partida
from dictamenes.models import EvidenciaCondicion


def hora_local(momento) -> str:
    """A moment as the pages show it, in the installation's time, with its zone said:
    «14/11/2026 09:30 (UTC-07:00, Hermosillo)». The report's font has no U+2212 minus."""
    local = timezone.localtime(momento)
    desfase = local.strftime("%z")  # "-0700"
    zona = settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ")
    return f"{local:%d/%m/%Y %H:%M} (UTC{desfase[0]}{desfase[1:3]}:{desfase[3:5]}, {zona})"


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


def _informe_pdf(solicitud, eventos) -> bytes:
    estilos = getSampleStyleSheet()
    salida = io.BytesIO()
    doc = SimpleDocTemplate(
        salida,
        pagesize=LETTER,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        title=f"Historial {solicitud.folio}",
        invariant=1,
    )
    contenido = [
        Paragraph(escape(f"Historial de la solicitud {solicitud.folio}"), estilos["Title"]),
        Paragraph(escape(f"{solicitud.titulo} · {solicitud.ente}"), estilos["Normal"]),
        Spacer(1, 12),
    ]
    for e in eventos:
        texto = (
            f"<b>#{e['numero']} · {escape(e['hora_local'])}</b> · "
            f"{escape(e['descripcion'])} · {escape(e['usuario'])}"
        )
        if e["motivo"]:
            texto += f"<br/><i>{escape(e['motivo'])}</i>"
        if condiciones := (e["datos"] or {}).get("condiciones"):
            texto += f"<br/>Condiciones: {escape(_condiciones(condiciones))}"
        texto += f"<br/><font size=6 face=Courier>{e['hash']}</font>"
        contenido += [Paragraph(texto, estilos["Normal"]), Spacer(1, 6)]
    doc.build(contenido)
    return salida.getvalue()


def _ruta_segura(nombre: str) -> str:
    return nombre.replace("/", "-").replace("\\", "-")


def _condiciones(valor) -> str:
    """A decision's conditions (its text) or the tracked ones (a list: number, text, area)."""
    if isinstance(valor, str):
        return valor
    return "; ".join(
        f"{c.get('numero')}. {c.get('texto')}" + (f" ({c['area']})" if c.get("area") else "")
        for c in valor
    )


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
