"""The test certification authorities' keys and self-signed certificates, made with
`cryptography`: the e.firma's CA (efirma_pruebas), the TSA's CA (confianza_local) and the
NOM-151 provider's in the tests. Below both modules that use it, so that neither imports
the other in a circle."""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def llave_nueva() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def generar_ca(
    nombre: str = "AC de pruebas de Dictámenes TIC (NO ES EL SAT)",
    *,
    anios: int = 10,
    vence: datetime.datetime | None = None,
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A self-signed CA valid from ten years back (tests sign in the past) to `anios` ahead
    (or until `vence`)."""
    llave = llave_nueva()
    sujeto = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, nombre),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pruebas"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
        ]
    )
    ahora = datetime.datetime.now(datetime.UTC)
    certificado = (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(sujeto)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - datetime.timedelta(days=3650))
        .not_valid_after(vence or ahora + datetime.timedelta(days=365 * anios))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(llave.public_key()), critical=False
        )
        .sign(llave, hashes.SHA256())
    )
    return certificado, llave
