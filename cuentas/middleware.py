"""Machinery of the login: the client's address and the lockout page for django-axes, and the
second-factor gate."""

import ipaddress
import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# The session still owes the code of its second factor (set at login, see cuentas.services).
SESION_CODIGO_PENDIENTE = "segundo_factor_pendiente"
ERROR_CODIGO_PENDIENTE = _(
    "Su cuenta tiene activado el segundo factor: escriba el código de su aplicación de "
    "autenticación en la página «Código de verificación» antes de continuar."
)

# What a session that owes its code may still reach: the code page, leaving, and the files.
_LIBRES = ("/cuentas/codigo/", "/cuentas/logout/", "/static/", "/favicon.ico")


def ip_del_cliente(request) -> str:
    """The address django-axes and the rate limits count against. Behind DJANGO_PROXIES
    trusted reverse proxies, the one they saw, read from the right of X-Forwarded-For (entries
    to its left are whatever the client wrote). When there is none that reads as an address (a
    proxy that does not send the header, in front of gunicorn's Unix socket, whose REMOTE_ADDR
    is empty), SIN_DIRECCION: such requests share one count instead of failing with a 500."""
    proxies = settings.DICTAMENES_PROXIES
    if proxies:
        cadena = [d.strip() for d in request.headers.get("x-forwarded-for", "").split(",")]
        if len(cadena) >= proxies and _es_direccion(cadena[-proxies]):
            return cadena[-proxies]
    directa = request.META.get("REMOTE_ADDR", "")
    if _es_direccion(directa):
        return directa
    logger.warning("Petición sin dirección del cliente (¿el proxy envía X-Forwarded-For?)")
    return SIN_DIRECCION


SIN_DIRECCION = "0.0.0.0"  # noqa: S104 (a count's key, not an address to bind)


def _es_direccion(texto: str) -> bool:
    try:
        ipaddress.ip_address(texto)
    except ValueError:
        return False
    return True


def respuesta_bloqueo(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: 429, in Spanish, saying for how long."""
    return render(
        request,
        "registration/bloqueado.html",
        {
            "intentos": settings.AXES_FAILURE_LIMIT,
            "minutos": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )


class SegundoFactorMiddleware:
    """After the password, a person with a second factor reaches nothing but the code page
    until the code is given (the API answers 403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.session.get(SESION_CODIGO_PENDIENTE)
            and not request.path_info.startswith(_LIBRES)
            and request.user.is_authenticated
            and not request.user.is_verified()
        ):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": str(ERROR_CODIGO_PENDIENTE)}, status=403)
            return redirect_to_login(request.get_full_path(), reverse("cuentas:codigo"))
        return self.get_response(request)
