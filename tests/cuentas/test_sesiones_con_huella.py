"""Session keys that a copy cannot use (issue 93, item 1; cuentas.sesiones): what the database
(and so `dumpdata sessions` and a backup of the database) holds of a session, and what the
cache holds, pasted as the session cookie, signs nobody in; the cookie itself still does. The
oracle is the table read with plain SQL and the cache's own keys."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore as SesionDeDjango
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import entrar

pytestmark = pytest.mark.django_db

DB = "cuentas.sesiones.db"
CACHED_DB = "cuentas.sesiones.cached_db"


def _filas() -> list[str]:
    """The session keys as the table stores them (what `dumpdata sessions` prints as pk)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_key FROM django_session ORDER BY session_key")
        return [clave for (clave,) in cursor.fetchall()]


def _quien(settings, cookie: str) -> str:
    """The person a fresh browser with only this session cookie is, "" if nobody."""
    navegador = Client()
    navegador.cookies[settings.SESSION_COOKIE_NAME] = cookie
    usuario = navegador.get(reverse("inicio")).context["user"]
    return usuario.username if usuario.is_authenticated else ""


@pytest.mark.parametrize("motor", [DB, CACHED_DB])
def test_lo_que_guarda_la_base_no_abre_la_sesion(demo, client, settings, motor):
    settings.SESSION_ENGINE = motor
    entrar(client, "auditor")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    [fila] = _filas()
    assert fila != cookie
    assert _quien(settings, fila) == ""
    assert _quien(settings, cookie) == "auditor"

    if motor == CACHED_DB:
        # What a dump of Redis would print: the session is there, under no key that holds
        # the cookie's.
        llaves = list(caches[settings.SESSION_CACHE_ALIAS]._cache)
        assert not [llave for llave in llaves if cookie in llave]
        [de_la_sesion] = [llave for llave in llaves if llave.endswith("cuentas.sesiones." + fila)]
        assert _quien(settings, de_la_sesion.rpartition("cuentas.sesiones.")[2]) == ""


def test_la_migracion_termina_las_sesiones_que_habia(demo):
    migracion = importlib.import_module("dictamenes.migrations.0054_sesiones_con_huella")
    SesionDeDjango().create()  # as Django's engine left them: the key itself
    importlib.import_module(DB).SessionStore().create()
    assert len(_filas()) == 2

    migracion.sesiones_terminar(apps, SimpleNamespace(connection=connection))

    assert _filas() == []


def test_clearsessions_quita_solo_las_vencidas(demo, settings):
    almacen = importlib.import_module(DB).SessionStore
    vencida, vigente = almacen(), almacen()
    vencida.set_expiry(timezone.now() - timezone.timedelta(minutes=1))
    vencida.create()
    vigente.create()

    call_command("clearsessions")

    assert not almacen().exists(vencida.session_key)
    assert almacen().exists(vigente.session_key)
    assert len(_filas()) == 1
