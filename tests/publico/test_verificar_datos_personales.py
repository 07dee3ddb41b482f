"""Finding 6 of issue 18: /verificar/<folio>/ and the result of an upload showed the signer's
RFC and CURP (the upload printed the certificate's whole subject). Both pages now show the
name, the position and the certificate number, and the RFC only masked."""

import pytest
from cryptography import x509
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dictamenes.emision.documentos.efirma import OID_X500_UNIQUE_IDENTIFIER
from dictamenes.emision.services import integridad
from publico.datos_personales import clave_enmascarar, texto_enmascarar
from tests.dictamenes.flujo_utils import admitida, decidir, firmar, revisar


def rfc_y_curp_del_firmante() -> tuple[str, str]:
    """What the demo firmante's certificate carries in x500UniqueIdentifier: "RFC / CURP"."""
    certificado = x509.load_der_x509_certificate(
        (settings.DICTAMENES_EFIRMA_DEMO_DIR / "firmante.cer").read_bytes()
    )
    (atributo,) = certificado.subject.get_attributes_for_oid(OID_X500_UNIQUE_IDENTIFIER)
    rfc, curp = (parte.strip() for parte in atributo.value.split("/"))
    return rfc, curp


@pytest.fixture
def dictamen(demo):
    solicitud = admitida()
    revisar(solicitud, "computo")
    return firmar(decidir(solicitud))


def sin_rfc_ni_curp_completos(html: str) -> None:
    rfc, curp = rfc_y_curp_del_firmante()
    assert len(rfc) == 13 and len(curp) == 18
    assert rfc not in html
    assert curp not in html
    assert rfc[4:10] not in html  # not even the birth date


def test_la_pagina_del_folio_no_muestra_el_rfc_ni_la_curp(dictamen, client):
    html = client.get(reverse("verificar_folio", args=[dictamen.folio])).content.decode()
    sin_rfc_ni_curp_completos(html)
    rfc, _ = rfc_y_curp_del_firmante()
    assert f"<dd>{dictamen.firmante_nombre}, {dictamen.firmante_cargo}</dd>" in html
    assert f"<dd>{dictamen.certificado_numero}</dd>" in html
    assert f"<dd>{rfc[:4]}*********</dd>" in html
    # The cadena original, with the RFC masked in its place.
    assert texto_enmascarar(dictamen.cadena_original) in html
    assert f"|{rfc[:4]}*********|{dictamen.certificado_numero}||" in html


def test_el_resultado_de_subir_el_pdf_no_muestra_el_rfc_ni_la_curp(dictamen, client):
    html = client.post(
        reverse("verificar"),
        {"pdf": SimpleUploadedFile("d.pdf", integridad.dictamen_pdf_leer(dictamen=dictamen))},
    ).content.decode()
    assert "Documento auténtico." in html
    sin_rfc_ni_curp_completos(html)
    rfc, _ = rfc_y_curp_del_firmante()
    resultado = html[html.index('id="resultado"') :]
    assert f"Firmante: {dictamen.firmante_nombre.upper()}</li>" in resultado
    assert f"Cargo: {dictamen.firmante_cargo}</li>" in resultado
    assert f"RFC del firmante (enmascarado): {rfc[:4]}*********</li>" in resultado
    assert f"Número de certificado: {dictamen.certificado_numero}</li>" in resultado
    assert "Serial Number" not in resultado and "Unique Identifier" not in resultado


@pytest.mark.parametrize(
    ("texto", "visible"),
    [
        ("GATA750503SD1", "GATA*********"),
        ("GATA750503HSRXXX01", "GATA**************"),
        ("||F/1|2026-03-02|SH|favorable|ab12|GATA750503SD1|30001000000000000001||", None),
        ("Persona moral ABC010101AB1.", "Persona moral ABC*********."),
    ],
)
def test_la_mascara_deja_solo_las_iniciales(texto, visible):
    enmascarado = texto_enmascarar(texto)
    if visible:
        assert enmascarado == visible
    assert "750503" not in enmascarado and "010101" not in enmascarado
    assert clave_enmascarar("GATA750503SD1") == "GATA*********"
    # A company's RFC has three letters: the first digit of its date stays hidden too.
    assert clave_enmascarar("ABC010101XY9") == "ABC*********"
