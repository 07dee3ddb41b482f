"""The Llave-style endpoints (OAuth2 without OIDC, Llave MX's names) of the test provider."""

from urllib.parse import parse_qs, urlsplit

import requests

from tests.proveedor_oidc.cliente import entrar, redirigido
from tests.proveedor_oidc.conftest import LLAVE_CB
from tests.proveedor_oidc.personas import FIRMANTE, REVISOR, SOLO_CURP


def llave_token(proveedor, persona) -> tuple[requests.Session, str]:
    sesion = entrar(proveedor, persona)
    respuesta = sesion.get(
        proveedor.llave_autorizar_url,
        allow_redirects=False,
        timeout=10,
        params={
            "client_id": proveedor.llave_client_id,
            "redirect_url": LLAVE_CB,
            "response_type": "code",
            "state": "e1",
        },
    )
    assert respuesta.headers["Location"].startswith(LLAVE_CB + "?")
    vuelta = redirigido(respuesta)
    assert vuelta["state"] == "e1"
    token = requests.post(
        proveedor.llave_token_url,
        timeout=10,
        json={
            "grantType": "authorization_code",
            "code": vuelta["code"],
            "redirectUri": LLAVE_CB,
            "clientId": proveedor.llave_client_id,
            "clientSecret": proveedor.llave_client_secret,
        },
    )
    assert token.status_code == 200, token.text
    assert set(token.json()) == {"accessToken"}
    return sesion, token.json()["accessToken"]


def test_llave_entrada_token_y_datos_del_usuario(proveedor):
    anonima = requests.get(
        proveedor.llave_autorizar_url,
        allow_redirects=False,
        timeout=10,
        params={
            "client_id": proveedor.llave_client_id,
            "redirect_url": LLAVE_CB,
            "response_type": "code",
        },
    )
    siguiente = parse_qs(urlsplit(anonima.headers["Location"]).query)["next"][0]
    assert siguiente.startswith("/llave/oauth.xhtml?") and "redirect_url=" in siguiente

    _, token = llave_token(proveedor, SOLO_CURP)
    datos = requests.get(proveedor.llave_datos_url, headers={"accessToken": token}, timeout=10)
    assert datos.status_code == 200
    assert datos.json() == {
        "curp": SOLO_CURP.curp,
        "nombre": SOLO_CURP.nombre,
        "primerApellido": SOLO_CURP.primer_apellido,
        "segundoApellido": SOLO_CURP.segundo_apellido,
        "correo": SOLO_CURP.correo,
    }
    for encabezados in ({}, {"accessToken": "inventado"}, {"Authorization": f"Bearer {token}"}):
        assert (
            requests.get(proveedor.llave_datos_url, headers=encabezados, timeout=10).status_code
            == 401
        )


def test_llave_rechaza_secreto_equivocado_y_codigo_repetido(proveedor):
    sesion = entrar(proveedor, REVISOR)
    vuelta = redirigido(
        sesion.get(
            proveedor.llave_autorizar_url,
            allow_redirects=False,
            timeout=10,
            params={
                "client_id": proveedor.llave_client_id,
                "redirect_url": LLAVE_CB,
                "response_type": "code",
            },
        )
    )
    cuerpo = {
        "grantType": "authorization_code",
        "code": vuelta["code"],
        "redirectUri": LLAVE_CB,
        "clientId": proveedor.llave_client_id,
        "clientSecret": "equivocado",
    }
    malo = requests.post(proveedor.llave_token_url, json=cuerpo, timeout=10)
    assert malo.status_code == 401 and malo.json()["error"] == "invalid_client"
    cuerpo["clientSecret"] = proveedor.llave_client_secret
    assert requests.post(proveedor.llave_token_url, json=cuerpo, timeout=10).status_code == 200
    otra = requests.post(proveedor.llave_token_url, json=cuerpo, timeout=10)
    assert otra.status_code == 400 and otra.json()["error"] == "invalid_grant"
    assert (
        requests.post(proveedor.llave_token_url, data="no es json", timeout=10).status_code == 400
    )


def test_llave_token_caducado_es_401(proveedor):
    _, token = llave_token(proveedor, REVISOR)
    assert (
        requests.get(
            proveedor.llave_datos_url, headers={"accessToken": token}, timeout=10
        ).status_code
        == 200
    )
    assert requests.post(proveedor.caducar_url, timeout=10).json()["tokens"] >= 1
    assert (
        requests.get(
            proveedor.llave_datos_url, headers={"accessToken": token}, timeout=10
        ).status_code
        == 401
    )


def test_llave_cerrar_sesion_vuelve_solo_a_un_sitio_registrado(proveedor):
    sesion, _ = llave_token(proveedor, FIRMANTE)
    ajena = sesion.get(
        proveedor.llave_cerrar_sesion_url,
        allow_redirects=False,
        timeout=10,
        params={"redirect_url": "http://ejemplo.invalid/"},
    )
    assert ajena.status_code == 400
    sesion, _ = llave_token(proveedor, FIRMANTE)
    salida = sesion.get(
        proveedor.llave_cerrar_sesion_url,
        allow_redirects=False,
        timeout=10,
        params={"redirect_url": "http://127.0.0.1:9/adios"},
    )
    assert salida.status_code == 302 and salida.headers["Location"] == "http://127.0.0.1:9/adios"
    assert sesion.get(proveedor.sesion_url, timeout=10).json()["autenticado"] is False
