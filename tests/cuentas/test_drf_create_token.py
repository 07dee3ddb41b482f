"""Issue 59, item 3: `drf_create_token` at the server names, with --usuario, the administrator
who makes an account's API token, and the audit says so; without one it makes nothing.

Issue 77, item 1: an API token for someone else is never shown to the person who asked (the
probe printed the signer's to an administrator): it goes only to its owner's e-mail, and the
admin of tokens does not show a key either, only revokes it."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command, get_commands
from django.urls import reverse
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


def test_el_propio_se_muestra_y_queda_a_su_nombre(demo):
    desde = ultimo_evento()
    salida = io.StringIO()
    call_command("drf_create_token", "admin", "--usuario", "admin", stdout=salida)
    token = Token.objects.get(user__username="admin")
    assert salida.getvalue().strip() == f"Generated token {token.key} for user admin"
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert (evento.tipo, evento.usuario.username, evento.descripcion) == (
        "token_api_servidor",
        "admin",
        "admin creó en el servidor el token de la API de «admin»",
    )
    assert token.key not in str(evento.datos)
    assert mail.outbox == []
    desde = ultimo_evento()
    call_command("drf_create_token", "admin", "--reset", "--usuario", "admin", stdout=salida)
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert evento.descripcion == "admin reemplazó en el servidor el token de la API de «admin»"
    assert Token.objects.get(user__username="admin").key != token.key


@pytest.mark.parametrize("cuenta", ["firmante", "revisor.redes", "requirente.sh"])
def test_el_de_otra_persona_no_se_muestra_y_llega_solo_a_su_correo(demo, cuenta):
    """The probe's case: an administrator made the signer's token and read it."""
    desde = ultimo_evento()
    salida = io.StringIO()
    call_command("drf_create_token", cuenta, "--usuario", "admin", stdout=salida)
    token = Token.objects.get(user__username=cuenta)
    correo = get_user_model().objects.get(username=cuenta).email
    assert token.key not in salida.getvalue()
    assert salida.getvalue().strip() == str(
        drf_create_token.ENVIADO % {"cuenta": cuenta, "hecho": "creado", "correo": correo}
    )
    (enviado,) = mail.outbox
    assert enviado.to == [correo]
    assert token.key in enviado.body
    assert token.key in enviado.alternatives[0][0]
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert (evento.tipo, evento.usuario.username, evento.descripcion) == (
        "token_api_servidor",
        "admin",
        f"admin creó en el servidor el token de la API de «{cuenta}», enviado a su correo "
        f"{correo} sin mostrarlo",
    )
    assert token.key not in str(evento.datos)


def test_reemplazar_el_de_otra_persona_llega_a_su_correo_y_sin_reset_no_se_reenvia(demo):
    salida = io.StringIO()
    call_command("drf_create_token", "mesa", "--usuario", "admin", stdout=salida)
    anterior = Token.objects.get(user__username="mesa").key
    mail.outbox.clear()
    desde = ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command("drf_create_token", "mesa", "--usuario", "admin", stdout=salida)
    assert str(error.value) == str(drf_create_token.ERROR_YA_TIENE % {"cuenta": "mesa"})
    assert mail.outbox == []
    assert not EventoAuditoria.objects.filter(numero__gt=desde).exists()
    call_command("drf_create_token", "mesa", "--reset", "--usuario", "admin", stdout=salida)
    nuevo = Token.objects.get(user__username="mesa").key
    assert nuevo != anterior
    assert nuevo not in salida.getvalue()
    (enviado,) = mail.outbox
    assert nuevo in enviado.body
    assert "el anterior ya no sirve" in enviado.body
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert evento.descripcion == (
        "admin reemplazó en el servidor el token de la API de «mesa», enviado a su correo "
        "mesa@demo.invalid sin mostrarlo"
    )


def test_sin_correo_no_se_crea_el_token_de_otra_persona(demo):
    get_user_model().objects.filter(username="firmante").update(email="")
    desde = ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command("drf_create_token", "firmante", "--usuario", "admin", stdout=io.StringIO())
    assert str(error.value) == str(drf_create_token.ERROR_SIN_CORREO % {"cuenta": "firmante"})
    assert not Token.objects.exists()
    assert mail.outbox == []
    assert not EventoAuditoria.objects.filter(numero__gt=desde).exists()


def test_si_el_correo_falla_no_queda_token_ni_evento(demo, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def falla(self, mensajes):
        raise OSError("servidor de correo caído")

    monkeypatch.setattr(EmailBackend, "send_messages", falla)
    desde = ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command("drf_create_token", "firmante", "--usuario", "admin", stdout=io.StringIO())
    assert str(error.value) == str(
        drf_create_token.ERROR_NO_SE_ENVIO
        % {"cuenta": "firmante", "error": "servidor de correo caído"}
    )
    assert not Token.objects.exists()
    assert not EventoAuditoria.objects.filter(numero__gt=desde).exists()


# --- The admin of tokens: revoked there, never read ------------------------------------------


@pytest.fixture
def superusuario_en_el_admin(client):
    raiz = get_user_model().objects.create_superuser("raiz", "raiz@demo.invalid", "x" * 20)
    client.force_login(raiz)
    return client


def test_el_admin_de_tokens_no_muestra_ninguna_clave(demo, superusuario_en_el_admin):
    client = superusuario_en_el_admin
    firmante = get_user_model().objects.get(username="firmante")
    token = Token.objects.create(user=firmante)
    paginas = [
        reverse("admin:authtoken_tokenproxy_changelist"),
        reverse("admin:authtoken_tokenproxy_change", args=[firmante.pk]),
        reverse("admin:authtoken_tokenproxy_delete", args=[firmante.pk]),
        reverse("admin:authtoken_tokenproxy_history", args=[firmante.pk]),
    ]
    for url in paginas:
        respuesta = client.get(url)
        assert respuesta.status_code == 200, url
        html = respuesta.content.decode()
        assert "firmante" in html, url
        assert token.key not in html, url
        assert token.key[:8] not in html, url


@pytest.mark.parametrize(
    "consulta",
    ["key__startswith=", "pk__startswith=", "key=", "_to_field=key&_popup=1"],
)
def test_el_admin_de_tokens_no_filtra_por_la_clave(demo, superusuario_en_el_admin, consulta):
    """A filter on the key is an oracle, one character at a time; `_to_field=key` writes each
    row's key into the popup's links."""
    client = superusuario_en_el_admin
    token = Token.objects.create(user=get_user_model().objects.get(username="firmante"))
    lista = reverse("admin:authtoken_tokenproxy_changelist")
    # The list's own filter, by date, still works.
    assert client.get(f"{lista}?created__gte=2020-01-01T00:00:00%2B00:00").status_code == 200
    valor = token.key[0] if consulta.endswith("=") else ""
    respuesta = client.get(f"{lista}?{consulta}{valor}")
    assert respuesta.status_code == 400
    assert token.key not in respuesta.content.decode()


def test_el_admin_revoca_el_token_y_la_auditoria_no_guarda_su_clave(demo, superusuario_en_el_admin):
    client = superusuario_en_el_admin
    firmante = get_user_model().objects.get(username="firmante")
    token = Token.objects.create(user=firmante)
    desde = ultimo_evento()
    respuesta = client.post(
        reverse("admin:authtoken_tokenproxy_delete", args=[firmante.pk]), {"post": "yes"}
    )
    assert respuesta.status_code == 302
    assert not Token.objects.exists()
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert evento.tipo == "admin_baja"
    assert "token de la API de «firmante»" in evento.descripcion
    assert token.key not in evento.descripcion + str(evento.datos)
    mensajes = client.get(reverse("admin:authtoken_tokenproxy_changelist")).content.decode()
    assert token.key not in mensajes


def test_manage_py_corre_este_drf_create_token():
    assert get_commands()["drf_create_token"] == "cuentas.servidor"
