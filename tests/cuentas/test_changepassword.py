"""Issue 59, item 3: `changepassword` at the server keeps the house's rule on passwords (issue
33: nobody sets another person's). An administrator, named with --usuario, sets her own or the
break-glass account's (the way back in when e-mail or the identity provider is down), audited
in her name; anyone else's is refused in Spanish and changes nothing.

Issue 77, item 3: the break-glass account's password is not chosen nor seen by whoever changes
it, who could then sign in with it alone: the command generates it and sends it only to a
second administrator, its custodian (--custodia), in the same transaction as the change."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
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


@pytest.fixture
def emergencia_auditor(demo):
    emergencia.cuenta_emergencia_designar(usuario=cuenta("auditor"), motivo="Oficio 3/2026")
    cache.delete(emergencia.CLAVE_CACHE)  # what the commit would do
    return cuenta("auditor")


def test_la_de_la_cuenta_de_emergencia_la_genera_y_solo_la_recibe_la_custodia(
    emergencia_auditor,
):
    antes = emergencia_auditor.password
    desde = ultimo_evento()
    salida = io.StringIO()
    call_command(
        "changepassword", "auditor", "--usuario", "admin", "--custodia", "admin2", stdout=salida
    )
    (enviado,) = mail.outbox
    assert enviado.to == [cuenta("admin2").email]
    (generada,) = re.findall(r"^([A-Za-z0-9]{5}(?:-[A-Za-z0-9]{5}){4})$", enviado.body, re.M)
    auditor = cuenta("auditor")
    assert auditor.password != antes
    assert auditor.check_password(generada)
    # Neither typed (the prompt is not asked) nor shown to who ran it.
    assert not auditor.check_password(NUEVA)
    assert generada not in salida.getvalue()
    assert salida.getvalue().strip() == str(
        changepassword.ENVIADA
        % {"cuenta": "auditor", "custodia": "admin2", "correo": cuenta("admin2").email}
    )
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert (evento.tipo, evento.usuario, evento.descripcion) == (
        "contrasena_servidor",
        cuenta("admin"),
        "admin cambió en el servidor la contraseña de la cuenta de emergencia «auditor»; "
        "generada, la recibió solo su custodia «admin2» en su correo",
    )
    assert generada not in str(evento.datos)


@pytest.mark.parametrize(
    ("custodia", "mensaje"),
    [
        (None, str(changepassword.ERROR_SIN_CUSTODIA)),
        ("admin", str(changepassword.ERROR_CUSTODIA_PROPIA % {"usuario": "admin"})),
        ("auditor", str(changepassword.ERROR_CUSTODIA_LA_CUENTA)),
        ("mesa", str(changepassword.ERROR_CUSTODIA_NO_ADMINISTRA % {"usuario": "mesa"})),
        ("nadie", str(changepassword.ERROR_CUSTODIA_NO_ADMINISTRA % {"usuario": "nadie"})),
        ("sin_correo", str(changepassword.ERROR_CUSTODIA_SIN_CORREO % {"usuario": "admin2"})),
    ],
    ids=[
        "sin_custodia",
        "quien_la_cambia",
        "la_propia_cuenta",
        "no_administra",
        "no_existe",
        "sin_correo",
    ],
)
def test_la_de_emergencia_necesita_otra_persona_administradora_con_correo(
    emergencia_auditor, custodia, mensaje
):
    if custodia == "sin_correo":
        get_user_model().objects.filter(username="admin2").update(email="")
        custodia = "admin2"
    hashes = dict(get_user_model().objects.values_list("username", "password"))
    desde = ultimo_evento()
    argumentos = ("auditor", "--usuario", "admin") + (("--custodia", custodia) if custodia else ())
    with pytest.raises(CommandError) as error:
        call_command("changepassword", *argumentos, stdout=io.StringIO())
    assert str(error.value) == mensaje
    assert dict(get_user_model().objects.values_list("username", "password")) == hashes
    assert mail.outbox == []
    assert not EventoAuditoria.objects.filter(numero__gt=desde).exists()


def test_si_el_correo_a_la_custodia_falla_la_contrasena_no_cambia(emergencia_auditor, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def falla(self, mensajes):
        raise OSError("sin correo")

    monkeypatch.setattr(EmailBackend, "send_messages", falla)
    antes, desde = emergencia_auditor.password, ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command(
            "changepassword",
            "auditor",
            "--usuario",
            "admin",
            "--custodia",
            "admin2",
            stdout=io.StringIO(),
        )
    assert str(error.value) == str(
        changepassword.ERROR_NO_SE_ENVIO % {"usuario": "admin2", "error": "sin correo"}
    )
    assert cuenta("auditor").password == antes
    assert not EventoAuditoria.objects.filter(numero__gt=desde).exists()


def test_custodia_solo_con_la_cuenta_de_emergencia(demo):
    antes = cuenta("admin").password
    with pytest.raises(CommandError) as error:
        call_command("changepassword", "admin", "--usuario", "admin", "--custodia", "admin2")
    assert str(error.value) == str(
        changepassword.ERROR_CUSTODIA_SIN_EMERGENCIA % {"cuenta": "admin"}
    )
    assert cuenta("admin").password == antes


def test_manage_py_corre_este_changepassword_y_no_el_de_django():
    from django.core.management import get_commands

    assert get_commands()["changepassword"] == "cuentas.servidor"


def test_a_la_cuenta_de_emergencia_no_se_le_envia_un_enlace_desde_el_admin(emergencia_auditor):
    """Whoever reads the break-glass account's mailbox would choose its password alone: the
    admin's «send a link» refuses it, with the way that needs a second person."""
    from django.test import Client
    from django.urls import reverse

    from cuentas.contrasenas import ERROR_ENLACE_EMERGENCIA
    from tests.conftest import entrar

    antes = emergencia_auditor.password
    desde = ultimo_evento()
    admin = Client()
    entrar(admin, "admin")
    respuesta = admin.post(
        reverse("admin:auth_user_password_change", args=[emergencia_auditor.pk]), follow=True
    )
    assert str(ERROR_ENLACE_EMERGENCIA) in respuesta.content.decode().replace("&#x27;", "'")
    assert not mail.outbox
    assert cuenta("auditor").password == antes
    assert not EventoAuditoria.objects.filter(
        numero__gt=desde, tipo="contrasena_enlace_enviado"
    ).exists()
