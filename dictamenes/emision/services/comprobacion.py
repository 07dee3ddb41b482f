"""Public verification of an uploaded PDF: is it a dictamen this system issued, and does its
signature hold today (the page /verificar/, the API and dictamen_verificar)."""

import datetime
import hashlib
import io
import logging
from dataclasses import dataclass

from dictamenes.emision.documentos import archivistico, efirma, largo_plazo
from dictamenes.models import Dictamen

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verificacion:
    """What a citizen learns from uploading a PDF."""

    dictamen: Dictamen | None
    es_pdf: bool
    firmas: int
    firma_integra: bool
    firma_confiable: bool
    cubre_todo: bool
    firmante: str
    firmante_rfc: str = ""
    certificado_numero: str = ""
    # The signing time the signer declared, the trusted timestamp's time (PAdES B-T) and
    # whether the chain and revocation data travel in the PDF (B-LT/B-LTA).
    firmado_en: datetime.datetime | None = None
    sello_tiempo: datetime.datetime | None = None
    ltv: bool = False
    # Why the signature is not trusted: pyHanko's AdES indication, and when the certificate of
    # the PDF's last document timestamp (its long-term proof) expires or expired.
    detalle: str = ""
    prueba_vence: datetime.datetime | None = None
    # Not issued: the signer's preview, which says so in its metadata (never authentic).
    vista_previa: bool = False

    @property
    def autentico(self) -> bool:
        return bool(
            self.dictamen and self.firma_integra and self.firma_confiable and self.cubre_todo
        )

    @property
    def sin_prueba(self) -> bool:
        """The bytes are a stored dictamen's, intact and unchanged after signing, but its
        signature can no longer be proven trusted (its long-term proof expired, or its chain
        does not reach a configured root): not a false document, not a proven one."""
        return bool(
            self.dictamen and self.firma_integra and self.cubre_todo and not self.firma_confiable
        )


def pdf_verificar(*, datos: bytes, con_red: bool = True) -> Verificacion:
    """Check an uploaded PDF: the stored dictamen with those bytes (or an earlier version of
    its file), and its last signature as ETSI's long-term validation judges it, at the time
    its timestamps prove. A signature without long-term data (issued before B-LTA) is judged
    as of today, as it always was. `con_red`: whether, for the bytes of a stored dictamen that
    the PDF's own data does not settle, current revocation data may be fetched."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    sha256 = hashlib.sha256(datos).hexdigest()
    dictamen = (
        Dictamen.objects.filter(pdf_sha256=sha256).first()
        or Dictamen.objects.filter(pdfs_anteriores__sha256=sha256).first()
    )
    vacio = Verificacion(dictamen, False, 0, False, False, False, "")
    if not datos.startswith(b"%PDF-"):
        return vacio
    try:
        lector = PdfFileReader(io.BytesIO(datos), strict=False)
        firmas = list(lector.embedded_regular_signatures)
    except Exception:  # any malformed PDF is simply "not authentic"
        return vacio
    if not firmas:
        # The signer's preview has no signature: named as such, still not authentic.
        vista_previa = dictamen is None and archivistico.es_vista_previa(datos)
        return Verificacion(dictamen, True, 0, False, False, False, "", vista_previa=vista_previa)
    firma = firmas[-1]
    try:
        largo = largo_plazo.validar_largo_plazo(firma, con_red=con_red and dictamen is not None)
        estado = largo.estado
        confiable = largo.confiable or _confiable_hoy(firma)
    except Exception:
        logger.info("Firma ilegible en un PDF subido a verificación", exc_info=True)
        return Verificacion(dictamen, True, len(firmas), False, False, False, "")
    return Verificacion(
        dictamen=dictamen,
        es_pdf=True,
        firmas=len(firmas),
        firma_integra=bool(estado.intact and estado.valid),
        firma_confiable=confiable,
        cubre_todo=largo.cubre_todo,
        firmado_en=firma.self_reported_timestamp,
        sello_tiempo=largo.sello_tiempo,
        ltv=largo.ltv,
        detalle=largo.detalle,
        prueba_vence=None if confiable else _vence_la_prueba(datos),
        **(_firmante(estado.signing_cert) if estado.signing_cert else {}),
    )


def _confiable_hoy(firma) -> bool:
    """The signature judged as of today (one issued before B-LTA): trusted, and its signer's
    certificate leads to an e.firma root (the TSA's roots vouch for timestamps only)."""
    from pyhanko.sign.validation import async_validate_pdf_signature

    estado = efirma.correr(async_validate_pdf_signature(firma, efirma.contexto_validacion()))
    return bool(estado.trusted) and efirma.ancla_de_efirma(estado.validation_path)


def _vence_la_prueba(datos: bytes) -> datetime.datetime | None:
    try:
        return largo_plazo.vence_sello_archivo(datos)
    except Exception:  # a PDF whose document timestamps cannot be read has no date to give
        logger.info("Sellos de documento ilegibles en un PDF subido", exc_info=True)
        return None


def _firmante(certificado) -> dict:
    """Who signed, as a person reads it: the name, the RFC and the número de certificado.
    SAT's subject carries "RFC / CURP" in x500UniqueIdentifier and " / CURP" in serialNumber,
    with empty parts; asn1crypto's human_friendly printed them raw (" / GATA…"). The serial
    number attribute is not the certificate's number, and the CURP is not shown: it is
    personal data that verifying does not need."""
    sujeto = certificado.subject.native
    valor = sujeto.get("unique_identifier") or ""
    partes = [
        p.strip().upper()
        for v in (valor if isinstance(valor, list) else [valor])
        for p in str(v).split("/")
        if p.strip()
    ]
    nombre = sujeto.get("common_name") or sujeto.get("organization_name") or ""
    return {
        "firmante": " ".join(nombre) if isinstance(nombre, list) else nombre,
        "firmante_rfc": partes[0] if partes else "",
        "certificado_numero": efirma.numero_certificado(
            efirma.x509.load_der_x509_certificate(certificado.dump())
        ),
    }
