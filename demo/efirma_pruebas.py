"""A test certification authority and e.firma-like certificates, for tests and the demo.

Built with `cryptography`, shaped like SAT's: RFC and CURP in x500UniqueIdentifier, an
ASCII-digit serial, a password-encrypted PKCS#8 DER key. Never trusted in production.
"""

import datetime
import functools
import secrets
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from demo import confianza_local
from demo.autoridades import generar_ca, llave_nueva
from dictamenes.emision.documentos.efirma import OID_X500_UNIQUE_IDENTIFIER


@dataclass(frozen=True)
class EfirmaDePrueba:
    cer: bytes  # DER
    key: bytes  # encrypted PKCS#8 DER
    p12: bytes
    contrasena: str
    certificado: x509.Certificate


def generar_efirma(
    *,
    ca: tuple[x509.Certificate, rsa.RSAPrivateKey],
    nombre: str,
    rfc: str,
    curp: str,
    contrasena: str,
    desde: datetime.datetime | None = None,
    hasta: datetime.datetime | None = None,
    direccion_confianza: str = "",
) -> EfirmaDePrueba:
    """An e.firma of the test CA. With `direccion_confianza` (host:port of demo.confianza_local),
    its CRL distribution point is the local one, as SAT's certificates name SAT's services."""
    ca_cert, ca_llave = ca
    llave = llave_nueva()
    ahora = datetime.datetime.now(datetime.UTC)
    desde = desde or ahora - datetime.timedelta(days=30)
    hasta = hasta or ahora + datetime.timedelta(days=4 * 365)
    sujeto = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, nombre),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, nombre),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
            x509.NameAttribute(OID_X500_UNIQUE_IDENTIFIER, f"{rfc} / {curp}"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, f" / {curp}"),
        ]
    )
    # SAT serials are 20 ASCII digits read as a big-endian integer.
    numero = "3000100000" + "".join(secrets.choice("0123456789") for _ in range(10))
    constructor = (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(ca_cert.subject)
        .public_key(llave.public_key())
        .serial_number(int.from_bytes(numero.encode("ascii"), "big"))
        .not_valid_before(desde)
        .not_valid_after(hasta)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=True,
                key_agreement=True,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_llave.public_key()),
            critical=False,
        )
    )
    if direccion_confianza:
        constructor = constructor.add_extension(
            confianza_local.distribucion_crl(direccion_confianza), critical=False
        )
    certificado = constructor.sign(ca_llave, hashes.SHA256())
    cifrado = serialization.BestAvailableEncryption(contrasena.encode())
    return EfirmaDePrueba(
        cer=certificado.public_bytes(serialization.Encoding.DER),
        key=llave.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, cifrado
        ),
        p12=pkcs12.serialize_key_and_certificates(
            nombre.encode(), llave, certificado, [ca_cert], cifrado
        ),
        contrasena=contrasena,
        certificado=certificado,
    )


CONTRASENA_EFIRMA_DEMO = "efirma-demo-2026"


def curp_de_prueba(rfc: str) -> str:
    """An invented CURP-shaped string from the RFC (the demo people are invented too)."""
    return f"{rfc[:10]}HSRXXX0{rfc[-1] if rfc[-1].isdigit() else '9'}"


def demo_asegurar(carpeta, usuarios, *, direccion_confianza: str = "") -> list:
    """Create (once) the demo CA and an e.firma for each demo firmante under `carpeta`, and
    the local TSA's own CA and certificate when the trust services have an address.

    Returns the paths written. The CA key is kept beside it so the demo can issue more. An
    e.firma made before the trust services (no CRL address, or another one) is made again.
    """
    from pathlib import Path

    carpeta = Path(carpeta)
    carpeta.mkdir(parents=True, exist_ok=True)
    ca_cer, ca_key = carpeta / "ca-demo.cer", carpeta / "ca-demo.key"
    escritos = []
    if ca_cer.exists() and ca_key.exists():
        ca = (
            x509.load_der_x509_certificate(ca_cer.read_bytes()),
            serialization.load_pem_private_key(ca_key.read_bytes(), password=None),
        )
    else:
        ca = generar_ca()
        ca_cer.write_bytes(ca[0].public_bytes(serialization.Encoding.DER))
        ca_key.write_bytes(
            ca[1].private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        escritos += [ca_cer, ca_key]
    for usuario in usuarios:
        cer = carpeta / f"{usuario.username}.cer"
        if cer.exists() and confianza_local.crl_de(
            x509.load_der_x509_certificate(cer.read_bytes())
        ) == (confianza_local.url_crl(direccion_confianza) if direccion_confianza else ""):
            continue
        rfc = usuario.perfil.rfc
        efirma = generar_efirma(
            ca=ca,
            nombre=usuario.get_full_name().upper(),
            rfc=rfc,
            curp=curp_de_prueba(rfc),
            contrasena=CONTRASENA_EFIRMA_DEMO,
            direccion_confianza=direccion_confianza,
        )
        cer.write_bytes(efirma.cer)
        (carpeta / f"{usuario.username}.key").write_bytes(efirma.key)
        (carpeta / f"{usuario.username}.p12").write_bytes(efirma.p12)
        escritos += [cer]
    if direccion_confianza:
        confianza_local.tsa_asegurar(carpeta, direccion_confianza)
    return escritos


def demo_credencial(carpeta, username: str):
    """Open a demo firmante's e.firma from the files `demo_asegurar` wrote. Opened once per
    content of the files: the password's key derivation and OpenSSL's check of the RSA key
    take 50 ms, and the demo and the tests sign hundreds of dictámenes with the same one."""
    from pathlib import Path

    carpeta = Path(carpeta)
    return _credencial_abierta(
        (carpeta / f"{username}.cer").read_bytes(), (carpeta / f"{username}.key").read_bytes()
    )


@functools.lru_cache(maxsize=16)
def _credencial_abierta(cer: bytes, key: bytes):
    from dictamenes.emision.documentos.efirma import credencial_cargar

    return credencial_cargar(cer=cer, key=key, contrasena=CONTRASENA_EFIRMA_DEMO)
