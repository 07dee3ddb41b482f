"""Where sessions live in production: read from the shared cache and written through to the
database (config/settings/production.py), never from a cache of each process; and what a
person notices of it: a flushed cache signs nobody out, a logout or a password change ends
the session."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.config.test_settings import SECRET, _settings_module
from tests.conftest import CONTRASENA_DEMO

# Django's engines, each storing an HMAC of the key in place of the key (cuentas.sesiones).
CACHED_DB = "cuentas.sesiones.cached_db"
DB = "cuentas.sesiones.db"


def _motor(**entorno) -> str:
    return _settings_module(
        "config.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="dictamenes.sonora.gob.mx",
        DJANGO_URL_PUBLICA="https://dictamenes.sonora.gob.mx",
        **entorno,
    ).SESSION_ENGINE


@pytest.mark.parametrize(
    ("cache", "motor"),
    [
        ("redis://127.0.0.1:6379/1", CACHED_DB),
        ("pymemcache://127.0.0.1:11211", CACHED_DB),
        ("dbcache://tabla_cache", CACHED_DB),
        (None, DB),  # locmem: each process its own
        ("locmemcache://", DB),
        ("filecache:///tmp/cache-de-este-servidor", DB),
        ("dummycache://", DB),
    ],
)
def test_la_sesion_se_lee_de_la_cache_solo_si_es_compartida(cache, motor):
    entorno = {"DJANGO_CACHE_URL": cache} if cache else {}
    assert _motor(**entorno) == motor


def test_la_suite_y_make_run_guardan_tambien_la_huella(settings, tmp_path):
    assert settings.SESSION_ENGINE == DB
    local = _settings_module("config.settings.local", DJANGO_VAR_DIR=str(tmp_path))
    assert local.SESSION_ENGINE == DB


@pytest.fixture
def sesiones_en_cache(settings):
    """The engine production chooses with a shared cache, over this process's cache."""
    settings.SESSION_ENGINE = _motor(DJANGO_CACHE_URL="redis://127.0.0.1:6379/1")


def _dentro(client) -> bool:
    return client.get(reverse("inicio")).context["user"].is_authenticated


@pytest.mark.django_db
def test_vaciar_la_cache_no_saca_a_nadie(demo, client, sesiones_en_cache):
    from django.core.cache import cache

    client.force_login(get_user_model().objects.get(username="auditor"))
    assert _dentro(client)
    cache.clear()
    assert _dentro(client)


@pytest.mark.django_db
def test_salir_termina_la_sesion_aunque_otra_pestana_guarde_su_cookie(
    demo, client, settings, sesiones_en_cache
):
    client.force_login(get_user_model().objects.get(username="auditor"))
    otro = Client()  # another tab, or the same cookie at another server
    otro.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _dentro(otro)
    assert client.post(reverse("logout")).status_code == 302
    assert not _dentro(otro)


@pytest.mark.django_db
def test_cambiar_la_contrasena_termina_las_otras_sesiones(demo, client, sesiones_en_cache):
    persona = get_user_model().objects.get(username="auditor")
    otro = Client()
    otro.force_login(persona)
    client.force_login(persona)
    assert _dentro(otro)
    persona.set_password(CONTRASENA_DEMO + "-nueva")
    persona.save()
    assert not _dentro(otro)
