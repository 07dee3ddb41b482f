"""The TSA's CA is trusted for timestamps only: a certificate it issues never signs a dictamen,
nor verifies as a signer's e.firma, even with the signer's RFC (DJANGO_TSA_RAICES apart from
DJANGO_EFIRMA_RAICES)."""

import hashlib
import io

import pytest
from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo import confianza_local, efirma_pruebas
from dictamenes.emision.documentos import efirma
from dictamenes.emision.services import comprobacion, emision, integridad
from dictamenes.models import Dictamen, EventoAuditoria, Solicitud
from tests.dictamenes.flujo_utils import en_firma, firmar, usuario

pytestmark = pytest.mark.django_db

RFC_FIRMANTE = "GATA750503SD1"  # the demo firmante's


@pytest.fixture
def solicitud(demo):
    return en_firma(areas=("computo",))


def efirma_de_la_ac_de_la_tsa():
    """A certificate shaped like an e.firma, with the firmante's RFC, issued by the demo TSA's
    own CA (as anyone holding that CA's key, or a flaw of that provider, could)."""
    ca = confianza_local.ca_tsa_asegurar(settings.DICTAMENES_EFIRMA_DEMO_DIR)
    return efirma_pruebas.generar_efirma(
        ca=ca,
        nombre="PERSONA DE PRUEBA",
        rfc=RFC_FIRMANTE,
        curp="XEXX010101HSRXXX09",
        contrasena="otra-clave",
    )


def test_la_ac_de_la_tsa_no_emite_e_firmas_al_firmar(solicitud, client):
    falsa = efirma_de_la_ac_de_la_tsa()
    credencial = efirma.credencial_cargar(cer=falsa.cer, key=falsa.key, contrasena="otra-clave")
    with pytest.raises(ValidationError) as exc:
        emision.dictamen_emitir(
            solicitud=solicitud, usuario=usuario("firmante"), credencial=credencial
        )
    assert exc.value.messages == [str(efirma.ERROR_RAIZ_NO_EFIRMA)]

    # The same through the signing page: the error in Spanish, nothing issued.
    client.force_login(usuario("firmante"))
    respuesta = client.post(
        reverse("solicitudes:firma", args=[solicitud.pk]),
        {
            "cer": SimpleUploadedFile("firma.cer", falsa.cer),
            "key": SimpleUploadedFile("firma.key", falsa.key),
            "contrasena": "otra-clave",
        },
    )
    assert respuesta.status_code == 400
    assert "solo se acepta para sellos de tiempo" in respuesta.content.decode()
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.FIRMA
    assert not Dictamen.objects.filter(solicitud=solicitud).exists()
    assert not EventoAuditoria.objects.filter(tipo="dictamen").exists()
    # No folio was used: the real e.firma signs the first one.
    assert firmar(solicitud).folio.endswith("/0001")


def _firmar_con_pyhanko(pdf: bytes, credencial, *, lta: bool) -> bytes:
    """Sign `pdf` again (a new last signature) straight with pyHanko: `lta`, as the system
    signs (timestamp of the demo TSA, validation data, document timestamp); else a plain
    signature, judged as of today."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from dictamenes.emision.documentos import sello_tiempo

    firmante = signers.SimpleSigner(
        signing_cert=efirma._asn1(credencial.certificado),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            credencial.llave.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs(efirma._raices_asn1()),
    )
    metadatos = signers.PdfSignatureMetadata(
        field_name="FirmaFalsa",
        name=credencial.nombre,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=lta,
        use_pades_lta=lta,
        validation_context=efirma.contexto_validacion(consultar=True) if lta else None,
    )
    with sello_tiempo.servicios_de_confianza():
        salida = efirma.correr(
            signers.async_sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(pdf)),
                metadatos,
                signer=firmante,
                timestamper=sello_tiempo.sellador() if lta else None,
            )
        )
    return salida.getvalue()


def verificar(client, contenido: bytes) -> str:
    return client.post(
        reverse("verificar"), {"pdf": SimpleUploadedFile("d.pdf", contenido)}
    ).content.decode()


@pytest.mark.parametrize("lta", [True, False], ids=["b-lta", "sin-sello"])
def test_un_pdf_firmado_con_un_certificado_de_la_ac_de_la_tsa_no_es_autentico(
    solicitud, client, lta
):
    """Even when its bytes are a stored dictamen's (as one issued through that certificate
    would be), a PDF whose last signature comes from the TSA's CA is not authentic."""
    dictamen = firmar(solicitud)
    falsa = efirma_de_la_ac_de_la_tsa()
    credencial = efirma.credencial_cargar(cer=falsa.cer, key=falsa.key, contrasena="otra-clave")
    pdf = _firmar_con_pyhanko(integridad.dictamen_pdf_leer(dictamen=dictamen), credencial, lta=lta)
    Dictamen.objects.filter(pk=dictamen.pk).update(pdf_sha256=hashlib.sha256(pdf).hexdigest())

    verificacion = comprobacion.pdf_verificar(datos=pdf, con_red=False)
    assert verificacion.dictamen == dictamen and verificacion.firma_integra
    assert verificacion.firmante_rfc == RFC_FIRMANTE
    assert not verificacion.firma_confiable
    assert not verificacion.autentico
    html = verificar(client, pdf)
    assert "Documento auténtico." not in html


def test_la_firma_de_la_demostracion_sigue_firmando_y_verificando(solicitud, client):
    dictamen = firmar(solicitud)
    pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
    verificacion = comprobacion.pdf_verificar(datos=pdf)
    assert verificacion.autentico and verificacion.ltv
    assert verificacion.firmante_rfc == RFC_FIRMANTE
    assert "Documento auténtico." in verificar(client, pdf)
