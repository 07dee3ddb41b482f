"""The full verification report of a dictamen's PDF, for `manage.py dictamen_verificar`: what
an auditor or a court needs to know about one file, read offline.

The verdict is the public verification page's (`comprobacion.pdf_verificar`, which the command
passes in as `verificacion`): the stored dictamen with these bytes and its signature judged
by long-term validation. This module adds the details behind it, read from the PDF itself
(`largo_plazo.validar_largo_plazo`, the document security store, the document timestamps)
and from the dictamen's row (its status and its sello digital).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from dataclasses import dataclass, field

from cryptography import x509
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dictamenes.emision.documentos import efirma, largo_plazo
from dictamenes.models import PdfAnterior, Resultado
from dictamenes.models.articulos import con_articulo

logger = logging.getLogger(__name__)

NO_ES_PDF = _("El archivo no es un PDF.")
SIN_FIRMA = _("El PDF no tiene firma electrónica.")
SIN_DICTAMEN = _("Ningún dictamen emitido por este sistema tiene estos bytes (SHA-256).")
FIRMA_ALTERADA = _(
    "La firma no está íntegra: el documento cambió después de firmarse (la huella que firmó "
    "el firmante ya no corresponde a los bytes)."
)
CAMBIOS_DESPUES = _(
    "Después de la firma hay cambios que no son datos de validación ni sellos de archivo."
)
NO_CONFIABLE = _(
    "El certificado del firmante no lleva a una autoridad certificadora de confianza de esta "
    "instalación, o la firma no se pudo validar en la hora que prueban sus sellos de tiempo."
)
# A stored dictamen (its bytes are known) whose signature can no longer be proven: the
# verification page and `dictamen_verificar` name it, say why and what to do.
SIN_PRUEBA = _(
    "Es idéntico byte por byte al dictamen %(folio)s emitido %(por_institucion)s, pero su "
    "firma ya no puede comprobarse: %(razon)s"
)
PRUEBA_VENCIDA = _(
    "su prueba a largo plazo venció el %(fecha)s. El certificado de la autoridad que puso el "
    "último sello de tiempo de archivo del PDF venció ese día sin que el sello se renovara, y "
    "sin él nada prueba hoy que la firma era válida cuando se hizo."
)
PRUEBA_NO_CONFIABLE = _(
    "el certificado del firmante no lleva a una autoridad certificadora de confianza de esta "
    "instalación, o la firma no se pudo validar en la hora que prueban sus sellos de tiempo "
    "(resultado de la validación: %(detalle)s)."
)
QUE_HACER = _(
    "Qué hacer: pida %(a_institucion)s una copia actual del PDF, con su "
    "sello de archivo renovado, y verifíquela aquí. Mientras tanto, la página del dictamen "
    "%(folio)s da su estado, y su sello digital sobre la cadena original se sigue comprobando."
)


def sin_prueba_texto(verificacion) -> str:
    """Which dictamen it is, why its proof cannot be checked, and what to do
    (comprobacion.Verificacion.sin_prueba)."""
    folio = verificacion.dictamen.folio
    # Who issued this dictamen, as its own version of the texts says.
    institucion = verificacion.dictamen.textos.institucion_nombre
    vence = verificacion.prueba_vence
    if vence is not None and vence < timezone.now():
        fecha = formats.date_format(timezone.localtime(vence), "d/m/Y")
        razon = PRUEBA_VENCIDA % {"fecha": fecha}
    else:
        razon = PRUEBA_NO_CONFIABLE % {"detalle": verificacion.detalle or "—"}
    que_hacer = QUE_HACER % {"folio": folio, "a_institucion": con_articulo(institucion, "a")}
    emitido = SIN_PRUEBA % {
        "folio": folio,
        "razon": razon,
        "por_institucion": con_articulo(institucion, "por"),
    }
    return f"{emitido} {que_hacer}"


SELLO_INVALIDO = _(
    "El sello digital guardado no corresponde a la cadena original y al certificado del dictamen."
)
SELLO_CANCELACION_INVALIDO = _("El sello de la cancelación no corresponde a su cadena original.")
OTRO_CERTIFICADO = _("El PDF lo firmó un certificado distinto del que selló el dictamen.")


@dataclass
class Informe:
    """Sections of (key, label, value): the key for --json, the label for people."""

    autentico: bool = False
    motivos: list[str] = field(default_factory=list)
    secciones: dict[str, tuple[str, list[tuple[str, str, object]]]] = field(default_factory=dict)

    def seccion(self, clave: str, titulo: str) -> list:
        return self.secciones.setdefault(clave, (titulo, []))[1]

    def como_dict(self) -> dict:
        return {
            "autentico": self.autentico,
            "motivos": [str(m) for m in self.motivos],
            **{
                clave: {k: _json(v) for k, _etiqueta, v in filas}
                for clave, (_titulo, filas) in self.secciones.items()
            },
        }

    def como_texto(self) -> str:
        lineas = []
        for titulo, filas in self.secciones.values():
            lineas += [titulo, "-" * len(titulo)]
            lineas += [f"  {etiqueta}: {_texto(valor)}" for _k, etiqueta, valor in filas]
            lineas.append("")
        if self.autentico:
            lineas.append("RESULTADO: documento auténtico.")
        else:
            lineas.append("RESULTADO: documento NO auténtico.")
            lineas += [f"  - {motivo}" for motivo in self.motivos]
        return "\n".join(lineas)


def _json(valor):
    if isinstance(valor, datetime.datetime | datetime.date):
        return valor.isoformat()
    if isinstance(valor, list):
        return [_json(v) for v in valor]
    if isinstance(valor, dict):
        return {k: _json(v) for k, v in valor.items()}
    return str(valor) if isinstance(valor, Promise) else valor


def _texto(valor) -> str:
    if valor is None or valor == "" or valor == []:
        return "—"
    if isinstance(valor, bool):
        return "sí" if valor else "no"
    if isinstance(valor, datetime.datetime):
        return f"{timezone.localtime(valor):%d/%m/%Y %H:%M:%S %Z}"
    if isinstance(valor, datetime.date):
        return f"{valor:%d/%m/%Y}"
    if isinstance(valor, list):
        return "; ".join(_texto(v) for v in valor)
    if isinstance(valor, dict):  # a document timestamp
        return (
            f"{_texto(valor['hora'])}, de «{valor['tsa']}» (su certificado vence el "
            f"{_texto(valor['tsa_vence'])})"
        )
    return str(valor)


def informe_armar(*, datos: bytes, verificacion) -> Informe:
    """The report of `datos`, with `verificacion` (comprobacion.pdf_verificar of the same bytes)."""
    informe = Informe()
    _archivo(informe, datos, verificacion.dictamen)
    firma = _ultima_firma(datos) if verificacion.es_pdf else None
    if firma is not None:
        largo = _largo_plazo(firma)
        _firma(informe, firma, largo, verificacion)
        _cadena(informe, firma, largo, verificacion)
        _sello_tiempo(informe, largo)
        _ltv(informe, firma, largo)
    sellos_ok = _sello_digital(informe, verificacion.dictamen, firma)
    informe.motivos = _motivos(verificacion, firma) + sellos_ok
    informe.autentico = verificacion.autentico and not informe.motivos
    return informe


def _ultima_firma(datos: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        firmas = PdfFileReader(io.BytesIO(datos), strict=False).embedded_regular_signatures
    except Exception:
        return None
    return firmas[-1] if firmas else None


def _largo_plazo(firma) -> largo_plazo.Largo | None:
    try:
        return largo_plazo.validar_largo_plazo(firma)  # offline: what the PDF carries
    except Exception:
        logger.info("La validación a largo plazo no terminó", exc_info=True)
        return None


def _archivo(informe: Informe, datos: bytes, dictamen) -> None:
    sha256 = hashlib.sha256(datos).hexdigest()
    filas = informe.seccion("archivo", "Archivo")
    filas.append(("sha256", "SHA-256", sha256))
    if dictamen is None:
        filas.append(("coincide", "Coincide con", SIN_DICTAMEN))
        return
    if dictamen.pdf_sha256 == sha256:
        coincide = f"el PDF del dictamen {dictamen.folio} tal como se guarda hoy"
    else:
        anterior = PdfAnterior.objects.get(sha256=sha256)
        coincide = (
            f"una versión anterior del PDF del dictamen {dictamen.folio} (reemplazada el "
            f"{_texto(anterior.reemplazado_en)} al renovar su sello de archivo; la firma es la "
            "misma)"
        )
    filas += [
        ("coincide", "Coincide con", coincide),
        ("folio", "Folio", dictamen.folio),
        ("estado", "Estado", str(dictamen.estado_display)),
        ("emitido_en", "Emitido", dictamen.emitido_en),
        # A no favorable dictamen authorises nothing: no validity to give (Dictamen.ESTADOS).
        (
            "vigencia_hasta",
            "Vigente hasta",
            None if dictamen.resultado == Resultado.NO_FAVORABLE else dictamen.vigencia_hasta,
        ),
    ]
    if dictamen.cancelado_en:
        filas += [
            ("cancelado_en", "Cancelado el", dictamen.cancelado_en),
            ("motivo_cancelacion", "Motivo de la cancelación", dictamen.motivo_cancelacion),
        ]
    nuevo = dictamen.rectificaciones.order_by("emitido_en").first()
    if nuevo is not None:
        filas.append(("rectificado_por", "Rectificado por el dictamen", nuevo.folio))


def _certificado(asn1_certificado) -> x509.Certificate:
    return x509.load_der_x509_certificate(asn1_certificado.dump())


def _firmante(certificado: x509.Certificate) -> tuple[str, str, str]:
    nombres = certificado.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    try:
        rfc = efirma.rfc_de(certificado)
    except ValidationError:
        rfc = ""
    nombre = nombres[0].value if nombres else ""
    return nombre, rfc, efirma.numero_certificado(certificado)


def _firma(informe: Informe, firma, largo, verificacion) -> None:
    filas = informe.seccion("firma", "Firma electrónica (PAdES)")
    nombre, rfc, numero = _firmante(_certificado(firma.signer_cert))
    if largo is None or not verificacion.firma_integra:
        cobertura = "no se pudo comprobar"
    elif largo.estado.coverage.name == "ENTIRE_FILE":
        cobertura = "todo el documento"
    elif largo.cubre_todo:
        cobertura = (
            "todo el documento hasta la firma; después solo hay datos de validación y sellos "
            "de archivo"
        )
    else:
        cobertura = "NO: hay cambios después de la firma"
    filas += [
        ("firmas", "Firmas en el PDF", verificacion.firmas),
        ("campo", "Campo", firma.field_name),
        ("integra", "Íntegra (los bytes firmados no cambiaron)", verificacion.firma_integra),
        ("cobertura", "Cubre", cobertura),
        ("firmante", "Firmante", nombre),
        ("rfc", "RFC", rfc),
        ("certificado_numero", "Número de certificado", numero),
        ("hora_declarada", "Hora que declara el firmante", firma.self_reported_timestamp),
    ]


def _cadena(informe: Informe, firma, largo, verificacion) -> None:
    filas = informe.seccion("cadena", "Cadena de confianza")
    certificado = _certificado(firma.signer_cert)
    ruta = largo.estado.validation_path if largo is not None else None
    raiz = ruta.trust_anchor.authority.name.human_friendly if ruta is not None else ""
    filas += [
        ("confiable", "De confianza", verificacion.firma_confiable),
        ("raiz", "Raíz configurada a la que lleva", raiz),
        ("emisor", "Emisor del certificado", firma.signer_cert.issuer.human_friendly),
        ("valido_desde", "Certificado válido desde", certificado.not_valid_before_utc),
        ("valido_hasta", "Certificado válido hasta", certificado.not_valid_after_utc),
    ]


def _nombre_tsa(certificado) -> str:
    nombre = certificado.subject.native.get("common_name") or certificado.subject.human_friendly
    return " ".join(nombre) if isinstance(nombre, list) else nombre


def _vence(certificado) -> datetime.datetime:
    return certificado["tbs_certificate"]["validity"]["not_after"].native


def _sello_tiempo(informe: Informe, largo) -> None:
    filas = informe.seccion("sello_tiempo", "Sello de tiempo de la firma (RFC 3161)")
    sello = largo.estado.timestamp_validity if largo is not None else None
    if sello is None:
        filas.append(("hora", "Hora", None))
        return
    filas += [
        ("hora", "Hora", sello.timestamp),
        ("valido", "Sello íntegro y de confianza", bool(sello.valid and sello.trusted)),
        ("tsa", "Autoridad de sello de tiempo", _nombre_tsa(sello.signing_cert)),
        ("tsa_vence", "Su certificado vence el", _vence(sello.signing_cert)),
    ]


def _ltv(informe: Informe, firma, largo) -> None:
    from pyhanko.sign.validation import DocumentSecurityStore
    from pyhanko.sign.validation.errors import NoDSSFoundError

    try:
        dss = DocumentSecurityStore.read_dss(firma.reader)
        crls, ocsps, certificados = len(dss.crls), len(dss.ocsps), len(dss.certs)
    except NoDSSFoundError:
        crls = ocsps = certificados = 0
    sellos = [
        {
            "hora": s.signed_data["encap_content_info"]["content"].parsed["gen_time"].native,
            "tsa": _nombre_tsa(s.signer_cert),
            "tsa_vence": _vence(s.signer_cert),
        }
        for s in firma.reader.embedded_timestamp_signatures
    ]
    informe.seccion("ltv", "Validación a largo plazo (LTV)").extend(
        [
            ("validada", "Validada a largo plazo (PAdES B-LTA)", bool(largo and largo.ltv)),
            ("crls", "Listas de revocación (CRL) en el DSS", crls),
            ("ocsps", "Respuestas OCSP en el DSS", ocsps),
            ("certificados", "Certificados en el DSS", certificados),
            ("sellos_documento", "Sellos de documento", len(sellos)),
            ("sellos_documento_horas", "Sus horas", sellos),
            ("ades", "Resultado AdES (pyHanko)", largo.detalle if largo else "no terminó"),
        ]
    )


def _sello_digital(informe: Informe, dictamen, firma) -> list[str]:
    """The cadena original and sello digital stored for the folio, checked against the
    certificate stored with them (and that certificate against the PDF's signer)."""
    if dictamen is None:
        return []
    certificado = x509.load_pem_x509_certificate(dictamen.certificado_pem.encode())
    valido = efirma.sello_valido(
        certificado=certificado, cadena=dictamen.cadena_original, sello=dictamen.sello
    )
    mismo = firma is not None and _certificado(firma.signer_cert) == certificado
    filas = informe.seccion("sello_digital", "Sello digital (cadena original)")
    filas += [
        ("cadena_original", "Cadena original", dictamen.cadena_original),
        ("certificado_numero", "Número de certificado", dictamen.certificado_numero),
        ("valido", "El sello corresponde a la cadena y al certificado", valido),
        ("mismo_certificado", "Es el certificado que firmó el PDF", mismo),
    ]
    motivos = [] if valido else [SELLO_INVALIDO]
    if firma is not None and not mismo:
        motivos.append(OTRO_CERTIFICADO)
    if dictamen.cancelado_en:
        cancelacion = efirma.sello_valido(
            certificado=certificado,
            cadena=dictamen.cadena_cancelacion,
            sello=dictamen.sello_cancelacion,
        )
        filas.append(("cancelacion_valida", "El sello de la cancelación es válido", cancelacion))
        if not cancelacion:
            motivos.append(SELLO_CANCELACION_INVALIDO)
    return motivos


def _motivos(verificacion, firma) -> list[str]:
    if not verificacion.es_pdf:
        return [NO_ES_PDF]
    if firma is None:
        return [SIN_FIRMA] + ([] if verificacion.dictamen else [SIN_DICTAMEN])
    motivos = [] if verificacion.dictamen else [SIN_DICTAMEN]
    if not verificacion.firma_integra:
        return [*motivos, FIRMA_ALTERADA]
    if not verificacion.cubre_todo:
        motivos.append(CAMBIOS_DESPUES)
    if verificacion.sin_prueba:
        motivos.append(sin_prueba_texto(verificacion))
    elif not verificacion.firma_confiable:
        motivos.append(NO_CONFIABLE)
    return motivos
