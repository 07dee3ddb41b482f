"""The NOM-151-SCFI-2016 "constancia de conservación" of a signed PDF, from an accredited
prestador de servicios de certificación (PSC). Off unless DJANGO_NOM151_URL is set.

What a constancia is. The PSC receives the document's digest (never the document), joins it to
its own time and signs both: the three elements of an RFC 3161 timestamp, from a provider the
Secretaría de Economía accredits. Mifiel explains it so (blog.mifiel.com/timestamp-vs-
constancia-conservacion), and Reachcore wrote, while the 2016 revision was drafted, that PSCs
would keep issuing timestamps over the document's digest (blogamexipac.blogspot.com, 2015/01).
Providers hand back ASN.1: SignatureAPI attaches "a preservation certificate in ASN.1 format"
that "any ASN.1 signature verification tool" verifies (signatureapi.com/docs/api/resources/
envelopes/attestation/mexico-nom-151); Veriff sends the PDF's hash to FIMPE, the PSC, which
"returns a CMS/PKCS#7 certificate" (devdocs.veriff.com/docs/mexico-nom-151-certification).
So the constancia is kept as a DER CMS ContentInfo whose SignedData encapsulates an RFC 3161
TSTInfo (RFC 3161's TimeStampToken, §2.4.2), and checked here. The text of the NOM itself
(its appendix with the ASN.1) was not at hand: a state that contracts a PSC should compare a
real constancia with `constancia_leer` before relying on it.

How it travels. No public wire protocol is common to PSCs. Acertia's REST API answers JSON
with the stamped hash, the time and the TSA's name (docs.acertia.mx/nom-151); SignWell's
NOM-151 answer carries `hash` (SHA-256), `folio`, `issuedAt`, `provider` and the base64
`constancia`; other PSCs are said to offer SOAP services or plain RFC 3161 over HTTP (not
confirmed here). This adapter speaks our own JSON, the common core of those two:

    POST <DJANGO_NOM151_URL>
    Content-Type: application/json; Accept: application/json
    Authorization: Basic <DJANGO_NOM151_USUARIO:DJANGO_NOM151_CONTRASENA>  (when a user is set)
    {"algoritmo": "SHA-256", "hash": "<64 hex digits>", "nombre": "dictamen-….pdf"}

    200 {"hash": "<the same 64 hex digits>", "constancia": "<base64 DER TimeStampToken>",
         "folio": "<the PSC's number, optional>"}
    4xx/5xx {"error": "<the PSC's message>"}

A provider with another shape (SOAP, plain RFC 3161, another JSON) is one more class with the
same `constancia_solicitar` method; the rest of the project does not change. The answer is
accepted only when the JSON hash and the token's message imprint are the SHA-256 asked for,
the token's signature is intact, and, when the PSC's certificate (or its root) is given, the
signer chains to it. The time of the constancia is the one the PSC signed (TSTInfo.genTime),
not a field of the JSON. Only tested against tests/backends/psc_nom151.py, never a real PSC.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from pyhanko.sign.general import extract_signer_info
from pyhanko.sign.validation.generic_cms import (
    extract_certs_for_validation,
    validate_sig_integrity,
    validate_tst_signed_data,
)
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from dictamenes.emision.documentos.efirma import correr

ERROR_PSC_NO_RESPONDE = _(
    "El prestador de servicios de certificación no respondió a la solicitud de la constancia "
    "NOM-151. El dictamen sigue emitido; la constancia se pedirá de nuevo más tarde."
)
ERROR_PSC_RECHAZO = _(
    "El prestador de servicios de certificación rechazó la solicitud de la constancia NOM-151 "
    "(respuesta %(estado)s: %(detalle)s)."
)
ERROR_RESPUESTA_ILEGIBLE = _(
    "La respuesta del prestador de servicios de certificación no es una constancia NOM-151 "
    "legible: %(detalle)s."
)
ERROR_OTRA_HUELLA = _(
    "La constancia NOM-151 recibida no corresponde al documento: ampara otra huella SHA-256. "
    "No se guardó."
)
ERROR_FIRMA_PSC = _(
    "La firma del prestador de servicios de certificación en la constancia NOM-151 no es "
    "válida. No se guardó."
)
ERROR_PSC_NO_CONFIABLE = _(
    "La constancia NOM-151 no está firmada por el prestador de servicios de certificación "
    "configurado. No se guardó."
)

ERROR_URL_NO_WEB = _(
    "DJANGO_NOM151_URL debe ser una dirección http:// o https:// (se recibió «%(url)s»)."
)

TIPO_CONTENIDO = "application/json"
# A constancia is a few kilobytes; a bigger answer is not one.
RESPUESTA_MAXIMA = 1024 * 1024


class ConstanciaNoDisponible(Exception):
    """The provider did not give a usable constancia; the message says why, in Spanish."""


@dataclass(frozen=True)
class Constancia:
    datos: bytes  # DER: ContentInfo(SignedData(TSTInfo)), as the PSC signed it
    emitida_en: datetime.datetime  # the PSC's signed time (TSTInfo.genTime), aware
    folio: str = ""


class ProveedorNom151(Protocol):
    def constancia_solicitar(self, *, sha256: bytes, nombre: str) -> Constancia: ...


def constancia_leer(datos: bytes) -> tuple[cms.SignedData, tsp.TSTInfo]:
    """The SignedData and the TSTInfo of a stored constancia; ValueError if it is not one."""
    contenido = cms.ContentInfo.load(datos)
    if contenido["content_type"].native != "signed_data":
        raise ValueError("no es un SignedData de CMS")
    firmado = contenido["content"]
    encapsulado = firmado["encap_content_info"]
    if encapsulado["content_type"].native != "tst_info":
        raise ValueError("el SignedData no encapsula un TSTInfo de RFC 3161")
    info = encapsulado["content"].parsed
    if not isinstance(info, tsp.TSTInfo):
        raise ValueError("el SignedData no encapsula un TSTInfo de RFC 3161")
    return firmado, info


def constancia_verificar(
    *, datos: bytes, sha256: bytes, raices: tuple[asn1_x509.Certificate, ...] = ()
) -> Constancia:
    """Check a DER constancia against the document's SHA-256 (and, if given, trusted roots)."""
    try:
        firmado, info = constancia_leer(datos)
        imprint = info["message_imprint"]
        algoritmo = imprint["hash_algorithm"]["algorithm"].native
        huella = imprint["hashed_message"].native
        emitida_en = info["gen_time"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise ConstanciaNoDisponible(ERROR_RESPUESTA_ILEGIBLE % {"detalle": exc}) from exc
    if algoritmo != "sha256" or huella != sha256:
        raise ConstanciaNoDisponible(ERROR_OTRA_HUELLA)
    try:
        intacta = _firma_intacta(firmado)
    except Exception as exc:  # pyHanko's structural errors: not a signature that holds
        raise ConstanciaNoDisponible(ERROR_FIRMA_PSC) from exc
    if not intacta:
        raise ConstanciaNoDisponible(ERROR_FIRMA_PSC)
    if raices and not _firmada_por(firmado, sha256=sha256, raices=raices):
        raise ConstanciaNoDisponible(ERROR_PSC_NO_CONFIABLE)
    return Constancia(datos=datos, emitida_en=emitida_en)


def _firma_intacta(firmado: cms.SignedData) -> bool:
    """The signer's signature over the TSTInfo holds, by the certificate the token carries (no
    trust decision: that needs the PSC's certificate, see _firmada_por)."""
    signer_info = extract_signer_info(firmado)
    certificado = extract_certs_for_validation(firmado).signer_cert
    algoritmo = signer_info["digest_algorithm"]["algorithm"].native
    resumen = hashes.Hash(get_pyca_cryptography_hash(algoritmo))
    resumen.update(bytes(firmado["encap_content_info"]["content"]))
    coincide, valida = validate_sig_integrity(
        signer_info, certificado, expected_content_type="tst_info", actual_digest=resumen.finalize()
    )
    return coincide and valida


def _firmada_por(firmado: cms.SignedData, *, sha256: bytes, raices) -> bool:
    """The token's signer chains to one of `raices`, with the timestamping key usage."""
    contexto = ValidationContext(trust_roots=list(raices), allow_fetching=False)
    estado = correr(
        validate_tst_signed_data(firmado, contexto, expected_tst_imprint=lambda _algoritmo: sha256)
    )
    return estado["intact"] and estado["valid"] and estado["trust_problem_indic"] is None


@dataclass(frozen=True)
class ProveedorHttp:
    """A PSC that speaks the JSON shape described at the top of this module."""

    url: str
    usuario: str = ""
    contrasena: str = ""
    tiempo_espera: float = 10.0
    raices: tuple[asn1_x509.Certificate, ...] = ()

    def __post_init__(self):
        # Only the web: urllib would also open file: and ftp: URLs.
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise ImproperlyConfigured(ERROR_URL_NO_WEB % {"url": self.url})

    def _peticion(self, cuerpo: bytes) -> urllib.request.Request:
        encabezados = {"Content-Type": TIPO_CONTENIDO, "Accept": TIPO_CONTENIDO}
        if self.usuario:
            credencial = f"{self.usuario}:{self.contrasena}".encode()
            encabezados["Authorization"] = "Basic " + base64.b64encode(credencial).decode()
        # The scheme was checked when the provider was built, from the settings.
        return urllib.request.Request(  # noqa: S310
            self.url, data=cuerpo, headers=encabezados, method="POST"
        )

    def _respuesta(self, cuerpo: bytes) -> dict:
        peticion = self._peticion(cuerpo)
        try:
            with urllib.request.urlopen(peticion, timeout=self.tiempo_espera) as respuesta:  # noqa: S310
                return json.loads(respuesta.read(RESPUESTA_MAXIMA))
        except urllib.error.HTTPError as exc:
            detalle = _detalle_error(exc)
            raise ConstanciaNoDisponible(
                ERROR_PSC_RECHAZO % {"estado": exc.code, "detalle": detalle}
            ) from exc
        except (
            urllib.error.URLError,
            http.client.HTTPException,
            TimeoutError,
            ConnectionError,
        ) as exc:
            raise ConstanciaNoDisponible(ERROR_PSC_NO_RESPONDE) from exc
        except ValueError as exc:  # not JSON
            raise ConstanciaNoDisponible(ERROR_RESPUESTA_ILEGIBLE % {"detalle": exc}) from exc

    def constancia_solicitar(self, *, sha256: bytes, nombre: str) -> Constancia:
        cuerpo = json.dumps({"algoritmo": "SHA-256", "hash": sha256.hex(), "nombre": nombre})
        datos = self._respuesta(cuerpo.encode())
        if not isinstance(datos, dict):
            raise ConstanciaNoDisponible(ERROR_RESPUESTA_ILEGIBLE % {"detalle": "no es un objeto"})
        if str(datos.get("hash", "")).lower() != sha256.hex():
            raise ConstanciaNoDisponible(ERROR_OTRA_HUELLA)
        try:
            der = base64.b64decode(str(datos.get("constancia", "")), validate=True)
        except binascii.Error as exc:
            raise ConstanciaNoDisponible(ERROR_RESPUESTA_ILEGIBLE % {"detalle": exc}) from exc
        constancia = constancia_verificar(datos=der, sha256=sha256, raices=self.raices)
        return Constancia(
            datos=constancia.datos,
            emitida_en=constancia.emitida_en,
            folio=str(datos.get("folio", ""))[:100],
        )


def _detalle_error(exc: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(exc.read(RESPUESTA_MAXIMA)).get("error", ""))[:300] or exc.reason
    except (ValueError, AttributeError, OSError):
        return str(exc.reason)[:300]


def proveedor_de_ajustes(ajustes: dict) -> ProveedorHttp | None:
    """The provider that DICTAMENES_NOM151 names, or None when it is off (no URL).
    An optional "CERTIFICADO_PSC" (PEM or DER file of the PSC's certificate or root) makes
    the signer's chain part of the check."""
    if not ajustes.get("URL"):
        return None
    raices = ()
    if ajustes.get("CERTIFICADO_PSC"):
        raices = (_certificado(ajustes["CERTIFICADO_PSC"]),)
    return ProveedorHttp(
        url=ajustes["URL"],
        usuario=ajustes.get("USUARIO", ""),
        contrasena=ajustes.get("CONTRASENA", ""),
        tiempo_espera=float(ajustes.get("TIEMPO_ESPERA", 10.0)),
        raices=raices,
    )


def _certificado(ruta) -> asn1_x509.Certificate:
    from asn1crypto import pem

    with open(ruta, "rb") as archivo:
        datos = archivo.read()
    if pem.detect(datos):
        _tipo, _encabezados, datos = pem.unarmor(datos)
    return asn1_x509.Certificate.load(datos)
