"""Client-side helpers for tests that talk to the test identity provider over HTTP: sign in
at its login page as a browser would, make a PKCE pair, read a redirect without following
it, verify an id_token against the provider's JWKS."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs, urlsplit

import jwt
import requests

from tests.proveedor_oidc.personas import CONTRASENA_PROVEEDOR, Persona


def entrar(proveedor, persona: Persona, contrasena: str = CONTRASENA_PROVEEDOR):
    """A requests session after posting the provider's login form; the answer to the post is
    kept as `sesion.respuesta` (302 when the password was right, 200 with the form if not)."""
    sesion = requests.Session()
    pagina = sesion.get(proveedor.login_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina.text).group(1)
    sesion.respuesta = sesion.post(
        proveedor.login_url,
        data={"csrfmiddlewaretoken": token, "username": persona.usuario, "password": contrasena},
        allow_redirects=False,
        timeout=10,
    )
    return sesion


def pkce() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge)."""
    verificador = secrets.token_urlsafe(48)
    reto = base64.urlsafe_b64encode(hashlib.sha256(verificador.encode()).digest())
    return verificador, reto.rstrip(b"=").decode()


def redirigido(respuesta) -> dict[str, str]:
    """The query parameters of a redirect (not followed)."""
    assert respuesta.status_code == 302, respuesta.text[:500]
    return {k: v[0] for k, v in parse_qs(urlsplit(respuesta.headers["Location"]).query).items()}


def id_token_verificado(proveedor, id_token: str, *, jwks_uri: str | None = None) -> dict:
    """The claims of an id_token whose RS256 signature, audience and issuer check out."""
    jwks_uri = jwks_uri or f"{proveedor.issuer}/.well-known/jwks.json"
    clave = jwt.PyJWKClient(jwks_uri).get_signing_key_from_jwt(id_token)
    return jwt.decode(
        id_token,
        clave.key,
        algorithms=["RS256"],
        audience=proveedor.oidc_client_id,
        issuer=proveedor.issuer,
    )
