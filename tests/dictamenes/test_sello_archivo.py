"""The archival timestamp chain: before the last document timestamp's certificate runs out,
`sellos_archivo_renovar` adds the next one, and every copy handed out before still verifies."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from demo import confianza_local as servicios
from dictamenes.documentos import largo_plazo, sello_tiempo
from dictamenes.models import EventoAuditoria, PdfAnterior
from dictamenes.services import archivo, emision, integridad
from tests.dictamenes.flujo_utils import en_firma, firmar

pytestmark = pytest.mark.django_db

# The test TSA's certificate lasts as long as its own CA (twenty-five years from the session).
MAS_QUE_LA_TSA = servicios.ANIOS_CA_TSA * 366 + 30


@pytest.fixture
def dictamen(demo):
    return firmar(en_firma(areas=("computo",)))


def _sellos(pdf: bytes) -> list:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(pdf)).embedded_timestamp_signatures


def _renovar(*argumentos) -> str:
    salida = io.StringIO()
    call_command("sellos_archivo_renovar", *argumentos, stdout=salida)
    return salida.getvalue()


def test_un_sello_que_no_vence_pronto_no_se_toca(dictamen):
    antes = integridad.dictamen_pdf_leer(dictamen=dictamen)
    assert "0 dictamen(es) con sello de archivo nuevo; 1 al día" in _renovar()
    dictamen.refresh_from_db()
    assert integridad.dictamen_pdf_leer(dictamen=dictamen) == antes
    assert not PdfAnterior.objects.exists()


def test_renovar_anade_un_sello_de_documento_y_la_copia_anterior_sigue_verificando(dictamen):
    antes = integridad.dictamen_pdf_leer(dictamen=dictamen)
    vence = largo_plazo.vence_sello_archivo(antes)

    salida = _renovar("--dias", str(MAS_QUE_LA_TSA))

    assert f"renovado: {dictamen.folio}" in salida
    dictamen.refresh_from_db()
    despues = integridad.dictamen_pdf_leer(dictamen=dictamen)
    # Incremental: the former file is the first part of the new one, and nothing else moved.
    assert despues.startswith(antes) and len(despues) > len(antes)
    assert [s.field_name for s in _sellos(antes)] == ["SelloDeArchivo"]
    assert len(_sellos(despues)) == 2
    assert largo_plazo.vence_sello_archivo(despues) == vence  # same test TSA here
    assert dictamen.pdf_sha256 == hashlib.sha256(despues).hexdigest()

    for copia in (antes, despues):
        verificacion = emision.pdf_verificar(datos=copia)
        assert verificacion.dictamen == dictamen
        assert verificacion.autentico and verificacion.ltv
    assert PdfAnterior.objects.get().sha256 == hashlib.sha256(antes).hexdigest()
    evento = EventoAuditoria.objects.get(tipo="sello_archivo")
    assert evento.datos["pdf_sha256_anterior"] == hashlib.sha256(antes).hexdigest()
    assert evento.datos["pdf_sha256"] == dictamen.pdf_sha256


def test_con_la_tsa_caida_no_se_pierde_nada_y_el_comando_lo_dice(dictamen, confianza_local):
    antes = integridad.dictamen_pdf_leer(dictamen=dictamen)
    confianza_local.detener()
    try:
        with pytest.raises(CommandError, match=dictamen.folio):
            _renovar("--dias", str(MAS_QUE_LA_TSA))
        with pytest.raises(ValidationError) as error:
            archivo.sello_archivo_renovar(dictamen=dictamen)
    finally:
        confianza_local.iniciar()
    assert error.value.messages == [str(sello_tiempo.ERROR_TSA_RENOVAR)]
    dictamen.refresh_from_db()
    assert integridad.dictamen_pdf_leer(dictamen=dictamen) == antes
    assert not PdfAnterior.objects.exists()
    assert not EventoAuditoria.objects.filter(tipo="sello_archivo").exists()
