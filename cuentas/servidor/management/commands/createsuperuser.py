"""Django's `createsuperuser`, for setting an installation up only (issue 59, item 3).

A superuser administers: she may ask and approve every change. Made at the server by one person
alone, she would skip the control that a new administrator goes through on the pages (the
Administrador role, asked in «Personas y roles» and approved by another administrator). So
the command makes the first two administrators (docs/operacion/debian.md, «Las personas
administradoras») and,
while none is designated yet, the break-glass account that DJANGO_CUENTA_EMERGENCIA names,
which never approves; with two active administrators it refuses and writes nothing. Each
account it makes is audited."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import CuentaEmergencia
from dictamenes.organizacion.services.emergencia import administradores_activos

ERROR_YA_HAY_DOS = _(
    "Ya hay dos personas administradoras activas: una persona administradora más se da de alta "
    "en «Personas y roles» (/cuentas/roles/), donde una pide el rol de Administrador y otra lo "
    "aprueba. No se creó ninguna cuenta."
)


def _falta_la_de_emergencia() -> bool:
    """The break-glass account the setting names is yet to be made."""
    nombre = settings.DICTAMENES_CUENTA_EMERGENCIA
    return bool(nombre) and not CuentaEmergencia.objects.exists()


class Command(createsuperuser.Command):
    help = (
        "Crea una cuenta superusuaria para poner en marcha una instalación: las dos primeras "
        "personas administradoras y la cuenta de emergencia (DJANGO_CUENTA_EMERGENCIA). Con dos "
        "personas administradoras activas no crea ninguna: las demás se dan de alta en "
        "«Personas y roles». Queda en la auditoría."
    )

    def handle(self, *args, **options):
        base = administradores_activos().count() < 2
        if not base and not _falta_la_de_emergencia():
            raise CommandError(str(ERROR_YA_HAY_DOS))
        User = get_user_model()
        antes = set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
        with transaction.atomic(using=options["database"]):
            super().handle(*args, **options)
            for cuenta in User.objects.filter(is_superuser=True).exclude(pk__in=antes):
                emergencia = cuenta.username == settings.DICTAMENES_CUENTA_EMERGENCIA
                if not base and not emergencia:
                    raise CommandError(str(ERROR_YA_HAY_DOS))
                evento_registrar(
                    tipo="superusuario_creado",
                    descripcion=f"Cuenta superusuaria «{cuenta.username}» creada en el servidor"
                    + (" (la de emergencia)" if emergencia else ""),
                    datos={"cuenta": cuenta.pk, "username": cuenta.username},
                )
