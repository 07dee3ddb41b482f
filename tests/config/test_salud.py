"""/salud/vivo and /salud/listo in this process: JSON, no session, no cookie, no personal data,
one query, limited per address; the TSA and the shared cache stopped for real (a TSA and a
Redis of the test's own) make /salud/listo answer 503 naming them, and 200 when they are back.
The database and S3 are stopped under gunicorn in tests/backends/test_salud_servidores.py."""

import json
import socket
import threading

import pytest
from django.urls import reverse

from demo import confianza_local
from dictamenes.operacion.services import salud
from tests.backends.servers import free_port, started_redis_server
from tests.dictamenes.flujo_utils import usuario

TODO_BIEN = {
    "base_de_datos": "ok",
    "cache": "ok",
    "almacenamiento": "ok",
    "tsa": "ok",
}


def _json(respuesta) -> dict:
    assert respuesta["Content-Type"] == "application/json"
    return json.loads(respuesta.content)


@pytest.mark.django_db
def test_vivo_responde_sin_sesion_ni_cookie(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        respuesta = client.get("/salud/vivo")
    assert respuesta.status_code == 200
    assert _json(respuesta) == {"estado": "vivo"}
    assert not respuesta.cookies
    assert "no-store" in respuesta["Cache-Control"]
    assert len(respuesta["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_listo_con_todo_en_pie_es_200_con_una_consulta(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        respuesta = client.get("/salud/listo")
    assert respuesta.status_code == 200
    assert _json(respuesta) == {"estado": "listo", "fallan": [], "componentes": TODO_BIEN}
    assert not respuesta.cookies
    assert "no-store" in respuesta["Cache-Control"]


@pytest.mark.django_db
def test_listo_con_una_sesion_iniciada_no_toca_la_sesion(client):
    client.force_login(usuario("admin"))
    respuesta = client.get("/salud/listo")
    assert respuesta.status_code == 200
    assert not respuesta.cookies


@pytest.mark.django_db
def test_listo_con_una_migracion_sin_aplicar_es_503(client, monkeypatch):
    salud._ultimas_migraciones.cache_clear()
    monkeypatch.setattr(
        salud,
        "_ultimas_migraciones",
        lambda: frozenset(
            {
                ("dictamenes", "9999_aun_no_aplicada"),
                ("auth", "0012_alter_user_first_name_max_length"),
            }
        ),
    )
    respuesta = client.get("/salud/listo")
    assert respuesta.status_code == 503
    cuerpo = _json(respuesta)
    assert cuerpo["fallan"] == ["base_de_datos"]
    assert (
        cuerpo["componentes"]["base_de_datos"] == "falla: le faltan migraciones (manage.py migrate)"
    )


@pytest.mark.django_db
def test_la_tsa_detenida_da_503_que_la_nombra_y_vuelve_a_200(client, settings, tmp_path):
    """A TSA of the test's own (the session's stays up for the other tests)."""
    direccion = f"127.0.0.1:{free_port()}"
    settings.DICTAMENES_TSA = {**settings.DICTAMENES_TSA, "URL": f"http://{direccion}/tsa"}
    settings.DICTAMENES_SALUD_TIEMPO_ESPERA = 1.0
    servidor = confianza_local.Servidor(settings.DICTAMENES_EFIRMA_DEMO_DIR, direccion).iniciar()
    try:
        assert client.get("/salud/listo").status_code == 200
        servidor.detener()

        respuesta = client.get("/salud/listo")
        assert respuesta.status_code == 503
        assert _json(respuesta) == {
            "estado": "no_listo",
            "fallan": ["tsa"],
            "componentes": {**TODO_BIEN, "tsa": "falla: no responde"},
        }

        servidor.iniciar()
        assert client.get("/salud/listo").status_code == 200
    finally:
        servidor.detener()


@pytest.mark.django_db
def test_sin_tsa_configurada_no_falla(client, settings):
    settings.DICTAMENES_TSA = {**settings.DICTAMENES_TSA, "URL": ""}
    respuesta = client.get("/salud/listo")
    assert respuesta.status_code == 200
    assert _json(respuesta)["componentes"]["tsa"] == "sin_configurar"


@pytest.fixture
def redis_propio(settings):
    servidor = started_redis_server()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": servidor.url,
        }
    }
    yield servidor
    servidor.stop()


@pytest.mark.django_db
def test_redis_detenido_da_503_que_lo_nombra_y_vivo_sigue_vivo(client, redis_propio):
    assert client.get("/salud/listo").status_code == 200
    redis_propio.stop()

    respuesta = client.get("/salud/listo")
    assert respuesta.status_code == 503
    assert _json(respuesta)["fallan"] == ["cache"]
    assert _json(respuesta)["componentes"]["cache"] == "falla: no responde"
    # The process still answers: a load balancer takes it out, an orchestrator does not kill it.
    assert client.get("/salud/vivo").status_code == 200

    redis_propio.start()
    assert client.get("/salud/listo").status_code == 200


@pytest.mark.django_db
def test_un_sondeo_de_mas_desde_la_misma_direccion_es_429(client, settings):
    settings.DICTAMENES_LIMITES_SONDEOS = {"salud_vivo": ("2/m",)}
    assert [client.get("/salud/vivo").status_code for _ in range(2)] == [200, 200]
    respuesta = client.get("/salud/vivo")
    assert respuesta.status_code == 429
    assert int(respuesta["Retry-After"]) >= 1
    # Another address has its own count.
    assert client.get("/salud/vivo", REMOTE_ADDR="192.0.2.10").status_code == 200


@pytest.mark.django_db
def test_las_rutas_tienen_nombre(client):
    assert reverse("salud_vivo") == "/salud/vivo"
    assert reverse("salud_listo") == "/salud/listo"
    assert client.post("/salud/vivo").status_code == 405


@pytest.fixture
def servidor_mudo():
    """A TCP port that accepts connections and never answers: a server that drops what it is
    sent, as a firewall or a hung process does (one that refuses is the easy case)."""
    escucha = socket.create_server(("127.0.0.1", 0), backlog=16)
    yield escucha.getsockname()[1]
    escucha.close()


def _en_un_hilo(funcion, limite: float):
    """What `funcion` returned, or None if it was still waiting after `limite` seconds."""
    resultado = []
    hilo = threading.Thread(target=lambda: resultado.append(funcion()), daemon=True)
    hilo.start()
    hilo.join(limite)
    return resultado[0] if resultado else None


@pytest.mark.django_db
def test_un_redis_que_no_contesta_da_503_y_no_detiene_la_sonda(client, settings, servidor_mudo):
    """The settings' cache for DJANGO_CACHE_URL, pointing at a server that never answers:
    /salud/listo answers 503 naming the cache instead of waiting for ever."""
    from tests.config.test_settings import _settings_module

    ajustes = _settings_module(
        "config.settings.local",
        DJANGO_CACHE_URL=f"redis://127.0.0.1:{servidor_mudo}/1",
        DJANGO_CACHE_TIEMPO_ESPERA="0.5",
    )
    settings.CACHES = ajustes.CACHES
    respuesta = _en_un_hilo(lambda: client.get("/salud/listo"), limite=10)
    assert respuesta is not None, "la sonda sigue esperando a Redis"
    assert respuesta.status_code == 503
    assert _json(respuesta)["fallan"] == ["cache"]


def test_un_postgresql_que_no_contesta_no_detiene_la_conexion(servidor_mudo):
    """The same for the database: psycopg with the settings' options gives up connecting."""
    import psycopg

    from tests.config.test_settings import settings_of

    opciones = settings_of(
        "config.settings.local",
        DATABASE_URL=f"postgres://x@127.0.0.1:{servidor_mudo}/x",
        DJANGO_DB_TIEMPO_CONEXION="1",
    )["db_options"]

    def conectar():
        try:
            psycopg.connect(
                host="127.0.0.1",
                port=servidor_mudo,
                user="x",
                dbname="x",
                connect_timeout=opciones["connect_timeout"],
            )
        except psycopg.OperationalError as error:
            return error
        return None

    error = _en_un_hilo(conectar, limite=10)
    assert isinstance(error, psycopg.OperationalError), "la conexión sigue esperando"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ruta", "status"),
    [
        ("/salud/vivo", 200),
        ("/salud/vivo/", 200),
        ("/salud/listo", 200),
        ("/salud/listo/", 200),
        ("/metricas", 403),
        ("/metricas/", 403),
    ],
)
def test_con_o_sin_la_barra_final_responden_igual(client, ruta, status):
    """Issue 61: /salud/vivo/ answered 404, and a probe written with the slash reads a server
    down. Both forms answer (the metrics, refused from here, likewise)."""
    assert client.get(ruta).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ruta", "status"),
    [("/salud/vivo/", 200), ("/salud/listo/", 200), ("/metricas/", 403), ("/salud/", 301)],
)
def test_en_produccion_ninguna_forma_se_redirige_a_https(client, settings, ruta, status):
    """The probes ask over plain HTTP on the private network: a redirect reads as a failure.
    Production's exemptions cover the form with the slash (and nothing else: the control)."""
    from tests.config.test_settings import SECRET, _settings_module

    produccion = _settings_module(
        "config.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_URL_PUBLICA="https://dictamenes.anahuac.gob.mx",
    )
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = produccion.SECURE_REDIRECT_EXEMPT
    assert client.get(ruta).status_code == status
