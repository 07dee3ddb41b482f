"""Llave-style endpoints over DOT's own machinery, and the test-only controls.

Llave MX (the federal sign-in) is plain OAuth2 with its own parameter names: `redirect_url`
on the authorize page, a JSON body at obtenerToken, the token in an `accessToken` header at
datosUsuario. These views rename and forward; DOT and oauthlib issue and check everything.
"""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
)
from oauth2_provider.oauth2_backends import OAuthLibCore
from oauth2_provider.views import AuthorizationView
from oauth2_provider.views.mixins import OAuthLibMixin

from tests.proveedor_oidc.validador import (
    FIRMAS,
    NOMBRE_LLAVE,
    NOMBRE_OIDC,
    datos_llave,
    firma_actual,
    firma_poner,
)

# Llave's JSON names → OAuth2's form names.
CAMPOS_TOKEN = {
    "grantType": "grant_type",
    "code": "code",
    "redirectUri": "redirect_uri",
    "clientId": "client_id",
    "clientSecret": "client_secret",
}


class AutorizarLlave(View):
    """GET /llave/oauth.xhtml: DOT's authorize, with `redirect_url` for `redirect_uri`."""

    def get(self, request):
        if not request.user.is_authenticated:  # back here, with Llave's names, after login
            return redirect_to_login(request.get_full_path())
        parametros = request.GET.copy()
        if "redirect_url" in parametros:
            parametros["redirect_uri"] = parametros.pop("redirect_url")[-1]
        parametros["scope"] = "llave"  # Llave has no scopes; this one carries its user data
        request.GET = parametros
        request.META["QUERY_STRING"] = parametros.urlencode()  # oauthlib reads the full path
        return AuthorizationView.as_view()(request)


class NucleoLlave(OAuthLibCore):
    """OAuthLibCore reading obtenerToken's JSON body under OAuth2's names."""

    def extract_body(self, request):
        datos = json.loads(request.body or b"{}")
        return [(CAMPOS_TOKEN[k], str(v)) for k, v in datos.items() if k in CAMPOS_TOKEN]

    def extract_headers(self, request):
        headers = super().extract_headers(request)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers


@method_decorator(csrf_exempt, name="dispatch")
class ObtenerTokenLlave(OAuthLibMixin, View):
    """POST /llave/rest/oauth/obtenerToken → {"accessToken": …} (no id_token, no scopes)."""

    oauthlib_backend_class = NucleoLlave

    def post(self, request):
        try:
            datos = json.loads(request.body or b"{}")
        except ValueError:
            datos = None
        if not isinstance(datos, dict):
            return JsonResponse(
                {"error": "invalid_request", "mensaje": "El cuerpo debe ser un objeto JSON."},
                status=400,
            )
        _uri, _headers, cuerpo, estado = self.create_token_response(request)
        respuesta = json.loads(cuerpo or "{}")
        if estado != 200:
            respuesta.setdefault("error", "invalid_request")
            respuesta["mensaje"] = "No se pudo obtener el token."
            return JsonResponse(respuesta, status=estado)
        return JsonResponse({"accessToken": respuesta["access_token"]})


class DatosUsuarioLlave(OAuthLibMixin, View):
    """GET /llave/rest/oauth/datosUsuario with the token in an `accessToken` header."""

    def get_scopes(self):
        return ["llave"]

    def get(self, request):
        token = request.headers.get("accessToken", "").strip()
        if not token:
            return _no_autorizado("Falta el encabezado accessToken.")
        request.META["HTTP_AUTHORIZATION"] = f"Bearer {token}"  # as DOT reads a bearer token
        valido, oauth_request = self.verify_request(request)
        if not valido:
            return _no_autorizado("El token no es válido o ya caducó.")
        return JsonResponse(datos_llave(oauth_request.user))


def _no_autorizado(mensaje: str) -> JsonResponse:
    return JsonResponse({"error": "invalid_token", "mensaje": mensaje}, status=401)


def _aplicacion(nombre: str):
    return get_application_model().objects.get(name=nombre)


class CerrarSesionLlave(View):
    """GET /llave/cerrarSesion?redirect_url=…: ends the provider session and goes back, but only
    to a site (scheme, host and port) where the Llave client has a redirect URI."""

    def get(self, request):
        logout(request)
        destino = request.GET.get("redirect_url")
        if not destino:
            return HttpResponse("Sesión cerrada.", content_type="text/plain; charset=utf-8")
        registradas = _aplicacion(NOMBRE_LLAVE).redirect_uris.split()
        if _origen(destino) not in {_origen(uri) for uri in registradas}:
            return HttpResponse("redirect_url no registrada.", status=400)
        return HttpResponseRedirect(destino)


def _origen(url: str) -> tuple:
    partes = urlsplit(url)
    return partes.scheme, partes.hostname, partes.port


@csrf_exempt
def caducar(request):
    """POST /pruebas/caducar: every access token, id token and grant expires now."""
    if request.method != "POST":
        return HttpResponse(status=405)
    antes = timezone.now() - timedelta(seconds=1)
    cuantos = {
        "tokens": get_access_token_model().objects.update(expires=antes),
        "id_tokens": get_id_token_model().objects.update(expires=antes),
        "codigos": get_grant_model().objects.update(expires=antes),
    }
    return JsonResponse(cuantos)


@csrf_exempt
def firma(request):
    """POST /pruebas/firma {"modo": "otra_clave"|"alterada"|""}: the ID tokens issued from now
    on are forged that way (validador.FIRMAS); "" signs them properly again."""
    if request.method != "POST":
        return HttpResponse(status=405)
    modo = json.loads(request.body or b"{}").get("modo")
    if modo not in FIRMAS:
        return JsonResponse({"error": "modo desconocido"}, status=400)
    firma_poner(modo)
    return JsonResponse({"modo": firma_actual()})


def sesion(request):
    """GET /pruebas/sesion: whether this browser is signed in at the provider, and as whom."""
    autenticado = request.user.is_authenticated
    return JsonResponse(
        {
            "autenticado": autenticado,
            "usuario": request.user.get_username() if autenticado else None,
        }
    )


@csrf_exempt
def redirecciones(request):
    """POST /pruebas/redirecciones {"cliente": "oidc"|"llave", "redirect_uris": [...],
    "post_logout_redirect_uris": [...]}: adds URIs to a client (for servers started later)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    datos = json.loads(request.body or b"{}")
    if datos.get("cliente") not in {NOMBRE_OIDC, NOMBRE_LLAVE}:
        return JsonResponse({"error": "cliente desconocido"}, status=400)
    aplicacion = _aplicacion(datos["cliente"])
    for campo in ("redirect_uris", "post_logout_redirect_uris"):
        actuales = getattr(aplicacion, campo).split()
        nuevas = [uri for uri in datos.get(campo, []) if uri not in actuales]
        setattr(aplicacion, campo, " ".join(actuales + nuevas))
    aplicacion.full_clean(exclude=["client_secret"])
    aplicacion.save()
    return JsonResponse(
        {
            "redirect_uris": aplicacion.redirect_uris.split(),
            "post_logout_redirect_uris": aplicacion.post_logout_redirect_uris.split(),
        }
    )
