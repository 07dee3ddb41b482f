"""/metricas scraped as Prometheus does, parsed with prometheus_client's own parser: only from
the configured addresses (the proxy's client address, not the proxy's) or with the token; the
outbox, the open steps by stage and traffic light, the requests and the signing time move
when what they count moves; the scrape's queries do not grow with the rows."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from dictamenes.avisos.services import AVISO_INTENTOS_MAXIMOS
from dictamenes.models import Aviso, CorridaPeriodica
from tests.dictamenes.flujo_utils import archivos_efirma, en_firma, presentada, usuario

DESDE_PROMETHEUS = {"REMOTE_ADDR": "10.0.0.9"}


@pytest.fixture
def permitidas(settings):
    settings.DICTAMENES_METRICAS_DIRECCIONES = ["10.0.0.0/24", "2001:db8::1"]
    settings.DICTAMENES_METRICAS_TOKEN = "token-de-prometheus-" + "x" * 24


def _muestras(client, **extra) -> dict:
    respuesta = client.get("/metricas", **{**DESDE_PROMETHEUS, **extra})
    assert respuesta.status_code == 200, respuesta.content
    assert respuesta["Content-Type"].startswith("text/plain; version=")
    assert not respuesta.cookies
    return {
        (m.name, tuple(sorted(m.labels.items()))): m.value
        for familia in text_string_to_metric_families(respuesta.content.decode())
        for m in familia.samples
    }


def _valor(muestras, nombre, **etiquetas) -> float:
    return muestras.get((nombre, tuple(sorted(etiquetas.items()))), 0.0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("meta", "codigo"),
    [
        ({"REMOTE_ADDR": "10.0.0.9"}, 200),
        ({"REMOTE_ADDR": "2001:db8::1"}, 200),
        ({"REMOTE_ADDR": "10.0.1.9"}, 403),
        ({"REMOTE_ADDR": "127.0.0.1"}, 403),
        (
            {
                "REMOTE_ADDR": "192.0.2.1",
                "HTTP_AUTHORIZATION": "Bearer token-de-prometheus-" + "x" * 24,
            },
            200,
        ),
        ({"REMOTE_ADDR": "192.0.2.1", "HTTP_AUTHORIZATION": "Bearer otro"}, 403),
        (
            {
                "REMOTE_ADDR": "192.0.2.1",
                "HTTP_AUTHORIZATION": "Basic token-de-prometheus-" + "x" * 24,
            },
            403,
        ),
    ],
    ids=[
        "red-permitida",
        "ipv6-permitida",
        "otra-red",
        "local-no-listada",
        "token",
        "token-equivocado",
        "no-bearer",
    ],
)
def test_solo_desde_las_direcciones_configuradas_o_con_el_token(client, permitidas, meta, codigo):
    respuesta = client.get("/metricas", **meta)
    assert respuesta.status_code == codigo
    if codigo == 403:
        assert (
            respuesta.content.decode()
            == "Las métricas solo se sirven a las direcciones configuradas o con su token."
        )


@pytest.mark.django_db
def test_sin_configurar_nadie_las_lee(client):
    assert client.get("/metricas", REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_detras_del_proxy_cuenta_el_cliente_no_el_proxy(client, permitidas, settings):
    """The proxy (10.0.0.2, an allowed address) forwards a client that wrote an allowed
    address in its own X-Forwarded-For: the client is the one the proxy saw."""
    settings.DICTAMENES_PROXIES = 1
    falsa = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "10.0.0.9, 203.0.113.7"}
    assert client.get("/metricas", **falsa).status_code == 403
    real = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7, 10.0.0.9"}
    assert client.get("/metricas", **real).status_code == 200


@pytest.mark.django_db
def test_la_bandeja_de_salida_se_ve_en_las_metricas(client, permitidas):
    antes = _muestras(client)
    assert _valor(antes, "dictamenes_outbox_pending") == 0
    assert _valor(antes, "dictamenes_outbox_oldest_pending_age_seconds") == 0
    hace_una_hora = timezone.now() - datetime.timedelta(hours=1)
    for intentos in (0, 2, AVISO_INTENTOS_MAXIMOS):
        aviso = Aviso.objects.create(
            destinatarios=["x@example.org"], asunto="a", mensaje="m", intentos=intentos
        )
        Aviso.objects.filter(pk=aviso.pk).update(creado_en=hace_una_hora)
    Aviso.objects.create(
        destinatarios=["x@example.org"], asunto="b", mensaje="m", enviado_en=timezone.now()
    )

    despues = _muestras(client)
    assert _valor(despues, "dictamenes_outbox_pending") == 3
    assert _valor(despues, "dictamenes_outbox_failing") == 2
    assert _valor(despues, "dictamenes_outbox_given_up") == 1
    assert 3600 <= _valor(despues, "dictamenes_outbox_oldest_pending_age_seconds") < 3700


@pytest.mark.django_db
def test_los_pasos_abiertos_por_etapa_y_semaforo(client, permitidas):
    assert (
        _valor(_muestras(client), "dictamenes_open_tasks", etapa="admision", semaforo="verde") == 0
    )
    presentada()
    presentada(titulo="Otra renovación")
    muestras = _muestras(client)
    assert _valor(muestras, "dictamenes_open_tasks", etapa="admision", semaforo="verde") == 2
    assert _valor(muestras, "dictamenes_open_tasks", etapa="admision", semaforo="rojo") == 0
    # A month later nobody admitted them: both are overdue.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        muestras = _muestras(client)
    assert _valor(muestras, "dictamenes_open_tasks", etapa="admision", semaforo="rojo") == 2
    assert _valor(muestras, "dictamenes_open_tasks", etapa="admision", semaforo="verde") == 0


@pytest.mark.django_db
def test_las_consultas_de_la_lectura_no_crecen_con_las_filas(
    client, permitidas, django_assert_num_queries
):
    presentada()
    Aviso.objects.create(destinatarios=["x@example.org"], asunto="a", mensaje="m")
    with django_assert_num_queries(4) as una:  # the runs: one, none kept yet
        _muestras(client)
    for n in range(3):
        presentada(titulo=f"Renovación {n}")
        Aviso.objects.create(destinatarios=["x@example.org"], asunto="a", mensaje="m")
    with django_assert_num_queries(len(una.captured_queries)):
        _muestras(client)


@pytest.mark.django_db
def test_los_comandos_periodicos_su_ultima_corrida_buena_y_los_atrasados(client, permitidas):
    nombre = "dictamenes_periodic_overdue"
    ultima = "dictamenes_periodic_last_success_timestamp_seconds"
    muestras = _muestras(client)
    assert (ultima, (("comando", "enviar_avisos"),)) in muestras
    assert _valor(muestras, ultima, comando="enviar_avisos") == 0  # never ran
    hace_un_minuto = timezone.now() - datetime.timedelta(minutes=1)
    for comando, inicio in (
        ("enviar_avisos", hace_un_minuto),
        ("workflow_timers", timezone.now() - datetime.timedelta(hours=3)),  # every 15 minutes
    ):
        CorridaPeriodica.objects.create(
            nombre=comando, inicio=inicio, fin=inicio, resultado=CorridaPeriodica.Resultado.OK
        )
    muestras = _muestras(client)
    assert _valor(muestras, nombre, comando="enviar_avisos") == 0
    assert _valor(muestras, nombre, comando="workflow_timers") == 1
    assert _valor(muestras, ultima, comando="enviar_avisos") == pytest.approx(
        hace_un_minuto.timestamp(), abs=1
    )


@pytest.mark.django_db
def test_el_tiempo_y_las_consultas_de_cada_peticion_por_vista(client, permitidas):
    antes = _muestras(client)
    client.get("/salud/vivo")
    client.get("/salud/listo")
    despues = _muestras(client)
    cuenta = "dictamenes_request_duration_seconds_count"
    for vista in ("salud_vivo", "salud_listo"):
        assert (
            _valor(despues, cuenta, view=vista, method="GET")
            == _valor(antes, cuenta, view=vista, method="GET") + 1
        )
    peticiones = "dictamenes_requests_total"
    assert _valor(despues, peticiones, view="salud_vivo", method="GET", status="2xx") == (
        _valor(antes, peticiones, view="salud_vivo", method="GET", status="2xx") + 1
    )
    # /salud/listo runs one query: it falls in the bucket of 1 and not in that of 0.
    consultas = "dictamenes_request_queries_bucket"
    assert (
        _valor(despues, consultas, view="salud_listo", le="1.0")
        == _valor(antes, consultas, view="salud_listo", le="1.0") + 1
    )
    assert _valor(despues, consultas, view="salud_listo", le="0.0") == _valor(
        antes, consultas, view="salud_listo", le="0.0"
    )


@pytest.mark.django_db
def test_el_tiempo_de_firma(client, permitidas):
    antes = _valor(_muestras(client), "dictamenes_signing_duration_seconds_count")
    solicitud = en_firma(areas=("computo",))
    client.force_login(usuario("firmante"))
    respuesta = client.post(f"/solicitudes/{solicitud.pk}/firma/", archivos_efirma())
    assert respuesta.status_code == 302
    client.logout()
    despues = _muestras(client)
    assert _valor(despues, "dictamenes_signing_duration_seconds_count") == antes + 1
    assert _valor(despues, "dictamenes_signing_duration_seconds_sum") > 0
