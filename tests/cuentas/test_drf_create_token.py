"""Issue 59, item 3: `drf_create_token` at the server names, with --usuario, the administrator
who makes an account's API token, and the audit says so; without one it makes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command, get_commands
from rest_framework.authtoken.models import Token

from cuentas.servidor.management.commands import drf_create_token
from dictamenes.management.administrador import ERROR_NO_ADMINISTRADOR, ERROR_SIN_USUARIO
from dictamenes.models import EventoAuditoria

pytestmark = pytest.mark.django_db


def ultimo_evento() -> int:
    ultimo = EventoAuditoria.objects.order_by("-numero").first()
    return ultimo.numero if ultimo else 0


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [
        (("mesa",), str(ERROR_SIN_USUARIO)),
        (("mesa", "--usuario", "mesa"), str(ERROR_NO_ADMINISTRADOR % {"usuario": "mesa"})),
        (
            ("nadie", "--usuario", "admin"),
            str(drf_create_token.ERROR_NO_EXISTE % {"cuenta": "nadie"}),
        ),
    ],
    ids=["sin_usuario", "no_administra", "no_existe"],
)
def test_sin_una_persona_administradora_no_crea_token(demo, argumentos, mensaje):
    desde = ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command("drf_create_token", *argumentos, stdout=io.StringIO())
    assert str(error.value) == mensaje
    assert not Token.objects.exists()
    assert not EventoAuditoria.objects.filter(numero__gt=desde).exists()


def test_el_token_queda_a_nombre_de_quien_lo_crea_y_el_evento_no_lo_lleva(demo):
    desde = ultimo_evento()
    salida = io.StringIO()
    call_command("drf_create_token", "mesa", "--usuario", "admin", stdout=salida)
    token = Token.objects.get(user__username="mesa")
    assert salida.getvalue().strip() == f"Generated token {token.key} for user mesa"
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert (evento.tipo, evento.usuario.username, evento.descripcion) == (
        "token_api_servidor",
        "admin",
        "admin creó en el servidor el token de la API de «mesa»",
    )
    assert token.key not in str(evento.datos)
    desde = ultimo_evento()
    call_command("drf_create_token", "mesa", "--reset", "--usuario", "admin", stdout=salida)
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert evento.descripcion == "admin reemplazó en el servidor el token de la API de «mesa»"
    assert Token.objects.get(user__username="mesa").key != token.key


def test_manage_py_corre_este_drf_create_token():
    assert get_commands()["drf_create_token"] == "cuentas.servidor"
