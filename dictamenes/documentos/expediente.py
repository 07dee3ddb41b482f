"""The whole expediente of a request as one ZIP, for auditors: the attachments, the signed
dictámenes, the timeline as JSON and as a PDF report, and a manifest of SHA-256 hashes."""

import hashlib
import io
import json
import zipfile
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from dictamenes.documentos import archivos


def _eventos(solicitud) -> list[dict]:
    return [
        {
            "numero": e.numero,
            "ocurrido_en": e.ocurrido_en.isoformat(),
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
            f"<b>#{e['numero']} · {escape(e['ocurrido_en'][:19].replace('T', ' '))}</b> · "
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
