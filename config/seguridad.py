"""What every answer carries for the browser's safety: the Content Security Policy (with its
one exception) and the Permissions-Policy. The limits per address are in config.limites."""

from csp.middleware import CSPMiddleware

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
        return partes


class PoliticaDePermisosMiddleware:
    """The Permissions-Policy header on every answer (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        respuesta = self.get_response(request)
        respuesta.setdefault("Permissions-Policy", POLITICA_DE_PERMISOS)
        return respuesta
