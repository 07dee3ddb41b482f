"""Long-term validation of a dictamen's signature (PAdES B-LTA): what the PDF's timestamps
and embedded revocation data prove, when its last document timestamp runs out, and adding
the next one before it does."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pikepdf
from pyhanko.sign.fields import SigSeedSubFilter

from dictamenes.emision.documentos import consultas, efirma, sello_tiempo


def _trust_manager():
    from pyhanko_certvalidator.registry import SimpleTrustManager

    return SimpleTrustManager.build(trust_roots=list(efirma._raices_asn1()))


def especificacion_lta(*, sin_red: bool = True):
    """What a dictamen's signature is checked against: the configured roots (the e.firma's and
    the TSA's; `validar_largo_plazo` demands an e.firma root for the signer), and revocation
    data for the signer's certificate, which a B-LT/B-LTA PDF carries itself.

    `sin_red` (the first try): nothing is fetched, and timestamping certificates are judged by
    their chain and validity period without revocation data. The last document timestamp is
    validated at the present time, when the CRL embedded for its TSA is long stale; demanding
    a fresh one would make every dictamen depend on the network to verify. That settles a
    dictamen from its first day until its TSA's certificate runs out.

    Otherwise (the second try, for what the first could not settle: an archival timestamp
    renewed by another TSA, years on): ETSI's own rule, with current revocation data fetched
    for the last timestamp's certificate and nothing fetched for the past."""
    from pyhanko.sign.validation.policy_decl import (
        CertificateFetchingRule,
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.policy_decl import (
        NO_REVOCATION,
        REQUIRE_REVINFO,
        CertRevTrustPolicy,
    )

    confianza = _trust_manager()
    return PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=confianza,
                revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
            ),
            ts_cert_validation_policy=(
                CertValidationPolicySpec(
                    trust_manager=confianza,
                    revinfo_policy=CertRevTrustPolicy(NO_REVOCATION),
                )
                if sin_red
                else None
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=(
                    RevinfoOnlineFetchingRule.LOCAL_ONLY
                    if sin_red
                    else RevinfoOnlineFetchingRule.NO_HISTORICAL_FETCH
                ),
                # Anyone may upload a PDF to /verificar/: no certificate is fetched from an
                # address the PDF names (AIA caIssuers). A dictamen carries its whole chain;
                # revocation data is only asked of certificates that reach a configured root.
                certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
                # What is fetched comes only from configured services (documentos.consultas).
                fetcher_backend=None if sin_red else consultas.servicios_configurados(),
            ),
        )
    )


@dataclass(frozen=True)
class Largo:
    """What the long-term validation of a PDF signature found."""

    confiable: bool  # trusted, judged at the time the timestamps prove
    sello_tiempo: datetime.datetime | None  # the signature's timestamp (B-T)
    ltv: bool  # revocation data and a document timestamp travel in the PDF (B-LTA)
    sellos_documento: int  # document timestamps (the first one, then each renewal)
    cubre_todo: bool  # the signature covers the file, or only archival data came after it
    detalle: str  # pyHanko's indication, for the report
    estado: object  # pyHanko's PdfSignatureStatus: integrity, signer, reported time


def validar_largo_plazo(firma, *, con_red: bool = False) -> Largo:
    """Validate an embedded signature as ETSI EN 319 102-1 does for B-LTA (pyHanko's AdES
    validation): the chain of document timestamps proves when the signature, its
    certificates and their revocation data existed, so an expired or later revoked certificate
    still verifies.

    `con_red`: when what the PDF carries does not settle it, try ETSI's rule with current
    revocation data for the last timestamp (only for bytes already known to be a dictamen:
    nobody makes this server fetch anything with a PDF of their own)."""
    from pyhanko.sign.ades.report import AdESPassed
    from pyhanko.sign.validation import DocumentSecurityStore
    from pyhanko.sign.validation.ades import ades_lta_validation
    from pyhanko.sign.validation.errors import NoDSSFoundError

    resultado = efirma.correr(ades_lta_validation(firma, especificacion_lta()))
    if con_red and resultado.ades_subindic != AdESPassed.OK:
        resultado = efirma.correr(ades_lta_validation(firma, especificacion_lta(sin_red=False)))
    estado = resultado.api_status
    sello = getattr(estado, "timestamp_validity", None)
    sellos = list(firma.reader.embedded_timestamp_signatures)
    try:
        DocumentSecurityStore.read_dss(firma.reader)
        con_dss = True
    except NoDSSFoundError:
        con_dss = False
    # The roots trusted here are the e.firma's and the TSA's (timestamps must validate): the
    # signer's own certificate must lead to an e.firma root, never to the TSA's.
    confiable = resultado.ades_subindic == AdESPassed.OK and efirma.ancla_de_efirma(
        getattr(estado, "validation_path", None)
    )
    return Largo(
        confiable=confiable,
        sello_tiempo=_hora_del_sello(firma)
        if confiable
        else (sello.timestamp if sello is not None and sello.valid else None),
        ltv=confiable and con_dss and bool(sellos),
        sellos_documento=len(sellos),
        cubre_todo=_cubre_todo(estado, sellos),
        detalle=str(resultado.ades_subindic),
        estado=estado,
    )


def _hora_del_sello(firma) -> datetime.datetime | None:
    """The time in the signature's timestamp token. Once the long-term validation passed, it
    rested on that time; pyHanko's own status of the token judges it as of today (or is
    absent), which years on says nothing of when the dictamen was signed."""
    from pyhanko.sign.general import find_cms_attribute_iter

    for token in find_cms_attribute_iter(
        firma.signer_info["unsigned_attrs"], "signature_time_stamp_token"
    ):
        return token["content"]["encap_content_info"]["content"].parsed["gen_time"].native
    return None


def _cubre_todo(estado, sellos) -> bool:
    """The whole file is what was signed: the signature covers it, or every revision after it,
    to the last byte, only adds validation data and document timestamps (pyHanko's difference
    analysis), with at least one document timestamp."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if estado.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        estado.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and estado.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
        and bool(sellos)
    )


def vence_sello_archivo(pdf: bytes) -> datetime.datetime | None:
    """When the chain of the PDF's last document timestamp expires: the earliest end among its
    TSA's certificate and the certificates above it that the PDF carries (the TSA's CA). Before
    then, a new document timestamp must cover the old one (sello_archivo_renovar); after it,
    nothing in the PDF proves when the dictamen was signed. None: no document timestamp."""
    sello = _ultimo_sello_de_documento(pdf)
    if sello is None:
        return None
    firmante, conocidos = sello
    return fin_de_cadena(firmante, conocidos)


# What pyHanko reads as a signature (it skips any other /SubFilter).
_SUBFILTROS = frozenset(s.value for s in SigSeedSubFilter)


def _ultimo_sello_de_documento(pdf: bytes):
    """The last document timestamp's signer certificate, and the certificates the PDF carries
    besides it: those in its token and those in the document security store (asn1crypto
    certificates, as pyHanko gives them). None without a document timestamp.

    Read with qpdf (pikepdf), not with pyHanko's reader: pyHanko parses every signature's
    /Contents, tens of kilobytes of hex digits, one token at a time in Python (about 10 ms a
    dictamen, at each issuance). The signer certificate is pyHanko's own choice
    (extract_certificate_info); the last timestamp is the one whose signed byte range reaches
    furthest, the latest revision signed, as pyHanko orders them."""
    from asn1crypto import cms
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.general import extract_certificate_info

    with pikepdf.open(io.BytesIO(pdf)) as documento:
        sellos = [
            valor
            for valor in _valores_de_firma(documento)
            if valor.get("/Type") == pikepdf.Name.DocTimeStamp
            and str(valor.get("/SubFilter", "")) in _SUBFILTROS
        ]
        if not sellos:
            return None
        ultimo = max(sellos, key=_fin_firmado)
        # /Contents is padded with zeros after the DER: asn1crypto stops where it ends.
        token = cms.ContentInfo.load(bytes(ultimo.Contents))
        dss = documento.Root.get("/DSS")
        del_dss = [
            asn1_x509.Certificate.load(flujo.read_bytes())
            for flujo in (dss.get("/Certs", ()) if dss is not None else ())
        ]
    certificados = extract_certificate_info(token["content"])
    return certificados.signer_cert, [*certificados.other_certs, *del_dss]


def _valores_de_firma(documento):
    """The value (/V) of every filled signature field of the form, however deep (/Kids), as
    pyHanko enumerates them: named fields only, their type (/FT) inherited from a parent."""
    formulario = documento.Root.get("/AcroForm")
    pendientes = [(c, None) for c in formulario.get("/Fields", ())] if formulario else []
    vistos = set()
    while pendientes:
        campo, tipo_heredado = pendientes.pop()
        if not isinstance(campo, pikepdf.Dictionary) or "/T" not in campo:
            continue
        if campo.is_indirect:
            if campo.objgen in vistos:  # a form whose fields loop back
                continue
            vistos.add(campo.objgen)
        tipo = campo.get("/FT", tipo_heredado)
        pendientes.extend((hijo, tipo) for hijo in campo.get("/Kids", ()))
        valor = campo.get("/V")
        if tipo == pikepdf.Name.Sig and isinstance(valor, pikepdf.Dictionary):
            yield valor


def _fin_firmado(valor) -> int:
    """Where the signed bytes of a signature end: the later revision, the later it signs."""
    rango = [int(n) for n in valor.ByteRange]
    return rango[-2] + rango[-1]


def fin_de_cadena(certificado, conocidos) -> datetime.datetime:
    """The earliest end among `certificado` and its issuers found in `conocidos`."""
    return min(c.not_valid_after for c in cadena_hacia_arriba(certificado, conocidos))


def cadena_hacia_arriba(certificado, conocidos) -> list:
    """`certificado` and, among `conocidos` (asn1crypto certificates), its issuer, the issuer's
    issuer and so on, up to a self-signed one or one whose issuer is not there. An issuer is
    the certificate named as issuer whose key verifies the signature (not just the name: two
    CAs may share it, as every test CA does).

    Names are compared as encoded: cryptography's verify_directly_issued_by (`_emitido_por`)
    accepts no other issuer, and a certificate store's normalised comparison (LDAP string
    preparation of every name) cost more than the rest of reading the PDF."""
    cadena = [certificado]
    while (emitido_por := cadena[-1].issuer.dump()) != cadena[-1].subject.dump():
        emisor = next(
            (
                c
                for c in conocidos
                if c.subject.dump() == emitido_por
                and c not in cadena
                and _emitido_por(cadena[-1], c)
            ),
            None,
        )
        if emisor is None:
            break
        cadena.append(emisor)
    return cadena


def _emitido_por(certificado, emisor) -> bool:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    try:
        x509.load_der_x509_certificate(certificado.dump()).verify_directly_issued_by(
            x509.load_der_x509_certificate(emisor.dump())
        )
    except (ValueError, TypeError, InvalidSignature):  # another key under the same name
        return False
    return True


def sello_archivo_renovar(pdf: bytes) -> bytes:
    """Add the revocation data of the last document timestamp and a new document timestamp
    over everything (pyHanko's archival timestamp chain). The PDF's earlier bytes stay as
    they were: the update is incremental, so earlier signatures still cover their part."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.signers import PdfTimeStamper

    salida = io.BytesIO()
    with sello_tiempo.servicios_de_confianza(sello_tiempo.ERROR_TSA_RENOVAR):
        efirma.correr(
            PdfTimeStamper(
                sello_tiempo.sellador(), field_name=None
            ).async_update_archival_timestamp_chain(
                PdfFileReader(io.BytesIO(pdf), strict=False),
                efirma.contexto_validacion(consultar=True),
                in_place=False,
                output=salida,
            )
        )
    return salida.getvalue()
