"""Issuing the dictamen with the e.firma: seal, PDF, PAdES signature, verification, cancellation."""

import datetime
import hashlib
import io
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo import efirma_pruebas
from dictamenes.emision.documentos import efirma
from dictamenes.emision.services import comprobacion, emision, integridad, rectificacion
from dictamenes.models import Dictamen, Solicitud
from tests.backends.plugin import skip_backend
from tests.dictamenes.flujo_utils import credencial, firmar, rectificar, usuario
from tests.dictamenes.flujo_utils import en_firma as solicitud_en_firma
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db


en_firma_del_modulo = por_modulo(
    lambda: solicitud_en_firma(
        areas=("computo", "redes"),
        resultado="condicionado",
        motivos="Procede con la consolidación de la compra.",
        condiciones="Consolidar con la Secretaría de Salud.",
    )
)


@pytest.fixture
def en_firma(demo, en_firma_del_modulo):
    return de_nuevo(en_firma_del_modulo)


def ca_demo():
    carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
    return (
        x509.load_der_x509_certificate((carpeta / "ca-demo.cer").read_bytes()),
        serialization.load_pem_private_key((carpeta / "ca-demo.key").read_bytes(), None),
    )


def otra_efirma(*, ca=None, rfc="GATA750503SD1", **kwargs):
    return efirma_pruebas.generar_efirma(
        ca=ca or ca_demo(),
        nombre="PERSONA DE PRUEBA",
        rfc=rfc,
        curp="XEXX010101HSRXXX09",
        contrasena="otra-clave",
        **kwargs,
    )


def test_emision_feliz(en_firma):
    dictamen = firmar(en_firma)
    anio = dictamen.emitido_en.year
    assert dictamen.folio == f"SGD/DGPDGT/DT/{anio}/0001"
    en_firma.refresh_from_db()
    assert en_firma.estado == Solicitud.Estado.DICTAMINADA
    assert en_firma.proceso.status == "DONE"
    # The cadena original names folio, date, agency, result, content hash, RFC and certificate.
    campos = dictamen.cadena_original.strip("|").split("|")
    assert campos[0] == dictamen.folio
    assert campos[2:] == [
        en_firma.ente.siglas,
        "condicionado",
        dictamen.contenido_sha256,
        "GATA750503SD1",
        dictamen.certificado_numero,
    ]
    certificado = x509.load_pem_x509_certificate(dictamen.certificado_pem.encode())
    assert efirma.sello_valido(
        certificado=certificado, cadena=dictamen.cadena_original, sello=dictamen.sello
    )
    assert not efirma.sello_valido(
        certificado=certificado, cadena=dictamen.cadena_original + "x", sello=dictamen.sello
    )
    pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
    assert hashlib.sha256(pdf).hexdigest() == dictamen.pdf_sha256
    assert dictamen.pdf.name.startswith(f"expedientes/{en_firma.ejercicio}/{en_firma.folio}/")


def test_el_pdf_pasa_la_validacion_de_pyhanko_con_la_ac_de_prueba(en_firma):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    pdf = integridad.dictamen_pdf_leer(dictamen=firmar(en_firma))
    firma = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    estado = validate_pdf_signature(firma, efirma.contexto_validacion())
    assert estado.intact and estado.valid and estado.trusted
    assert estado.bottom_line


def test_pdfsig_de_poppler_reporta_la_firma_valida_y_de_confianza(en_firma, tmp_path):
    if not (shutil.which("pdfsig") and shutil.which("certutil")):
        skip_backend("faltan pdfsig (poppler-utils) o certutil (libnss3-tools)")
    archivo = tmp_path / "dictamen.pdf"
    archivo.write_bytes(integridad.dictamen_pdf_leer(dictamen=firmar(en_firma)))
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{nss}",
            "-n",
            "ac-pruebas",
            "-t",
            "CT,C,C",
            "-i",
            str(settings.DICTAMENES_EFIRMA_DEMO_DIR / "ca-demo.cer"),
        ],
        check=True,
    )
    salida = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(archivo)], capture_output=True, text=True
    ).stdout
    firma, sello = salida.split("Signature #2:")
    assert "Signature Field Name: FirmaDictamen" in firma
    assert "Signature Type: ETSI.CAdES.detached" in firma
    assert "Signature is Valid." in firma
    assert "Certificate is Trusted." in firma
    # After the signature come only the validation data and the document timestamp (B-LTA),
    # which pdfsig lists as a second signature covering the whole file. poppler 22.12 has no
    # name for its /SubFilter /ETSI.RFC3161 ("unknown") and does not validate it.
    assert "Signature Field Name: SelloDeArchivo" in sello
    assert "Signer Certificate Common Name: Sello de tiempo de pruebas" in sello
    assert "Signature #3" not in salida
    from pyhanko.pdf_utils.reader import PdfFileReader

    documento = PdfFileReader(io.BytesIO(archivo.read_bytes()))
    (sello_pdf,) = documento.embedded_timestamp_signatures
    assert sello_pdf.sig_object["/SubFilter"] == "/ETSI.RFC3161"


def _sin_dictamen(solicitud):
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.FIRMA
    assert not Dictamen.objects.exists()


@pytest.mark.parametrize(
    ("cargar", "mensaje"),
    [
        (
            lambda e: efirma.credencial_cargar(cer=e.cer, key=e.key, contrasena="equivocada"),
            efirma.ERROR_CONTRASENA,
        ),
        (
            lambda e: efirma.credencial_cargar(
                cer=otra_efirma().cer, key=e.key, contrasena=e.contrasena
            ),
            efirma.ERROR_LLAVE_NO_CORRESPONDE,
        ),
        (lambda e: efirma.credencial_cargar(p12=e.p12, contrasena="equivocada"), efirma.ERROR_P12),
        (
            lambda e: efirma.credencial_cargar(
                cer=b"no soy un certificado", key=e.key, contrasena=e.contrasena
            ),
            efirma.ERROR_CER,
        ),
    ],
    ids=["contrasena", "llave-ajena", "p12-contrasena", "cer-malformado"],
)
def test_credencial_que_no_abre(en_firma, cargar, mensaje):
    propia = otra_efirma()
    with pytest.raises(ValidationError) as exc:
        cargar(propia)
    assert exc.value.messages == [str(mensaje)]
    _sin_dictamen(en_firma)


def _emitir_con(solicitud, e):
    return emision.dictamen_emitir(
        solicitud=solicitud,
        usuario=usuario("firmante"),
        credencial=efirma.credencial_cargar(cer=e.cer, key=e.key, contrasena=e.contrasena),
    )


def test_certificado_vencido(en_firma):
    ahora = datetime.datetime.now(datetime.UTC)
    vencida = otra_efirma(
        desde=ahora - datetime.timedelta(days=800), hasta=ahora - datetime.timedelta(days=2)
    )
    with pytest.raises(ValidationError) as exc:
        _emitir_con(en_firma, vencida)
    assert exc.value.messages[0].startswith("El certificado venció el")
    _sin_dictamen(en_firma)


def test_certificado_de_una_ac_que_no_es_de_confianza(en_firma):
    with pytest.raises(ValidationError) as exc:
        _emitir_con(en_firma, otra_efirma(ca=efirma_pruebas.generar_ca("AC apócrifa")))
    assert exc.value.messages == [str(efirma.ERROR_NO_CONFIABLE)]
    _sin_dictamen(en_firma)


def test_certificado_de_otro_rfc(en_firma):
    with pytest.raises(ValidationError) as exc:
        _emitir_con(en_firma, otra_efirma(rfc="XAXX010101000"))
    assert exc.value.messages == [
        "El certificado pertenece al RFC XAXX010101000, no al de quien firma (GATA750503SD1)."
    ]
    _sin_dictamen(en_firma)


def test_un_fallo_no_consume_folio(en_firma):
    with pytest.raises(ValidationError):
        _emitir_con(en_firma, otra_efirma(rfc="XAXX010101000"))
    assert firmar(en_firma).folio.endswith("/0001")


def test_con_p12_tambien_se_firma(en_firma):
    carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
    dictamen = emision.dictamen_emitir(
        solicitud=en_firma,
        usuario=usuario("firmante"),
        credencial=efirma.credencial_cargar(
            p12=(carpeta / "firmante.p12").read_bytes(),
            contrasena=efirma_pruebas.CONTRASENA_EFIRMA_DEMO,
        ),
    )
    assert dictamen.certificado_rfc == "GATA750503SD1"


def test_doble_clic_en_firmar_emite_un_solo_dictamen(en_firma, client):
    from tests.dictamenes.flujo_utils import archivos_efirma

    client.force_login(usuario("firmante"))
    url = reverse("solicitudes:firma", args=[en_firma.pk])
    assert client.post(url, archivos_efirma()).status_code == 302
    segunda = client.post(url, archivos_efirma())
    assert segunda.status_code == 400
    assert "no se firma dos veces" in segunda.content.decode()
    assert Dictamen.objects.count() == 1


def test_contrasena_equivocada_por_http_da_400_en_espanol(en_firma, client):
    from tests.dictamenes.flujo_utils import archivos_efirma

    client.force_login(usuario("firmante"))
    datos = archivos_efirma() | {"contrasena": "no-es"}
    respuesta = client.post(reverse("solicitudes:firma", args=[en_firma.pk]), datos)
    assert respuesta.status_code == 400
    assert str(efirma.ERROR_CONTRASENA) in respuesta.content.decode()
    assert "no-es" not in respuesta.content.decode()
    _sin_dictamen(en_firma)


# --- Verification ----------------------------------------------------------------------------


def verificar(client, contenido: bytes):
    return client.post(
        reverse("verificar"), {"pdf": SimpleUploadedFile("d.pdf", contenido)}
    ).content.decode()


def test_verificacion_publica_del_pdf_genuino_y_del_alterado(en_firma, client):
    dictamen = firmar(en_firma)
    pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
    assert "Documento auténtico." in verificar(client, pdf)

    alterado = bytearray(pdf)
    posicion = pdf.index(b"/Title") + 8  # one byte of the document information
    alterado[posicion] ^= 0x01
    html = verificar(client, bytes(alterado))
    assert "Documento NO auténtico." in html
    assert "no es idéntico a ningún dictamen emitido" in html

    assert "El archivo no es un PDF." in verificar(client, b"hola")


def test_pagina_de_verificacion_por_folio(en_firma, client):
    dictamen = firmar(en_firma)
    html = client.get(reverse("verificar_folio", args=[dictamen.folio])).content.decode()
    assert "Estado: Vigente</h2>" in html
    assert dictamen.pdf_sha256 in html
    assert "Válido para la cadena original" in html
    assert "Favorable condicionado" in html
    # Anonymous readers see no download link, and the download itself is a 404 for them.
    url_pdf = reverse("solicitudes:dictamen_pdf", args=[en_firma.pk, dictamen.pk])
    assert url_pdf not in html
    assert client.get(url_pdf).status_code == 404
    assert client.get(reverse("verificar_folio", args=["SGD/NO/EXISTE"])).status_code == 404


@pytest.mark.parametrize(
    ("username", "status"),
    [("requirente.sh", 200), ("revisor.redes", 200), ("auditor", 200), ("requirente.rc", 404)],
)
def test_descarga_del_pdf_segun_quien_pide(en_firma, client, username, status):
    dictamen = firmar(en_firma)
    client.force_login(usuario(username))
    respuesta = client.get(reverse("solicitudes:dictamen_pdf", args=[en_firma.pk, dictamen.pk]))
    assert respuesta.status_code == status
    if status == 200:
        assert hashlib.sha256(respuesta.content).hexdigest() == dictamen.pdf_sha256


# --- Cancellation and rectification ----------------------------------------------------------


def test_cancelacion_con_sello_y_sigue_verificable(en_firma, client):
    dictamen = firmar(en_firma)
    with pytest.raises(ValidationError, match="Escriba el motivo"):
        rectificacion.dictamen_cancelar(
            dictamen=dictamen, usuario=usuario("firmante"), credencial=credencial(), motivo=" "
        )
    rectificacion.dictamen_cancelar(
        dictamen=dictamen,
        usuario=usuario("firmante"),
        credencial=credencial(),
        motivo="El ente desistió de la compra.",
    )
    dictamen.refresh_from_db()
    assert dictamen.estado == "cancelado"
    certificado = x509.load_pem_x509_certificate(dictamen.certificado_pem.encode())
    assert efirma.sello_valido(
        certificado=certificado,
        cadena=dictamen.cadena_cancelacion,
        sello=dictamen.sello_cancelacion,
    )
    html = client.get(reverse("verificar_folio", args=[dictamen.folio])).content.decode()
    assert "Estado: Cancelado</h2>" in html
    assert "El ente desistió de la compra." in html
    # The signed PDF is kept, byte for byte.
    assert integridad.dictamen_pdf_leer(dictamen=dictamen)
    with pytest.raises(ValidationError, match="ya está cancelado"):
        rectificacion.dictamen_cancelar(
            dictamen=dictamen,
            usuario=usuario("firmante"),
            credencial=credencial(),
            motivo="Se emitió con otro folio.",
        )
    with pytest.raises(PermissionDenied):
        rectificacion.dictamen_cancelar(
            dictamen=dictamen,
            usuario=usuario("estrategico"),
            credencial=credencial(),
            motivo="Se emitió con otro folio.",
        )


def test_rectificacion_emite_uno_nuevo_que_apunta_al_anterior(en_firma):
    original = firmar(en_firma)
    nuevo = rectificar(
        original,
        motivo="Error en las condiciones.",
        motivos="Procede con consolidación.",
        condiciones="Consolidar con la Secretaría de Salud y el ISSSTESON.",
    )
    original.refresh_from_db()
    assert original.estado == "rectificado"  # cancelled by the new one, which replaces it
    assert original.motivo_cancelacion == "Rectificación: Error en las condiciones."
    assert nuevo.sustituye == original
    assert nuevo.folio.endswith("/0002")
    assert list(en_firma.dictamenes.order_by("pk")) == [original, nuevo]
    assert en_firma.dictamen_vigente == nuevo


def test_la_emision_funciona_con_s3(en_firma, s3_server, monkeypatch, tmp_path, client):
    from tests.backends.servers import s3_storage

    with s3_storage(
        s3_server.endpoint_url, "dictamenes-pruebas", monkeypatch=monkeypatch, media_root=tmp_path
    ) as s3:
        dictamen = firmar(en_firma)
        objeto = s3.get_object(Bucket="dictamenes-pruebas", Key=dictamen.pdf.name)
        assert hashlib.sha256(objeto["Body"].read()).hexdigest() == dictamen.pdf_sha256
        client.force_login(usuario("auditor"))
        respuesta = client.get(reverse("solicitudes:dictamen_pdf", args=[en_firma.pk, dictamen.pk]))
        assert respuesta.status_code == 302
        assert "X-Amz-Signature=" in respuesta.url and "X-Amz-Expires=300" in respuesta.url


test_la_emision_funciona_con_s3 = pytest.mark.s3(test_la_emision_funciona_con_s3)


def test_cancelar_y_rectificar_desde_la_pagina(en_firma, client):
    """The Dirección General proposes the rectification from the page, the firmante signs it
    there (a wrong password signs nothing), and then cancels the new one."""
    from tests.dictamenes.flujo_utils import archivos_efirma

    dictamen = firmar(en_firma)

    def con_prefijo(prefijo, datos):
        return {f"{prefijo}-{k}": v for k, v in datos.items()}

    client.force_login(usuario("estrategico"))
    pagina = client.get(reverse("solicitudes:detalle", args=[en_firma.pk])).content.decode()
    assert f"Proponer la rectificación del dictamen {dictamen.folio}" in pagina
    propuesta = con_prefijo(
        "proponer",
        {
            "motivo": "Error en condiciones",
            "resultado": "condicionado",
            "motivos": "Corrige las condiciones.",
            "condiciones": "Nueva condición.",
        },
    )
    url = reverse("solicitudes:proponer_rectificacion", args=[en_firma.pk, dictamen.pk])
    assert client.post(url, propuesta).status_code == 302

    client.force_login(usuario("firmante"))
    pagina = client.get(reverse("solicitudes:detalle", args=[en_firma.pk])).content.decode()
    assert f"Rectificación propuesta del dictamen {dictamen.folio}" in pagina
    assert "Nueva condición." in pagina
    evento = en_firma.eventos.get(tipo="propuesta_rectificacion")
    url = reverse("solicitudes:rectificar", args=[en_firma.pk, dictamen.pk])
    malo = con_prefijo(
        "rectificar", archivos_efirma() | {"contrasena": "equivocada", "propuesta": evento.pk}
    )
    respuesta = client.post(url, malo)
    assert respuesta.status_code == 400
    assert str(efirma.ERROR_CONTRASENA) in respuesta.content.decode()
    assert Dictamen.objects.count() == 1

    bueno = con_prefijo("rectificar", archivos_efirma() | {"propuesta": evento.pk})
    assert client.post(url, bueno).status_code == 302
    nuevo = en_firma.dictamen_vigente
    assert nuevo.sustituye == dictamen and nuevo.condiciones == "Nueva condición."

    url = reverse("solicitudes:cancelar", args=[en_firma.pk, nuevo.pk])
    datos = con_prefijo("cancelar", archivos_efirma() | {"motivo": "Desistimiento"})
    assert client.post(url, datos).status_code == 302
    nuevo.refresh_from_db()
    assert nuevo.estado == "cancelado"


def test_la_firma_usa_la_llave_ya_abierta(en_firma, monkeypatch):
    """pyHanko's own signer parses the key from DER again for each raw signature (about 50 ms
    with RSA checks); the e.firma, opened and checked once, signs directly and the PDF is
    still a valid PAdES signature."""
    from pyhanko.sign.signers import SimpleSigner

    def lenta(*args, **kwargs):
        raise AssertionError("releyó la llave")

    monkeypatch.setattr(SimpleSigner, "sign_raw", lenta)
    dictamen = firmar(en_firma)
    assert comprobacion.pdf_verificar(
        datos=integridad.dictamen_pdf_leer(dictamen=dictamen)
    ).autentico
