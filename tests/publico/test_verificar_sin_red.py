"""Anyone may upload a PDF to /verificar/: nothing in it makes this server fetch anything."""

import datetime
import io
import socket
import threading
import time

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dictamenes.emision.documentos.pdf import dictamen_pdf
from tests.dictamenes.emision.test_pdf_dictamen import datos_de_prueba

pytestmark = pytest.mark.django_db


@pytest.fixture
def escucha():
    """A loopback port that counts who connects to it."""
    servidor = socket.socket()
    servidor.bind(("127.0.0.1", 0))
    servidor.listen()
    conexiones = []

    def aceptar():
        while True:
            try:
                conexion, _ = servidor.accept()
            except OSError:
                return
            conexiones.append(conexion)
            conexion.close()

    threading.Thread(target=aceptar, daemon=True).start()
    yield servidor.getsockname()[1], conexiones
    servidor.close()


def conexiones_esperar(conexiones: list, segundos: float = 10) -> list:
    """The connections counted, once there is one or `segundos` have passed: the kernel
    completes a connection before the thread above accepts it, so a client may be done (and
    a test at its assertion) before the count sees it."""
    limite = time.monotonic() + segundos
    while not conexiones and time.monotonic() < limite:
        time.sleep(0.01)
    return conexiones


def _pdf_con_direcciones(puerto: int) -> bytes:
    """A PDF signed by a certificate of nobody's CA that names, as where to fetch its issuer
    and its revocation list, a port of this machine."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    llave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ahora = datetime.datetime.now(datetime.UTC)
    url = f"http://127.0.0.1:{puerto}/interno"
    certificado = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Falsificador")]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AC inventada")]))
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - datetime.timedelta(days=1))
        .not_valid_after(ahora + datetime.timedelta(days=30))
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(url),
                    ),
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(url)
                    ),
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(url)], None, None, None)]
            ),
            critical=False,
        )
        .sign(llave, hashes.SHA256())
    )
    firmante = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            certificado.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            llave.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=None,
    )
    salida = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(dictamen_pdf(datos_de_prueba()))),
        signers.PdfSignatureMetadata(
            field_name="Firma", name="Falsificador", subfilter=fields.SigSeedSubFilter.PADES
        ),
        signer=firmante,
    )
    return salida.getvalue()


def test_un_pdf_que_nombra_direcciones_internas_no_hace_que_el_servidor_las_pida(client, escucha):
    puerto, conexiones = escucha
    respuesta = client.post(
        reverse("verificar"), {"pdf": SimpleUploadedFile("d.pdf", _pdf_con_direcciones(puerto))}
    )
    assert respuesta.status_code == 200
    assert "Documento NO auténtico." in respuesta.content.decode()
    assert conexiones == []
