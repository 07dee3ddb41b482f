"""Issue 77, item 2: server commands leave a name. An outside probe made `auditor` a superuser
with `manage.py loaddata` and no audit event; `loaddata`, `flush`, `shell`, `dbshell` and the
axes resets left no name. With production's switch (DICTAMENES_COMANDOS_CON_NOMBRE):
`loaddata` refuses people, roles, rules and the procedure, and anything else needs --usuario
and an event; `flush` refuses; `shell`, `dbshell` and the axes resets need --usuario and write
their event (a console's before it opens); `restaurar --forzar` needs --usuario and the
restored chain says who replaced what. Off (development, the demo, the suite) they are Django's.

Every expectation is read back from the raw rows: the users table, the events after the last
one, the axes tables."""

import io
import json
import socket
import stat
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command, get_commands
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from config.escritores import CONTROLADOS
from cuentas.servidor import con_nombre
from cuentas.servidor.management.commands import flush, loaddata
from dictamenes.comun import auditoria, operador_so
from dictamenes.management.administrador import ERROR_NO_ADMINISTRADOR, ERROR_SIN_USUARIO
from dictamenes.management.commands import restaurar
from dictamenes.models import EventoAuditoria
from dictamenes.operacion.services import respaldo as respaldo_servicio

pytestmark = pytest.mark.django_db

# The machine's login of every test here (operador_so: no login uid, so SUDO_USER): `ana`,
# whom production's map names as `admin`.
LOGIN = {"login": "ana", "uid": 1001, "fuente": "SUDO_USER", "host": socket.gethostname()}
OPERADORES = {"ana": ("admin",)}
EN_PRODUCCION = override_settings(
    DICTAMENES_COMANDOS_CON_NOMBRE=True, DICTAMENES_OPERADORES=OPERADORES
)


@pytest.fixture(autouse=True)
def maquina(monkeypatch):
    monkeypatch.setattr(operador_so, "_loginuid", lambda: None)
    monkeypatch.setenv("SUDO_USER", "ana")
    monkeypatch.setenv("SUDO_UID", "1001")


def ultimo_evento() -> int:
    ultimo = EventoAuditoria.objects.order_by("-numero").first()
    return ultimo.numero if ultimo else 0


def eventos_desde(numero: int) -> list[EventoAuditoria]:
    return list(EventoAuditoria.objects.filter(numero__gt=numero).order_by("numero"))


def usuarios_crudos() -> list[tuple]:
    """The users table as the database holds it: the oracle for "nothing was written"."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, username, password, is_superuser, is_staff, is_active FROM auth_user "
            "ORDER BY id"
        )
        return cursor.fetchall()


def fixture(tmp_path, objetos: list[dict], nombre="datos.json") -> str:
    ruta = tmp_path / nombre
    ruta.write_text(json.dumps(objetos), encoding="utf-8")
    return str(ruta)


def auditor_superusuario(tmp_path) -> str:
    """The probe's fixture: `auditor` made a superuser."""
    auditor = get_user_model().objects.get(username="auditor")
    return fixture(
        tmp_path,
        [
            {
                "model": "auth.user",
                "pk": auditor.pk,
                "fields": {
                    "username": "auditor",
                    "password": auditor.password,
                    "is_superuser": True,
                    "is_staff": True,
                    "is_active": True,
                },
            }
        ],
    )


def acceso(tmp_path) -> str:
    """A model outside the product's doors (axes' log of sign-ins)."""
    campos = {
        "user_agent": "curl",
        "ip_address": "10.0.0.9",
        "http_accept": "*/*",
        "attempt_time": "2026-01-05T10:00:00Z",
    }
    return fixture(
        tmp_path,
        [
            {"model": "axes.accesslog", "fields": {**campos, "username": "mesa", "path_info": "/"}},
            {"model": "axes.accesslog", "fields": {**campos, "username": "x", "path_info": "/a"}},
        ],
        nombre="accesos.json",
    )


# --- The switch -----------------------------------------------------------------------------


def test_el_interruptor_esta_encendido_en_produccion_y_apagado_fuera():
    from config.settings import base

    assert base.DICTAMENES_COMANDOS_CON_NOMBRE is False
    produccion = (base.BASE_DIR / "config" / "settings" / "production.py").read_text()
    assert "\nDICTAMENES_COMANDOS_CON_NOMBRE = True\n" in produccion


@pytest.mark.parametrize(
    "comando",
    [
        "loaddata",
        "flush",
        "shell",
        "dbshell",
        "axes_reset",
        "axes_reset_ip",
        "axes_reset_username",
        "axes_reset_ip_username",
        "axes_reset_logs",
        "axes_reset_failure_logs",
        "dumpdata",
    ],
)
def test_manage_py_corre_los_de_la_casa(comando):
    assert get_commands()[comando] == "cuentas.servidor"


# --- loaddata ------------------------------------------------------------------------------


def test_en_produccion_loaddata_no_hace_superusuario_a_nadie(demo, tmp_path):
    """The probe's finding, with an administrator's name given: refused all the same."""
    antes, desde = usuarios_crudos(), ultimo_evento()
    with EN_PRODUCCION, pytest.raises(CommandError) as error:
        call_command("loaddata", auditor_superusuario(tmp_path), "--usuario", "admin")
    assert str(error.value) == str(
        loaddata.ERROR_NO_SE_CARGA % {"modelo": "auth.User", "que": "cuentas, roles y permisos"}
    )
    assert usuarios_crudos() == antes
    assert eventos_desde(desde) == []


def test_en_produccion_loaddata_no_carga_un_controlado_escondido_tras_uno_permitido(demo, tmp_path):
    """Checked object by object: the harmless rows before it are rolled back too."""
    objetos = json.loads(Path(acceso(tmp_path)).read_text()) + json.loads(
        Path(auditor_superusuario(tmp_path)).read_text()
    )
    antes, desde = usuarios_crudos(), ultimo_evento()
    with EN_PRODUCCION, pytest.raises(CommandError):
        call_command("loaddata", fixture(tmp_path, objetos, "mezcla.json"), usuario="admin")
    assert usuarios_crudos() == antes
    assert not AccessLog.objects.exists()
    assert eventos_desde(desde) == []


def test_los_modelos_del_mapa_de_escritores_y_los_de_acceso_no_se_cargan_en_produccion():
    """Every model the writers' map controls, and the tables of access and of the audit chain
    that it does not list."""
    etiquetas = [
        *CONTROLADOS,
        "auth.Permission",
        "authtoken.Token",
        "sessions.Session",
        "contenttypes.ContentType",
        "guardian.UserObjectPermission",
        "guardian.GroupObjectPermission",
        "account.EmailAddress",
        "socialaccount.SocialAccount",
        "admin.LogEntry",
        "dictamenes.EventoAuditoria",
        "dictamenes.Consecutivo",
        "dictamenes.Aviso",
        "dictamenes.Perfil_areas",
        "auth.User_groups",
    ]
    sin_rechazo = [e for e in etiquetas if not con_nombre.no_se_carga(apps.get_model(e))]
    assert sin_rechazo == []
    assert con_nombre.no_se_carga(AccessLog) == ""


def test_en_produccion_loaddata_de_lo_demas_pide_nombre_y_lo_audita(demo, tmp_path):
    ruta = acceso(tmp_path)
    desde = ultimo_evento()
    with EN_PRODUCCION:
        with pytest.raises(CommandError) as error:
            call_command("loaddata", ruta, verbosity=0)
        assert str(error.value) == str(ERROR_SIN_USUARIO)
        with pytest.raises(CommandError) as error:
            call_command("loaddata", ruta, usuario="mesa", verbosity=0)
        assert str(error.value) == str(ERROR_NO_ADMINISTRADOR % {"usuario": "mesa"})
        assert not AccessLog.objects.exists()
        assert eventos_desde(desde) == []
        call_command("loaddata", ruta, usuario="admin", verbosity=0)
    assert sorted(AccessLog.objects.values_list("username", flat=True)) == ["mesa", "x"]
    (evento,) = eventos_desde(desde)
    assert (evento.tipo, evento.usuario.username, evento.descripcion) == (
        "comando_servidor",
        "admin",
        f"admin cargó en el servidor con loaddata 2 objetos (axes.accesslog: 2) de «{ruta}»",
    )
    assert evento.datos["comando"] == "loaddata"
    assert evento.datos["fixtures"] == [ruta]
    assert evento.datos["modelos"] == {"axes.accesslog": 2}


def test_fuera_de_produccion_loaddata_es_el_de_django(demo, tmp_path):
    """Development, the demo and the suite load what they load, without a name."""
    desde = ultimo_evento()
    call_command("loaddata", auditor_superusuario(tmp_path), verbosity=0)
    assert get_user_model().objects.get(username="auditor").is_superuser
    assert eventos_desde(desde) == []


# --- flush ----------------------------------------------------------------------------------


def test_en_produccion_flush_no_vacia_nada(demo):
    antes, eventos = usuarios_crudos(), EventoAuditoria.objects.count()
    with EN_PRODUCCION, pytest.raises(CommandError) as error:
        call_command("flush", interactive=False, verbosity=0)
    assert str(error.value) == str(flush.ERROR_EN_PRODUCCION)
    assert usuarios_crudos() == antes
    assert EventoAuditoria.objects.count() == eventos > 0


# --- shell and dbshell ------------------------------------------------------------------------


def test_en_produccion_shell_pide_nombre_y_lo_deja_antes_de_abrir(demo, tmp_path):
    marca = tmp_path / "corrio"
    orden = f"open({str(marca)!r}, 'w').write('sí')"
    desde = ultimo_evento()
    with EN_PRODUCCION:
        with pytest.raises(CommandError) as error:
            call_command("shell", command=orden)
        assert str(error.value) == str(ERROR_SIN_USUARIO)
        assert not marca.exists()
        assert eventos_desde(desde) == []
        call_command("shell", command=orden, usuario="admin")
    assert marca.read_text() == "sí"
    (evento,) = eventos_desde(desde)
    assert (evento.tipo, evento.usuario.username, evento.descripcion) == (
        "comando_servidor",
        "admin",
        f"admin abrió una consola de Python (shell) en el servidor para correr una orden (-c) "
        f"de {len(orden)} caracteres",
    )
    # The code is kept as its length and SHA-256: it may carry a password.
    assert orden not in json.dumps(evento.datos, ensure_ascii=False)
    assert evento.datos["argumentos"]["command"] == con_nombre.huella(orden)
    assert evento.datos["comando"] == "shell"


def test_en_produccion_dbshell_pide_nombre_y_lo_deja_antes_de_abrir(demo, monkeypatch):
    abiertas = []

    def abrir(parametros):
        # The event is already there when the client starts.
        abiertas.append(
            (list(parametros), EventoAuditoria.objects.filter(numero__gt=desde).count())
        )

    monkeypatch.setattr(connection.client, "runshell", abrir)
    desde = ultimo_evento()
    with EN_PRODUCCION:
        with pytest.raises(CommandError) as error:
            call_command("dbshell")
        assert str(error.value) == str(ERROR_SIN_USUARIO)
        assert abiertas == []
        call_command("dbshell", "--usuario", "admin", "--", "-c", "SELECT 'secreto'")
    assert abiertas == [(["-c", "SELECT 'secreto'"], 1)]
    (evento,) = eventos_desde(desde)
    assert (evento.usuario.username, evento.descripcion) == (
        "admin",
        "admin abrió una consola de la base de datos «default» (dbshell) en el servidor",
    )
    assert "secreto" not in json.dumps(evento.datos)


def test_fuera_de_produccion_shell_no_pide_nombre(demo, tmp_path):
    marca = tmp_path / "corrio"
    desde = ultimo_evento()
    call_command("shell", command=f"open({str(marca)!r}, 'w').write('x')")
    assert marca.exists()
    assert eventos_desde(desde) == []


# --- axes resets ----------------------------------------------------------------------------

CAMPOS = {"user_agent": "curl", "http_accept": "*/*", "path_info": "/cuentas/login/"}


@pytest.fixture
def intentos():
    AccessAttempt.objects.create(
        username="mesa",
        ip_address="10.0.0.7",
        get_data="",
        post_data="",
        failures_since_start=5,
        **CAMPOS,
    )
    AccessLog.objects.create(username="mesa", ip_address="10.0.0.7", **CAMPOS)
    AccessFailureLog.objects.create(username="mesa", ip_address="10.0.0.7", **CAMPOS)


def axes_filas() -> tuple[int, int, int]:
    return (
        AccessAttempt.objects.count(),
        AccessLog.objects.count(),
        AccessFailureLog.objects.count(),
    )


@pytest.mark.parametrize(
    ("argumentos", "queda", "descripcion"),
    [
        (
            ("axes_reset",),
            (0, 1, 1),
            "admin borró en el servidor todos los intentos de entrada y bloqueos",
        ),
        (
            ("axes_reset_ip", "10.0.0.7"),
            (0, 1, 1),
            "admin borró en el servidor los intentos de entrada y bloqueos desde 10.0.0.7",
        ),
        (
            ("axes_reset_username", "mesa"),
            (0, 1, 1),
            "admin borró en el servidor los intentos de entrada y bloqueos de «mesa»",
        ),
        (
            ("axes_reset_ip_username", "10.0.0.7", "mesa"),
            (0, 1, 1),
            "admin borró en el servidor los intentos de entrada y bloqueos de «mesa» desde "
            "10.0.0.7",
        ),
        (
            ("axes_reset_logs", "--age", "0"),
            (1, 0, 1),
            "admin borró en el servidor el registro de entradas de más de 0 días",
        ),
        (
            ("axes_reset_failure_logs", "--age", "0"),
            (1, 1, 0),
            "admin borró en el servidor el registro de intentos fallidos de más de 0 días",
        ),
    ],
    ids=[
        "axes_reset",
        "axes_reset_ip",
        "axes_reset_username",
        "axes_reset_ip_username",
        "axes_reset_logs",
        "axes_reset_failure_logs",
    ],
)
def test_en_produccion_los_desbloqueos_de_axes_piden_nombre_y_lo_auditan(
    demo, intentos, argumentos, queda, descripcion
):
    desde = ultimo_evento()
    with EN_PRODUCCION:
        with pytest.raises(CommandError) as error:
            call_command(*argumentos, stdout=io.StringIO())
        assert str(error.value) == str(ERROR_SIN_USUARIO)
        with pytest.raises(CommandError) as error:
            call_command(*argumentos, "--usuario", "mesa", stdout=io.StringIO())
        assert str(error.value) == str(ERROR_NO_ADMINISTRADOR % {"usuario": "mesa"})
        assert axes_filas() == (1, 1, 1)
        assert eventos_desde(desde) == []
        call_command(*argumentos, "--usuario", "admin", stdout=io.StringIO())
    assert axes_filas() == queda
    (evento,) = eventos_desde(desde)
    assert (evento.tipo, evento.usuario.username, evento.descripcion) == (
        "comando_servidor",
        "admin",
        descripcion,
    )
    assert evento.datos["comando"] == argumentos[0]


# --- restaurar --forzar ---------------------------------------------------------------------


def test_restaurar_con_forzar_pide_nombre_y_nada_cambia_sin_el(demo, tmp_path):
    respaldo = tmp_path / "r.tar"
    call_command("respaldo", str(respaldo), stdout=io.StringIO(), verbosity=0)
    antes, desde = usuarios_crudos(), ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command("restaurar", str(respaldo), forzar=True, verbosity=0)
    assert str(error.value) == str(restaurar.ERROR_FORZAR_SIN_USUARIO)
    with pytest.raises(CommandError) as error:
        call_command("restaurar", str(respaldo), forzar=True, usuario="mesa", verbosity=0)
    assert str(error.value) == str(ERROR_NO_ADMINISTRADOR % {"usuario": "mesa"})
    assert usuarios_crudos() == antes
    assert eventos_desde(desde) == []


@pytest.fixture
def tipos_de_contenido_al_terminar():
    """The restore recreates the content types with new ids and caches them; the test's
    rollback brings the old ids back, and the next tests of this process must not read the
    cached ones."""
    yield
    ContentType.objects.clear_cache()


def sesion_abierta(client) -> bool:
    """Whether the client's cookie still signs someone in, as the middleware reads it."""
    return client.get(reverse("login")).wsgi_request.user.is_authenticated


# Production's engine with a shared cache: each session in the cache and in the database,
# both under the huella of its key (cuentas.sesiones).
EN_CACHE_Y_BASE = override_settings(SESSION_ENGINE="cuentas.sesiones.cached_db")


@EN_CACHE_Y_BASE
def test_en_produccion_restaurar_con_forzar_corre_flush_y_loaddata_y_nombra_a_quien(
    demo,
    tmp_path,
    tipos_de_contenido_al_terminar,
    client,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """The restore runs the house's `flush` and `loaddata` (refused alone in production) and
    the restored chain's next event names who replaced the installation. Nobody stays signed
    in (issue 93): not through the cache, nor through a session row the backup brought back
    (here one made keeping sessions, as a backup from before they were left out would)."""
    client.force_login(get_user_model().objects.get(username="admin"))
    assert sesion_abierta(client)
    monkeypatch.setattr(
        respaldo_servicio,
        "etiquetas_excluidas",
        lambda: tuple(e for e in respaldo_servicio.EXCLUIDOS if e != "sessions"),
    )
    respaldo = tmp_path / "r.tar"
    # Production's nightly backup: its `dumpdata` writes everything, with no name.
    with EN_PRODUCCION:
        call_command("respaldo", str(respaldo), stdout=io.StringIO(), verbosity=0)
    # The file holds password hashes: its owner's alone.
    assert stat.S_IMODE(respaldo.stat().st_mode) == 0o600
    cabeza = EventoAuditoria.objects.order_by("-numero").first()
    usuarios, cuentas = get_user_model().objects.count(), usuarios_crudos()
    # Something the backup does not have, which the restore replaces.
    get_user_model().objects.create_user("sobrante", "sobrante@demo.invalid")
    with EN_PRODUCCION, django_capture_on_commit_callbacks(execute=True):
        call_command("restaurar", str(respaldo), forzar=True, usuario="admin", verbosity=0)
    assert not sesion_abierta(client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_session")
        assert cursor.fetchone() == (0,)
    # Every account back with its password hash: the backup kept them.
    assert usuarios_crudos() == cuentas
    (evento,) = eventos_desde(cabeza.numero)
    assert evento.anterior_hash == cabeza.hash
    assert (evento.tipo, evento.usuario) == ("restauracion_forzada", None)
    assert evento.descripcion.startswith(
        "admin restauró en el servidor con --forzar el respaldo «r.tar»: reemplazó todo el "
        f"contenido de la instalación ({usuarios + 1} usuarios, "
    )
    assert evento.datos["operador"]["username"] == "admin"
    assert evento.datos["operador_so"] == LOGIN
    assert auditoria.cadena_verificar().integra
    assert not restaurar.RESTAURANDO.get()
