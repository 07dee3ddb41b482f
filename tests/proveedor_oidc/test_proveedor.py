"""The test identity provider on its own, through HTTP only (requests): what the project's
sign-in will meet. No database of the main project is used."""

import secrets
from urllib.parse import urlsplit

import jwt
import pytest
import requests

from tests.proveedor_oidc.cliente import entrar, id_token_verificado, pkce, redirigido
from tests.proveedor_oidc.conftest import CB, SALIDA
from tests.proveedor_oidc.personas import ACR_MFA, FIRMANTE, REVISOR, SOLO_CURP

ALCANCE = "openid profile email curp"


def autorizar(sesion, proveedor, descubrimiento, **extra) -> dict:
    parametros = {
        "client_id": proveedor.oidc_client_id,
        "redirect_uri": CB,
        "response_type": "code",
        "scope": ALCANCE,
        "state": secrets.token_urlsafe(8),
        **extra,
    }
    parametros = {k: v for k, v in parametros.items() if v is not None}
    respuesta = sesion.get(
        descubrimiento["authorization_endpoint"],
        params=parametros,
        allow_redirects=False,
        timeout=10,
    )
    return redirigido(respuesta) | {"state_enviado": parametros["state"]}


def flujo_oidc(proveedor, descubrimiento, persona, *, basic=False):
    """Sign in, authorize with PKCE and a nonce, exchange the code: (session, tokens, nonce)."""
    sesion = entrar(proveedor, persona)
    verificador, reto = pkce()
    nonce = secrets.token_urlsafe(12)
    vuelta = autorizar(
        sesion,
        proveedor,
        descubrimiento,
        nonce=nonce,
        code_challenge=reto,
        code_challenge_method="S256",
    )
    assert vuelta["state"] == vuelta["state_enviado"]
    datos = {
        "grant_type": "authorization_code",
        "code": vuelta["code"],
        "redirect_uri": CB,
        "code_verifier": verificador,
    }
    auth = None
    if basic:
        auth = (proveedor.oidc_client_id, proveedor.oidc_client_secret)
    else:
        datos |= {
            "client_id": proveedor.oidc_client_id,
            "client_secret": proveedor.oidc_client_secret,
        }
    respuesta = requests.post(descubrimiento["token_endpoint"], data=datos, auth=auth, timeout=10)
    assert respuesta.status_code == 200, respuesta.text
    return sesion, respuesta.json(), nonce, datos, auth


def test_descubrimiento_anuncia_los_puntos_de_oidc(proveedor, descubrimiento):
    assert descubrimiento["issuer"] == proveedor.issuer
    for punto in (
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "end_session_endpoint",
    ):
        assert descubrimiento[punto].startswith(proveedor.issuer + "/"), punto
    assert "RS256" in descubrimiento["id_token_signing_alg_values_supported"]
    assert {"curp", "amr", "acr", "email"} <= set(descubrimiento["claims_supported"])
    assert requests.get(descubrimiento["jwks_uri"], timeout=10).json()["keys"][0]["kty"] == "RSA"


def test_pagina_de_entrada_en_espanol_y_autorizar_pide_entrar(proveedor, descubrimiento):
    pagina = requests.get(proveedor.login_url, timeout=10)
    assert 'name="username"' in pagina.text and 'name="password"' in pagina.text
    assert ">Entrar</button>" in pagina.text
    respuesta = requests.get(
        descubrimiento["authorization_endpoint"],
        allow_redirects=False,
        params={"client_id": proveedor.oidc_client_id},
        timeout=10,
    )
    assert urlsplit(respuesta.headers["Location"]).path == "/entrar/"
    mala = entrar(proveedor, FIRMANTE, "mala")
    assert mala.respuesta.status_code == 200 and "incorrectos" in mala.respuesta.text
    assert mala.get(proveedor.sesion_url, timeout=10).json() == {
        "autenticado": False,
        "usuario": None,
    }
    buena = entrar(proveedor, FIRMANTE)
    assert buena.respuesta.status_code == 302
    assert buena.get(proveedor.sesion_url, timeout=10).json() == {
        "autenticado": True,
        "usuario": FIRMANTE.usuario,
    }


def test_flujo_completo_con_pkce_y_nonce_para_la_firmante(proveedor, descubrimiento):
    sesion, tokens, nonce, datos, auth = flujo_oidc(proveedor, descubrimiento, FIRMANTE)
    claims = id_token_verificado(proveedor, tokens["id_token"])
    assert claims["nonce"] == nonce
    assert claims["email"] == FIRMANTE.correo and claims["email_verified"] is True
    assert claims["curp"] == FIRMANTE.curp
    assert claims["name"] == FIRMANTE.nombre_completo
    assert claims["given_name"] == FIRMANTE.nombre
    assert claims["family_name"] == FIRMANTE.apellidos
    assert claims["amr"] == ["pwd", "otp"] and claims["acr"] == ACR_MFA

    info = requests.get(
        descubrimiento["userinfo_endpoint"],
        timeout=10,
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    ).json()
    assert info["curp"] == FIRMANTE.curp and info["email"] == FIRMANTE.correo
    assert info["sub"] == claims["sub"]

    # The same code a second time: refused.
    repetido = requests.post(descubrimiento["token_endpoint"], data=datos, auth=auth, timeout=10)
    assert repetido.status_code == 400 and repetido.json()["error"] == "invalid_grant"


def test_sin_mfa_amr_solo_pwd_y_autenticacion_basic(proveedor, descubrimiento):
    _, tokens, nonce, *_ = flujo_oidc(proveedor, descubrimiento, REVISOR, basic=True)
    claims = id_token_verificado(proveedor, tokens["id_token"])
    assert claims["nonce"] == nonce and claims["curp"] == REVISOR.curp
    assert claims["amr"] == ["pwd"] and "acr" not in claims


@pytest.mark.parametrize("modo", ["otra_clave", "alterada"])
def test_el_control_de_firma_entrega_id_tokens_que_el_jwks_no_verifica(
    proveedor, descubrimiento, modo
):
    """POST /pruebas/firma: the forgeries the project's sign-in must refuse. Their claims are
    the real ones (the altered one says a second factor was used); their signature fails."""
    assert requests.post(proveedor.firma_url, json={"modo": modo}, timeout=10).json() == {
        "modo": modo
    }
    try:
        _sesion, tokens, nonce, _datos, _auth = flujo_oidc(proveedor, descubrimiento, REVISOR)
    finally:
        requests.post(proveedor.firma_url, json={"modo": ""}, timeout=10).raise_for_status()
    with pytest.raises(jwt.InvalidSignatureError, match="^Signature verification failed$"):
        id_token_verificado(proveedor, tokens["id_token"])
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert (claims["nonce"], claims["email"], claims["amr"]) == (
        nonce,
        REVISOR.correo,
        ["pwd", "otp"] if modo == "alterada" else ["pwd"],
    )
    # Signed properly again.
    _sesion, tokens, _nonce, _datos, _auth = flujo_oidc(proveedor, descubrimiento, REVISOR)
    assert id_token_verificado(proveedor, tokens["id_token"])["amr"] == ["pwd"]


def test_sin_alcance_curp_no_hay_curp(proveedor, descubrimiento):
    sesion = entrar(proveedor, SOLO_CURP)
    verificador, reto = pkce()
    vuelta = autorizar(
        sesion,
        proveedor,
        descubrimiento,
        scope="openid email",
        code_challenge=reto,
        code_challenge_method="S256",
    )
    tokens = requests.post(
        descubrimiento["token_endpoint"],
        timeout=10,
        data={
            "grant_type": "authorization_code",
            "code": vuelta["code"],
            "redirect_uri": CB,
            "code_verifier": verificador,
            "client_id": proveedor.oidc_client_id,
            "client_secret": proveedor.oidc_client_secret,
        },
    ).json()
    claims = id_token_verificado(proveedor, tokens["id_token"])
    assert claims["email"] == SOLO_CURP.correo and "curp" not in claims and "name" not in claims


def test_el_cliente_oidc_sin_pkce_es_rechazado(proveedor, descubrimiento):
    sesion = entrar(proveedor, FIRMANTE)
    vuelta = autorizar(sesion, proveedor, descubrimiento, nonce="n")
    assert vuelta["error"] == "invalid_request" and "code" not in vuelta


def test_cierre_de_sesion_oidc_termina_la_sesion_del_proveedor(proveedor, descubrimiento):
    sesion, tokens, *_ = flujo_oidc(proveedor, descubrimiento, FIRMANTE)
    assert sesion.get(proveedor.sesion_url, timeout=10).json() == {
        "autenticado": True,
        "usuario": FIRMANTE.usuario,
    }
    respuesta = sesion.get(
        descubrimiento["end_session_endpoint"],
        allow_redirects=False,
        timeout=10,
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": SALIDA,
            "state": "s1",
        },
    )
    assert respuesta.status_code == 302
    assert respuesta.headers["Location"] == f"{SALIDA}?state=s1"
    assert sesion.get(proveedor.sesion_url, timeout=10).json()["autenticado"] is False


def test_redirecciones_registradas_despues(proveedor, descubrimiento):
    nueva = "http://127.0.0.1:9/otra/cb"
    sesion = entrar(proveedor, FIRMANTE)
    _, reto = pkce()
    antes = sesion.get(
        descubrimiento["authorization_endpoint"],
        allow_redirects=False,
        timeout=10,
        params={
            "client_id": proveedor.oidc_client_id,
            "redirect_uri": nueva,
            "response_type": "code",
            "scope": "openid",
            "code_challenge": reto,
            "code_challenge_method": "S256",
        },
    )
    assert antes.status_code == 400  # an unknown redirect URI is never redirected to
    proveedor.registrar_redirecciones(oidc_redirect_uris=[nueva])
    vuelta = autorizar(
        sesion,
        proveedor,
        descubrimiento,
        redirect_uri=nueva,
        code_challenge=reto,
        code_challenge_method="S256",
    )
    assert vuelta["code"]
