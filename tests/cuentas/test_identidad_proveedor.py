"""Sign-in with the state's identity, over HTTP, against a real OpenID Connect provider on
loopback (django-oauth-toolkit in OIDC mode, tests/proveedor_oidc) that also answers with
Llave MX's names. Who gets in, who waits, and each refusal a person or an attacker meets."""

from datetime import timedelta

import pytest
import requests
import time_machine
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cuentas.adaptadores import ERROR_PROVEEDOR
from cuentas.middleware import SESION_CODIGO_PENDIENTE
from dictamenes.models import AccesoPendiente, Aviso, EventoAuditoria, Perfil
from tests.backends.proveedor_oidc import proveedor_iniciado
from tests.conftest import entrar
from tests.cuentas.identidad_utils import (
    NOMBRE_LLAVE,
    NOMBRE_OIDC,
    Entrada,
    con_parametro,
    configuracion,
    parametros,
    retornos,
)
from tests.proveedor_oidc.personas import DESCONOCIDA, FIRMANTE, REVISOR, SOLO_CURP

User = get_user_model()
# The ID tokens of this provider live 30 s: long enough for the callback that asks for one,
# short enough to be stale two minutes later (the session's state lives 10 minutes).
VIDA_ID_TOKEN = 30


@pytest.fixture(scope="module")
def proveedor():
    servidor = proveedor_iniciado(**retornos("http://testserver"), vida_id_token=VIDA_ID_TOKEN)
    yield servidor
    servidor.stop()


@pytest.fixture
def sistema(settings, proveedor, demo):
    settings.SOCIALACCOUNT_PROVIDERS = configuracion(proveedor)
    u = User.objects.get
    # The institutional e-mail of the revisor de redes; nobody has the other people's.
    User.objects.filter(username="revisor.redes").update(email=REVISOR.correo)
    User.objects.filter(username="admin").update(email="admin@sonora.gob.mx")
    return u


def eventos(tipo: str) -> list[EventoAuditoria]:
    return list(EventoAuditoria.objects.filter(tipo=tipo).order_by("numero"))


def usuario_en_sesion(client):
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


@pytest.mark.django_db
def test_entra_por_oidc_y_se_vincula_por_su_correo_institucional(client, proveedor, sistema):
    entrada = Entrada(client, proveedor, REVISOR)
    autorizacion = entrada.a_autorizar()
    # Discovery, PKCE (S256), state and nonce, all in the request the provider receives.
    pedido = parametros(autorizacion)
    assert autorizacion.startswith(f"{proveedor.issuer}/authorize/")
    assert pedido["code_challenge_method"] == "S256" and pedido["code_challenge"]
    assert pedido["state"] and pedido["nonce"] and "curp" in pedido["scope"].split()
    respuesta = entrada.de_vuelta(entrada.en_el_proveedor(autorizacion))
    assert respuesta.status_code == 302 and respuesta["Location"] == "/"
    assert usuario_en_sesion(client) == sistema(username="revisor.redes")
    [vinculada] = eventos("cuenta_vinculada")
    assert vinculada.usuario.username == "revisor.redes"
    assert vinculada.datos["correo"] == REVISOR.correo and vinculada.datos["curp"] == REVISOR.curp
    assert len(eventos("entrada_proveedor")) == 1
    assert SocialAccount.objects.get(user__username="revisor.redes").provider == "estatal"

    # The next sign-in goes straight in, through the link (no second link).
    client.post("/cuentas/logout/")
    assert Entrada(client, proveedor, REVISOR).completa().status_code == 302
    assert usuario_en_sesion(client).username == "revisor.redes"
    assert len(eventos("cuenta_vinculada")) == 1 and len(eventos("entrada_proveedor")) == 2


@pytest.mark.django_db
def test_llave_con_sus_nombres_vincula_por_curp(client, proveedor, sistema):
    Perfil.objects.filter(usuario__username="requirente.sh").update(curp=SOLO_CURP.curp)
    entrada = Entrada(client, proveedor, SOLO_CURP, llave=True)
    autorizacion = entrada.a_autorizar()
    # Llave's authorization: its address and `redirect_url`, no PKCE, no nonce.
    assert autorizacion.startswith(proveedor.llave_autorizar_url)
    pedido = parametros(autorizacion)
    assert pedido["redirect_url"] == "http://testserver/cuentas/llave/login/callback/"
    assert "redirect_uri" not in pedido and "nonce" not in pedido
    respuesta = entrada.de_vuelta(entrada.en_el_proveedor(autorizacion))
    assert respuesta.status_code == 302, respuesta.content[:500]
    assert usuario_en_sesion(client).username == "requirente.sh"
    [vinculada] = eventos("cuenta_vinculada")
    assert vinculada.datos == {
        "proveedor": "llave",
        "uid": SOLO_CURP.curp,
        "correo": SOLO_CURP.correo,
        "curp": SOLO_CURP.curp,
        "mfa": "",
    }
    assert NOMBRE_LLAVE in vinculada.descripcion


@pytest.mark.django_db
@pytest.mark.parametrize("llave", [False, True], ids=["oidc", "llave"])
def test_quien_no_tiene_cuenta_queda_pendiente_y_se_avisa(client, proveedor, sistema, llave):
    cuentas_antes = User.objects.count()
    respuesta = Entrada(client, proveedor, DESCONOCIDA, llave=llave).completa()
    assert respuesta.status_code == 302 and respuesta["Location"] == "/cuentas/pendiente/"
    pagina = client.get("/cuentas/pendiente/").content.decode()
    assert "Su acceso está pendiente" in pagina and DESCONOCIDA.correo in pagina
    assert "nadie recibe una cuenta ni un rol solo por entrar" in pagina
    assert usuario_en_sesion(client) is None
    assert User.objects.count() == cuentas_antes
    assert not SocialAccount.objects.exists()
    pendiente = AccesoPendiente.objects.get()
    assert (pendiente.correo, pendiente.curp) == (DESCONOCIDA.correo, DESCONOCIDA.curp)
    [aviso] = Aviso.objects.all()
    # Every active administrator (the demo has two: issue 33).
    assert aviso.destinatarios == ["admin2@demo.invalid", "admin@sonora.gob.mx"]
    assert DESCONOCIDA.curp in aviso.mensaje and "Personas y roles" in aviso.mensaje
    assert len(eventos("acceso_pendiente")) == 1

    # Again: counted, audited, not announced twice.
    Entrada(client, proveedor, DESCONOCIDA, llave=llave).completa()
    pendiente.refresh_from_db()
    assert pendiente.intentos == 2 and Aviso.objects.count() == 1
    # The administrator sees them on «Personas y roles».
    client.post("/cuentas/logout/")
    entrar(client, "admin")
    roles = client.get("/cuentas/roles/").content.decode()
    assert "1 persona espera acceso" in roles and DESCONOCIDA.curp in roles
    assert (NOMBRE_LLAVE if llave else NOMBRE_OIDC) in roles


@pytest.mark.django_db
def test_un_state_que_no_es_de_esta_sesion_se_rechaza(client, proveedor, sistema):
    entrada = Entrada(client, proveedor, REVISOR)
    retorno = entrada.en_el_proveedor(entrada.a_autorizar())
    respuesta = entrada.de_vuelta(con_parametro(retorno, state="otro-estado"))
    assert respuesta.status_code == 403
    pagina = respuesta.content.decode()
    assert "no corresponde a una entrada iniciada en este navegador" in pagina
    assert f"No se pudo entrar con {NOMBRE_OIDC}" in pagina
    assert usuario_en_sesion(client) is None
    [rechazo] = eventos("entrada_rechazada")
    assert NOMBRE_OIDC in rechazo.descripcion


@pytest.mark.django_db
def test_un_codigo_repetido_se_rechaza(client, proveedor, sistema):
    entrada = Entrada(client, proveedor, REVISOR)
    retorno = entrada.en_el_proveedor(entrada.a_autorizar())
    assert entrada.de_vuelta(retorno).status_code == 302
    client.post("/cuentas/logout/")
    # The same answer again: its state was used up.
    assert entrada.de_vuelta(retorno).status_code == 403
    # The used code with a fresh state of this browser: the provider refuses it.
    otra = Entrada(client, proveedor, REVISOR)
    estado_nuevo = parametros(otra.a_autorizar())["state"]
    respuesta = otra.de_vuelta(con_parametro(retorno, state=estado_nuevo))
    assert respuesta.status_code == 403
    assert "código usado o vencido" in respuesta.content.decode()
    assert usuario_en_sesion(client) is None
    assert len(eventos("entrada_rechazada")) == 2
    assert "invalid_grant" in eventos("entrada_rechazada")[-1].motivo


@pytest.mark.django_db
def test_un_nonce_que_no_es_el_de_la_sesion_se_rechaza(client, proveedor, sistema):
    entrada = Entrada(client, proveedor, REVISOR)
    # Someone changes the nonce of the request on its way to the provider.
    autorizacion = con_parametro(entrada.a_autorizar(), nonce="nonce-de-otro")
    respuesta = entrada.de_vuelta(entrada.en_el_proveedor(autorizacion))
    assert respuesta.status_code == 403
    assert "el «nonce» no coincide" in respuesta.content.decode()
    assert usuario_en_sesion(client) is None
    assert not SocialAccount.objects.exists()
    assert eventos("entrada_rechazada")[0].datos["correo"] == REVISOR.correo


@pytest.mark.django_db
def test_un_id_token_caducado_se_rechaza(client, proveedor, sistema):
    entrada = Entrada(client, proveedor, REVISOR)
    retorno = entrada.en_el_proveedor(entrada.a_autorizar())
    # The answer arrives two minutes late: the ID token has expired (the state has not).
    with time_machine.travel(timezone.now() + timedelta(seconds=4 * VIDA_ID_TOKEN)):
        respuesta = entrada.de_vuelta(retorno)
    assert respuesta.status_code == 403
    assert "token caducado" in respuesta.content.decode()
    assert usuario_en_sesion(client) is None
    assert "ExpiredSignatureError: Signature has expired" in eventos("entrada_rechazada")[0].motivo


@pytest.fixture
def firma_falsificada(proveedor):
    """The provider's ID tokens forged as the test says (POST /pruebas/firma), until its end."""

    def poner(modo: str) -> None:
        respuesta = requests.post(proveedor.firma_url, json={"modo": modo}, timeout=10)
        assert respuesta.json() == {"modo": modo}

    yield poner
    poner("")


@pytest.mark.django_db
@pytest.mark.parametrize("modo", ["otra_clave", "alterada"])
def test_un_id_token_con_firma_falsa_se_rechaza(
    client, settings, proveedor, sistema, firma_falsificada, modo
):
    """An ID token signed by a key not in the provider's JWKS, or one whose payload was changed
    after signing (a second factor added to `amr`, which this configuration trusts): the
    sign-in is refused, nobody enters and the refusal is audited with its cause."""
    settings.SOCIALACCOUNT_PROVIDERS = configuracion(proveedor, confiar_mfa=True)
    TOTPDevice.objects.create(
        user=sistema(username="revisor.redes"), name="Teléfono", confirmed=True
    )
    firma_falsificada(modo)
    respuesta = Entrada(client, proveedor, REVISOR).completa()
    assert respuesta.status_code == 403
    pagina = respuesta.content.decode()
    assert f"No se pudo entrar con {NOMBRE_OIDC}</h1>" in pagina
    assert str(ERROR_PROVEEDOR) in pagina
    assert usuario_en_sesion(client) is None
    assert not SocialAccount.objects.exists()
    assert not eventos("entrada_proveedor") and not eventos("segundo_factor_del_proveedor")
    [rechazo] = eventos("entrada_rechazada")
    assert rechazo.motivo == (
        f"{ERROR_PROVEEDOR} (OAuth2Error: Invalid id_token ← "
        "InvalidSignatureError: Signature verification failed)"
    )


@pytest.mark.django_db
def test_un_codigo_caducado_de_llave_se_rechaza(client, proveedor, sistema):
    Perfil.objects.filter(usuario__username="requirente.sh").update(curp=SOLO_CURP.curp)
    entrada = Entrada(client, proveedor, SOLO_CURP, llave=True)
    retorno = entrada.en_el_proveedor(entrada.a_autorizar())
    requests.post(proveedor.caducar_url, timeout=10).raise_for_status()
    respuesta = entrada.de_vuelta(retorno)
    assert respuesta.status_code == 403
    assert usuario_en_sesion(client) is None
    assert NOMBRE_LLAVE in eventos("entrada_rechazada")[0].descripcion


@pytest.mark.django_db
def test_una_cuenta_dada_de_baja_no_entra(client, proveedor, sistema):
    User.objects.filter(username="revisor.redes").update(is_active=False)
    respuesta = Entrada(client, proveedor, REVISOR).completa()
    assert respuesta.status_code == 403
    assert "dada de baja" in respuesta.content.decode()
    assert usuario_en_sesion(client) is None


@pytest.fixture
def firmante_con_segundo_factor(sistema):
    firmante = sistema(username="firmante")
    firmante.email = FIRMANTE.correo
    firmante.save()
    TOTPDevice.objects.create(user=firmante, name="Teléfono", confirmed=True)
    return firmante


@pytest.mark.django_db
def test_el_segundo_factor_se_sigue_pidiendo_si_no_se_confia_en_el_del_proveedor(
    client, proveedor, firmante_con_segundo_factor
):
    assert Entrada(client, proveedor, FIRMANTE).completa().status_code == 302
    assert client.session.get(SESION_CODIGO_PENDIENTE) is True
    assert client.get("/solicitudes/")["Location"].startswith("/cuentas/codigo/")
    assert not eventos("segundo_factor_del_proveedor")


@pytest.mark.django_db
def test_el_segundo_factor_del_proveedor_basta_si_lo_afirma_y_se_confia(
    client, settings, proveedor, firmante_con_segundo_factor
):
    settings.SOCIALACCOUNT_PROVIDERS = configuracion(proveedor, confiar_mfa=True)
    assert Entrada(client, proveedor, FIRMANTE).completa().status_code == 302
    assert not client.session.get(SESION_CODIGO_PENDIENTE)
    assert client.get("/").status_code == 200
    [evento] = eventos("segundo_factor_del_proveedor")
    assert evento.datos == {"mfa": "amr: pwd otp"}


@pytest.mark.django_db
def test_sin_segundo_factor_afirmado_se_pide_aunque_se_confie(client, settings, proveedor, sistema):
    settings.SOCIALACCOUNT_PROVIDERS = configuracion(proveedor, confiar_mfa=True)
    revisor = sistema(username="revisor.redes")
    TOTPDevice.objects.create(user=revisor, name="Teléfono", confirmed=True)
    assert Entrada(client, proveedor, REVISOR).completa().status_code == 302  # amr: pwd
    assert client.session.get(SESION_CODIGO_PENDIENTE) is True


@pytest.mark.django_db
def test_salir_cierra_tambien_la_sesion_del_proveedor(client, proveedor, sistema):
    entrada = Entrada(client, proveedor, REVISOR)
    assert entrada.completa().status_code == 302
    assert entrada.sesion.get(proveedor.sesion_url, timeout=10).json()["autenticado"] is True
    salida = client.post("/cuentas/logout/")
    assert usuario_en_sesion(client) is None
    fin = salida["Location"]
    assert fin.startswith(f"{proveedor.issuer}/logout/")
    assert parametros(fin)["post_logout_redirect_uri"] == "http://testserver/"
    assert parametros(fin)["id_token_hint"]
    de_vuelta = entrada.sesion.get(fin, allow_redirects=False, timeout=10)
    assert de_vuelta.status_code == 302
    assert de_vuelta.headers["Location"].startswith("http://testserver/")
    assert entrada.sesion.get(proveedor.sesion_url, timeout=10).json()["autenticado"] is False


@pytest.mark.django_db
def test_salir_de_llave_pasa_por_su_direccion_de_salida(client, proveedor, sistema):
    Perfil.objects.filter(usuario__username="requirente.sh").update(curp=SOLO_CURP.curp)
    entrada = Entrada(client, proveedor, SOLO_CURP, llave=True)
    assert entrada.completa().status_code == 302
    fin = client.post("/cuentas/logout/")["Location"]
    assert fin.startswith(proveedor.llave_cerrar_sesion_url)
    assert parametros(fin) == {"redirect_url": "http://testserver/"}
    de_vuelta = entrada.sesion.get(fin, allow_redirects=False, timeout=10)
    assert de_vuelta.headers["Location"] == "http://testserver/"
    assert entrada.sesion.get(proveedor.sesion_url, timeout=10).json()["autenticado"] is False


@pytest.mark.django_db
def test_salir_con_contrasena_no_pasa_por_ningun_proveedor(client, sistema):
    entrar(client, "auditor")
    assert client.post("/cuentas/logout/")["Location"] == "/"
