"""A fake NOM-151 prestador de servicios de certificación (PSC) on loopback, for the tests.

A real HTTP server (werkzeug, in a thread) that speaks the JSON shape documented in
dictamenes.emision.documentos.nom151 and answers with an RFC 3161 TimeStampToken over the hash it
receives, signed by a timestamping certificate of its own test CA (pyHanko's DummyTimeStamper
builds the token). `modo` tells it to misbehave, as a real provider might.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import threading
from dataclasses import dataclass, field

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from demo.autoridades import generar_ca
from tests.backends.servers import free_port

# What the fake can be told to do.
NORMAL = "normal"
FALLA = "falla"  # 503 with a JSON error, as a provider in maintenance
OTRA_HUELLA = "otra_huella"  # a valid constancia, of another document
TOKEN_DE_OTRA_HUELLA = "token_de_otra_huella"  # the JSON repeats the hash; the token does not
FIRMA_ALTERADA = "firma_alterada"  # the token's signature does not verify
NO_JSON = "no_json"  # a 200 that is an HTML page (a proxy's error page)

USUARIO = "dictamenes"
CONTRASENA = "psc-de-pruebas"


def _tsa(nombre: str) -> tuple[x509.Certificate, rsa.RSAPrivateKey, x509.Certificate]:
    """A test CA and a timestamping certificate it issues (extended key usage timeStamping,
    critical, as RFC 3161 §2.3 asks)."""
    ca_cert, ca_llave = generar_ca(nombre=f"AC de pruebas de {nombre} (NO ES UN PSC)")
    llave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ahora = datetime.datetime.now(datetime.UTC)
    certificado = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Sellos de {nombre}")]))
        .issuer_name(ca_cert.subject)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - datetime.timedelta(days=30))
        .not_valid_after(ahora + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_llave.public_key()),
            critical=False,
        )
        .sign(ca_llave, hashes.SHA256())
    )
    return certificado, llave, ca_cert


def _asn1(certificado: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificado.public_bytes(serialization.Encoding.DER))


@dataclass
class PscFalso:
    nombre: str = "PSC de pruebas"
    modo: str = NORMAL
    peticiones: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        certificado, llave, self.ca = _tsa(self.nombre)
        self._sellador = DummyTimeStamper(
            tsa_cert=_asn1(certificado),
            tsa_key=asn1_keys.PrivateKeyInfo.load(
                llave.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
            certs_to_embed=[_asn1(self.ca)],
        )
        self.port = free_port()
        self._servidor = None
        self._hilo: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/constancias"

    def ca_pem(self) -> bytes:
        return self.ca.public_bytes(serialization.Encoding.PEM)

    def ajustes(self, **cambios) -> dict:
        """DICTAMENES_NOM151 pointing here."""
        return {
            "URL": self.url,
            "USUARIO": USUARIO,
            "CONTRASENA": CONTRASENA,
            "TIEMPO_ESPERA": 5.0,
            **cambios,
        }

    def token(self, huella: bytes) -> bytes:
        """A DER TimeStampToken over `huella` (SHA-256), signed by this PSC."""
        solicitud = tsp.TimeStampReq(
            {
                "version": "v1",
                "message_imprint": tsp.MessageImprint(
                    {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": huella}
                ),
                "cert_req": True,
            }
        )
        return self._sellador.request_tsa_response(solicitud)["time_stamp_token"].dump()

    def _responder(self, peticion: Request) -> Response:
        cuerpo = peticion.get_json(silent=True) or {}
        self.peticiones.append({"authorization": peticion.authorization, "cuerpo": cuerpo})
        if peticion.authorization is None or (
            peticion.authorization.username,
            peticion.authorization.password,
        ) != (USUARIO, CONTRASENA):
            return _json({"error": "Credenciales inválidas"}, 401)
        if self.modo == FALLA:
            return _json({"error": "Servicio en mantenimiento"}, 503)
        if self.modo == NO_JSON:
            return Response("<html>Bad gateway</html>", content_type="text/html")
        try:
            huella = bytes.fromhex(cuerpo["hash"])
        except (KeyError, TypeError, ValueError):
            return _json({"error": "Falta la huella SHA-256 en hexadecimal"}, 400)
        otra = hashlib.sha256(b"otro documento").digest()
        sellada = otra if self.modo in (OTRA_HUELLA, TOKEN_DE_OTRA_HUELLA) else huella
        token = bytearray(self.token(sellada))
        if self.modo == FIRMA_ALTERADA:
            token[-5] ^= 0xFF  # the signature value closes the SignerInfo
        return _json(
            {
                "hash": (otra if self.modo == OTRA_HUELLA else huella).hex(),
                "constancia": base64.b64encode(bytes(token)).decode(),
                "folio": f"PSC-{len(self.peticiones):06d}",
            }
        )

    def __call__(self, environ, start_response):
        return self._responder(Request(environ))(environ, start_response)

    def start(self) -> str:
        self._servidor = make_server(
            "127.0.0.1", self.port, self, threaded=True, request_handler=_Silencioso
        )
        self._hilo = threading.Thread(target=self._servidor.serve_forever, daemon=True)
        self._hilo.start()
        return self.url

    def stop(self) -> None:
        if self._servidor is not None:
            self._servidor.shutdown()
            self._servidor.server_close()
            self._servidor = None


class _Silencioso(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # one line per request is noise here
        pass


def _json(datos: dict, estado: int = 200) -> Response:
    return Response(json.dumps(datos), status=estado, content_type="application/json")
