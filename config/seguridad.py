"""What every answer carries for the browser's safety: the Content Security Policy (with its
one exception) and the Permissions-Policy. The limits per address are in config.limites."""

import http.client
from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

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


# The header as built for each kind of page: its policy parts (no nonce: a nonce is new on
# every answer) → the header. Built once per process, not per answer (build_policy and the
# deep copy of its parts cost 0.1–0.2 ms of each request, issue 64).
_CONSTRUIDAS: dict[tuple, str] = {}
# The settings the header is built from: tests change them.
_AJENOS = {
    "CONTENT_SECURITY_POLICY",
    "CONTENT_SECURITY_POLICY_REPORT_ONLY",
    "SOCIALACCOUNT_PROVIDERS",
}


@receiver(setting_changed)
def _olvidar_construidas(*, setting, **kwargs):
    if setting in _AJENOS:
        _CONSTRUIDAS.clear()
        _origenes.clear()


def _congelado(valor):
    """A policy part as a key: dicts and lists as tuples (sets sorted, as build_policy does)."""
    if isinstance(valor, dict):
        return tuple((k, _congelado(v)) for k, v in valor.items())
    if isinstance(valor, (set, frozenset)):
        return ("set", tuple(sorted(valor)))
    if isinstance(valor, (list, tuple)):
        return tuple(_congelado(v) for v in valor)
    return valor


def _politica(partes: PolicyParts, *, report_only: bool) -> str:
    if partes.nonce is not None:
        return build_policy(**partes.__dict__, report_only=report_only)
    clave = (report_only, _congelado((partes.config, partes.update, partes.replace)))
    politica = _CONSTRUIDAS.get(clave)
    if politica is None:
        politica = _CONSTRUIDAS[clave] = build_policy(**partes.__dict__, report_only=report_only)
    return politica


class PoliticaDeContenidoMiddleware(CSPMiddleware):
    """django-csp's policy, plus inline style attributes on the pages we do not render. The
    header of each kind of page is built once (_politica); a nonce, when a page asks for one,
    is built into its own header every time."""

    def process_response(self, request, response):
        # django-csp 4.0's process_response, with _politica for its build_policy.
        if (
            response.status_code
            in (
                http.client.INTERNAL_SERVER_ERROR,
                http.client.NOT_FOUND,
            )
            and settings.DEBUG
        ):
            return response
        for cabecera, report_only, exenta, ajuste in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            partes = self.get_policy_parts(request, response, report_only)
            politica = _politica(partes, report_only=report_only)
            if not politica:
                continue
            prefijos = (getattr(settings, ajuste, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                cabecera not in response
                and getattr(response, exenta, False) is False
                and not request.path_info.startswith(tuple(prefijos))
            ):
                response[cabecera] = politica
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

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


_origenes: list[list[str]] = []


def origenes_de_identidad() -> list[str]:
    """The origins of the configured identity providers: an OpenID Connect issuer (where its
    authorization and end-session endpoints live), Llave's authorization and logout. Worked
    out once per process (again when the setting changes)."""
    if not _origenes:
        _origenes.append(_origenes_de_identidad())
    return list(_origenes[0])


def _origenes_de_identidad() -> list[str]:
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
