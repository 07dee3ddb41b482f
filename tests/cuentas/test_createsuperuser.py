"""Issue 59, item 3: `createsuperuser` sets an installation up and no more. It makes the first
two administrators and the break-glass account DJANGO_CUENTA_EMERGENCIA names (while none is
designated); with two active administrators, a third one made at the server by one person
alone would skip «Personas y roles», where one asks the role and another approves it: it
refuses in Spanish and writes nothing. Each account it makes is audited."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from cuentas.servidor.management.commands.createsuperuser import ERROR_YA_HAY_DOS
from dictamenes.models import EventoAuditoria

pytestmark = pytest.mark.django_db


def crear(username: str):
    call_command(
        "createsuperuser", interactive=False, username=username, email=f"{username}@ejemplo.mx"
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


def test_sin_la_segunda_crea_la_cuenta_y_lo_audita(demo):
    admin2 = get_user_model().objects.get(username="admin2")
    admin2.is_active = False
    admin2.save()
    desde = ultimo_evento()
    crear("segunda")
    segunda = get_user_model().objects.get(username="segunda")
    assert segunda.is_superuser
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert (evento.tipo, evento.descripcion, evento.datos) == (
        "superusuario_creado",
        "Cuenta superusuaria «segunda» creada en el servidor",
        {"cuenta": segunda.pk, "username": "segunda"},
    )


@override_settings(DICTAMENES_CUENTA_EMERGENCIA="emergencia")
def test_con_dos_crea_todavia_la_cuenta_de_emergencia_y_solo_esa(demo):
    antes = cuentas()
    with pytest.raises(CommandError) as error:
        crear("otra")
    assert str(error.value) == str(ERROR_YA_HAY_DOS)
    assert cuentas() == antes
    desde = ultimo_evento()
    crear("emergencia")
    assert get_user_model().objects.get(username="emergencia").is_superuser
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert evento.descripcion == (
        "Cuenta superusuaria «emergencia» creada en el servidor (la de emergencia)"
    )


def test_manage_py_corre_este_createsuperuser_y_no_el_de_django():
    from django.core.management import get_commands

    # Django runs the command of the first installed app that has one.
    assert get_commands()["createsuperuser"] == "cuentas.servidor", (
        "manage.py createsuperuser corre el de Django, sin límite: «cuentas.servidor» debe ir "
        "antes de «django.contrib.auth» en INSTALLED_APPS"
    )
