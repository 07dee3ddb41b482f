"""Without a timestamping authority nothing is signed, and the deployment check says so."""

import io
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def _revision_de_despliegue() -> str:
    salida = io.StringIO()
    call_command("check", "--deploy", "--tag", "security", stdout=salida, stderr=salida)
    return salida.getvalue()


def test_check_deploy_avisa_si_no_hay_tsa(settings):
    settings.DICTAMENES_TSA = {**settings.DICTAMENES_TSA, "URL": ""}
    assert "dictamenes.W151" in _revision_de_despliegue()
    assert "DJANGO_TSA_URL" in _revision_de_despliegue()


def test_check_deploy_calla_con_una_tsa(settings):
    settings.DICTAMENES_TSA = {**settings.DICTAMENES_TSA, "URL": "https://tsa.ejemplo.gob.mx/tsa"}
    assert "dictamenes.W151" not in _revision_de_despliegue()


@pytest.fixture
def tsa_con_contrasena(settings):
    """The test TSA behind HTTP Basic authentication, as a commercial TSA asks for."""
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response

    from demo import confianza_local

    servicios = confianza_local.Servicios(settings.DICTAMENES_EFIRMA_DEMO_DIR)

    def protegida(environ, start_response):
        credencial = Request(environ).authorization
        if not credencial or (credencial.username, credencial.password) != ("sonora", "s3cr3to"):
            return Response("Se requiere autenticación.", status=401)(environ, start_response)
        return servicios(environ, start_response)

    servidor = make_server("127.0.0.1", 0, protegida, threaded=True)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    yield f"http://127.0.0.1:{servidor.server_port}/tsa"
    servidor.shutdown()
    servidor.server_close()


@pytest.mark.django_db
def test_la_tsa_con_usuario_y_contrasena(demo, settings, tsa_con_contrasena):
    from dictamenes.emision.documentos import sello_tiempo
    from dictamenes.emision.services import comprobacion, integridad
    from dictamenes.models import Dictamen
    from tests.dictamenes.flujo_utils import en_firma, firmar

    settings.DICTAMENES_TSA = {
        **settings.DICTAMENES_TSA,
        "URL": tsa_con_contrasena,
        "USUARIO": "sonora",
        "CONTRASENA": "equivocada",
    }
    solicitud = en_firma(areas=("computo",))
    with pytest.raises(ValidationError) as error:
        firmar(solicitud)
    assert error.value.messages == [str(sello_tiempo.ERROR_TSA_NO_RESPONDE)]
    assert not Dictamen.objects.exists()

    settings.DICTAMENES_TSA = {**settings.DICTAMENES_TSA, "CONTRASENA": "s3cr3to"}
    dictamen = firmar(solicitud)
    verificacion = comprobacion.pdf_verificar(datos=integridad.dictamen_pdf_leer(dictamen=dictamen))
    assert verificacion.autentico and verificacion.ltv and verificacion.sello_tiempo


def test_otro_servicio_de_otra_ac_en_la_direccion_se_dice(settings, tmp_path):
    """Another checkout's `make run` on the same address would sign CRLs for another CA: the
    demo's loading says so instead of failing every signature with a revocation error."""
    from demo import confianza_local, efirma_pruebas

    direccion = settings.DICTAMENES_CONFIANZA_LOCAL  # the suite's own services answer there
    with confianza_local.en_marcha(settings.DICTAMENES_EFIRMA_DEMO_DIR, direccion):
        pass  # the same CA: used as it is
    efirma_pruebas.demo_asegurar(tmp_path, [])  # another test CA, same name
    with (
        pytest.raises(confianza_local.OtraAC, match="DJANGO_CONFIANZA_LOCAL"),
        confianza_local.en_marcha(tmp_path, direccion),
    ):
        pass


@pytest.mark.django_db
def test_sin_la_ac_de_la_tsa_entre_las_raices_no_se_firma_y_se_dice_por_que(demo, settings, client):
    """The TSA has its own CA (as a real provider's): with only SAT's roots configured, its
    timestamp leads to no trusted root. Signing says so in Spanish, issues nothing and leaves
    the request waiting for the signature; with the TSA's CA back, it signs."""
    from django.urls import reverse

    from demo import confianza_local
    from dictamenes.emision.documentos import sello_tiempo
    from dictamenes.models import Dictamen, EventoAuditoria, Solicitud
    from tests.dictamenes.flujo_utils import archivos_efirma, en_firma, firmar, usuario

    raices = settings.DICTAMENES_TSA_RAICES
    assert [r for r in raices if r.endswith(confianza_local.CA_TSA_CER)]
    settings.DICTAMENES_TSA_RAICES = [
        r for r in raices if not r.endswith(confianza_local.CA_TSA_CER)
    ]
    solicitud = en_firma(areas=("computo",))
    with pytest.raises(ValidationError) as error:
        firmar(solicitud)
    assert (error.value.code, error.value.messages) == (
        "tsa_sin_confianza",
        [str(sello_tiempo.ERROR_TSA_SIN_CONFIANZA)],
    )
    client.force_login(usuario("firmante"))
    respuesta = client.post(reverse("solicitudes:firma", args=[solicitud.pk]), archivos_efirma())
    assert respuesta.status_code == 400
    assert "no lleva a ninguna autoridad de confianza" in respuesta.content.decode()
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.FIRMA
    assert not Dictamen.objects.exists()
    assert not EventoAuditoria.objects.filter(tipo="dictamen").exists()

    settings.DICTAMENES_TSA_RAICES = raices
    assert firmar(solicitud).folio.endswith("/0001")


def test_la_ac_de_la_tsa_entre_las_raices_de_la_e_firma_es_un_error(settings, tmp_path):
    """Listed among the e.firma roots, the TSA's CA could issue certificates that sign
    dictámenes: `check` refuses it, even as a copy under another name."""
    (ruta_tsa,) = settings.DICTAMENES_TSA_RAICES
    assert "dictamenes.E154" not in _revision_de_despliegue()
    copia = tmp_path / "otra-ac.cer"
    copia.write_bytes(Path(ruta_tsa).read_bytes())
    settings.DICTAMENES_EFIRMA_RAICES = [*settings.DICTAMENES_EFIRMA_RAICES, str(copia)]
    with pytest.raises(SystemCheckError, match="dictamenes.E154"):
        _revision_de_despliegue()
