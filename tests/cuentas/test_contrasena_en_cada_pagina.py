"""«Cambiar contraseña» in every page's header, with local passwords switched off: only the
break-glass account sees it, and knowing so costs the page no query."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cuentas.test_contrasenas_locales import APAGADAS

pytestmark = pytest.mark.django_db
CAMBIAR = "Cambiar contraseña"


def _inicio(client, username: str) -> tuple[str, int]:
    """The home page, and how many times it read the accounts' table."""
    client.force_login(get_user_model().objects.get(username=username))
    client.get(reverse("inicio"))  # the designated account's id, once, into the cache
    with CaptureQueriesContext(connection) as consultas:
        pagina = client.get(reverse("inicio")).content.decode()
    cuentas = [q for q in consultas if 'FROM "auth_user"' in q["sql"]]
    return pagina, len(cuentas)


def test_encendidas_todos_ven_cambiar_contrasena(client, demo):
    assert CAMBIAR in _inicio(client, "auditor")[0]
    assert CAMBIAR in _inicio(client, "admin")[0]


@APAGADAS
def test_apagadas_solo_la_cuenta_de_emergencia_la_ve(client, demo):
    assert CAMBIAR not in _inicio(client, "auditor")[0]
    assert CAMBIAR in _inicio(client, "admin")[0]


def test_apagadas_la_pagina_no_vuelve_a_leer_la_cuenta(client, demo):
    """The session's own read of the person, and no second one to ask whether they are the
    break-glass account."""
    assert _inicio(client, "auditor")[1] == 1
    with APAGADAS:
        assert _inicio(client, "auditor")[1] == 1
