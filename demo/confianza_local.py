"""The demo's and the tests' trust services for the test CA: an RFC 3161 timestamping
authority and the CA's certificate revocation list (CRL), served over HTTP on loopback.
Never used in production, where the TSA is the one DJANGO_TSA_URL names and revocation
data is the CA's own (SAT's).

The protocol work is certomancer's (`certomancer.services`: TimeStamper, CRLBuilder),
the same services pyHanko's own test suite runs with `certomancer animate`; here they answer
for the CA that `efirma_pruebas.demo_asegurar` writes, so the demo's e.firma keeps its shape
(SAT's x500UniqueIdentifier) instead of certomancer's configured PKI. Werkzeug serves them.

- POST /tsa: a timestamp token signed by the TSA's certificate, which the TSA's own CA issues
  (`ca-tsa-demo.cer`), as a real timestamping provider's is: never the e.firma's CA. Sharing
  it, a renewal of the archival timestamp fetched a new CRL of that CA for the TSA, which also
  answers for the signer's long-expired certificate, and pyHanko's time slide then found no
  proof of existence for the signature (NO_POE).
- GET /crl: the e.firma CA's CRL, signed by the CA, valid for a day. A certificate is revoked
  by `revocar()`, which writes `revocados.json` beside the CA. Certificates name it in their
  CRL distribution point, so pyHanko fetches and embeds it when signing (PAdES B-LT).
- GET /crl-tsa: the TSA CA's CRL, which the TSA's certificate names, valid until that CA
  ends. The last document timestamp of a PDF is judged at the time of reading, and pyHanko's
  default policy (revocation data for timestamp certificates too, fresh between thisUpdate
  and nextUpdate) then needs a list that is still current: one valid for a day made every
  dictamen unverifiable offline the day after it was signed (NO_POE). The TSA's CA signs one
  certificate and revokes nothing, so it promises its list until it ends, and the list that
  the PDF carries from signing settles the last timestamp for as long as its certificate lasts.

A CRL rather than OCSP: NSS, under poppler's pdfsig, fetches OCSP by itself when a
certificate names a responder, and pdfsig 22.12 then reports a trusted certificate as "Unknown
issue" (it reads NSS's last error code even after a successful check); a CRL is not fetched.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
import logging
import socket
import threading
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp as asn1_tsp
from asn1crypto import x509 as asn1_x509
from certomancer import crypto_utils, services
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from demo.autoridades import generar_ca

logger = logging.getLogger(__name__)

TSA_CER, TSA_KEY, REVOCADOS = "tsa-demo.cer", "tsa-demo.key", "revocados.json"
CA_CER, CA_KEY = "ca-demo.cer", "ca-demo.key"  # the e.firma's CA (efirma_pruebas)
CA_TSA_CER, CA_TSA_KEY = "ca-tsa-demo.cer", "ca-tsa-demo.key"
NOMBRE_CA_TSA = "AC del sello de tiempo de pruebas (NO ES UN PSC)"
# A TSA's root outlives the e.firma CA (ten years here): twenty-five years from the demo's
# first run, as long-lived roots are. Until then a demo dictamen verifies offline with what it
# carries; afterwards only with a relay TSA's archival timestamp and its current CRL.
ANIOS_CA_TSA = 25


def url_crl(direccion: str) -> str:
    return f"http://{direccion}/crl"


def url_crl_tsa(direccion: str) -> str:
    return f"http://{direccion}/crl-tsa"


def url_tsa(direccion: str) -> str:
    return f"http://{direccion}/tsa"


def _der(certificado: x509.Certificate) -> bytes:
    return certificado.public_bytes(serialization.Encoding.DER)


def _pkcs8(llave) -> bytes:
    return llave.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _ca(carpeta: Path, cer: str = CA_CER, key: str = CA_KEY):
    return (
        x509.load_der_x509_certificate((carpeta / cer).read_bytes()),
        serialization.load_pem_private_key((carpeta / key).read_bytes(), None),
    )


def ca_tsa_asegurar(carpeta: Path):
    """The TSA's own CA (certificate and key, beside the e.firma's CA), made once."""
    carpeta = Path(carpeta)
    if (carpeta / CA_TSA_CER).exists() and (carpeta / CA_TSA_KEY).exists():
        return _ca(carpeta, CA_TSA_CER, CA_TSA_KEY)
    certificado, llave = generar_ca(NOMBRE_CA_TSA, anios=ANIOS_CA_TSA)
    (carpeta / CA_TSA_KEY).write_bytes(
        llave.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (carpeta / CA_TSA_CER).write_bytes(_der(certificado))
    return certificado, llave


def _emitir(ca, *, nombre: str, uso, extensiones=()) -> tuple[bytes, bytes]:
    """A service certificate of the test CA, for as long as the CA lasts: (cer DER, key)."""
    ca_cert, ca_llave = ca
    llave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    constructor = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, nombre),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pruebas"),
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
                ]
            )
        )
        .issuer_name(ca_cert.subject)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ca_cert.not_valid_before_utc)
        .not_valid_after(ca_cert.not_valid_after_utc)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([uso]), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_llave.public_key()),
            critical=False,
        )
    )
    for extension in extensiones:
        constructor = constructor.add_extension(extension, critical=False)
    return _der(constructor.sign(ca_llave, hashes.SHA256())), _pkcs8(llave)


def tsa_asegurar(carpeta: Path, direccion: str) -> None:
    """The TSA's certificate, from the TSA's own CA: critical timeStamping usage, as RFC 3161
    asks, and the TSA CA's local CRL as its distribution point. Made once, and again if the
    address changed or another CA issued it (a demo made when the TSA shared the e.firma's)."""
    carpeta = Path(carpeta)
    ca = ca_tsa_asegurar(carpeta)
    cer = carpeta / TSA_CER
    if cer.exists():
        actual = x509.load_der_x509_certificate(cer.read_bytes())
        if _emitido_por(actual, ca[0]) and crl_de(actual) == url_crl_tsa(direccion):
            return
    datos = _emitir(
        ca,
        nombre="Sello de tiempo de pruebas",
        uso=ExtendedKeyUsageOID.TIME_STAMPING,
        extensiones=[distribucion_crl(url_crl_tsa(direccion))],
    )
    (carpeta / TSA_KEY).write_bytes(datos[1])
    cer.write_bytes(datos[0])


def _emitido_por(certificado: x509.Certificate, ca: x509.Certificate) -> bool:
    try:
        certificado.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def distribucion_crl(direccion: str) -> x509.CRLDistributionPoints:
    """The CRL distribution point: the e.firma CA's list at `direccion` (host:port), or the
    full URL given."""
    url = direccion if "://" in direccion else url_crl(direccion)
    return x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(url)],
                relative_name=None,
                reasons=None,
                crl_issuer=None,
            )
        ]
    )


def crl_de(certificado: x509.Certificate) -> str:
    """The CRL address a certificate names (empty if none): the demo's e.firma must name the
    local one, or it was made before the trust services existed."""
    try:
        puntos = certificado.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    except x509.ExtensionNotFound:
        return ""
    return next(
        (n.value for p in puntos.value for n in (p.full_name or []) if n.value.startswith("http")),
        "",
    )


def revocar(carpeta: Path, certificado: x509.Certificate, *, momento: datetime.datetime) -> None:
    """Revoke one of the test CA's certificates from `momento` on (keyCompromise)."""
    ruta = Path(carpeta) / REVOCADOS
    revocados = json.loads(ruta.read_text()) if ruta.exists() else {}
    revocados[str(certificado.serial_number)] = momento.isoformat()
    ruta.write_text(json.dumps(revocados))


class _LlavesCargadas(crypto_utils.PycaCryptographyBackend):
    """certomancer reads the signing key from DER again for every token and every CRL, and
    OpenSSL's consistency check of an RSA key takes 45 ms of a 2048-bit one here: most of a
    token's time, four or five times per dictamen signed and archived. These services sign
    with their own two keys, which passed that check when first read; each stays loaded.
    certomancer calls its module's backend (crypto_utils.CRYPTO_BACKEND) for every signature,
    so this one is put there; only the demo and the tests import this module."""

    def __init__(self):
        self._llaves: dict[bytes, rsa.RSAPrivateKey] = {}

    def generic_sign(self, private_key, tbs_bytes, sd_algo):
        if sd_algo.signature_algo != "rsassa_pkcs1v15":
            return super().generic_sign(private_key, tbs_bytes, sd_algo)
        der = private_key.dump()
        llave = self._llaves.get(der)
        if llave is None:
            llave = self._llaves[der] = serialization.load_der_private_key(der, password=None)
        algoritmo = getattr(hashes, sd_algo.hash_algo.upper())()
        return llave.sign(tbs_bytes, padding.PKCS1v15(), algoritmo)


crypto_utils.CRYPTO_BACKEND = _LlavesCargadas()


class Servicios:
    """The WSGI application. Keys are read at the first request (`cargar_demo` starts the
    services before it makes the CA); the revocation list on every request."""

    def __init__(self, carpeta: Path):
        self.carpeta = Path(carpeta)

    @functools.cached_property
    def ca(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(_der(_ca(self.carpeta)[0]))

    @functools.cached_property
    def ca_tsa(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load((self.carpeta / CA_TSA_CER).read_bytes())

    @staticmethod
    def _constructor(ca: asn1_x509.Certificate, llave) -> services.CRLBuilder:
        return services.CRLBuilder(
            issuer_name=ca.subject,
            issuer_key=asn1_keys.PrivateKeyInfo.load(_pkcs8(llave)),
            signature_algo=services.choose_signed_digest("sha256", ca.public_key),
            authority_key_identifier=ca.key_identifier_value,
        )

    @functools.cached_property
    def crl(self) -> services.CRLBuilder:
        return self._constructor(self.ca, _ca(self.carpeta)[1])

    @functools.cached_property
    def crl_tsa(self) -> services.CRLBuilder:
        return self._constructor(self.ca_tsa, _ca(self.carpeta, CA_TSA_CER, CA_TSA_KEY)[1])

    @functools.cached_property
    def sellador(self) -> services.TimeStamper:
        return services.TimeStamper(
            tsa_cert=asn1_x509.Certificate.load((self.carpeta / TSA_CER).read_bytes()),
            tsa_key=asn1_keys.PrivateKeyInfo.load((self.carpeta / TSA_KEY).read_bytes()),
            certs_to_embed=[self.ca_tsa],
        )

    def __call__(self, environ, start_response):
        peticion = Request(environ)
        if peticion.method == "POST" and peticion.path == "/tsa":
            respuesta = self._tsa(peticion.get_data())
        elif peticion.method == "GET" and peticion.path == "/crl":
            respuesta = self._crl(self.crl, con_revocados=True)
        elif peticion.method == "GET" and peticion.path == "/crl-tsa":
            respuesta = self._crl(
                self.crl_tsa, con_revocados=False, vence=self.ca_tsa.not_valid_after
            )
        else:
            respuesta = Response("No existe.", status=404)
        return respuesta(environ, start_response)

    def _tsa(self, datos: bytes) -> Response:
        token = self.sellador.request_tsa_response(asn1_tsp.TimeStampReq.load(datos))
        return Response(token.dump(), mimetype="application/timestamp-reply")

    def _crl(
        self,
        constructor: services.CRLBuilder,
        *,
        con_revocados: bool,
        vence: datetime.datetime | None = None,
    ) -> Response:
        """A CRL valid for a day, or until `vence`. `revocar()` lists e.firma certificates
        only: nothing revokes the TSA's."""
        ruta = self.carpeta / REVOCADOS
        revocados = json.loads(ruta.read_text()) if con_revocados and ruta.exists() else {}
        ahora = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        lista = constructor.build_crl(
            crl_number=int(ahora.timestamp()),
            # Backdated, as CAs do: a signature checked at the moment it began (seconds ago,
            # when fifty queue at once) would find a CRL newer than that moment "too recent".
            this_update=ahora - datetime.timedelta(minutes=5),
            next_update=vence or ahora + datetime.timedelta(days=1),
            revoked_certs=[
                services.CRLBuilder.format_revoked_cert(
                    int(serie),
                    asn1_crl.CRLReason("key_compromise"),
                    datetime.datetime.fromisoformat(desde),
                )
                for serie, desde in revocados.items()
                if datetime.datetime.fromisoformat(desde) <= ahora
            ],
        )
        return Response(lista.dump(), mimetype="application/pkix-crl")


def anfitrion_puerto(direccion: str) -> tuple[str, int]:
    anfitrion, _, puerto = direccion.rpartition(":")
    return anfitrion, int(puerto)


def escuchando(direccion: str) -> bool:
    with (
        contextlib.suppress(OSError),
        socket.create_connection(anfitrion_puerto(direccion), timeout=0.5),
    ):
        return True
    return False


class Servidor:
    """The services in a thread of this process, for tests and `cargar_demo`."""

    def __init__(self, carpeta: Path, direccion: str):
        self.carpeta, self.direccion = Path(carpeta), direccion
        self._servidor = None
        self._hilo = None
        self._abierto = None

    def iniciar(self, socket_abierto: socket.socket | None = None) -> Servidor:
        """`socket_abierto`: one already listening on the address, to serve on (the suite
        holds its port from the start: config/settings/test.py); stopping closes it, and a
        later start binds the address again."""
        self._abierto = socket_abierto
        anfitrion, puerto = anfitrion_puerto(self.direccion)
        self._servidor = make_server(
            anfitrion,
            puerto,
            Servicios(self.carpeta),
            threaded=True,
            fd=None if socket_abierto is None else socket_abierto.fileno(),
        )
        # Not blocking: a listening socket shared by two servers (make mutantes runs two
        # children at once on copies of the suite's one) wakes both for each connection, and
        # the one that loses the race, blocked in accept(), would never see shutdown(). Without
        # blocking, its accept() fails (OSError, which socketserver ignores) and it goes back
        # to waiting. The connections it accepts are blocking, as before.
        self._servidor.socket.setblocking(False)
        # serve_forever looks for shutdown() every poll_interval (0.5 s by default): each stop
        # waited up to half a second, once per pytest session, which is once per mutant under
        # make mutantes (3,246 of them, twice).
        self._hilo = threading.Thread(
            target=functools.partial(self._servidor.serve_forever, poll_interval=0.05),
            name="confianza-local",
            daemon=True,
        )
        self._hilo.start()
        return self

    @property
    def escucha(self) -> socket.socket:
        """The socket it serves on."""
        return self._servidor.socket

    def detener(self) -> None:
        if self._servidor is not None:
            self._servidor.shutdown()
            self._servidor.server_close()
            if self._abierto is not None:
                # Down means refused, as a stopped service is, not a port that never answers.
                self._abierto.close()
                self._abierto = None
            self._hilo.join()
            self._servidor = self._hilo = None


@contextlib.contextmanager
def en_marcha(carpeta: Path, direccion: str):
    """The services while the block runs, unless they already answer there (the process
    `make run` starts beside the web server). Another CA's services at that address (another
    checkout's `make run`) would sign CRLs this CA's certificates cannot use: that is said."""
    if not direccion:
        yield None
        return
    if escuchando(direccion):
        _exigir_misma_ac(carpeta, direccion)
        yield None
        return
    servidor = Servidor(carpeta, direccion).iniciar()
    try:
        yield servidor
    finally:
        servidor.detener()


class OtraAC(RuntimeError):
    """Another CA's trust services answer at the configured address."""


def _exigir_misma_ac(carpeta: Path, direccion: str) -> None:
    import urllib.request

    if not (Path(carpeta) / "ca-demo.cer").exists():
        return  # the CA is made afterwards; nothing to compare yet
    try:
        with urllib.request.urlopen(url_crl(direccion), timeout=5) as respuesta:  # noqa: S310
            emisor = asn1_crl.CertificateList.load(respuesta.read()).authority_key_identifier
    except Exception:
        emisor = None
    # Every test CA has the same name; its key tells one from another.
    if emisor != Servicios(carpeta).ca.key_identifier:
        raise OtraAC(
            f"En {direccion} responde otro servicio de sello de tiempo, que no es el de la AC "
            f"de {carpeta}: deténgalo (¿otro `make run`?) o elija otra dirección con "
            "DJANGO_CONFIANZA_LOCAL."
        )
