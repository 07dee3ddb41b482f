"""The NOM-151 constancia de conservación: off by default; with a provider, asked for when the
dictamen is issued and stored with its audit event; a provider that fails or answers for
another document changes nothing, and the cron command fetches what is missing later.

The provider is tests.backends.psc_nom151: a real HTTP server on loopback that speaks the
shape documented in dictamenes.emision.documentos.nom151 and signs with a test CA of its own.
"""

import hashlib
import io
import logging

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dictamenes.comun import auditoria
from dictamenes.emision.documentos import nom151
from dictamenes.emision.services import conservacion
from dictamenes.models import Dictamen, EventoAuditoria
from tests.backends import psc_nom151
from tests.dictamenes.flujo_utils import en_firma, firmar, usuario

pytestmark = pytest.mark.django_db


@pytest.fixture
def psc():
    servidor = psc_nom151.PscFalso()
    servidor.start()
    yield servidor
    servidor.stop()


@pytest.fixture
def con_psc(psc, settings, tmp_path):
    """DICTAMENES_NOM151 pointing to the fake PSC, with its CA as the trusted certificate."""
    certificado = tmp_path / "psc.pem"
    certificado.write_bytes(psc.ca_pem())
    settings.DICTAMENES_NOM151 = psc.ajustes(CERTIFICADO_PSC=str(certificado))
    return psc


def emitir(django_capture_on_commit_callbacks, **kwargs) -> Dictamen:
    """Issue a dictamen through the normal path, running what waits for the commit."""
    solicitud = en_firma(**kwargs)
    with django_capture_on_commit_callbacks(execute=True):
        dictamen = firmar(solicitud)
    dictamen.refresh_from_db()
    return dictamen


def eventos_constancia():
    return EventoAuditoria.objects.filter(tipo="constancia_nom151")


def comando(*args) -> str:
    salida = io.StringIO()
    call_command("constancias_nom151", *args, stdout=salida)
    return salida.getvalue()


def test_apagada_por_omision_emitir_no_pide_nada(demo, psc, django_capture_on_commit_callbacks):
    assert settings.DICTAMENES_NOM151["URL"] == ""
    dictamen = emitir(django_capture_on_commit_callbacks)
    assert psc.peticiones == []
    assert bytes(dictamen.constancia_nom151) == b""
    assert dictamen.constancia_nom151_en is None
    assert not eventos_constancia().exists()
    assert comando() == conservacion.APAGADA + "\n"
    assert psc.peticiones == []


def test_emitir_guarda_la_constancia_del_pdf_firmado(
    demo, con_psc, django_capture_on_commit_callbacks
):
    dictamen = emitir(django_capture_on_commit_callbacks)
    with dictamen.pdf.open("rb") as archivo:
        huella = hashlib.sha256(archivo.read()).digest()

    # The provider received the PDF's digest, never the PDF, with the configured credentials.
    (peticion,) = con_psc.peticiones
    assert peticion["cuerpo"] == {
        "algoritmo": "SHA-256",
        "hash": huella.hex(),
        "nombre": dictamen.pdf.name.rsplit("/", 1)[-1],
    }
    assert peticion["authorization"].username == psc_nom151.USUARIO

    # What is stored is the PSC's signed token over that digest, at the PSC's signed time.
    _firmado, info = nom151.constancia_leer(bytes(dictamen.constancia_nom151))
    assert info["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha256"
    assert info["message_imprint"]["hashed_message"].native == huella
    assert dictamen.constancia_nom151_en == info["gen_time"].native
    assert abs((dictamen.constancia_nom151_en - dictamen.emitido_en).total_seconds()) < 60
    # Anyone can check it again later, against the PSC's certificate.
    nom151.constancia_verificar(
        datos=bytes(dictamen.constancia_nom151),
        sha256=huella,
        raices=(psc_nom151._asn1(con_psc.ca),),
    )

    (evento,) = eventos_constancia()
    assert evento.solicitud_id == dictamen.solicitud_id
    assert evento.datos["pdf_sha256"] == dictamen.pdf_sha256 == huella.hex()
    assert evento.datos["folio_psc"] == "PSC-000001"
    assert auditoria.cadena_verificar().integra


def test_el_auditor_ve_la_constancia_en_el_historial(
    demo, con_psc, django_capture_on_commit_callbacks, client
):
    dictamen = emitir(django_capture_on_commit_callbacks)
    client.force_login(usuario("auditor"))
    pagina = client.get(reverse("solicitudes:detalle", args=[dictamen.solicitud_id]))
    assert pagina.status_code == 200
    assert f"Constancia NOM-151 del dictamen {dictamen.folio}" in pagina.content.decode()


def test_psc_que_falla_deja_el_dictamen_emitido_y_el_comando_la_obtiene_despues(
    demo, con_psc, django_capture_on_commit_callbacks, caplog
):
    con_psc.modo = psc_nom151.FALLA
    with caplog.at_level(logging.WARNING, logger="dictamenes.emision.services.conservacion"):
        dictamen = emitir(django_capture_on_commit_callbacks)
    assert dictamen.pk and dictamen.solicitud.dictamenes.get() == dictamen
    assert dictamen.constancia_nom151_en is None
    assert not eventos_constancia().exists()
    assert "Servicio en mantenimiento" in caplog.text

    # Cron while the provider still fails: nothing stored, and the exit says so.
    with pytest.raises(CommandError, match="no entregó todas las constancias"):
        comando()
    # Later the provider answers.
    con_psc.modo = psc_nom151.NORMAL
    assert comando() == (
        "1 constancia(s) NOM-151 obtenidas; 0 dictamen(es) siguen sin constancia.\n"
    )
    dictamen.refresh_from_db()
    assert dictamen.constancia_nom151_en is not None
    assert eventos_constancia().count() == 1

    # Idempotent: a second run asks for nothing.
    pedidas = len(con_psc.peticiones)
    assert comando().startswith("0 constancia(s) NOM-151 obtenidas; 0 ")
    assert len(con_psc.peticiones) == pedidas
    assert eventos_constancia().count() == 1


def test_psc_apagado_la_firma_no_falla(demo, con_psc, django_capture_on_commit_callbacks, caplog):
    con_psc.stop()
    with caplog.at_level(logging.WARNING, logger="dictamenes.emision.services.conservacion"):
        dictamen = emitir(django_capture_on_commit_callbacks)
    assert dictamen.constancia_nom151_en is None
    assert str(nom151.ERROR_PSC_NO_RESPONDE) in caplog.text


@pytest.mark.parametrize(
    ("modo", "mensaje"),
    [
        (psc_nom151.OTRA_HUELLA, nom151.ERROR_OTRA_HUELLA),
        (psc_nom151.TOKEN_DE_OTRA_HUELLA, nom151.ERROR_OTRA_HUELLA),
        (psc_nom151.FIRMA_ALTERADA, nom151.ERROR_FIRMA_PSC),
    ],
)
def test_constancia_que_no_ampara_el_pdf_se_rechaza(
    demo, con_psc, django_capture_on_commit_callbacks, caplog, modo, mensaje
):
    con_psc.modo = modo
    with caplog.at_level(logging.WARNING, logger="dictamenes.emision.services.conservacion"):
        dictamen = emitir(django_capture_on_commit_callbacks)
    assert len(con_psc.peticiones) == 1
    assert dictamen.constancia_nom151_en is None
    assert bytes(dictamen.constancia_nom151) == b""
    assert not eventos_constancia().exists()
    assert str(mensaje) in caplog.text


def test_constancia_de_otro_psc_se_rechaza(
    demo, con_psc, settings, django_capture_on_commit_callbacks, caplog
):
    """Signed by a provider other than the configured certificate names: refused."""
    otro = psc_nom151.PscFalso(nombre="otro PSC")
    otro.start()
    try:
        settings.DICTAMENES_NOM151 = otro.ajustes(
            CERTIFICADO_PSC=settings.DICTAMENES_NOM151["CERTIFICADO_PSC"]
        )
        with caplog.at_level(logging.WARNING, logger="dictamenes.emision.services.conservacion"):
            dictamen = emitir(django_capture_on_commit_callbacks)
    finally:
        otro.stop()
    assert dictamen.constancia_nom151_en is None
    assert str(nom151.ERROR_PSC_NO_CONFIABLE) in caplog.text


def test_el_comando_hace_consultas_acotadas(demo, con_psc, django_capture_on_commit_callbacks):
    """A few queries per run (the list, the lock), then the same number for each dictamen."""
    con_psc.modo = psc_nom151.FALLA
    for titulo in ("Renovación de equipo", "Red del edificio", "Licencias"):
        emitir(django_capture_on_commit_callbacks, titulo=titulo)
    con_psc.modo = psc_nom151.NORMAL

    def consultas(limite: int) -> int:
        with CaptureQueriesContext(connection) as capturadas:
            comando("--limite", str(limite))
        return len(capturadas)

    una = consultas(1)
    dos = consultas(2)  # the other two
    assert Dictamen.objects.filter(constancia_nom151_en__isnull=True).count() == 0
    cada_una = dos - una
    # The list, the lock of one run at a time (PostgreSQL) and the run's record (written when
    # it starts and when it ends, the old ones pruned: operacion.services.corridas).
    fijas = una - cada_una
    assert fijas <= 7, fijas
    assert cada_una <= 12, cada_una


def test_url_que_no_es_web_se_rechaza():
    with pytest.raises(Exception, match="http:// o https://"):
        nom151.proveedor_de_ajustes({"URL": "file:///etc/passwd"})
