"""The state's identity providers, on django-allauth's OAuth2 machinery (allauth finds them
here: it imports `<app>.provider` and registers its `provider_classes`).

- OpenID Connect: allauth's own provider (discovery, PKCE, state), plus the two things it
  leaves out: a `nonce` bound to the session's state and checked against the ID token, and an
  ID token whose signature is checked against the provider's keys every time.
- Llave-style OAuth2 (Llave MX and the state services modelled on it): no discovery and no ID
  token; the return parameter, the token request, the header that carries the token and the
  fields of the separate user-data endpoint are all configuration.

Both turn what the provider asserted into a `dictamenes.personas.services.identidad.Identidad`.
"""

from __future__ import annotations

import secrets
from http import HTTPStatus
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404

from dictamenes.personas.services.identidad import Identidad

# What the OpenID Connect provider's `amr` may say for a second factor (RFC 8176).
AMR_SEGUNDO_FACTOR = ("mfa", "otp", "hwk", "swk", "sc", "sms", "tel", "fpt", "face", "iris")


def _mfa(*, ajustes: dict, amr, acr) -> str:
    """The provider's own second factor, as the audit records it, if the configuration trusts
    the provider to say so; empty otherwise."""
    if not ajustes.get("confiar_mfa"):
        return ""
    amr = [str(a) for a in amr] if isinstance(amr, list) else []
    confiables = ajustes.get("amr_mfa") or AMR_SEGUNDO_FACTOR
    if set(amr) & set(confiables):
        return "amr: " + " ".join(amr)
    if acr and str(acr) in (ajustes.get("acr_mfa") or ()):
        return f"acr: {acr}"
    return ""


# --- OpenID Connect ---------------------------------------------------------------------------
class AdaptadorOIDC(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token: str) -> dict:
        # allauth skips the signature when the token came straight from the token endpoint
        # (the specification allows it over TLS); checking it costs one cached key lookup.
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )

    def complete_login(self, request, app, token, **kwargs):
        login = super().complete_login(request, app, token, **kwargs)
        # For ending the provider's session at logout (id_token_hint); never stored.
        login.id_token_crudo = kwargs["response"].get("id_token", "")
        login.fin_de_sesion = self.openid_config.get("end_session_endpoint", "")
        return login


class ProveedorOIDC(OpenIDConnectProvider):
    oauth2_adapter_class = AdaptadorOIDC

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        """allauth's redirect with a `nonce`: sent to the provider and kept in the state,
        which the callback compares with the ID token's (cuentas.adaptadores)."""
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        return super().redirect(
            request,
            process,
            next_url,
            data,
            auth_params={**auth_params, "nonce": nonce},
            nonce=nonce,
            **kwargs,
        )

    def identidad(self, sociallogin) -> Identidad:
        datos = sociallogin.account.extra_data
        token = datos.get("id_token") or {}
        # What the provider says of the person, by allauth's public hook: the userinfo,
        # else the id_token's claims (else, for accounts from before allauth 65.11, the data).
        info = self.wrap_account(sociallogin.account).get_user_data() or {}
        ajustes = self.app.settings
        return Identidad(
            proveedor=self.app.name,
            clave=f"{self.id}/{self.app.provider_id}",
            uid=str(sociallogin.account.uid),
            correo=str(info.get("email") or ""),
            correo_verificado=info.get("email_verified") is True,
            curp=str(info.get(ajustes.get("campo_curp", "curp")) or "").upper(),
            nombre=str(info.get("name") or ""),
            mfa=_mfa(ajustes=ajustes, amr=token.get("amr"), acr=token.get("acr")),
        )


# --- Llave-style OAuth2 -----------------------------------------------------------------------
def _campo(datos: dict, ruta: str):
    """A field of the user data by its dotted path ("persona.curp")."""
    valor = datos
    for parte in (ruta or "").split("."):
        if not isinstance(valor, dict):
            return None
        valor = valor.get(parte)
    return valor


class ClienteLlave(OAuth2Client):
    """allauth's OAuth2 client with the provider's own names for the return parameter and for
    the token request, which may go as JSON."""

    ajustes: dict

    def get_redirect_url(self, authorization_url, scope, extra_params) -> str:
        url = urlsplit(super().get_redirect_url(authorization_url, scope, extra_params))
        nombre = self.ajustes.get("parametro_redireccion", "redirect_uri")
        parametros = [
            (nombre if clave == "redirect_uri" else clave, valor)
            for clave, valor in parse_qsl(url.query)
            if not (clave == "scope" and not valor)
        ]
        return urlunsplit(url._replace(query=urlencode(parametros)))

    def get_access_token(self, code, pkce_code_verifier=None, extra_data=None):
        nombres = self.ajustes.get("parametros_token") or {}
        datos = {
            nombres.get(clave, clave): valor
            for clave, valor in {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.callback_url,
                "client_id": self.consumer_key,
                "client_secret": self.consumer_secret,
            }.items()
        }
        como_json = self.ajustes.get("token_json", False)
        with get_adapter().get_requests_session() as sess:
            resp = sess.post(
                self.access_token_url,
                json=datos if como_json else None,
                data=None if como_json else datos,
            )
        if resp.status_code not in (HTTPStatus.OK, HTTPStatus.CREATED):
            raise OAuth2Error(
                f"Error retrieving access token: {resp.status_code} {resp.text[:200]}"
            )
        respuesta = resp.json()
        token = _campo(respuesta, self.ajustes.get("campo_token", "access_token"))
        if not token or not isinstance(token, str):
            raise OAuth2Error("Error retrieving access token: the answer carries none")
        return {**respuesta, "access_token": token}


class AdaptadorLlave(OAuth2Adapter):
    provider_id = "llave"
    client_class = ClienteLlave

    @property
    def _ajustes(self) -> dict:
        return self.get_provider().app.settings

    @property
    def authorize_url(self):
        return self._ajustes["autorizacion"]

    @property
    def access_token_url(self):
        return self._ajustes["token"]

    def get_client(self, request, app):
        cliente = super().get_client(request, app)
        cliente.ajustes = app.settings
        return cliente

    def complete_login(self, request, app, token, **kwargs):
        ajustes = app.settings
        encabezado = ajustes.get("encabezado_token", "Authorization")
        prefijo = ajustes.get("prefijo_token", "Bearer")
        with get_adapter().get_requests_session() as sess:
            resp = sess.get(
                ajustes["datos"],
                headers={encabezado: f"{prefijo} {token.token}".strip()},
            )
        if resp.status_code != HTTPStatus.OK:
            raise OAuth2Error(f"Error retrieving user data: {resp.status_code} {resp.text[:200]}")
        login = self.get_provider().sociallogin_from_response(request, resp.json())
        login.fin_de_sesion = ajustes.get("salida", "")
        return login


class CuentaLlave(ProviderAccount):
    def to_str(self):
        return str(_campo(self.account.extra_data, "correo") or self.account.uid)


class ProveedorLlave(OAuth2Provider):
    id = "llave"
    name = "Llave"
    account_class = CuentaLlave
    oauth2_adapter_class = AdaptadorLlave

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.name = self.app.name or self.name

    def extract_uid(self, data):
        uid = _campo(data, self.app.settings.get("campo_id", "curp"))
        if not uid:
            raise OAuth2Error("The user data carries no identifier")
        return str(uid)

    def extract_common_fields(self, data):
        return {"email": _campo(data, self.app.settings.get("campo_correo", "correo"))}

    def identidad(self, sociallogin) -> Identidad:
        datos = sociallogin.account.extra_data
        ajustes = self.app.settings
        nombre = " ".join(
            str(_campo(datos, c)) for c in ajustes.get("campos_nombre", ()) if _campo(datos, c)
        )
        return Identidad(
            proveedor=self.name,
            clave=self.id,
            uid=str(sociallogin.account.uid),
            correo=str(_campo(datos, ajustes.get("campo_correo", "correo")) or ""),
            correo_verificado=bool(ajustes.get("correo_verificado", True)),
            curp=str(_campo(datos, ajustes.get("campo_curp", "curp")) or "").upper(),
            nombre=nombre,
        )


# --- Views: allauth's login and callback views over our adapters -----------------------------
def _vista(clase, adaptador, request, **kwargs):
    try:
        return clase.adapter_view(adaptador(request, **kwargs))(request)
    except SocialApp.DoesNotExist as exc:  # the provider is not configured
        raise Http404 from exc


def oidc_login(request, provider_id):
    return _vista(OAuth2LoginView, AdaptadorOIDC, request, provider_id=provider_id)


def oidc_callback(request, provider_id):
    return _vista(OAuth2CallbackView, AdaptadorOIDC, request, provider_id=provider_id)


def llave_login(request):
    return _vista(OAuth2LoginView, AdaptadorLlave, request)


def llave_callback(request):
    return _vista(OAuth2CallbackView, AdaptadorLlave, request)


provider_classes = [ProveedorOIDC, ProveedorLlave]
