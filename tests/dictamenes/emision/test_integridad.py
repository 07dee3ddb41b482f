"""Stored files are handed out only while they match their SHA-256, and an uploaded PDF far
too big to be a dictamen is refused before it is read (dictamenes.emision.services.integridad)."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dictamenes.comun import archivos
from dictamenes.emision.services import integridad
from dictamenes.tramite.services import etapas
from tests.dictamenes.flujo_utils import (
    PDF_MINIMO,
    admitida,
    decisiones_todas,
    firmar,
    presentada,
    revisar,
    usuario,
)

pytestmark = pytest.mark.django_db


def _emitido():
    """A dictamen signed by the firmante, after the review and the strategic decision."""
    solicitud = admitida()
    revisar(solicitud, "computo")
    etapas.solicitud_decidir(
        solicitud=solicitud,
        usuario=usuario("estrategico"),
        partidas=decisiones_todas(solicitud),
        motivos="Sí procede la compra.",
    )
    solicitud.refresh_from_db()
    return firmar(solicitud)


def _alterar(campo) -> None:
    """Someone with access to the storage changes the file behind the application's back."""
    with open(campo.path, "r+b") as f:
        f.seek(-2, 2)
        f.write(b"XX")


def test_el_anexo_intacto_se_entrega_byte_por_byte(demo):
    anexo = presentada().anexos.get()
    with archivos.anexo_leer(anexo=anexo) as archivo:
        assert archivo.read() == PDF_MINIMO


def test_el_anexo_alterado_en_el_almacenamiento_no_se_entrega(demo):
    anexo = presentada().anexos.get()
    _alterar(anexo.archivo)
    with pytest.raises(archivos.ArchivoAlterado) as exc:
        archivos.anexo_leer(anexo=anexo)
    assert exc.value.messages == [str(archivos.ERROR_ANEXO_ALTERADO)]


def test_el_pdf_del_dictamen_se_descarga_con_su_nombre_y_sus_bytes(demo):
    dictamen = _emitido()
    pdf = integridad.dictamen_pdf_descargar(dictamen=dictamen)
    assert pdf.url == ""
    assert hashlib.sha256(pdf.contenido).hexdigest() == dictamen.pdf_sha256
    nombre = "dictamen-" + dictamen.folio.replace("/", "-") + ".pdf"
    assert pdf.disposicion == f'attachment; filename="{nombre}"'


def test_el_pdf_alterado_del_dictamen_no_se_entrega(demo, como):
    dictamen = _emitido()
    _alterar(dictamen.pdf)
    with pytest.raises(integridad.ArchivoAlterado):
        integridad.dictamen_pdf_leer(dictamen=dictamen)
    cliente = como("auditor")
    cliente.raise_request_exception = False
    url = reverse("solicitudes:dictamen_pdf", args=[dictamen.solicitud_id, dictamen.pk])
    respuesta = cliente.get(url)
    assert respuesta.status_code == 500
    assert b"%PDF" not in respuesta.content


class _Enorme:
    """An upload that declares a size over the limit; reading it would be a failure."""

    size = integridad.PDF_VERIFICAR_MAXIMO + 1

    def read(self, *args):
        raise AssertionError("se leyó un archivo que debía rechazarse por su tamaño")


def test_el_pdf_subido_demasiado_grande_se_rechaza_sin_leerlo(db):
    with pytest.raises(ValidationError) as exc:
        integridad.pdf_subido_verificar(archivo=_Enorme())
    assert exc.value.code == "tamano"
    assert exc.value.messages == [str(integridad.ERROR_PDF_GRANDE)]


def test_el_pdf_subido_de_un_dictamen_emitido_resulta_autentico(demo):
    dictamen = _emitido()
    subido = SimpleUploadedFile("d.pdf", integridad.dictamen_pdf_leer(dictamen=dictamen))
    verificacion = integridad.pdf_subido_verificar(archivo=subido)
    assert verificacion.dictamen == dictamen
    assert verificacion.autentico
