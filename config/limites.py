"""How often an anonymous visitor may send the forms anyone may send, per client address
(django-ratelimit, settings.DICTAMENES_LIMITES): on pages a 429 page in Spanish, on the API a
429 in JSON, both with Retry-After.

This module is DRF's DEFAULT_THROTTLE_CLASSES: it must not import rest_framework.views at
import time (DRF imports it while defining APIView).
"""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

DEMASIADAS_PETICIONES = _("Demasiadas solicitudes desde su dirección.")


def espera_por_limite(request) -> int:
    """Seconds an anonymous visitor must wait before sending this form again, or 0.

    settings.DICTAMENES_LIMITES names the views (by URL name) and their rates, in
    django-ratelimit's notation ("10/m", "60/h"). Every rate is counted per client address
    (cuentas.middleware.ip_del_cliente, through RATELIMIT_IP_META_KEY; an IPv6 client counts
    by its /64) in Django's cache, which must be shared (Redis) when there are several
    servers or processes. Only POSTs count; a person who signed in counts by their account
    rather than their address (an office shares one), and has the same limits: a session is
    no way around them."""
    tasas = settings.DICTAMENES_LIMITES.get(request.resolver_match.view_name)
    if not tasas or request.method != "POST":
        return 0
    grupo = f"limite:{request.resolver_match.view_name}"
    espera = 0
    for tasa in tasas:
        uso = get_usage(request, group=grupo, key="user_or_ip", rate=tasa, increment=True)
        if uso and uso["should_limit"]:
            # The window's last second still counts (+1). -1: the cache did not answer, and
            # django-ratelimit refuses: try again in a minute.
            espera = max(espera, uso["time_left"] + 1 if uso["time_left"] >= 0 else 60)
    return espera


def espera_de_sondeo(request) -> int:
    """Seconds before this client may probe again (the health checks, the metrics), or 0.
    Their rates are in settings.DICTAMENES_LIMITES_SONDEOS, counted per client address on
    every request (they are GETs). A cache that does not answer lets the probe through
    instead of refusing it: /salud/vivo must not go down with Redis (an orchestrator would
    restart a working server), and /salud/listo is what says that the cache is down."""
    grupo = request.resolver_match.view_name
    espera = 0
    for tasa in settings.DICTAMENES_LIMITES_SONDEOS.get(grupo, ()):
        try:
            # By address: a probe has no account (and its session is not read for it).
            uso = get_usage(request, group=f"limite:{grupo}", key="ip", rate=tasa, increment=True)
        except Exception:  # Django's RedisCache raises when Redis is down
            return 0
        if uso and uso["should_limit"]:
            if uso["time_left"] < 0:  # the cache did not answer
                return 0
            espera = max(espera, uso["time_left"] + 1)
    return espera


def _en_palabras(segundos: int) -> str:
    if segundos < 120:
        return ngettext("%(n)d segundo", "%(n)d segundos", segundos) % {"n": segundos}
    minutos = math.ceil(segundos / 60)
    return ngettext("%(n)d minuto", "%(n)d minutos", minutos) % {"n": minutos}


def demasiadas_peticiones(request, espera: int):
    """The 429 page: what happened, for how long, and the Retry-After header."""
    respuesta = render(request, "429.html", {"espera": _en_palabras(espera)}, status=429)
    respuesta["Retry-After"] = str(espera)
    return respuesta


class LimiteDePeticionesMiddleware:
    """The limits of settings.DICTAMENES_LIMITES on pages, checked before the form is read:
    over the limit the body is not parsed, the view does not run and the answer is 429.
    The API's views are left to LimiteDeLaApi, which runs after DRF knows who is asking (a
    system with a token is not anonymous, though it has no session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        from rest_framework.views import APIView  # see the module's docstring

        if issubclass(getattr(view_func, "cls", object), APIView):
            return None
        espera = espera_por_limite(request)
        return demasiadas_peticiones(request, espera) if espera else None


class DemasiadasPeticiones(Throttled):
    """DRF's 429, worded in Spanish (its own translation says «regulada (throttled)»)."""

    default_detail = DEMASIADAS_PETICIONES
    # msgids already in Spanish, as every message of the project.
    extra_detail_singular = "Intente de nuevo en {wait} segundo."
    extra_detail_plural = "Intente de nuevo en {wait} segundos."


class LimiteDeLaApi(BaseThrottle):
    """The same limits on the API (DEFAULT_THROTTLE_CLASSES), once DRF has authenticated the
    request: 429 in JSON with Retry-After, through DRF's error handler."""

    def allow_request(self, request, view):
        # A system with its own token (an agency's integration) is known and answers for
        # what it sends; the API's anonymous POSTs are only evaluations, no uploads.
        if request.user.is_authenticated:
            return True
        espera = espera_por_limite(request)
        if espera:
            raise DemasiadasPeticiones(wait=espera)
        return True
