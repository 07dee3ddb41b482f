"""Outside verifiers: `manage.py dictamen_verificar`, and the integrator's guide's recipe for
pdfsig, run as the guide writes it (copied from docs/integracion/verificar.md, so the two cannot
drift). The pyHanko recipe's tests are in test_receta_pyhanko.py."""

import datetime
import io
import json
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from dictamenes.emision.documentos import informe
from dictamenes.emision.services import integridad
from dictamenes.emision.services import sellos_archivo as archivo
from dictamenes.models import Dictamen
from tests.backends.plugin import skip_backend
from tests.dictamenes.flujo_utils import credencial, en_firma, firmar
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

GUIA = Path(settings.BASE_DIR) / "docs" / "integracion" / "verificar.md"


dictamen_del_modulo = por_modulo(lambda: firmar(en_firma(areas=("computo",))))


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


@pytest.fixture
def sin_red(monkeypatch):
    """Any outgoing connection fails, and is recorded: the report is made offline."""
    intentos = []

    def conectar(self, direccion, *args):
        intentos.append(direccion)
        raise OSError("sin red en esta prueba")

    monkeypatch.setattr(socket.socket, "connect", conectar)
    monkeypatch.setattr(socket.socket, "connect_ex", conectar)
    return intentos


def verificar(tmp_path, datos: bytes, *opciones) -> tuple[int, str]:
    ruta = tmp_path / "dictamen.pdf"
    ruta.write_bytes(datos)
    salida = io.StringIO()
    try:
        call_command("dictamen_verificar", str(ruta), *opciones, stdout=salida)
    except SystemExit as salida_del_comando:
        return salida_del_comando.code, salida.getvalue()
    return 0, salida.getvalue()


def _fecha(momento) -> str:
    return f"{timezone.localtime(momento):%d/%m/%Y %H:%M:%S %Z}"


def test_el_informe_de_un_dictamen_recien_emitido(dictamen, tmp_path, sin_red):
    pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
    e = credencial()

    codigo, texto = verificar(tmp_path, pdf)

    assert codigo == 0
    for linea in [
        # Byte match: the stored dictamen, its folio and status.
        f"SHA-256: {dictamen.pdf_sha256}",
        f"Coincide con: el PDF del dictamen {dictamen.folio} tal como se guarda hoy",
        f"Folio: {dictamen.folio}",
        "Estado: Vigente",
        # The signature.
        "Campo: FirmaDictamen",
        "Íntegra (los bytes firmados no cambiaron): sí",
        "Cubre: todo el documento hasta la firma; después solo hay datos de validación y "
        "sellos de archivo",
        f"Firmante: {e.nombre}",
        f"RFC: {e.rfc}",
        f"Número de certificado: {e.numero}",
        # The chain, to the configured root.
        "De confianza: sí",
        "Raíz configurada a la que lleva: Common Name: AC de pruebas de Dictámenes TIC",
        f"Certificado válido desde: {_fecha(e.certificado.not_valid_before_utc)}",
        f"Certificado válido hasta: {_fecha(e.certificado.not_valid_after_utc)}",
        # The signature timestamp.
        "Sello íntegro y de confianza: sí",
        "Autoridad de sello de tiempo: Sello de tiempo de pruebas",
        # Long-term validation data.
        "Validada a largo plazo (PAdES B-LTA): sí",
        # The e.firma CA's and the TSA's own CA's.
        "Listas de revocación (CRL) en el DSS: 2",
        "Sellos de documento: 1",
        "Resultado AdES (pyHanko): AdESPassed.OK",
        # The seal of the cadena original stored for the folio.
        f"Cadena original: {dictamen.cadena_original}",
        "El sello corresponde a la cadena y al certificado: sí",
        "Es el certificado que firmó el PDF: sí",
        "RESULTADO: documento auténtico.",
    ]:
        assert linea in texto, linea
    hora = re.search(r"Hora: (.+)", texto).group(1)
    assert abs(
        datetime.datetime.strptime(hora[:19], "%d/%m/%Y %H:%M:%S")
        - timezone.localtime(dictamen.emitido_en).replace(tzinfo=None)
    ) < datetime.timedelta(minutes=1)
    tsa = x509.load_der_x509_certificate(
        (settings.DICTAMENES_EFIRMA_DEMO_DIR / "tsa-demo.cer").read_bytes()
    )
    vence = _fecha(tsa.not_valid_after_utc)
    assert f"Su certificado vence el: {vence}" in texto
    # The document timestamp: when, by which TSA, until when.
    assert f"de «Sello de tiempo de pruebas» (su certificado vence el {vence})" in texto
    assert not sin_red, f"el informe intentó conectarse a {sin_red}"


def test_un_byte_cambiado_en_el_contenido_da_1_y_dice_por_que(dictamen, tmp_path):
    pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
    alterado = bytearray(pdf)
    posicion = pdf.index(b"stream", pdf.index(b"/Contents")) + 40  # inside the first page
    assert posicion < pdf.index(b"/ByteRange")  # among the bytes the signature covers
    alterado[posicion] ^= 0x01

    codigo, texto = verificar(tmp_path, bytes(alterado))

    assert codigo == 1
    assert "Íntegra (los bytes firmados no cambiaron): no" in texto
    assert f"Firmante: {credencial().nombre}" in texto  # still says whose signature it was
    assert "RESULTADO: documento NO auténtico." in texto
    assert str(informe.FIRMA_ALTERADA) in texto
    assert str(informe.SIN_DICTAMEN) in texto


def test_un_pdf_que_no_esta_en_la_base_aun_informa_la_firma(dictamen, tmp_path, sin_red):
    pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
    Dictamen.objects.filter(pk=dictamen.pk).update(pdf_sha256="0" * 64)

    codigo, texto = verificar(tmp_path, pdf)

    assert codigo == 1
    assert f"Coincide con: {informe.SIN_DICTAMEN}" in texto
    assert "Folio:" not in texto and "Sello digital" not in texto
    for linea in [
        "Íntegra (los bytes firmados no cambiaron): sí",
        f"RFC: {credencial().rfc}",
        "De confianza: sí",
        "Autoridad de sello de tiempo: Sello de tiempo de pruebas",
        "Validada a largo plazo (PAdES B-LTA): sí",
    ]:
        assert linea in texto, linea
    assert texto.rstrip().endswith(f"- {informe.SIN_DICTAMEN}")
    assert not sin_red


def test_json_dice_lo_mismo(dictamen, tmp_path):
    codigo, texto = verificar(tmp_path, integridad.dictamen_pdf_leer(dictamen=dictamen), "--json")
    assert codigo == 0
    datos = json.loads(texto)
    assert datos["autentico"] is True and datos["motivos"] == []
    assert datos["archivo"]["folio"] == dictamen.folio
    assert datos["archivo"]["estado"] == "Vigente"
    assert datos["firma"]["rfc"] == credencial().rfc and datos["firma"]["integra"] is True
    assert datos["cadena"]["confiable"] is True
    assert datos["ltv"]["sellos_documento"] == len(datos["ltv"]["sellos_documento_horas"]) == 1
    assert datos["sello_digital"]["valido"] is True

    codigo, texto = verificar(tmp_path, b"no es un pdf", "--json")
    assert codigo == 1
    assert json.loads(texto)["motivos"] == [str(informe.NO_ES_PDF)]


def test_la_copia_de_antes_de_renovar_el_sello_de_archivo(dictamen, tmp_path):
    antes = integridad.dictamen_pdf_leer(dictamen=dictamen)
    assert archivo.sello_archivo_renovar(dictamen=dictamen)
    dictamen.refresh_from_db()

    codigo, texto = verificar(tmp_path, antes)
    assert codigo == 0
    assert f"una versión anterior del PDF del dictamen {dictamen.folio}" in texto

    codigo, texto = verificar(tmp_path, integridad.dictamen_pdf_leer(dictamen=dictamen))
    assert codigo == 0
    assert "tal como se guarda hoy" in texto
    assert "Sellos de documento: 2" in texto


def test_un_sello_digital_que_no_corresponde_da_1(dictamen, tmp_path):
    pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
    Dictamen.objects.filter(pk=dictamen.pk).update(cadena_original=dictamen.cadena_original + "x")
    codigo, texto = verificar(tmp_path, pdf)
    assert codigo == 1
    assert "El sello corresponde a la cadena y al certificado: no" in texto
    assert str(informe.SELLO_INVALIDO) in texto


# --- The guide's recipes ----------------------------------------------------------------------


def receta(nombre: str) -> str:
    """The code block of the guide between <!-- nombre --> and <!-- /nombre -->."""
    texto = GUIA.read_text(encoding="utf-8")
    bloque = texto.split(f"<!-- {nombre} -->", 1)[1].split(f"<!-- /{nombre} -->", 1)[0]
    return re.search(r"```\w*\n(.*?)```", bloque, re.S).group(1)


@pytest.fixture
def carpeta_con_dictamen(dictamen, tmp_path):
    """dictamen.pdf and ca.cer, as the guide names them, in an empty folder."""
    (tmp_path / "dictamen.pdf").write_bytes(integridad.dictamen_pdf_leer(dictamen=dictamen))
    shutil.copy(settings.DICTAMENES_EFIRMA_DEMO_DIR / "ca-demo.cer", tmp_path / "ca.cer")
    return tmp_path


def test_receta_de_pdfsig_de_la_guia(carpeta_con_dictamen):
    if not (shutil.which("pdfsig") and shutil.which("certutil")):
        skip_backend("faltan pdfsig (poppler-utils) o certutil (libnss3-tools)")
    salida = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", receta("receta-pdfsig")],
        cwd=carpeta_con_dictamen,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    esperado = receta("salida-pdfsig").splitlines()
    assert esperado
    # Each line the guide shows, in its signature's block.
    firma, sello = salida.split("Signature #2:")
    for linea in esperado[: esperado.index("Signature #2:")]:
        assert linea in firma, linea
    for linea in esperado[esperado.index("Signature #2:") + 1 :]:
        assert linea in sello, linea
