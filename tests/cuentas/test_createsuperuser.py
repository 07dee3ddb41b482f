"""Issue 59, item 3: `createsuperuser` sets an installation up and no more. It makes the first
two administrators and the break-glass account DJANGO_CUENTA_EMERGENCIA names (while none is
designated); with two active administrators, a third one made at the server by one person
alone would skip «Personas y roles», where one asks the role and another approves it: it
refuses in Spanish and writes nothing. Each account it makes is audited.

Issue 77: once there is an active administrator, whoever runs it names herself with --usuario
(item 2), and the break-glass account is made with no usable password, whatever was typed: it
is set by `changepassword --custodia`, generated and sent to a second person (item 3)."""

import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from cuentas.servidor.management.commands.createsuperuser import (
    EMERGENCIA_SIN_CONTRASENA,
    ERROR_YA_HAY_DOS,
)
from dictamenes.comun.operador_so import operador_so_leer
from dictamenes.management.administrador import ERROR_NO_ADMINISTRADOR, ERROR_SIN_USUARIO
from dictamenes.models import EventoAuditoria

pytestmark = pytest.mark.django_db


def crear(username: str, **opciones):
    call_command(
        "createsuperuser",
        interactive=False,
        username=username,
        email=f"{username}@ejemplo.mx",
        stdout=io.StringIO(),
        **opciones,
    )


def ultimo_evento() -> int:
    ultimo = EventoAuditoria.objects.order_by("-numero").first()
    return ultimo.numero if ultimo else 0


def cuentas() -> list[str]:
    return sorted(get_user_model().objects.values_list("username", flat=True))


def test_con_dos_personas_administradoras_no_crea_una_tercera(demo):
    antes, desde = cuentas(), ultimo_evento()
    with pytest.raises(CommandError) as error:
        crear("tercera")
    assert str(error.value) == str(ERROR_YA_HAY_DOS)
    assert cuentas() == antes
    assert not EventoAuditoria.objects.filter(numero__gt=desde).exists()


def desactivar(*usernames):
    get_user_model().objects.filter(username__in=usernames).update(is_active=False)


def test_sin_la_segunda_crea_la_cuenta_a_nombre_de_la_primera_y_lo_audita(demo):
    desactivar("admin2")
    antes, desde = cuentas(), ultimo_evento()
    for opciones, mensaje in (
        ({}, ERROR_SIN_USUARIO),
        ({"usuario": "mesa"}, ERROR_NO_ADMINISTRADOR % {"usuario": "mesa"}),
        ({"usuario": "admin2"}, ERROR_NO_ADMINISTRADOR % {"usuario": "admin2"}),
    ):
        with pytest.raises(CommandError) as error:
            crear("segunda", **opciones)
        assert str(error.value) == str(mensaje)
    assert cuentas() == antes
    assert not EventoAuditoria.objects.filter(numero__gt=desde).exists()
    crear("segunda", usuario="admin")
    segunda = get_user_model().objects.get(username="segunda")
    assert segunda.is_superuser
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert (evento.tipo, evento.usuario.username, evento.descripcion, evento.datos) == (
        "superusuario_creado",
        "admin",
        "admin creó en el servidor la cuenta superusuaria «segunda»",
        # With the machine's login that ran it (issue 93).
        {"cuenta": segunda.pk, "username": "segunda", "operador_so": operador_so_leer()},
    )


def test_la_primera_no_tiene_a_quien_nombrar(demo):
    desactivar("admin", "admin2")
    desde = ultimo_evento()
    crear("primera")
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert (evento.usuario, evento.descripcion) == (
        None,
        "Cuenta superusuaria «primera» creada en el servidor, la primera: aún no había una "
        "persona administradora que la creara",
    )


@override_settings(DICTAMENES_CUENTA_EMERGENCIA="emergencia")
def test_con_dos_crea_todavia_la_cuenta_de_emergencia_y_solo_esa_sin_contrasena(demo, monkeypatch):
    # What was typed (here, the variable --noinput reads) is not kept.
    monkeypatch.setitem(os.environ, "DJANGO_SUPERUSER_PASSWORD", "Tecleada-por-una-sola-2026")
    antes = cuentas()
    with pytest.raises(CommandError) as error:
        crear("otra", usuario="admin")
    assert str(error.value) == str(ERROR_YA_HAY_DOS)
    assert cuentas() == antes
    desde = ultimo_evento()
    salida = io.StringIO()
    call_command(
        "createsuperuser",
        interactive=False,
        username="emergencia",
        email="emergencia@ejemplo.mx",
        usuario="admin",
        stdout=salida,
    )
    creada = get_user_model().objects.get(username="emergencia")
    assert creada.is_superuser
    assert not creada.has_usable_password()
    assert str(EMERGENCIA_SIN_CONTRASENA % {"cuenta": "emergencia"}) in salida.getvalue()
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert evento.descripcion == (
        "admin creó en el servidor la cuenta superusuaria «emergencia» (la de emergencia, sin "
        "contraseña)"
    )


def test_manage_py_corre_este_createsuperuser_y_no_el_de_django():
    from django.core.management import get_commands

    # Django runs the command of the first installed app that has one.
    assert get_commands()["createsuperuser"] == "cuentas.servidor", (
        "manage.py createsuperuser corre el de Django, sin límite: «cuentas.servidor» debe ir "
        "antes de «django.contrib.auth» en INSTALLED_APPS"
    )
