"""Issue 93, items 2 and 3. With production's settings `dumpdata sessions` printed every live
session key and `dumpdata auth.user` every password hash, with no name and no event; and
`--usuario` was only what the person at the keyboard typed.

- `dumpdata` in production refuses a secret asked for by name, and the whole database comes
  out with no session key, password hash, API token, second-factor key, lockout record or
  identity provider's secret, every password as the unusable marker; its event names the
  operator, what it wrote per model, what it left out and where (cuentas.servidor).
- every server command's events carry the machine's login (datos["operador_so"]), those of
  a command without --usuario too; a web request's never do; a --usuario that is not a person
  of the login that runs the command is refused (dictamenes.management.administrador).

Every secret is read back from the raw tables (SQL) and looked for in what was written."""

import io
import json
import os

import pytest
from allauth.socialaccount.models import SocialApp
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.core.management.commands.runserver import Command as Runserver
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from environ import ImproperlyConfigured
from rest_framework.authtoken.models import Token

from config.settings.base import operadores_desde_texto
from cuentas.servidor import con_nombre
from cuentas.servidor.management.commands import dumpdata
from demo.usuarios import CONTRASENA_DEMO
from dictamenes.comun import operador_so
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.management import administrador
from dictamenes.models import EventoAuditoria
from tests.cuentas.test_comandos_con_nombre import (
    EN_PRODUCCION,
    LOGIN,
    OPERADORES,
    eventos_desde,
    intentos,  # noqa: F401 - the axes rows, a fixture
    maquina,  # noqa: F401 - the machine's login, autouse
    ultimo_evento,
)
from tests.cuentas.test_contrasenas_locales import APAGADAS

pytestmark = pytest.mark.django_db


def columna(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [fila[0] for fila in cursor.fetchall()]


# --- dumpdata -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("etiqueta", "modelo"),
    [
        ("sessions", "sessions.Session"),
        ("sessions.Session", "sessions.Session"),
        ("authtoken", "authtoken.Token"),
        ("authtoken.TokenProxy", "authtoken.TokenProxy"),
        ("otp_totp.TOTPDevice", "otp_totp.TOTPDevice"),
        ("axes", "axes.AccessFailureLog"),
        ("socialaccount.SocialToken", "socialaccount.SocialToken"),
    ],
)
def test_en_produccion_dumpdata_no_escribe_un_secreto_pedido(demo, etiqueta, modelo, tmp_path):
    salida, desde = tmp_path / "volcado.json", ultimo_evento()
    with EN_PRODUCCION, pytest.raises(CommandError) as error:
        call_command("dumpdata", etiqueta, usuario="admin", output=str(salida))
    que = con_nombre.no_se_vuelca(apps.get_model(modelo))
    assert str(error.value) == str(dumpdata.ERROR_NO_SE_VUELCA % {"modelo": modelo, "que": que})
    assert not salida.exists()
    assert eventos_desde(desde) == []


def test_en_produccion_dumpdata_sin_nombre_no_escribe_nada(demo):
    salida, desde = io.StringIO(), ultimo_evento()
    with EN_PRODUCCION, pytest.raises(CommandError) as error:
        call_command("dumpdata", "auth.user", stdout=salida)
    assert str(error.value) == str(administrador.ERROR_SIN_USUARIO)
    assert (salida.getvalue(), eventos_desde(desde)) == ("", [])


@pytest.mark.usefixtures("intentos")
def test_en_produccion_dumpdata_de_todo_sale_sin_secretos_y_con_su_evento(demo, client, tmp_path):
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    Token.objects.create(user=admin)
    TOTPDevice.objects.create(user=admin, name="teléfono")
    SocialApp.objects.create(
        provider="openid_connect", name="Llave", client_id="c", secret="secreto-de-la-app"
    )
    secretos = {
        "contraseñas": columna("SELECT password FROM auth_user"),
        "sesiones": [cookie, *columna("SELECT session_key FROM django_session")],
        "tokens": columna("SELECT key FROM authtoken_token"),
        "segundo factor": columna("SELECT key FROM otp_totp_totpdevice"),
        "proveedor": ["secreto-de-la-app"],
        "bloqueos": ["10.0.0.7"],  # the axes rows' address, in no other table
    }
    filas = {
        tabla: len(columna(f"SELECT 1 FROM {tabla}"))  # noqa: S608 - the names below
        for tabla in ("axes_accessattempt", "axes_accessfailurelog", "axes_accesslog")
    }
    omitidos = {
        "authtoken.token": 1,
        "axes.accessattempt": filas["axes_accessattempt"],
        "axes.accessfailurelog": filas["axes_accessfailurelog"],
        "axes.accesslog": filas["axes_accesslog"],
        "otp_totp.totpdevice": 1,
        "sessions.session": len(secretos["sesiones"]) - 1,
        "socialaccount.socialapp": 1,
    }
    usuarios = len(secretos["contraseñas"])
    ruta, aviso, desde = tmp_path / "todo.json", io.StringIO(), ultimo_evento()
    with EN_PRODUCCION:
        call_command(
            "dumpdata",
            "--natural-foreign",
            "--natural-primary",
            output=str(ruta),
            usuario="admin",
            stderr=aviso,
        )
    texto = ruta.read_text(encoding="utf-8")
    for que, valores in secretos.items():
        assert [v for v in valores if v in texto] == [], que
    objetos = json.loads(texto)
    cuentas = [o["fields"] for o in objetos if o["model"] == "auth.user"]
    assert len(cuentas) == usuarios
    assert {c["password"] for c in cuentas} == {con_nombre.MARCA_CONTRASENA}
    bloqueos = "intentos de entrada y bloqueos"
    assert aviso.getvalue() == (
        "No se escribieron (producción): 1 de authtoken.token (tokens de la API); "
        f"{filas['axes_accessattempt']} de axes.accessattempt ({bloqueos}); "
        f"{filas['axes_accessfailurelog']} de axes.accessfailurelog ({bloqueos}); "
        f"{filas['axes_accesslog']} de axes.accesslog ({bloqueos}); 1 de otp_totp.totpdevice "
        "(dispositivos y claves del segundo factor); "
        f"{omitidos['sessions.session']} de sessions.session (sesiones abiertas); 1 de "
        "socialaccount.socialapp (secretos de las aplicaciones del proveedor de identidad).\n"
        f"Las contraseñas de {usuarios} cuentas se escribieron como "
        f"«{con_nombre.MARCA_CONTRASENA}», que no sirve para entrar.\n"
    )
    (evento,) = eventos_desde(desde)
    assert (evento.tipo, evento.usuario.username, evento.descripcion) == (
        "comando_servidor",
        "admin",
        f"admin volcó en el servidor con dumpdata {len(objetos)} objetos a «{ruta}»; "
        f"contraseñas redactadas: {usuarios}; secretos omitidos: {sum(omitidos.values())}",
    )
    assert evento.datos["omitidos"] == omitidos
    assert evento.datos["modelos"]["auth.user"] == usuarios
    assert sum(evento.datos["modelos"].values()) == len(objetos)
    assert (evento.datos["salida"], evento.datos["completo"]) == (str(ruta), True)
    assert evento.datos["operador_so"] == LOGIN


def test_fuera_de_produccion_dumpdata_es_el_de_django(demo):
    salida, desde = io.StringIO(), ultimo_evento()
    call_command("dumpdata", "auth.user", stdout=salida)
    hashes = columna("SELECT password FROM auth_user")
    assert {o["fields"]["password"] for o in json.loads(salida.getvalue())} == set(hashes)
    assert eventos_desde(desde) == []


# --- The machine's login --------------------------------------------------------------------


@pytest.mark.parametrize(
    "argumentos",
    [
        ("shell", "-c", "1"),
        ("dumpdata", "auth.group"),
        ("restaurar", "no-existe.tar", "--forzar"),
        ("changepassword", "admin"),
        ("importar_historico", "no-existe.csv"),
    ],
    ids=["shell", "dumpdata", "restaurar", "changepassword", "importar_historico"],
)
def test_un_usuario_que_no_es_el_de_la_maquina_se_rechaza(demo, argumentos, monkeypatch):
    """ana's login runs commands as admin only; pedro's login is absent from the map."""
    desde = ultimo_evento()
    otro = override_settings(DICTAMENES_OPERADORES={**OPERADORES, "ana": ("firmante",)})
    with otro, pytest.raises(CommandError) as error:
        call_command(*argumentos, "--usuario", "admin", stdout=io.StringIO())
    assert str(error.value) == str(
        administrador.ERROR_NO_ES_SU_LOGIN
        % {"login": "ana", "host": LOGIN["host"], "personas": "«firmante»", "usuario": "admin"}
    )
    monkeypatch.setenv("SUDO_USER", "pedro")
    with EN_PRODUCCION, pytest.raises(CommandError) as error:
        call_command(*argumentos, "--usuario", "admin", stdout=io.StringIO())
    assert str(error.value) == str(
        administrador.ERROR_LOGIN_FUERA_DEL_MAPA
        % {"login": "pedro", "host": LOGIN["host"], "usuario": "admin"}
    )
    assert eventos_desde(desde) == []


ESCRIBE_UN_EVENTO = (
    "from django.db import transaction\n"
    "from dictamenes.comun.auditoria import evento_registrar\n"
    "with transaction.atomic(): evento_registrar(tipo='prueba', descripcion='de un comando')"
)


def test_el_evento_de_un_comando_sin_usuario_lleva_el_login_de_la_maquina(demo):
    """Django's shell, with no --usuario (the switch off), as a cron job without a name."""
    desde = ultimo_evento()
    call_command("shell", command=ESCRIBE_UN_EVENTO)
    (evento,) = eventos_desde(desde)
    assert (evento.usuario, evento.datos) == (None, {"operador_so": LOGIN})


def test_el_evento_de_una_peticion_no_lleva_el_login(demo, client):
    """A page's event, in a process that ran commands before; and a server of pages
    (runserver) clears the login for the requests it serves."""
    call_command("shell", command="1")
    with APAGADAS:
        client.post(reverse("login"), {"username": "auditor", "password": CONTRASENA_DEMO})
    (rechazo,) = EventoAuditoria.objects.filter(tipo="entrada_rechazada")
    assert rechazo.datos == {"usuario": "auditor"}
    vistos = []
    servir = operador_so.en_comando(lambda self: vistos.append(operador_so.operador_so_vigente()))
    servir(Runserver())
    assert vistos == [None]
    with transaction.atomic():
        evento = evento_registrar(tipo="prueba", descripcion="fuera de todo comando")
    assert evento.datos == {}


def test_el_login_de_la_maquina_sale_del_loginuid_de_sudo_o_del_usuario_efectivo(
    monkeypatch, tmp_path
):
    monkeypatch.undo()  # not the suite's `ana`: the machine's own sources
    loginuid = tmp_path / "loginuid"
    monkeypatch.setattr(operador_so, "RUTA_LOGINUID", str(loginuid))
    monkeypatch.setenv("SUDO_USER", "ana")
    monkeypatch.setenv("SUDO_UID", "1001")
    loginuid.write_text("0")  # root's login uid wins over SUDO_USER
    assert operador_so.operador_so_leer() | {"host": ""} == {
        "login": "root",
        "uid": 0,
        "fuente": "loginuid",
        "host": "",
    }
    loginuid.write_text("4294967295")  # none (a timer): SUDO_USER
    assert operador_so.operador_so_leer()["login"] == "ana"
    monkeypatch.delenv("SUDO_USER")
    propio = operador_so.operador_so_leer()
    assert (propio["uid"], propio["fuente"]) == (os.geteuid(), "usuario efectivo")


def test_el_mapa_de_operadores_se_lee_de_django_operadores():
    assert operadores_desde_texto(" ana=ana.lopez, root=admin,root=ana.lopez,") == {
        "ana": ("ana.lopez",),
        "root": ("admin", "ana.lopez"),
    }
    assert operadores_desde_texto("") == {}
    with pytest.raises(ImproperlyConfigured) as error:
        operadores_desde_texto("ana=ana.lopez,root")
    assert str(error.value) == (
        "DJANGO_OPERADORES: «root» no es «usuario de la máquina=usuario del sistema» (p. ej. "
        "ana=ana.lopez,root=admin)."
    )
