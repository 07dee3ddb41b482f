"""Local passwords, switchable off in production (DJANGO_CONTRASENAS_LOCALES=false) except for
the break-glass account (DJANGO_CUENTA_EMERGENCIA). In the backend, so that no entrance that
takes a password (our login page, the admin's) is a way around the switch."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar

ERROR_CONTRASENAS_APAGADAS = _(
    "La entrada con contraseña está desactivada: entre con la identidad del Estado, con el "
    "botón de arriba."
)


def contrasena_permitida(username: str | None) -> bool:
    if settings.DICTAMENES_CONTRASENAS_LOCALES:
        return True
    emergencia = settings.DICTAMENES_CUENTA_EMERGENCIA
    return bool(emergencia) and (username or "") == emergencia


@transaction.atomic
def contrasena_rechazar(username: str | None) -> None:
    """A password offered while they are switched off: refused, and audited."""
    evento_registrar(
        tipo="entrada_rechazada",
        descripcion="Entrada con contraseña rechazada: las contraseñas locales están apagadas",
        motivo=str(ERROR_CONTRASENAS_APAGADAS),
        datos={"usuario": (username or "")[:150]},
    )


class ContrasenaLocalBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not contrasena_permitida(username):
            contrasena_rechazar(username)
            # PermissionDenied stops Django's chain of backends: nobody else checks it.
            raise PermissionDenied(ERROR_CONTRASENAS_APAGADAS)
        return super().authenticate(request, username=username, password=password, **kwargs)
