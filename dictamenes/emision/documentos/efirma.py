"""The signer's e.firma: load it in memory, check it, seal with it, sign the PDF with it.

An e.firma is a DER `.cer` plus a password-encrypted PKCS#8 DER `.key` (as SAT issues them),
or a PKCS#12 file. The credential lives only in memory for the request that uses it; nothing
here stores or logs it. SAT certificates carry "RFC / CURP" in x500UniqueIdentifier.
"""

import asyncio
import base64
import concurrent.futures
import datetime
import functools
import io
import threading
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import cms as asn1_cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pyhanko.sign import attributes as pyhanko_atributos
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from dictamenes.emision.documentos import consultas

OID_X500_UNIQUE_IDENTIFIER = x509.ObjectIdentifier("2.5.4.45")

# asn1crypto (under pyhanko) declares x500UniqueIdentifier a BIT STRING, as X.520 does, but
# SAT's certificates put "RFC / CURP" there as a text string, and parsing the subject fails.
# Read it as a DirectoryString (any of the X.520 string types) instead.
asn1_x509.NameTypeAndValue._oid_specs["unique_identifier"] = asn1_x509.DirectoryString

ERROR_CER = _("El archivo .cer no es un certificado válido (se espera DER o PEM).")
ERROR_KEY = _("El archivo .key no es una llave privada de e.firma (PKCS#8 cifrada).")
ERROR_P12 = _("El archivo .p12/.pfx está dañado o la contraseña no corresponde.")
ERROR_FALTAN_ARCHIVOS = _("Suba el .cer y el .key de su e.firma, o un archivo .p12.")
ERROR_CONTRASENA = _("La contraseña no corresponde a la llave privada de la e.firma.")
ERROR_LLAVE_NO_CORRESPONDE = _("La llave privada no corresponde al certificado.")
ERROR_NO_RSA = _("La e.firma debe usar una llave RSA.")
ERROR_VENCIDO = _("El certificado venció el %(fecha)s; tramite su renovación ante el SAT.")
ERROR_NO_VIGENTE_AUN = _("El certificado es válido a partir del %(fecha)s.")
ERROR_NO_CONFIABLE = _(
    "El certificado no fue emitido por una autoridad certificadora de confianza."
)
ERROR_RAIZ_NO_EFIRMA = _(
    "El certificado no es una e.firma: lo emitió la autoridad certificadora del servicio de "
    "sello de tiempo, que solo se acepta para sellos de tiempo. No se firmó nada ni se ocupó "
    "un folio. Firme con el certificado de su e.firma emitido por el SAT."
)
ERROR_RFC = _("El certificado pertenece al RFC %(rfc_cert)s, no al de quien firma (%(rfc)s).")
ERROR_SIN_RFC = _("El certificado no contiene un RFC (x500UniqueIdentifier).")
ERROR_REVOCADO = _(
    "El certificado de su e.firma fue revocado el %(fecha)s: ya no firma. Tramite uno nuevo "
    "ante el SAT."
)
ERROR_SERVICIO_NO_CONFIGURADO = _(
    "Su certificado pide consultar su estado o el de su autoridad certificadora en "
    "%(direcciones)s, que no es un servicio de confianza configurado en este sistema: no se "
    "consultó, no se firmó nada ni se ocupó un folio. Si su certificado es del SAT, avise al "
    "administrador del sistema."
)
ERROR_ESTADO_NO_DISPONIBLE = _(
    "No se pudo consultar si su certificado sigue vigente (OCSP o lista de revocación de "
    "la autoridad certificadora): no se firmó nada ni se ocupó un folio. Intente firmar de "
    "nuevo en unos minutos."
)


@dataclass(frozen=True)
class Credencial:
    certificado: x509.Certificate
    llave: rsa.RSAPrivateKey

    @property
    def rfc(self) -> str:
        return rfc_de(self.certificado)

    @property
    def numero(self) -> str:
        return numero_certificado(self.certificado)

    @property
    def nombre(self) -> str:
        valores = self.certificado.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return valores[0].value if valores else self.rfc

    def __repr__(self) -> str:  # never print key material
        return f"Credencial(rfc={self.rfc!r}, numero={self.numero!r})"


def rfc_de(certificado: x509.Certificate) -> str:
    """The RFC in "RFC / CURP" of x500UniqueIdentifier, as SAT certificates carry it."""
    valores = certificado.subject.get_attributes_for_oid(OID_X500_UNIQUE_IDENTIFIER)
    if not valores:
        raise ValidationError(ERROR_SIN_RFC, code="sin_rfc")
    return str(valores[0].value).split("/")[0].strip().upper()


def numero_certificado(certificado: x509.Certificate) -> str:
    """SAT's "número de certificado": the serial's bytes are ASCII digits; else hex."""
    crudo = certificado.serial_number.to_bytes(
        (certificado.serial_number.bit_length() + 7) // 8, "big"
    )
    try:
        texto = crudo.decode("ascii")
    except UnicodeDecodeError:
        texto = ""
    return texto if texto.isdigit() else format(certificado.serial_number, "X")


def _leer_certificado(datos: bytes) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(datos)
    except ValueError:
        try:
            return x509.load_pem_x509_certificate(datos)
        except ValueError as exc:
            raise ValidationError(ERROR_CER, code="cer_invalido") from exc


def _leer_llave(datos: bytes, contrasena: str):
    try:
        return serialization.load_der_private_key(datos, password=contrasena.encode())
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        # An intact encrypted PKCS#8 structure means the password is what failed.
        try:
            asn1_keys.EncryptedPrivateKeyInfo.load(datos).native  # noqa: B018 - parse check
        except Exception:
            raise ValidationError(ERROR_KEY, code="key_invalida") from exc
        raise ValidationError(ERROR_CONTRASENA, code="contrasena") from exc


def credencial_cargar(
    *,
    contrasena: str,
    cer: bytes | None = None,
    key: bytes | None = None,
    p12: bytes | None = None,
) -> Credencial:
    """Open the e.firma: checks the password and that the key matches the certificate."""
    if p12:
        try:
            llave, certificado, _cadena = pkcs12.load_key_and_certificates(p12, contrasena.encode())
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise ValidationError(ERROR_P12, code="p12_invalido") from exc
        if llave is None or certificado is None:
            raise ValidationError(ERROR_P12, code="p12_invalido")
    elif cer and key:
        certificado = _leer_certificado(cer)
        llave = _leer_llave(key, contrasena)
    else:
        raise ValidationError(ERROR_FALTAN_ARCHIVOS, code="faltan_archivos")
    if not isinstance(llave, rsa.RSAPrivateKey):
        raise ValidationError(ERROR_NO_RSA, code="no_rsa")
    publica = _llave_publica(certificado)
    # A certificate for another kind of key (EC, Ed25519) cannot belong to an RSA key, and
    # only RSA public keys have the numbers compared here.
    if (
        not isinstance(publica, rsa.RSAPublicKey)
        or llave.public_key().public_numbers() != publica.public_numbers()
    ):
        raise ValidationError(ERROR_LLAVE_NO_CORRESPONDE, code="llave_no_corresponde")
    return Credencial(certificado=certificado, llave=llave)


def _llave_publica(certificado: x509.Certificate):
    """The certificate's public key. cryptography reads the certificate lazily: a key of an
    algorithm it does not know only fails here, and that is a bad .cer, not a server error."""
    try:
        return certificado.public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise ValidationError(ERROR_CER, code="cer_invalido") from exc


@functools.cache
def _raices_de(rutas: tuple[str, ...]) -> tuple[x509.Certificate, ...]:
    return tuple(_leer_certificado(Path(ruta).read_bytes()) for ruta in rutas)


def _rutas_efirma() -> tuple[str, ...]:
    return tuple(str(r) for r in settings.DICTAMENES_EFIRMA_RAICES)


def _rutas_confianza() -> tuple[str, ...]:
    """The e.firma roots and then the TSA's (DICTAMENES_TSA_RAICES), each once."""
    tsa = tuple(str(r) for r in getattr(settings, "DICTAMENES_TSA_RAICES", ()))
    return tuple(dict.fromkeys(_rutas_efirma() + tsa))


def raices_confiables() -> tuple[x509.Certificate, ...]:
    """The roots of signers' e.firma (SAT's CAs in production; a test CA in demo and tests).
    The TSA's roots are not among them: they are trusted for timestamps only."""
    return _raices_de(_rutas_efirma())


@functools.cache
def _der_de(rutas: tuple[str, ...]) -> frozenset[bytes]:
    return frozenset(r.public_bytes(serialization.Encoding.DER) for r in _raices_de(rutas))


def ancla_de_efirma(ruta) -> bool:
    """Whether a validation path (pyHanko's ValidationPath) ends in an e.firma root. pyHanko's
    contexts trust the e.firma and the TSA roots together (a signature's timestamps must
    validate): the signer's certificate is accepted only when its own path ends in one of the
    e.firma roots, never in the TSA's."""
    from pyhanko_certvalidator.authority import CertTrustAnchor

    ancla = getattr(ruta, "trust_anchor", None)
    if not isinstance(ancla, CertTrustAnchor):
        return False
    return ancla.certificate.dump() in _der_de(_rutas_efirma())


def _asn1(certificado: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificado.public_bytes(serialization.Encoding.DER))


_por_hilo = threading.local()


def _raices_asn1() -> tuple[asn1_x509.Certificate, ...]:
    """The trust roots as pyHanko takes them (the e.firma's and the TSA's: whether a signer's
    path ends in an e.firma root is `ancla_de_efirma`'s), converted once per thread rather than
    for every check and signature: asn1crypto keeps in each object what it has parsed and prepared
    (names for lookups, key identifiers). It parses lazily, writing into the object as it
    reads, so two threads never use the same objects at once (the 50 simultaneous signatures
    of the concurrency test; `correr`'s helper thread runs while its caller waits)."""
    rutas = _rutas_confianza()
    guardadas = getattr(_por_hilo, "raices", None)
    if guardadas is None or guardadas[0] != rutas:
        guardadas = _por_hilo.raices = (rutas, tuple(_asn1(r) for r in _raices_de(rutas)))
    return guardadas[1]


def _certificado_del_firmante(certificado: x509.Certificate) -> asn1_x509.Certificate:
    """The signer's certificate as pyHanko takes it, kept per thread while the same e.firma
    signs (the last one only), for the reasons of `_raices_asn1`: a fresh object for checking
    the e.firma and another for signing had asn1crypto prepare the subject's and issuer's
    names again each time (LDAP string preparation, character by character), the largest
    share of comparing names in an issuance."""
    der = certificado.public_bytes(serialization.Encoding.DER)
    guardado = getattr(_por_hilo, "firmante", None)
    if guardado is None or guardado[0] != der:
        guardado = _por_hilo.firmante = (der, asn1_x509.Certificate.load(der))
    return guardado[1]


def contexto_validacion(
    *,
    momento: datetime.datetime | None = None,
    consultar: bool = False,
    servicios: consultas.ServiciosConfigurados | None = None,
) -> ValidationContext:
    """`consultar`: ask each certificate's OCSP responder (or CRL) for its status now, and
    fail if one that names a responder cannot be checked. Signing does; reading a signed PDF
    uses what the PDF carries. Only configured services are asked (`consultas`): `servicios`
    keeps which addresses were refused."""
    if not consultar:
        return ValidationContext(
            trust_roots=list(_raices_asn1()), moment=momento, allow_fetching=False
        )
    # requests, not aiohttp: the context outlives the event loop of each pyHanko call
    # (checking the credential, then signing with the same revocation data), and aiohttp's
    # session belongs to the loop that opened it.
    return ValidationContext(
        trust_roots=list(_raices_asn1()),
        moment=momento,
        allow_fetching=True,
        revocation_mode="hard-fail",
        fetcher_backend=servicios or consultas.servicios_configurados(),
    )


def correr(corrutina):
    """Run one of pyHanko's coroutines whether or not this thread already runs an event loop
    (Playwright's sync API, an ASGI server): asyncio.run refuses to nest."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(corrutina)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as ejecutor:
        return ejecutor.submit(asyncio.run, corrutina).result()


def credencial_verificar(
    *, credencial: Credencial, rfc: str, momento: datetime.datetime
) -> ValidationContext:
    """Validity on the signing date, a chain to a trusted root, not revoked (asked of the
    CA's OCSP responder or read in its CRL), and the signer's RFC. Returns the validation
    context, which keeps that answer for the signature to embed (PAdES B-LT) without asking
    twice."""
    certificado = credencial.certificado
    if momento < certificado.not_valid_before_utc:
        raise ValidationError(
            ERROR_NO_VIGENTE_AUN,
            code="no_vigente_aun",
            params={"fecha": f"{certificado.not_valid_before_utc:%d/%m/%Y}"},
        )
    if momento > certificado.not_valid_after_utc:
        raise ValidationError(
            ERROR_VENCIDO,
            code="vencido",
            params={"fecha": f"{certificado.not_valid_after_utc:%d/%m/%Y}"},
        )
    servicios = consultas.servicios_configurados()
    contexto = contexto_validacion(momento=momento, consultar=True, servicios=servicios)
    validador = CertificateValidator(
        _certificado_del_firmante(certificado), validation_context=contexto
    )
    try:
        ruta = correr(validador.async_validate_usage({"digital_signature"}))
    except cv_errors.RevokedError as exc:
        raise ValidationError(
            ERROR_REVOCADO,
            code="revocado",
            params={"fecha": _fecha_revocacion(exc)},
        ) from exc
    except (
        cv_errors.PathBuildingError,
        cv_errors.PathValidationError,
        cv_errors.InvalidCertificateError,
    ) as exc:
        if servicios.rechazadas:
            # What could not be asked is why: the signer's certificate names addresses that
            # are not configured services (its status, or its issuer's certificate).
            raise ValidationError(
                ERROR_SERVICIO_NO_CONFIGURADO,
                code="servicio_no_configurado",
                params={"direcciones": ", ".join(servicios.rechazadas)},
            ) from exc
        if isinstance(exc, cv_errors.InsufficientRevinfoError):
            raise ValidationError(ERROR_ESTADO_NO_DISPONIBLE, code="ocsp_no_responde") from exc
        raise ValidationError(ERROR_NO_CONFIABLE, code="no_confiable") from exc
    if not ancla_de_efirma(ruta):
        raise ValidationError(ERROR_RAIZ_NO_EFIRMA, code="raiz_no_efirma")
    rfc_cert = credencial.rfc
    if rfc_cert != rfc.strip().upper():
        raise ValidationError(
            ERROR_RFC, code="rfc", params={"rfc_cert": rfc_cert, "rfc": rfc.strip().upper()}
        )
    return contexto


def _fecha_revocacion(error: cv_errors.RevokedError) -> str:
    from django.utils import timezone

    momento = getattr(error, "revocation_dt", None)
    return f"{timezone.localtime(momento):%d/%m/%Y %H:%M}" if momento else "—"


def sellar(*, credencial: Credencial, cadena: str) -> str:
    """The sello digital: RSA-SHA256 (PKCS#1 v1.5) of the cadena original, in base64."""
    firma = credencial.llave.sign(cadena.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(firma).decode("ascii")


def sello_valido(*, certificado: x509.Certificate, cadena: str, sello: str) -> bool:
    try:
        certificado.public_key().verify(
            base64.b64decode(sello), cadena.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, ValueError):
        return False
    return True


RESERVA_FIRMA = 16 * 1024


@functools.lru_cache(maxsize=64)
def _certificado_firmante_der(certificado_der: bytes) -> bytes:
    """The signing-certificate-v2 attribute (RFC 5035) that names the certificate in every
    PAdES signature made with it, in DER. It depends only on the (public) certificate, and
    asn1crypto re-encoded it from scratch several times per signature (about half the time
    of signing a dictamen): now it is encoded once and each signature reads it back."""
    return simple_cms_attribute(
        "signing_certificate_v2",
        as_signing_certificate_v2(asn1_x509.Certificate.load(certificado_der)),
    ).dump()


class _CertificadoFirmante(pyhanko_atributos.SigningCertificateV2Provider):
    """pyHanko's provider of that attribute, answering with the encoding made once."""

    async def get_attribute(self, dry_run=False) -> asn1_cms.CMSAttribute:
        return asn1_cms.CMSAttribute.load(_certificado_firmante_der(self.signing_cert.dump()))


class _FirmanteEfirma(SimpleSigner):
    """pyHanko's SimpleSigner parses the private key from DER again for every raw signature
    (about 50 ms each for RSA, with cryptography's key checks). The e.firma key is already
    loaded and checked when the credential is opened, so RSA PKCS#1 v1.5 (SAT's e.firma)
    signs with it directly; anything else goes the library's way."""

    def __init__(self, *, llave_cargada, **kwargs):
        self._llave_cargada = llave_cargada
        super().__init__(**kwargs)

    def _signed_attr_providers(self, *args, **kwargs):
        """pyHanko's signed attributes, with the signing certificate's encoded only once."""
        for proveedor in super()._signed_attr_providers(*args, **kwargs):
            if type(proveedor) is pyhanko_atributos.SigningCertificateV2Provider:
                proveedor = _CertificadoFirmante(proveedor.signing_cert)
            yield proveedor

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            mecanismo = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:
            mecanismo = ""
        if mecanismo != "rsassa_pkcs1v15" or not isinstance(self._llave_cargada, rsa.RSAPrivateKey):
            return super().sign_raw(data, digest_algorithm)
        return self._llave_cargada.sign(
            data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
        )


def firmar_pdf(
    *,
    credencial: Credencial,
    pdf: bytes,
    razon: str,
    lugar: str,
    contexto: ValidationContext | None = None,
) -> bytes:
    """Embed a PAdES B-LTA signature (pyhanko) made with the same e.firma: a timestamp from
    the configured TSA on the signature (B-T), the chain and the revocation data of the signer
    and of the TSA in the document security store (B-LT), and a document timestamp over it
    all (B-LTA). `contexto`: the one `credencial_verificar` returned, with the signer's
    revocation data already in it. A TSA, OCSP responder or CRL server that does not answer raises a
    ValidationError: the caller's transaction rolls back and nothing is issued."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from dictamenes.emision.documentos import sello_tiempo

    sellador = sello_tiempo.sellador()
    llave = asn1_keys.PrivateKeyInfo.load(
        credencial.llave.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    firmante = _FirmanteEfirma(
        llave_cargada=credencial.llave,
        signing_cert=_certificado_del_firmante(credencial.certificado),
        signing_key=llave,
        cert_registry=SimpleCertificateStore.from_certs(_raices_asn1()),
    )
    metadatos = signers.PdfSignatureMetadata(
        field_name="FirmaDictamen",
        # SAT's x500UniqueIdentifier trips asn1crypto when pyhanko derives the name itself.
        name=credencial.nombre,
        reason=razon,
        location=lugar,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True,
        use_pades_lta=True,
        timestamp_field_name="SelloDeArchivo",
        validation_context=contexto or contexto_validacion(consultar=True),
    )
    with sello_tiempo.servicios_de_confianza():
        salida = correr(
            signers.async_sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(pdf)),
                metadatos,
                signer=firmante,
                timestamper=sellador,
                # Room for the CMS container (certificate, chain, signed attributes and the
                # signature's timestamp token with the TSA's chain): about 9 KB. Reserving it
                # skips pyHanko's dry-run signature that only measures the size.
                bytes_reserved=RESERVA_FIRMA,
            )
        )
    return salida.getvalue()
