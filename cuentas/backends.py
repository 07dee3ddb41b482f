"""Local passwords, switchable off in production (DJANGO_CONTRASENAS_LOCALES=false) except for
the break-glass account (DJANGO_CUENTA_EMERGENCIA, designated once by
organizacion.services.emergencia). In the backend, so that no entrance that takes a password
(our login page, the admin's) is a way around the switch."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.organizacion.services.emergencia import cuenta_emergencia_id

ERROR_CONTRASENAS_APAGADAS = _(
    "La entrada con contraseña está desactivada: entre con la identidad del Estado, con el "
    "botón de arriba."
)


def contrasena_permitida(username: str | None) -> bool:
    if settings.DICTAMENES_CONTRASENAS_LOCALES:
        return True
    # The designated account, whatever its username is now (issue 48).
    emergencia = cuenta_emergencia_id()
    return (
        emergencia is not None
        and get_user_model().objects.filter(pk=emergencia, username=username or "").exists()
    )


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
