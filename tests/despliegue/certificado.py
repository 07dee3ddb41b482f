"""A self-signed certificate for 127.0.0.1, made by the test (as an office makes one for a
machine that is not yet public)."""

import datetime
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def certificado_propio(carpeta: Path) -> tuple[Path, Path]:
    """(certificate, key) in PEM, for 127.0.0.1 and localhost, valid for a day."""
    llave = ec.generate_private_key(ec.SECP256R1())
    nombre = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    ahora = datetime.datetime.now(datetime.UTC)
    certificado = (
        x509.CertificateBuilder()
        .subject_name(nombre)
        .issuer_name(nombre)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - datetime.timedelta(minutes=5))
        .not_valid_after(ahora + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .sign(llave, hashes.SHA256())
    )
    ruta_cer, ruta_llave = carpeta / "certificado.pem", carpeta / "llave.pem"
    ruta_cer.write_bytes(certificado.public_bytes(serialization.Encoding.PEM))
    ruta_llave.write_bytes(
        llave.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    ruta_llave.chmod(0o600)
    return ruta_cer, ruta_llave
