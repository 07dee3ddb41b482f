"""The Content Security Policy of every page, with its one exception."""

from csp.middleware import CSPMiddleware

# viewflow's Material pages, Django's admin and the API documentation (Swagger UI) set style
# attributes; only there are inline style attributes allowed. Never inline scripts.
_CON_ESTILOS_EN_LINEA = ("/flujos/", "/admin/", "/api/v1/docs/")


class PoliticaDeContenidoMiddleware(CSPMiddleware):
    """django-csp's policy, plus inline style attributes on the pages we do not render."""

    def get_policy_parts(self, request, response, report_only=False):
        partes = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(_CON_ESTILOS_EN_LINEA):
            partes.update = {**(partes.update or {}), "style-src-attr": ["'unsafe-inline'"]}
        return partes
