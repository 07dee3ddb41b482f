"""At signing, this server asks about the signer's certificate (its status, its issuer) only
configured services: the addresses a certificate names are the signer's to choose."""

import datetime
import http.server
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo import efirma_pruebas
from dictamenes.emision.documentos import consultas, efirma
from dictamenes.models import Dictamen
from tests.dictamenes.emision.test_emision import ca_demo
from tests.dictamenes.flujo_utils import en_firma, usuario
from tests.publico.test_verificar_sin_red import (  # noqa: F401 (escucha: a fixture)
    conexiones_esperar,
    escucha,
)

pytestmark = pytest.mark.django_db

CONTRASENA = "clave-del-firmante"


@pytest.fixture
def canario(escucha):  # noqa: F811 (the fixture imported above)
    """A loopback address that counts every connection made to it."""
    puerto, conexiones = escucha
    return f"127.0.0.1:{puerto}", conexiones


def efirma_que_nombra(direccion: str, *, ca) -> tuple[bytes, bytes]:
    """The firmante's RFC in a certificate of `ca` that names `direccion` as its OCSP
    responder, its issuer's certificate (AIA) and its CRL: (.cer, .key)."""
    ca_cert, ca_llave = ca
    llave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ahora = datetime.datetime.now(datetime.UTC)
    url = f"http://{direccion}/interno"
    sujeto = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "GABRIELA TAPIA"),
            x509.NameAttribute(
                efirma.OID_X500_UNIQUE_IDENTIFIER, "GATA750503SD1 / GATA750503MSRXXX09"
            ),
        ]
    )
    certificado = (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(ca_cert.subject)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - datetime.timedelta(days=1))
        .not_valid_after(ahora + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_llave.public_key()),
            critical=False,
        )
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(url)
                    ),
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(url),
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
        .sign(ca_llave, hashes.SHA256())
    )
    return (
        certificado.public_bytes(serialization.Encoding.DER),
        llave.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(CONTRASENA.encode()),
        ),
    )


@pytest.mark.parametrize(
    "ca",
    [ca_demo, lambda: efirma_pruebas.generar_ca("AC que nadie configuró")],
    ids=["ac-de-confianza", "ac-desconocida"],
)
def test_un_certificado_que_nombra_otra_direccion_no_hace_que_el_servidor_la_pida(
    demo, client, canario, ca
):
    """Signed by the trusted CA (its status asked of the canary) or by an unknown one (its
    issuer fetched from the canary): the page refuses in Spanish and says which address, and
    nothing connects to it."""
    direccion, conexiones = canario
    solicitud = en_firma()
    cer, key = efirma_que_nombra(direccion, ca=ca())
    client.force_login(usuario("firmante"))
    respuesta = client.post(
        reverse("solicitudes:firma", args=[solicitud.pk]),
        {
            "cer": SimpleUploadedFile("firmante.cer", cer),
            "key": SimpleUploadedFile("firmante.key", key),
            "contrasena": CONTRASENA,
        },
    )
    assert len(conexiones) == 0
    assert respuesta.status_code == 400
    mensaje = efirma.ERROR_SERVICIO_NO_CONFIGURADO % {"direcciones": f"http://{direccion}/interno"}
    assert mensaje in respuesta.content.decode()
    assert not Dictamen.objects.filter(solicitud=solicitud).exists()


def test_con_la_direccion_configurada_si_se_pregunta(demo, canario, settings):
    """The same certificate, with the canary's address configured: it is asked (and, being no
    OCSP responder, gives no answer): the allowlist is what kept it unasked above."""
    direccion, conexiones = canario
    settings.DICTAMENES_EFIRMA_SERVICIOS = [f"http://{direccion}/interno"]
    cer, key = efirma_que_nombra(direccion, ca=ca_demo())
    credencial = efirma.credencial_cargar(cer=cer, key=key, contrasena=CONTRASENA)
    with pytest.raises(ValidationError) as exc:
        efirma.credencial_verificar(
            credencial=credencial,
            rfc="GATA750503SD1",
            momento=datetime.datetime.now(datetime.UTC),
        )
    assert exc.value.code == "ocsp_no_responde"
    assert len(conexiones_esperar(conexiones)) >= 1


@pytest.fixture
def redirige_al_canario(canario):
    """A configured service that answers every request with a redirect to the canary."""
    direccion, _ = canario
    pedidas = []

    class Redirige(http.server.BaseHTTPRequestHandler):
        def _redirigir(self):
            pedidas.append(self.path)
            self.send_response(302)
            self.send_header("Location", f"http://{direccion}/interno")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = _redirigir

        def log_message(self, *args):
            pass

    servidor = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirige)
    threading.Thread(target=servidor.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{servidor.server_address[1]}", pedidas
    servidor.shutdown()
    servidor.server_close()


def test_un_servicio_configurado_no_lleva_a_otra_direccion(
    demo, canario, redirige_al_canario, settings
):
    """A configured service that redirects elsewhere is not followed there."""
    _, conexiones = canario
    configurado, pedidas = redirige_al_canario
    settings.DICTAMENES_EFIRMA_SERVICIOS = [f"http://{configurado}/"]
    cer, key = efirma_que_nombra(configurado, ca=ca_demo())
    credencial = efirma.credencial_cargar(cer=cer, key=key, contrasena=CONTRASENA)
    with pytest.raises(ValidationError) as exc:
        efirma.credencial_verificar(
            credencial=credencial,
            rfc="GATA750503SD1",
            momento=datetime.datetime.now(datetime.UTC),
        )
    assert len(pedidas) >= 1
    assert len(conexiones) == 0
    assert exc.value.code == "ocsp_no_responde"


PREFIJOS = ("https://cfdi.sat.gob.mx/edofiel", "http://127.0.0.1:8790/")


@pytest.mark.parametrize(
    ("url", "permitida"),
    [
        ("https://cfdi.sat.gob.mx/edofiel", True),
        ("https://CFDI.sat.gob.mx./edofiel/ocsp", True),
        ("https://cfdi.sat.gob.mx:443/edofiel", True),
        ("http://127.0.0.1:8790/crl", True),
        ("https://cfdi.sat.gob.mx/edofielx", False),
        ("https://cfdi.sat.gob.mx/otro", False),
        ("http://cfdi.sat.gob.mx/edofiel", False),
        ("https://cfdi.sat.gob.mx:8443/edofiel", False),
        ("https://cfdi.sat.gob.mx@169.254.169.254/edofiel", False),
        ("https://cfdi.sat.gob.mx/edofiel/../admin", False),
        ("https://cfdi.sat.gob.mx/edofiel/%2e%2e/admin", False),
        ("http://127.0.0.1:87901/crl", False),
        ("http://127.0.0.1/crl", False),
        ("ldap://127.0.0.1:8790/crl", False),
        ("file:///etc/passwd", False),
    ],
)
def test_que_direcciones_caben_bajo_un_prefijo(url, permitida):
    assert consultas.permitida(url, PREFIJOS) is permitida
