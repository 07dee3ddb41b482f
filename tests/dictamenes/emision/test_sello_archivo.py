"""The archival timestamp chain: before the last document timestamp's certificate runs out,
`sellos_archivo_renovar` adds the next one, and every copy handed out before still verifies."""

import hashlib
import io
import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from demo import confianza_local as servicios
from dictamenes.emision.documentos import largo_plazo, sello_tiempo
from dictamenes.emision.services import comprobacion, integridad
from dictamenes.emision.services import sellos_archivo as archivo
from dictamenes.models import EventoAuditoria, PdfAnterior
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


def test_la_corrida_semanal_no_lee_el_pdf_de_un_dictamen_al_dia(dictamen, monkeypatch):
    """Its expiry is kept on the dictamen: the weekly run does not read ~72,000 PDFs from the
    storage to learn that they are not due; one without the date is read (and gets it)."""
    leidos = []
    leer = integridad.dictamen_pdf_leer
    monkeypatch.setattr(
        integridad, "dictamen_pdf_leer", lambda **k: leidos.append(k["dictamen"].pk) or leer(**k)
    )
    assert "1 al día" in _renovar()
    assert leidos == []
    vence = dictamen.sello_archivo_vence
    type(dictamen).objects.filter(pk=dictamen.pk).update(sello_archivo_vence=None)
    assert "1 al día" in _renovar()
    assert leidos == [dictamen.pk]
    dictamen.refresh_from_db()
    assert dictamen.sello_archivo_vence == vence


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
        verificacion = comprobacion.pdf_verificar(datos=copia)
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


def test_una_renovacion_interrumpida_continua_y_no_renueva_dos_veces_el_mismo(
    dictamen, monkeypatch
):
    """Three dictámenes to renew (the test TSA's certificate runs out within --dias, so a
    renewal leaves each one still due). The run stops on the second (Ctrl-C, a restart); the
    next run continues that one: it skips the dictamen already renewed and renews the other
    two. Each dictamen gets exactly one new archival timestamp."""
    otros = [firmar(en_firma(areas=("computo",))) for _ in range(2)]
    dictamenes = [dictamen, *otros]
    renovar = archivo.sello_archivo_renovar
    llamadas = []

    def cortar_en_el_segundo(*, dictamen):
        llamadas.append(dictamen.folio)
        if len(llamadas) == 2:
            raise KeyboardInterrupt
        return renovar(dictamen=dictamen)

    monkeypatch.setattr(archivo, "sello_archivo_renovar", cortar_en_el_segundo)
    primera = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("sellos_archivo_renovar", "--dias", str(MAS_QUE_LA_TSA), stdout=primera)
    lineas = primera.getvalue().splitlines()
    assert _sin_tiempos(lineas) == [
        "Sellos de archivo · dictámenes: 1 de 3 (33.3 %), …; "
        "renovados 1, omitidos 0, sin renovar 0",
        "Sellos de archivo: renovados 1, omitidos 0, sin renovar 0 en …. INTERRUMPIDO. "
        "Corra de nuevo el comando: continúa donde se quedó.",
    ]

    monkeypatch.setattr(archivo, "sello_archivo_renovar", renovar)
    segunda = _renovar("--dias", str(MAS_QUE_LA_TSA)).splitlines()
    assert _sin_tiempos(segunda[:4]) == [
        "Sellos de archivo · dictámenes: 1 de 3 (33.3 %), …; "
        "renovados 0, omitidos 1, sin renovar 0",
        "Sellos de archivo · dictámenes: 2 de 3 (66.7 %), …; "
        "renovados 1, omitidos 1, sin renovar 0",
        "Sellos de archivo · dictámenes: 3 de 3 (100.0 %), …; "
        "renovados 2, omitidos 1, sin renovar 0",
        "Sellos de archivo: renovados 2, omitidos 1, sin renovar 0 en ….",
    ]
    assert segunda[4].startswith("Continuó la corrida interrumpida del ")
    assert segunda[4].endswith(": 1 dictamen(es) ya renovados en ella se omitieron.")
    assert segunda[5] == "2 dictamen(es) con sello de archivo nuevo; 0 al día; 0 sin renovar."
    assert segunda[6:] == [f"  renovado: {d.folio}" for d in otros]

    eventos = Counter(
        EventoAuditoria.objects.filter(tipo="sello_archivo").values_list(
            "datos__dictamen", flat=True
        )
    )
    assert eventos == {d.pk: 1 for d in dictamenes}
    assert Counter(PdfAnterior.objects.values_list("dictamen_id", flat=True)) == eventos
    for d in dictamenes:
        d.refresh_from_db()
        assert len(_sellos(integridad.dictamen_pdf_leer(dictamen=d))) == 2
    corridas = EventoAuditoria.objects.filter(tipo__startswith="sellos_archivo_corrida")
    assert [e.tipo for e in corridas.order_by("numero")] == [
        archivo.CORRIDA_INICIO,
        archivo.CORRIDA_FIN,
    ]


def _sin_tiempos(lineas: list[str]) -> list[str]:
    """The lines without the rate, the time left and the time taken, which vary by machine."""
    sin_ritmo = (re.sub(r"\), .+; ", "), …; ", linea) for linea in lineas)
    return [re.sub(r" en \d[^()]* \([^)]*\)", " en …", linea) for linea in sin_ritmo]


def test_cuando_vence_la_cadena_del_ultimo_sello_de_un_dictamen_guardado(dictamen):
    """What the operator's page asks of a stored dictamen (issue 49, 6): when the chain of its
    last archival timestamp ends. In the demo, the TSA's certificate ends with its own CA."""
    from cryptography import x509
    from django.conf import settings

    ca_tsa = x509.load_der_x509_certificate(
        (settings.DICTAMENES_EFIRMA_DEMO_DIR / servicios.CA_TSA_CER).read_bytes()
    )
    assert archivo.sello_archivo_vence(dictamen=dictamen) == ca_tsa.not_valid_after_utc


def test_la_cadena_vence_con_la_ac_que_termina_antes_que_el_certificado_de_la_tsa():
    """A TSA certificate that outlives its CA is good only as long as the CA: the chain ends at
    the earliest. The issuer is the CA whose key signed it, not another CA of the same name."""
    import datetime

    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    from demo.autoridades import generar_ca, llave_nueva

    ca, llave_ca = generar_ca("AC de la TSA", anios=5)
    homonima, _ = generar_ca("AC de la TSA", anios=1)
    llave = llave_nueva()
    ahora = datetime.datetime.now(datetime.UTC)
    tsa = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA")]))
        .issuer_name(ca.subject)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - datetime.timedelta(days=1))
        .not_valid_after(ahora + datetime.timedelta(days=365 * 20))
        .sign(llave_ca, hashes.SHA256())
    )
    asn1 = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in (tsa, homonima, ca)
    ]
    cadena = largo_plazo.cadena_hacia_arriba(asn1[0], asn1[1:])
    assert cadena == [asn1[0], asn1[2]]
    assert largo_plazo.fin_de_cadena(asn1[0], asn1[1:]) == ca.not_valid_after_utc
