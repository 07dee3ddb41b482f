"""When a service the request needs is down, say so in Spanish with a 503, not a stack trace.

Two faults are answered here: the database connection dropped or refused (PostgreSQL
restarted, a terminated backend, a failover) and the file storage not taking the signed PDF
(emision.services.firma.AlmacenamientoNoDisponible). In both the transaction was rolled back,
so nothing was half-saved; the page says so and asks to retry. Django closes the broken
connection at the end of the request (close_if_unusable_or_obsolete), so the next request
opens a new one.

The page is rendered without the request's context processors: they may need the very
database that just failed.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from dictamenes.emision.services.firma import AlmacenamientoNoDisponible

logger = logging.getLogger(__name__)

ERROR_BASE_DE_DATOS = _(
    "Se perdió la conexión con la base de datos mientras se atendía su solicitud. La "
    "operación no se completó y no se guardó ningún cambio; intente de nuevo en unos momentos."
)
REINTENTAR_EN_SEGUNDOS = 30


def _volver(request) -> str:
    anterior = request.headers.get("referer", "")
    if anterior and url_has_allowed_host_and_scheme(
        anterior, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return anterior
    return "/"


def respuesta_no_disponible(request, mensaje) -> HttpResponse:
    respuesta = HttpResponse(
        render_to_string("503.html", {"mensaje": mensaje, "volver": _volver(request)}),
        status=503,
    )
    respuesta["Retry-After"] = str(REINTENTAR_EN_SEGUNDOS)
    return respuesta


class ServicioNoDisponibleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AlmacenamientoNoDisponible):
            mensaje = str(exception)
        elif isinstance(exception, (OperationalError, InterfaceError)):
            mensaje = ERROR_BASE_DE_DATOS
        else:
            return None
        logger.error(
            "Servicio no disponible en %s %s: %s",
            request.method,
            request.path,
            exception,
            exc_info=exception,
        )
        return respuesta_no_disponible(request, mensaje)
