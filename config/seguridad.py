"""What every answer carries for the browser's safety: the Content Security Policy (with its
one exception) and the Permissions-Policy. The limits per address are in config.limites."""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from django.conf import settings

# viewflow's Material pages, Django's admin and the API documentation (Swagger UI) set style
# attributes; only there are inline style attributes allowed. Never inline scripts.
_CON_ESTILOS_EN_LINEA = ("/flujos/", "/admin/", "/api/v1/docs/")

# Browser features no page of ours uses: denied to the page and to anything it might embed.
PERMISOS_NEGADOS = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
POLITICA_DE_PERMISOS = ", ".join(f"{permiso}=()" for permiso in PERMISOS_NEGADOS)


class PoliticaDeContenidoMiddleware(CSPMiddleware):
    """django-csp's policy, plus inline style attributes on the pages we do not render."""

    def get_policy_parts(self, request, response, report_only=False):
        partes = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(_CON_ESTILOS_EN_LINEA):
            partes.update = {**(partes.update or {}), "style-src-attr": ["'unsafe-inline'"]}
        # «Entrar con …» and «Cerrar sesión» are forms whose answer redirects to the identity
        # provider: form-action must allow its origin too (browsers check redirects).
        origenes = origenes_de_identidad()
        if not report_only and origenes:
            partes.update = {**(partes.update or {}), "form-action": origenes}
        return partes


def _origen(url: str) -> str:
    partes = urlsplit(url or "")
    return f"{partes.scheme}://{partes.netloc}" if partes.scheme and partes.netloc else ""


def origenes_de_identidad() -> list[str]:
    """The origins of the configured identity providers: an OpenID Connect issuer (where its
    authorization and end-session endpoints live), Llave's authorization and logout."""
    proveedores = settings.SOCIALACCOUNT_PROVIDERS
    direcciones = [app["settings"]["server_url"] for app in proveedores["openid_connect"]["APPS"]]
    for app in proveedores["llave"]["APPS"]:
        direcciones += [app["settings"]["autorizacion"], app["settings"]["salida"]]
    return sorted({o for o in map(_origen, direcciones) if o})


class PoliticaDePermisosMiddleware:
    """The Permissions-Policy header on every answer (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        respuesta = self.get_response(request)
        respuesta.setdefault("Permissions-Policy", POLITICA_DE_PERMISOS)
        return respuesta
