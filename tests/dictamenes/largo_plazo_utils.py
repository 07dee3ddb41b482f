"""Helpers of the proof-over-time tests (issue 19): an e.firma of the demo firmante with the
validity a test needs, the test CA's revocation list, what is stored, and poppler's pdfsig."""

import contextlib
import datetime
import io
import json
import shutil
import socket
import subprocess
from pathlib import Path

import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import dateformat, timezone

from demo import confianza_local, efirma_pruebas
from dictamenes.emision.documentos import efirma
from tests.backends.plugin import skip_backend
from tests.dictamenes.flujo_utils import usuario

CONTRASENA = "clave-de-largo-plazo"


def ahora() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def ca_de_prueba(carpeta: Path | None = None):
    carpeta = Path(carpeta or settings.DICTAMENES_EFIRMA_DEMO_DIR)
    return (
        x509.load_der_x509_certificate((carpeta / "ca-demo.cer").read_bytes()),
        serialization.load_pem_private_key((carpeta / "ca-demo.key").read_bytes(), None),
    )


def efirma_del_firmante(*, desde=None, hasta=None) -> efirma_pruebas.EfirmaDePrueba:
    """A new e.firma of the demo firmante (their RFC), from the test CA, naming the local CRL as
    SAT's certificates name SAT's: one a test may revoke without touching anybody else's."""
    firmante = usuario("firmante")
    rfc = firmante.perfil.rfc
    return efirma_pruebas.generar_efirma(
        ca=ca_de_prueba(),
        nombre=firmante.get_full_name().upper(),
        rfc=rfc,
        curp=efirma_pruebas.curp_de_prueba(rfc),
        contrasena=CONTRASENA,
        desde=desde,
        hasta=hasta,
        direccion_confianza=settings.DICTAMENES_CONFIANZA_LOCAL,
    )


def abrir(efirma_) -> efirma.Credencial:
    return efirma.credencial_cargar(p12=efirma_.p12, contrasena=CONTRASENA)


def archivos(efirma_) -> dict:
    """The e.firma as the firmante uploads it on the signing page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"p12": SimpleUploadedFile("efirma.p12", efirma_.p12), "contrasena": CONTRASENA}


def revocar(certificado, momento: datetime.datetime) -> None:
    confianza_local.revocar(settings.DICTAMENES_EFIRMA_DEMO_DIR, certificado, momento=momento)


def olvidar_revocaciones(certificados) -> None:
    """Take the test's certificates out of the CA's list again (the list lives for the run)."""
    ruta = Path(settings.DICTAMENES_EFIRMA_DEMO_DIR) / confianza_local.REVOCADOS
    if not ruta.exists():
        return
    revocados = json.loads(ruta.read_text())
    for certificado in certificados:
        revocados.pop(str(certificado.serial_number), None)
    ruta.write_text(json.dumps(revocados))


def fecha_revocacion(momento: datetime.datetime) -> str:
    """The date as efirma.ERROR_REVOCADO prints it."""
    return f"{timezone.localtime(momento):%d/%m/%Y %H:%M}"


def como_en_la_pagina(momento: datetime.datetime) -> str:
    """A time as the verification page prints it (d/m/Y H:i:s T, local time)."""
    return dateformat.format(timezone.localtime(momento), "d/m/Y H:i:s T")


def archivos_guardados() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def firma_regular(pdf: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    (firma,) = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_regular_signatures
    return firma


def pdfsig(pdf: bytes, carpeta: Path) -> str:
    """What poppler's pdfsig prints for `pdf`, with the test CA imported as trusted into a new
    NSS database, at the real time of the machine."""
    if not (shutil.which("pdfsig") and shutil.which("certutil")):
        skip_backend("faltan pdfsig (poppler-utils) o certutil (libnss3-tools)")
    archivo = carpeta / "dictamen.pdf"
    archivo.write_bytes(pdf)
    nss = carpeta / "nss"
    nss.mkdir()
    base = ["certutil", "-d", f"sql:{nss}"]
    subprocess.run([*base, "-N", "--empty-password"], check=True)
    ca = Path(settings.DICTAMENES_EFIRMA_DEMO_DIR) / "ca-demo.cer"
    subprocess.run([*base, "-A", "-n", "ac-pruebas", "-t", "CT,C,C", "-i", str(ca)], check=True)
    resultado = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(archivo)], capture_output=True, text=True
    )
    return resultado.stdout + resultado.stderr


@contextlib.contextmanager
def tsa_de_relevo(
    carpeta: Path,
    *,
    desde: datetime.datetime | None = None,
    hasta: datetime.datetime | None = None,
    nombre: str = "relevo",
    ca=None,
):
    """Another CA, valid from `desde` to `hasta`, trusted beside the test CAs, and its TSA on
    another loopback port, configured as the TSA while the block runs. With `ca` (certificate,
    key), that CA issues the TSA's certificate instead: the e.firma's, say, as the demo TSA's
    was before it had its own."""
    from django.test import override_settings

    carpeta = Path(carpeta) / nombre
    carpeta.mkdir()
    if ca is None:
        with time_machine.travel(desde + (hasta - desde) / 2):  # generar_ca: now ± 10 years
            ca, llave = efirma_pruebas.generar_ca("AC de relevo de pruebas")
        assert ca.not_valid_before_utc <= desde and hasta <= ca.not_valid_after_utc
    else:
        ca, llave = ca
    # The relay TSA's own CA, where confianza_local keeps the demo TSA's.
    (carpeta / confianza_local.CA_TSA_CER).write_bytes(ca.public_bytes(serialization.Encoding.DER))
    (carpeta / confianza_local.CA_TSA_KEY).write_bytes(
        llave.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with socket.socket() as libre:
        libre.bind(("127.0.0.1", 0))
        direccion = f"127.0.0.1:{libre.getsockname()[1]}"
    confianza_local.tsa_asegurar(carpeta, direccion)
    servidor = confianza_local.Servidor(carpeta, direccion).iniciar()
    try:
        with override_settings(
            DICTAMENES_TSA_RAICES=[
                *settings.DICTAMENES_TSA_RAICES,
                str(carpeta / confianza_local.CA_TSA_CER),
            ],
            DICTAMENES_TSA={**settings.DICTAMENES_TSA, "URL": confianza_local.url_tsa(direccion)},
            # Its revocation list stays a configured service after another TSA takes over.
            DICTAMENES_EFIRMA_SERVICIOS=[
                *settings.DICTAMENES_EFIRMA_SERVICIOS,
                f"http://{direccion}/",
            ],
        ):
            yield
    finally:
        servidor.detener()
