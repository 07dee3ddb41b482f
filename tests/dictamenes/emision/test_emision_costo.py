"""What issuing a dictamen stopped repeating, and that the document and its signature are the
same as before: the QR written with the operators reportlab's renderer wrote, the line
breaking kept between a table's wraps, the signing-certificate attribute encoded once."""

import dataclasses
import io
from datetime import date, datetime, timedelta, timezone

import pytest
import segno
from asn1crypto import cms
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from dictamenes.emision.documentos import efirma, pdf, qr
from tests.dictamenes.flujo_utils import credencial


def _qr_como_dibujo(url: str, lado: float) -> Drawing:
    """The QR as it was drawn before: a reportlab Drawing with one Rect per run of dark
    modules, rendered by reportlab's graphics renderer."""
    matriz = segno.make(url, error="m").matrix
    borde = 4
    modulo = lado / (len(matriz) + 2 * borde)
    dibujo = Drawing(lado, lado)
    for y, fila in enumerate(matriz):
        x = 0
        while x < len(fila):
            if not fila[x]:
                x += 1
                continue
            inicio = x
            while x < len(fila) and fila[x]:
                x += 1
            dibujo.add(
                Rect(
                    (borde + inicio) * modulo,
                    lado - (borde + y + 1) * modulo,
                    (x - inicio) * modulo,
                    modulo,
                    fillColor=colors.black,
                    strokeColor=None,
                    strokeWidth=0,
                )
            )
    return dibujo


def _operadores(flowable) -> str:
    """The page content the flowable writes, as the page stream joins it."""
    lienzo = canvas.Canvas(io.BytesIO(), invariant=1)
    lienzo.setFont("Helvetica", 9.5)
    assert flowable.wrapOn(lienzo, 500, 500) == (3.4 * cm, 3.4 * cm)
    flowable.drawOn(lienzo, 391.2283, 13)
    return "\n".join(lienzo._code)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/verificar/SGD/DGPDGT/DT/2026/0007/",
        "https://dictamenes.sonora.gob.mx/verificar/SGD/DGPDGT/DT/2027/12345/",
    ],
)
def test_el_qr_escribe_los_operadores_que_escribia_el_dibujo_de_reportlab(url):
    # All but the renderer's default font (Helvetica, set twice), which drew nothing and put
    # a font the archival PDF does not embed in its resources.
    fuente = "\nBT /F1 10 Tf 12 TL ET"
    dibujo = _operadores(_qr_como_dibujo(url, 3.4 * cm))
    assert dibujo.count(fuente) == 2
    assert _operadores(qr.Qr(url, 3.4 * cm)) == dibujo.replace(fuente, "")


def _datos(**cambios) -> pdf.DatosDictamen:
    partida = pdf.PartidaPdf(
        descripcion="Computadora de escritorio para ventanilla de atención al público",
        perfil="Cómputo · Equipo de escritorio",
        cantidad=12,
        importe="$216,000.00",
        resultado="Cumple",
    )
    opinion = pdf.OpinionPdf(
        area="Cómputo",
        opinion="Favorable",
        revisor="Persona Revisora",
        observaciones="Las especificaciones corresponden al estándar vigente. " * 3,
    )
    datos = pdf.DatosDictamen(
        folio="SGD/DGPDGT/DT/2026/0007",
        fecha=date(2026, 3, 9),
        emitido_en=datetime(2026, 3, 9, 10, 15, 30, tzinfo=timezone(timedelta(hours=-7))),
        lugar="Hermosillo, Sonora",
        institucion=("Gobierno del Estado de Sonora", "Subsecretaría de Gobierno Digital"),
        ente="Registro Civil",
        asunto="Renovación de equipo de las oficialías",
        tipo_operacion="Adquisición",
        folio_solicitud="SOL-2026-00001",
        monto="$1,000,000.00 MXN",
        edicion_estandares="versión 2025.1: Estándares técnicos",
        antecedentes=tuple(
            f"{dia} de marzo de 2026: paso {dia} del trámite de la solicitud SOL-2026-00001."
            for dia in range(1, 9)
        ),
        partidas=(partida,) * 3,
        opiniones=(opinion,) * 2,
        analisis="Procede; se alinea con el programa anual.",
        resultado="FAVORABLE CONDICIONADO",
        condiciones=(
            pdf.CondicionPdf(
                texto="Consolidar la compra con la Secretaría de Salud.", vence=date(2026, 4, 6)
            ),
        ),
        vigencia_hasta=date(2027, 3, 9),
        firmante_nombre="Persona Firmante",
        firmante_cargo="Subsecretaria",
        cadena_original="||SGD/DGPDGT/DT/2026/0007|2026-03-09T10:15:30-07:00|RC|"
        + "a" * 64
        + "|GATA750503SD1|30001000000000000001||",
        sello="c2VsbG8gZGlnaXRhbA==" * 17,
        certificado_numero="30001000000000000001",
        url_verificacion="https://dictamenes.sonora.gob.mx/verificar/SGD/DGPDGT/DT/2026/0007/",
    )
    return dataclasses.replace(datos, **cambios)


@pytest.mark.parametrize(
    "cambios",
    [
        {},
        {
            "rectifica": "SGD/DGPDGT/DT/2026/0003",
            "condiciones": (
                pdf.CondicionPdf(texto="Condición larga. " * 60, vence=date(2026, 4, 6)),
            ),
        },
        # Several pages: the items table splits and repeats its header.
        {"partidas": (_datos().partidas[0],) * 60, "antecedentes": _datos().antecedentes * 4},
    ],
)
def test_guardar_el_corte_de_lineas_entre_envolturas_da_el_mismo_pdf(monkeypatch, cambios):
    datos = _datos(**cambios)
    recordado = pdf.dictamen_pdf(datos)
    monkeypatch.setattr(pdf._Parrafo, "wrap", Paragraph.wrap)
    assert recordado == pdf.dictamen_pdf(datos)


@pytest.mark.django_db
def test_el_atributo_del_certificado_firmante_es_el_de_pyhanko_y_la_firma_valida(demo):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.general import (
        as_signing_certificate_v2,
        check_ess_certid,
        simple_cms_attribute,
    )

    from dictamenes.emision.services import comprobacion

    e = credencial()
    certificado = efirma._asn1(e.certificado)
    hecho_por_pyhanko = simple_cms_attribute(
        "signing_certificate_v2", as_signing_certificate_v2(certificado)
    ).dump()
    assert efirma._certificado_firmante_der(certificado.dump()) == hecho_por_pyhanko

    for _ in range(2):  # the second signature reads the attribute encoded by the first
        firmado = efirma.firmar_pdf(
            credencial=e, pdf=pdf.dictamen_pdf(_datos()), razon="Dictamen", lugar="Hermosillo"
        )
        firma = PdfFileReader(io.BytesIO(firmado)).embedded_regular_signatures[-1]
        atributos = {a["type"].native: a for a in firma.signer_info["signed_attrs"]}
        assert isinstance(atributos["signing_certificate_v2"], cms.CMSAttribute)
        assert atributos["signing_certificate_v2"].dump() == hecho_por_pyhanko
        (valor,) = atributos["signing_certificate_v2"]["values"]
        assert check_ess_certid(certificado, valor["certs"][0])
        verificacion = comprobacion.pdf_verificar(datos=firmado)
        assert verificacion.firma_integra and verificacion.firma_confiable
        assert verificacion.cubre_todo


@pytest.mark.django_db
def test_la_emision_lee_las_partidas_una_vez_y_el_aviso_dice_lo_que_aprobo_de_cada_una(demo):
    """The items with their decisions are read once at issuance: the sealed content and the
    PDF print them, and the agency's notice lists what the dictamen approved of each from the
    same rows. The notice says what a fresh read of the decisions says. And a history without
    requests for information does not read them for its antecedentes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dictamenes.avisos.services import _decisiones_detalle
    from dictamenes.models import Aviso
    from dictamenes.tramite.selectors.decisiones import decisiones_de_solicitud
    from tests.dictamenes.flujo_utils import en_firma, firmar

    solicitud = en_firma(areas=("computo", "redes"))
    ultimo = Aviso.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with CaptureQueriesContext(connection) as consultas:
        dictamen = firmar(solicitud)
    sql = [q["sql"] for q in consultas.captured_queries]
    partidas = [q for q in sql if 'FROM "dictamenes_partida"' in q and "motivorechazo" in q]
    assert len(partidas) == 1, partidas
    assert not [q for q in sql if 'FROM "dictamenes_peticioninformacion"' in q]
    aviso = Aviso.objects.filter(id__gt=ultimo, asunto__startswith="Dictamen ").get()
    leidas = decisiones_de_solicitud(solicitud=solicitud, resultado=dictamen.resultado)
    assert len(leidas.partidas) == solicitud.partidas.count() > 0
    for etiqueta, valor in _decisiones_detalle(leidas):
        assert f"{etiqueta}: {valor}" in " ".join(aviso.mensaje.split())
