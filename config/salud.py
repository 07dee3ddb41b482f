"""The endpoints for who runs the site, not for people: /salud/vivo and /salud/listo for the
load balancer or the orchestrator, /metricas for Prometheus. JSON or Prometheus' text, no
session (nothing here reads or writes one: no Set-Cookie), no personal data, never cached,
and limited per client address (config.limites.espera_de_sondeo).

/salud/vivo: the process answers; nothing else is asked (a server is not restarted because
the database is down). /salud/listo: dictamenes.operacion.services.salud; 503 naming what
failed. /metricas: only from DJANGO_METRICAS_DIRECCIONES or with DJANGO_METRICAS_TOKEN.
"""

import functools
import hmac
import ipaddress
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.limites import espera_de_sondeo
from cuentas.middleware import ip_del_cliente
from dictamenes.operacion.selectors import metricas
from dictamenes.operacion.services import salud

logger = logging.getLogger(__name__)

METRICAS_NEGADAS = "Las métricas solo se sirven a las direcciones configuradas o con su token."


def _demasiadas(espera: int) -> JsonResponse:
    respuesta = JsonResponse({"estado": "demasiadas_peticiones"}, status=429)
    respuesta["Retry-After"] = str(espera)
    return respuesta


def _sondeo(vista):
    """GET or HEAD only, never cached, and limited per client address."""

    @require_safe
    @never_cache
    @functools.wraps(vista)
    def envuelta(request):
        espera = espera_de_sondeo(request)
        return _demasiadas(espera) if espera else vista(request)

    return envuelta


@_sondeo
def vivo(request):
    return JsonResponse({"estado": "vivo"})


@_sondeo
def listo(request):
    preparacion = salud.preparacion_comprobar()
    return JsonResponse(
        {
            "estado": "listo" if preparacion.listo else "no_listo",
            "fallan": preparacion.fallan,
            "componentes": preparacion.componentes,
        },
        status=200 if preparacion.listo else 503,
    )


def _direccion_permitida(direccion: str) -> bool:
    try:
        cliente = ipaddress.ip_address(direccion)
    except ValueError:
        return False
    for permitida in settings.DICTAMENES_METRICAS_DIRECCIONES:
        try:
            if cliente in ipaddress.ip_network(permitida, strict=False):
                return True
        except ValueError:
            logger.warning("DJANGO_METRICAS_DIRECCIONES: «%s» no es una dirección", permitida)
    return False


def _token_valido(request) -> bool:
    esperado = settings.DICTAMENES_METRICAS_TOKEN
    tipo, _, dado = request.headers.get("authorization", "").partition(" ")
    return (
        bool(esperado)
        and tipo.lower() == "bearer"
        and hmac.compare_digest(dado.strip().encode(), esperado.encode())
    )


@_sondeo
def metricas_view(request):
    if not (_direccion_permitida(ip_del_cliente(request)) or _token_valido(request)):
        return HttpResponse(METRICAS_NEGADAS, status=403, content_type="text/plain; charset=utf-8")
    cuerpo, tipo = metricas.exposicion()
    return HttpResponse(cuerpo, content_type=tipo)
