"""The optional second factor (TOTP) of firmantes and administrators, as a person meets it:
turning it on with a phone app, being asked for the code after the password, turning it off."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cuentas import services as cuentas
from dictamenes.models import EventoAuditoria
from tests.conftest import entrar

pytestmark = pytest.mark.django_db


def codigo_de(dispositivo) -> str:
    """What the person's authenticator app shows now."""
    totp = TOTP(dispositivo.bin_key, dispositivo.step, dispositivo.t0, dispositivo.digits)
    totp.time = time.time()
    return f"{totp.token():06d}"


def codigo_del_paso(dispositivo, paso: int) -> str:
    totp = TOTP(dispositivo.bin_key, dispositivo.step, dispositivo.t0, dispositivo.digits)
    totp.time = dispositivo.t0 + paso * dispositivo.step
    return f"{totp.token():06d}"


def codigo_nuevo(dispositivo) -> str:
    """A code the server takes now and has not taken before: the step after the last one it
    took, or the current one if later. It allows for the drift the server learned: a code typed
    just before a 30-second boundary and checked just after it leaves a drift of one step, and
    "the next period's code" would then fall outside the window."""
    dispositivo.refresh_from_db()
    ahora = TOTP(dispositivo.bin_key, dispositivo.step, dispositivo.t0, dispositivo.digits)
    ahora.drift = dispositivo.drift
    ahora.time = time.time()
    return codigo_del_paso(dispositivo, max(ahora.t(), dispositivo.last_t + 1))


def activar(client, username):
    """Through the page: the QR's secret, then its current code."""
    entrar(client, username)
    pagina = client.get(reverse("cuentas:segundo_factor"))
    assert pagina.status_code == 200
    dispositivo = TOTPDevice.objects.get(user__username=username, confirmed=False)
    respuesta = client.post(reverse("cuentas:segundo_factor"), {"codigo": codigo_de(dispositivo)})
    assert respuesta.status_code == 302
    dispositivo.refresh_from_db()
    return dispositivo


@pytest.mark.parametrize("username", ["firmante", "admin"])
def test_se_activa_con_el_qr_y_un_codigo_y_queda_en_la_auditoria(demo, client, username):
    entrar(client, username)
    html = client.get(reverse("cuentas:segundo_factor")).content.decode()
    dispositivo = TOTPDevice.objects.get(user__username=username)
    # The QR (inline SVG) and the same secret in base 32, for typing by hand.
    assert "<svg" in html and "Código QR para su aplicación de autenticación" in html
    clave = re.search(r'<code class="clave">([A-Z2-7 ]+)</code>', html).group(1)
    assert cuentas.clave_legible(dispositivo=dispositivo) == clave
    assert not dispositivo.confirmed

    # A wrong code: the factor is not on, and the page says why.
    mal = client.post(reverse("cuentas:segundo_factor"), {"codigo": "000000"})
    assert mal.status_code == 400
    assert str(cuentas.ERROR_CODIGO) in mal.content.decode()
    dispositivo.refresh_from_db()
    assert not dispositivo.confirmed

    # Throttling waits after a failure; let it pass, as a person retyping would.
    TOTPDevice.objects.filter(pk=dispositivo.pk).update(throttling_failure_count=0)
    bien = client.post(reverse("cuentas:segundo_factor"), {"codigo": codigo_de(dispositivo)})
    assert bien.status_code == 302
    dispositivo.refresh_from_db()
    assert dispositivo.confirmed
    evento = EventoAuditoria.objects.get(tipo="segundo_factor_activado")
    assert evento.usuario.username == username
    assert "Segundo factor activado" in client.get(bien.url).content.decode()


def test_con_segundo_factor_la_contrasena_sola_no_abre_nada(demo, client):
    dispositivo = activar(client, "firmante")
    client.post(reverse("logout"))

    respuesta = entrar(client, "firmante")
    # Every page, the API and the admin lead to the code page until the code is given.
    destino = client.get(respuesta.url)
    assert destino.status_code == 302 and destino.url.startswith(reverse("cuentas:codigo"))
    pagina = client.get("/solicitudes/")
    assert pagina.url == f"{reverse('cuentas:codigo')}?next=/solicitudes/"
    api = client.get("/api/v1/solicitudes/")
    assert api.status_code == 403
    assert "segundo factor" in api.json()["detail"]
    assert client.get("/admin/").url.startswith(reverse("cuentas:codigo"))

    mal = client.post(reverse("cuentas:codigo"), {"codigo": "123456", "next": "/solicitudes/"})
    assert mal.status_code == 400
    assert str(cuentas.ERROR_CODIGO) in mal.content.decode()
    assert client.get("/solicitudes/").status_code == 302

    TOTPDevice.objects.filter(pk=dispositivo.pk).update(throttling_failure_count=0)
    bien = client.post(
        reverse("cuentas:codigo"),
        {"codigo": codigo_nuevo(dispositivo), "next": "/solicitudes/"},
    )
    assert bien.status_code == 302 and bien.url == "/solicitudes/"
    assert client.get("/solicitudes/").status_code == 200
    assert client.get("/api/v1/solicitudes/").status_code == 200


def test_el_mismo_codigo_no_sirve_dos_veces_y_los_intentos_se_frenan(demo, client):
    dispositivo = activar(client, "admin")
    usado = codigo_del_paso(dispositivo, dispositivo.last_t)  # the one that turned it on
    client.post(reverse("logout"))
    entrar(client, "admin")
    repetido = client.post(reverse("cuentas:codigo"), {"codigo": usado})
    assert repetido.status_code == 400

    # After a failure django-otp makes the next try wait, and the page says for how long;
    # even the right code is refused until then.
    seguido = client.post(reverse("cuentas:codigo"), {"codigo": codigo_nuevo(dispositivo)})
    assert seguido.status_code == 400
    assert "Demasiados códigos equivocados seguidos. Espere" in seguido.content.decode()
    assert client.get("/").status_code == 302


def test_desactivarlo_pide_un_codigo_actual(demo, client):
    dispositivo = activar(client, "firmante")
    sin_codigo = client.post(reverse("cuentas:segundo_factor"), {"codigo": "000000"})
    assert sin_codigo.status_code == 400
    assert TOTPDevice.objects.filter(user__username="firmante", confirmed=True).exists()

    TOTPDevice.objects.filter(pk=dispositivo.pk).update(throttling_failure_count=0)
    con_codigo = client.post(
        reverse("cuentas:segundo_factor"), {"codigo": codigo_nuevo(dispositivo)}
    )
    assert con_codigo.status_code == 302
    assert not TOTPDevice.objects.filter(user__username="firmante").exists()
    assert EventoAuditoria.objects.filter(tipo="segundo_factor_desactivado").count() == 1
    # Next login: the password is enough again.
    client.post(reverse("logout"))
    assert client.get(entrar(client, "firmante").url).status_code == 200


@pytest.mark.parametrize("username", ["requirente.sh", "mesa", "revisor.redes", "auditor"])
def test_los_demas_roles_no_lo_tienen(demo, client, username):
    entrar(client, username)
    assert client.get(reverse("cuentas:segundo_factor")).status_code == 403
    assert client.post(reverse("cuentas:segundo_factor"), {"codigo": "1"}).status_code == 403
    assert not TOTPDevice.objects.exists()
    # Their home page does not offer it either.
    assert reverse("cuentas:segundo_factor") not in client.get("/").content.decode()


def test_el_firmante_lo_encuentra_en_su_inicio(demo, client):
    entrar(client, "firmante")
    assert reverse("cuentas:segundo_factor") in client.get("/").content.decode()


def test_sin_segundo_factor_la_pagina_del_codigo_no_estorba(demo, client):
    entrar(client, "firmante")
    respuesta = client.post(reverse("cuentas:codigo"), {"codigo": "1", "next": "/solicitudes/"})
    assert respuesta.status_code == 302 and respuesta.url == "/solicitudes/"


def test_la_pagina_del_codigo_no_lleva_a_otro_sitio(demo, client):
    dispositivo = activar(client, "firmante")
    client.post(reverse("logout"))
    entrar(client, "firmante")
    respuesta = client.post(
        reverse("cuentas:codigo"),
        {"codigo": codigo_nuevo(dispositivo), "next": "https://malicioso.example/"},
    )
    assert respuesta.status_code == 302 and respuesta.url == "/"
