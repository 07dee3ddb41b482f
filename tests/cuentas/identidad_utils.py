"""The system configured against the real test identity provider (tests.backends.proveedor_oidc),
and the steps of a sign-in over HTTP: our page sends the person to the provider, the person
signs in there (a requests session, as a browser would), the provider sends them back."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from config.settings.identidad import proveedor_llave, proveedor_oidc, proveedores
from tests.proveedor_oidc.cliente import entrar

CLAVE_OIDC = "estatal"
NOMBRE_OIDC = "Cuenta institucional Sonora"
NOMBRE_LLAVE = "Llave Sonora"
# Llave MX's names (docs/operacion/identidad.md, «Registrar el sistema con un proveedor al
# estilo Llave»).
PARAMETROS_TOKEN_LLAVE = {
    "grant_type": "grantType",
    "code": "code",
    "redirect_uri": "redirectUri",
    "client_id": "clientId",
    "client_secret": "clientSecret",
}


def configuracion(proveedor, *, confiar_mfa: bool = False) -> dict:
    """SOCIALACCOUNT_PROVIDERS for both providers, as the environment would give them."""
    return proveedores(
        oidc=proveedor_oidc(
            url=proveedor.issuer,
            cliente=proveedor.oidc_client_id,
            secreto=proveedor.oidc_client_secret,
            nombre=NOMBRE_OIDC,
            clave=CLAVE_OIDC,
            alcance=("openid", "profile", "email", "curp"),
            confiar_mfa=confiar_mfa,
            acr_mfa=("urn:sonora:mfa",),
        ),
        llave=proveedor_llave(
            autorizacion=proveedor.llave_autorizar_url,
            token=proveedor.llave_token_url,
            datos=proveedor.llave_datos_url,
            salida=proveedor.llave_cerrar_sesion_url,
            cliente=proveedor.llave_client_id,
            secreto=proveedor.llave_client_secret,
            nombre=NOMBRE_LLAVE,
            parametro_redireccion="redirect_url",
            token_json=True,
            parametros_token=PARAMETROS_TOKEN_LLAVE,
            campo_token="accessToken",
            encabezado_token="accessToken",
            prefijo_token="",
        ),
    )


def retornos(base: str) -> dict:
    """The addresses registered at the provider for a system served at `base`."""
    return {
        "oidc_redirect_uris": [f"{base}/cuentas/oidc/{CLAVE_OIDC}/login/callback/"],
        "oidc_post_logout_redirect_uris": [f"{base}/"],
        "llave_redirect_uris": [f"{base}/cuentas/llave/login/callback/"],
    }


def parametros(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def con_parametro(url: str, **cambios) -> str:
    partes = urlsplit(url)
    return urlunsplit(partes._replace(query=urlencode({**parametros(url), **cambios})))


def ruta(url: str) -> str:
    """Path and query of an absolute address of ours, for the test client."""
    partes = urlsplit(url)
    return f"{partes.path}?{partes.query}" if partes.query else partes.path


class Entrada:
    """One sign-in over HTTP: `client` is the person's browser on our side, `sesion` the same
    person's cookies at the provider."""

    def __init__(self, client, proveedor, persona, *, llave: bool = False):
        self.client, self.proveedor, self.persona = client, proveedor, persona
        self.boton = "/cuentas/llave/login/" if llave else f"/cuentas/oidc/{CLAVE_OIDC}/login/"
        self.sesion = entrar(proveedor, persona)
        assert self.sesion.respuesta.status_code == 302, "no entró en el proveedor"

    def a_autorizar(self) -> str:
        """Press «Entrar con …»: where our page sends the browser."""
        respuesta = self.client.post(self.boton)
        assert respuesta.status_code == 302, respuesta.content[:500]
        return respuesta["Location"]

    def en_el_proveedor(self, autorizacion: str) -> str:
        """The provider's answer to the authorization: the address it sends back to."""
        respuesta = self.sesion.get(autorizacion, allow_redirects=False, timeout=10)
        assert respuesta.status_code == 302, respuesta.text[:500]
        return respuesta.headers["Location"]

    def de_vuelta(self, retorno: str):
        return self.client.get(ruta(retorno))

    def completa(self):
        return self.de_vuelta(self.en_el_proveedor(self.a_autorizar()))
