"""Issue 19, item 3 (proof over time) and the TSA failure of item 1.

A dictamen is read years after it is signed, when the signer's certificate has expired or
been revoked. Its PAdES B-LTA signature carries a trusted timestamp, the chain and revocation
data of that moment, and a document timestamp over them: those prove that the certificate was
valid when the dictamen was signed. The clock moves with time-machine, which also moves the
test CA's TSA and CRL (demo.confianza_local, threads of this process): they answer as they
would have then.
"""

import datetime
import io

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from lxml import html as lxml_html

from demo import confianza_local as servicios
from dictamenes.emision.documentos import efirma, largo_plazo, sello_tiempo
from dictamenes.emision.services import comprobacion, emision, integridad
from dictamenes.models import Dictamen, EventoAuditoria, Solicitud
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from tests.dictamenes import largo_plazo_utils as lp
from tests.dictamenes.flujo_utils import archivos_efirma, en_firma, firmar, usuario

pytestmark = pytest.mark.django_db

DIA = datetime.timedelta(days=1)
VEINTE_ANIOS = datetime.timedelta(days=365 * 20 + 5)
VEINTICINCO_ANIOS = datetime.timedelta(days=365 * 25 + 6)


@pytest.fixture
def solicitud(demo):
    return en_firma(motivos="Procede con la consolidación de la compra.")


def emitir(solicitud, efirma_) -> Dictamen:
    return emision.dictamen_emitir(
        solicitud=solicitud, usuario=usuario("firmante"), credencial=lp.abrir(efirma_)
    )


def pagina_verificar(client, pdf: bytes) -> str:
    """The result box of /verificar/ after uploading `pdf`, as a person reads it."""
    respuesta = client.post(reverse("verificar"), {"pdf": SimpleUploadedFile("d.pdf", pdf)})
    assert respuesta.status_code == 200
    (caja,) = lxml_html.fromstring(respuesta.content.decode()).xpath("//*[@role='status']")
    return " ".join(caja.text_content().split())


def linea_del_tiempo(verificacion) -> str:
    return (
        f"Firmado el {lp.como_en_la_pagina(verificacion.firmado_en)} · sello de tiempo de "
        f"{lp.como_en_la_pagina(verificacion.sello_tiempo)} · validación a largo plazo incluida"
    )


def assert_probado_por_el_sello(verificacion, dictamen) -> None:
    """Authentic, trusted and long-term validated, with the signature's timestamp at the time
    the dictamen was signed (within seconds after it, never before)."""
    assert verificacion.dictamen == dictamen
    assert verificacion.autentico
    assert (verificacion.firma_integra, verificacion.firma_confiable) == (True, True)
    assert (verificacion.cubre_todo, verificacion.ltv) == (True, True)
    assert verificacion.firmante_rfc == "GATA750503SD1"
    # pyHanko declares the time it signs (to the second), just after the dictamen's moment.
    assert dictamen.emitido_en.replace(microsecond=0) <= verificacion.firmado_en
    assert verificacion.firmado_en <= verificacion.sello_tiempo
    assert verificacion.sello_tiempo - dictamen.emitido_en < datetime.timedelta(seconds=30)


# --- 1. Past the signer certificate's expiry --------------------------------------------------


@pytest.fixture
def firmado_hace_un_anio(solicitud):
    """A dictamen signed 350 days ago with an e.firma valid from 400 to 300 days ago: expired
    today. The test CA and its TSA were already valid then (they start ten years back)."""
    hoy = lp.ahora()
    vencida = lp.efirma_del_firmante(desde=hoy - 400 * DIA, hasta=hoy - 300 * DIA)
    with time_machine.travel(hoy - 350 * DIA, tick=True):
        dictamen = emitir(solicitud, vencida)
    assert vencida.certificado.not_valid_after_utc < lp.ahora()
    return dictamen, integridad.dictamen_pdf_leer(dictamen=dictamen)


def test_vencido_el_certificado_el_dictamen_sigue_verificando(firmado_hace_un_anio, client):
    dictamen, pdf = firmado_hace_un_anio
    assert dictamen.emitido_en < lp.ahora() - 349 * DIA
    # Today, with the certificate expired 300 days ago.
    hoy = comprobacion.pdf_verificar(datos=pdf)
    assert_probado_por_el_sello(hoy, dictamen)
    caja = pagina_verificar(client, pdf)
    assert caja.startswith("Documento auténtico.")
    assert linea_del_tiempo(hoy) in caja


def test_sin_renovar_el_sello_de_archivo_no_hay_prueba_cuando_vence_la_tsa(
    firmado_hace_un_anio, client
):
    """The proof lasts as long as the last document timestamp's certificate (the test TSA's
    lasts as its own CA, twenty-five years from the test run): after that, without a renewed
    archival timestamp, nothing proves when the dictamen was signed, and the page says so."""
    dictamen, pdf = firmado_hace_un_anio
    vence = largo_plazo.vence_sello_archivo(pdf)
    assert lp.ahora() + VEINTE_ANIOS < vence < lp.ahora() + VEINTICINCO_ANIOS + 30 * DIA
    with time_machine.travel(vence + 30 * DIA, tick=True):
        verificacion = comprobacion.pdf_verificar(datos=pdf)
        caja = pagina_verificar(client, pdf)
    assert verificacion.dictamen == dictamen and verificacion.firma_integra
    assert (verificacion.firma_confiable, verificacion.sello_tiempo, verificacion.ltv) == (
        False,
        None,
        False,
    )
    # Not called false: the copy is named, with why it cannot be proven (issue 33).
    assert caja.startswith(
        f"No se puede comprobar la firma de esta copia del dictamen {dictamen.folio}."
    )


def test_renovado_por_una_tsa_de_relevo_sigue_verificando_en_veinte_anios(
    firmado_hace_un_anio, tmp_path
):
    """Before the TSA's certificate runs out, a TSA whose certificate lasts longer (another CA,
    as SAT renews its own) puts a new document timestamp over the old one: twenty years on,
    the chain of timestamps still proves the signature."""
    dictamen, pdf = firmado_hace_un_anio
    hoy = lp.ahora()
    sello_original = comprobacion.pdf_verificar(datos=pdf).sello_tiempo
    with lp.tsa_de_relevo(tmp_path, desde=hoy + 6 * 365 * DIA, hasta=hoy + 24 * 365 * DIA):
        with time_machine.travel(hoy + 9 * 365 * DIA, tick=True):
            assert largo_plazo.validar_largo_plazo(lp.firma_regular(pdf)).confiable
            renovado = largo_plazo.sello_archivo_renovar(pdf)
        assert largo_plazo.vence_sello_archivo(renovado) > hoy + VEINTE_ANIOS
        for cuando in (hoy + 9 * 365 * DIA + 30 * DIA, hoy + VEINTE_ANIOS):
            with time_machine.travel(cuando, tick=True):
                largo = largo_plazo.validar_largo_plazo(lp.firma_regular(renovado))
            resultado = (largo.confiable, largo.ltv, largo.sellos_documento)
            assert resultado == (True, True, 2), (cuando, largo.detalle)
            assert largo.sello_tiempo == sello_original


def _especificacion_de_pyhanko(*, sin_red: bool = False):
    """pyHanko's ETSI validation as it comes: the configured roots (the e.firma's CA, the demo
    TSA's own and the relay's), revocation data required for every certificate, and pyHanko's
    own rule to fetch current revocation data for what the PDF cannot settle; `sin_red`: only
    what the PDF carries (the recipe of docs/integracion/verificar.md)."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.sign.validation.policy_decl import (
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
    from pyhanko_certvalidator.registry import SimpleTrustManager

    raices = [
        load_cert_from_pemder(ruta)
        for ruta in (*settings.DICTAMENES_EFIRMA_RAICES, *settings.DICTAMENES_TSA_RAICES)
    ]
    return PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=raices),
                revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
                if sin_red
                else RevinfoOnlineFetchingRule.NO_HISTORICAL_FETCH
            ),
        )
    )


def test_un_dictamen_de_la_demostracion_renovado_con_una_tsa_de_relevo_verifica_a_25_anios(
    solicitud, tmp_path
):
    """A dictamen signed today with the demo's e.firma and TSA. Twelve years on, past the
    e.firma's CA (ten years), it still verifies with what it carries: the demo TSA has its own
    CA, which lasts twenty-five. Before that runs out, `sellos_archivo_renovar` adds an archival
    timestamp from a relay TSA (another CA, to forty years or so). A month after the demo TSA's
    certificate expired, pyHanko's own ETSI validation and this system's verification pass, and
    pyHanko's default policy with nothing but the PDF too (issue 49, 6): the renewal added the
    demo TSA's current list, the relay's timestamp over it, and the relay TSA's list after it."""
    from pyhanko.sign.ades.report import AdESPassed
    from pyhanko.sign.validation.ades import ades_lta_validation

    dictamen = firmar(solicitud)
    pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
    hoy, anios = lp.ahora(), 365 * DIA
    sello_original = comprobacion.pdf_verificar(datos=pdf).sello_tiempo
    vence = largo_plazo.vence_sello_archivo(pdf)
    assert hoy + 24 * anios < vence < hoy + VEINTICINCO_ANIOS
    with time_machine.travel(hoy + 12 * anios, tick=True):
        doce = largo_plazo.validar_largo_plazo(lp.firma_regular(pdf))
    assert (doce.confiable, doce.detalle) == (True, "AdESPassed.OK")

    with lp.tsa_de_relevo(tmp_path, desde=hoy + 20 * anios, hasta=hoy + 39 * anios):
        # Three years ahead (certomancer's test TSA writes its signing time as UTCTime, which
        # ends in 2049; the command's --dias renews that early).
        with time_machine.travel(hoy + 22 * anios, tick=True):
            salida = io.StringIO()
            call_command("sellos_archivo_renovar", "--dias", "1300", stdout=salida)
        assert f"renovado: {dictamen.folio}" in salida.getvalue()
        dictamen.refresh_from_db()
        renovado = integridad.dictamen_pdf_leer(dictamen=dictamen)
        assert renovado.startswith(pdf)
        assert largo_plazo.vence_sello_archivo(renovado) > hoy + 39 * anios
        with time_machine.travel(vence + 30 * DIA, tick=True):
            assert lp.ahora() > hoy + VEINTICINCO_ANIOS
            pyhanko = efirma.correr(
                ades_lta_validation(lp.firma_regular(renovado), _especificacion_de_pyhanko())
            )
            sin_red = efirma.correr(
                ades_lta_validation(
                    lp.firma_regular(renovado), _especificacion_de_pyhanko(sin_red=True)
                )
            )
            verificacion = comprobacion.pdf_verificar(datos=renovado)
            sin_renovar = largo_plazo.validar_largo_plazo(lp.firma_regular(pdf), con_red=True)
    assert pyhanko.ades_subindic == AdESPassed.OK
    assert pyhanko.api_status.intact and pyhanko.api_status.valid
    assert (sin_red.ades_subindic, sin_red.api_status.bottom_line) == (AdESPassed.OK, True)
    assert verificacion.dictamen == dictamen and verificacion.autentico
    assert (verificacion.ltv, verificacion.sello_tiempo) == (True, sello_original)
    # Without the relay's timestamp, nothing proves it any more.
    assert (sin_renovar.confiable, sin_renovar.detalle) == (False, "AdESIndeterminate.NO_POE")


@pytest.fixture
def renovado_con_tsa_propia(solicitud, tmp_path):
    """As a real TSA is (a PSC's, not SAT's): the TSA has its own CA. The dictamen is signed
    350 days ago with an e.firma expired today, and eight years on a relay TSA (another CA)
    renews its archival timestamp."""
    hoy = lp.ahora()
    vencida = lp.efirma_del_firmante(desde=hoy - 400 * DIA, hasta=hoy - 300 * DIA)
    anios = 365 * DIA
    with lp.tsa_de_relevo(tmp_path, desde=hoy - 9 * anios, hasta=hoy + 9 * anios, nombre="psc"):
        with time_machine.travel(hoy - 350 * DIA, tick=True):
            dictamen = emitir(solicitud, vencida)
        pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
        with lp.tsa_de_relevo(tmp_path, desde=hoy + 6 * anios, hasta=hoy + 24 * anios):
            with time_machine.travel(hoy + 8 * anios, tick=True):
                assert largo_plazo.validar_largo_plazo(lp.firma_regular(pdf)).confiable
                renovado = largo_plazo.sello_archivo_renovar(pdf)
            assert largo_plazo.vence_sello_archivo(renovado) > hoy + VEINTE_ANIOS
            yield comprobacion.pdf_verificar(datos=pdf).sello_tiempo, renovado


def test_con_la_tsa_en_su_propia_ac_y_el_sello_renovado_verifica_en_veinte_anios(
    renovado_con_tsa_propia,
):
    _, renovado = renovado_con_tsa_propia
    for cuando in (lp.ahora() + 8 * 365 * DIA + 30 * DIA, lp.ahora() + VEINTE_ANIOS):
        with time_machine.travel(cuando, tick=True):
            # As the verification of a stored dictamen does: what the PDF carries, then ETSI's
            # rule with the relay TSA's current revocation list.
            largo = largo_plazo.validar_largo_plazo(lp.firma_regular(renovado), con_red=True)
        assert (largo.confiable, largo.ltv, largo.sellos_documento) == (True, True, 2), cuando
        assert largo.cubre_todo


def test_en_veinte_anios_la_pagina_sigue_mostrando_la_hora_del_sello(renovado_con_tsa_propia):
    sello_original, renovado = renovado_con_tsa_propia
    with time_machine.travel(lp.ahora() + VEINTE_ANIOS, tick=True):
        largo = largo_plazo.validar_largo_plazo(lp.firma_regular(renovado), con_red=True)
    assert largo.confiable
    assert largo.sello_tiempo == sello_original


def test_la_prueba_vence_con_el_ultimo_sello_de_documento(renovado_con_tsa_propia, tmp_path):
    """When the proof runs out is the end of the last document timestamp's chain: the relay
    TSA's, which renewed it, not the PSC's that stamped it first. It is read with qpdf
    (issue 64: pyHanko's reader parsed every signature's hex digits, 10 ms an issuance); the
    expected dates are the certificates each TSA was given, and pyHanko's own order."""
    from cryptography import x509
    from pyhanko.pdf_utils.reader import PdfFileReader

    _, renovado = renovado_con_tsa_propia

    def fin(tsa: str) -> datetime.datetime:
        der = (tmp_path / tsa / servicios.TSA_CER).read_bytes()
        return x509.load_der_x509_certificate(der).not_valid_after_utc

    primero, ultimo = PdfFileReader(
        io.BytesIO(renovado), strict=False
    ).embedded_timestamp_signatures
    assert (primero.signer_cert.not_valid_after, ultimo.signer_cert.not_valid_after) == (
        fin("psc"),
        fin("relevo"),
    )
    assert fin("psc") < fin("relevo")
    assert largo_plazo.vence_sello_archivo(renovado) == fin("relevo")


def test_pyhanko_lo_valida_a_largo_plazo_y_sin_ese_dato_no_confiaria(firmado_hace_un_anio):
    """pyHanko's own ETSI validation (AdES LTA, with the project's spec: the test CA as the
    only root, revocation data required) passes today; its stock validation, which ignores
    the timestamps and judges the certificate as of today, does not trust it: what makes the
    expired signature trusted is the long-term data."""
    from pyhanko.sign.ades.report import AdESPassed
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.ades import ades_lta_validation

    dictamen, pdf = firmado_hace_un_anio
    resultado = efirma.correr(
        ades_lta_validation(lp.firma_regular(pdf), largo_plazo.especificacion_lta())
    )
    assert resultado.ades_subindic == AdESPassed.OK
    sello = resultado.api_status.timestamp_validity
    assert sello.valid and sello.intact and sello.trusted
    assert (
        dictamen.emitido_en
        <= sello.timestamp
        < dictamen.emitido_en + datetime.timedelta(seconds=30)
    )

    stock = validate_pdf_signature(lp.firma_regular(pdf), efirma.contexto_validacion())
    assert stock.intact and stock.valid
    assert not stock.trusted


def _lineas_que_faltan(texto: str, *lineas: str) -> list[str]:
    return [linea for linea in lineas if linea not in texto]


def test_pdfsig_22_12_ve_la_firma_valida_pero_juzga_el_certificado_con_la_fecha_de_hoy(
    firmado_hace_un_anio, tmp_path
):
    """What poppler's pdfsig (22.12, Debian 12) says at the real time, with the certificate
    expired: the signature is valid, and the certificate "has Expired", since pdfsig checks it as
    of today and reads neither the signature's timestamp nor the DSS. The document timestamp is
    listed as a second signature it cannot validate. So pdfsig alone does not show the dictamen
    as trusted once the certificate expires; pyHanko's AdES validation (above) does."""
    _, pdf = firmado_hace_un_anio
    salida = lp.pdfsig(pdf, tmp_path)
    firma, sello = salida.split("Signature #2:")
    assert (
        _lineas_que_faltan(
            firma,
            "Signature Field Name: FirmaDictamen",
            "Signature Type: ETSI.CAdES.detached",
            "Signature Validation: Signature is Valid.",
            "Certificate Validation: Certificate has Expired",
        )
        == []
    )
    assert (
        _lineas_que_faltan(
            sello,
            "Signature Field Name: SelloDeArchivo",
            "Signer Certificate Common Name: Sello de tiempo de pruebas",
            "Signature Type: unknown",
            "Signature Validation: Signature has not yet been verified.",
            "Unable to validate this type of signature",
        )
        == []
    )
    assert "Signature #3" not in salida


# --- 2 and 3. Revocation ----------------------------------------------------------------------


@pytest.fixture
def efirma_revocable():
    """A fresh e.firma of the firmante: revoking it touches no other test's certificate. It
    leaves the CA's list when the test ends."""
    efirmas = []

    def nueva():
        efirmas.append(lp.efirma_del_firmante())
        return efirmas[-1]

    yield nueva
    lp.olvidar_revocaciones([e.certificado for e in efirmas])


def test_revocado_despues_de_firmar_sigue_verificando_con_el_sello_como_prueba(
    solicitud, efirma_revocable, client
):
    propia = efirma_revocable()
    dictamen = emitir(solicitud, propia)
    pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
    revocado_en = (lp.ahora() + datetime.timedelta(hours=1)).replace(microsecond=0)
    lp.revocar(propia.certificado, revocado_en)
    with time_machine.travel(lp.ahora() + DIA, tick=True):
        # The CA's list now says revoked: signing with it is refused, and a validation as of
        # today, asking the CA, does not trust the signature.
        with pytest.raises(ValidationError) as exc:
            emitir(en_firma(titulo="Otra compra"), propia)
        assert exc.value.code == "revocado"
        hoy = efirma.correr(_validar_hoy_preguntando_a_la_ac(lp.firma_regular(pdf)))
        assert hoy.revoked and not hoy.bottom_line
        # The timestamp proves the dictamen was signed before the revocation.
        verificacion = comprobacion.pdf_verificar(datos=pdf)
        assert_probado_por_el_sello(verificacion, dictamen)
        assert verificacion.sello_tiempo < revocado_en
        caja = pagina_verificar(client, pdf)
    assert caja.startswith("Documento auténtico.")
    assert linea_del_tiempo(verificacion) in caja


def _validar_hoy_preguntando_a_la_ac(firma):
    from pyhanko.sign.validation import async_validate_pdf_signature

    return async_validate_pdf_signature(firma, efirma.contexto_validacion(consultar=True))


def _sin_emitir(solicitud, antes: set) -> None:
    """Nothing half-issued: no dictamen, no stored file, no issuance event, and the request
    still waits for the signature with its task open."""
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.FIRMA
    assert [t.flow_task.name for t in tareas_abiertas(solicitud=solicitud)] == ["firma"]
    assert not Dictamen.objects.exists()
    assert lp.archivos_guardados() == antes
    assert not EventoAuditoria.objects.filter(tipo="dictamen").exists()


def _firma_siguiente_ocupa_el_primer_folio(solicitud) -> None:
    assert firmar(solicitud).folio.endswith("/0001")


def test_firmar_despues_de_la_revocacion_se_rechaza(solicitud, efirma_revocable, client):
    propia = efirma_revocable()
    revocado_en = (lp.ahora() - datetime.timedelta(minutes=1)).replace(microsecond=0)
    lp.revocar(propia.certificado, revocado_en)
    mensaje = efirma.ERROR_REVOCADO % {"fecha": lp.fecha_revocacion(revocado_en)}
    antes = lp.archivos_guardados()

    with pytest.raises(ValidationError) as exc:
        emitir(solicitud, propia)
    assert (exc.value.code, exc.value.messages) == ("revocado", [mensaje])
    _sin_emitir(solicitud, antes)

    client.force_login(usuario("firmante"))
    respuesta = client.post(reverse("solicitudes:firma", args=[solicitud.pk]), lp.archivos(propia))
    assert respuesta.status_code == 400
    assert mensaje in respuesta.content.decode()
    _sin_emitir(solicitud, antes)
    _firma_siguiente_ocupa_el_primer_folio(solicitud)


# --- 4. The TSA stops in the middle of signing -------------------------------------------------


@pytest.fixture
def tsa_que_se_cae(confianza_local, monkeypatch):
    """The test CA's TSA (and CRL) stop the moment the e.firma has computed the signature,
    before pyHanko asks for its timestamp. They start again when the test ends."""
    original = efirma._FirmanteEfirma.sign_raw
    caidas = []

    def firmar_y_caer(self, data, digest_algorithm):
        firma = original(self, data, digest_algorithm)
        confianza_local.detener()
        caidas.append(firma)
        return firma

    monkeypatch.setattr(efirma._FirmanteEfirma, "sign_raw", firmar_y_caer)

    def levantar():
        monkeypatch.undo()
        if caidas and not servicios.escuchando(settings.DICTAMENES_CONFIANZA_LOCAL):
            confianza_local.iniciar()

    yield caidas, levantar
    levantar()


def test_la_tsa_se_cae_a_media_firma_en_el_servicio(solicitud, tsa_que_se_cae):
    caidas, levantar = tsa_que_se_cae
    antes = lp.archivos_guardados()
    with pytest.raises(ValidationError) as exc:
        firmar(solicitud)
    assert caidas, "la firma no llegó a calcularse"
    assert not servicios.escuchando(settings.DICTAMENES_CONFIANZA_LOCAL)
    assert (exc.value.code, exc.value.messages) == (
        "tsa_no_responde",
        [str(sello_tiempo.ERROR_TSA_NO_RESPONDE)],
    )
    _sin_emitir(solicitud, antes)
    levantar()
    _firma_siguiente_ocupa_el_primer_folio(solicitud)


def test_la_tsa_se_cae_a_media_firma_en_la_pagina(solicitud, tsa_que_se_cae, client):
    caidas, levantar = tsa_que_se_cae
    antes = lp.archivos_guardados()
    client.force_login(usuario("firmante"))
    respuesta = client.post(reverse("solicitudes:firma", args=[solicitud.pk]), archivos_efirma())
    assert caidas
    assert respuesta.status_code == 400
    assert str(sello_tiempo.ERROR_TSA_NO_RESPONDE) in respuesta.content.decode()
    _sin_emitir(solicitud, antes)
    levantar()
    respuesta = client.post(reverse("solicitudes:firma", args=[solicitud.pk]), archivos_efirma())
    assert respuesta.status_code == 302
    assert Dictamen.objects.get().folio.endswith("/0001")


def test_sin_tsa_configurada_no_se_firma_nada(solicitud, monkeypatch):
    consultas = []
    monkeypatch.setattr(efirma, "credencial_verificar", lambda **kwargs: consultas.append(kwargs))
    antes = lp.archivos_guardados()
    with (
        override_settings(DICTAMENES_TSA={**settings.DICTAMENES_TSA, "URL": ""}),
        pytest.raises(ValidationError) as exc,
    ):
        firmar(solicitud)
    assert (exc.value.code, exc.value.messages) == ("sin_tsa", [str(sello_tiempo.ERROR_SIN_TSA)])
    assert not consultas  # refused before asking the CA anything
    _sin_emitir(solicitud, antes)
    monkeypatch.undo()
    _firma_siguiente_ocupa_el_primer_folio(solicitud)


def test_la_renovacion_que_perderia_la_prueba_deja_el_pdf_como_estaba(solicitud, tmp_path):
    """A TSA whose certificate the e.firma's own CA issues (the demo's was, before it had its
    own CA): renewing fetches a new CRL of that CA, which also answers for the signer's expired
    certificate, and pyHanko's time slide then finds no proof of existence. The new document
    timestamp would lose the proof the old file still gives, so the service keeps the stored
    PDF and reports the renewal failed."""
    from dictamenes.emision.services import sellos_archivo as archivo
    from dictamenes.models import PdfAnterior

    hoy = lp.ahora()
    vencida = lp.efirma_del_firmante(desde=hoy - 400 * DIA, hasta=hoy - 300 * DIA)
    with lp.tsa_de_relevo(tmp_path, nombre="misma-ac", ca=lp.ca_de_prueba()):
        with time_machine.travel(hoy - 350 * DIA, tick=True):
            dictamen = emitir(solicitud, vencida)
        pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
        with (
            lp.tsa_de_relevo(tmp_path, desde=hoy + 6 * 365 * DIA, hasta=hoy + 24 * 365 * DIA),
            time_machine.travel(hoy + 9 * 365 * DIA, tick=True),
        ):
            assert largo_plazo.validar_largo_plazo(lp.firma_regular(pdf)).confiable
            with pytest.raises(ValidationError) as error:
                archivo.sello_archivo_renovar(dictamen=dictamen)
    assert error.value.code == "renovado_no_verifica"
    dictamen.refresh_from_db()
    assert integridad.dictamen_pdf_leer(dictamen=dictamen) == pdf
    assert not PdfAnterior.objects.exists()
