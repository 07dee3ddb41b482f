"""Issue 59, item 3: `changepassword` at the server keeps the house's rule on passwords (issue
33: nobody sets another person's). An administrator, named with --usuario, sets her own or the
break-glass account's (the way back in when e-mail or the identity provider is down), audited
in her name; anyone else's is refused in Spanish and changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command

from cuentas.servidor.management.commands import changepassword
from dictamenes.management.administrador import ERROR_NO_ADMINISTRADOR, ERROR_SIN_USUARIO
from dictamenes.models import EventoAuditoria
from dictamenes.organizacion.services import emergencia

pytestmark = pytest.mark.django_db

NUEVA = "Otra-contrasena-larga-2026!"


@pytest.fixture(autouse=True)
def teclea(monkeypatch):
    """What the person types at both prompts."""
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt=None: NUEVA)


def cuenta(username):
    return get_user_model().objects.get(username=username)


def ultimo_evento() -> int:
    ultimo = EventoAuditoria.objects.order_by("-numero").first()
    return ultimo.numero if ultimo else 0


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [
        (
            ("mesa", "--usuario", "admin"),
            str(changepassword.ERROR_OTRA_PERSONA % {"cuenta": "mesa"}),
        ),
        (
            ("admin2", "--usuario", "admin"),
            str(changepassword.ERROR_OTRA_PERSONA % {"cuenta": "admin2"}),
        ),
        (("mesa",), str(ERROR_SIN_USUARIO)),
        (("mesa", "--usuario", "mesa"), str(ERROR_NO_ADMINISTRADOR % {"usuario": "mesa"})),
        (
            ("nadie", "--usuario", "admin"),
            str(changepassword.ERROR_NO_EXISTE % {"cuenta": "nadie"}),
        ),
    ],
    ids=["de_otra_persona", "de_otra_administradora", "sin_usuario", "no_administra", "no_existe"],
)
def test_la_contrasena_de_otra_persona_no_se_pone_en_el_servidor(demo, argumentos, mensaje):
    hashes = dict(get_user_model().objects.values_list("username", "password"))
    desde = ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command("changepassword", *argumentos)
    assert str(error.value) == mensaje
    assert dict(get_user_model().objects.values_list("username", "password")) == hashes
    assert not EventoAuditoria.objects.filter(numero__gt=desde).exists()


def test_la_propia_se_cambia_y_queda_a_su_nombre(demo):
    desde = ultimo_evento()
    call_command("changepassword", "admin", "--usuario", "admin")
    assert cuenta("admin").check_password(NUEVA)
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert (evento.tipo, evento.usuario, evento.descripcion) == (
        "contrasena_servidor",
        cuenta("admin"),
        "admin cambió en el servidor la contraseña de su cuenta «admin»",
    )


def test_la_de_la_cuenta_de_emergencia_se_cambia_y_nombra_a_quien_lo_hizo(demo):
    emergencia.cuenta_emergencia_designar(usuario=cuenta("auditor"), motivo="Oficio 3/2026")
    cache.delete(emergencia.CLAVE_CACHE)  # what the commit would do
    desde = ultimo_evento()
    call_command("changepassword", "auditor", "--usuario", "admin")
    assert cuenta("auditor").check_password(NUEVA)
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert (evento.tipo, evento.usuario, evento.descripcion) == (
        "contrasena_servidor",
        cuenta("admin"),
        "admin cambió en el servidor la contraseña de la cuenta de emergencia «auditor»",
    )


def test_manage_py_corre_este_changepassword_y_no_el_de_django():
    from django.core.management import get_commands

    assert get_commands()["changepassword"] == "cuentas.servidor"
