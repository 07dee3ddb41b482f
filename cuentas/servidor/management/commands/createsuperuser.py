"""Django's `createsuperuser`, for setting an installation up only (issue 59, item 3).

A superuser administers: she may ask and approve every change. Made at the server by one person
alone, she would skip the control that a new administrator goes through on the pages (the
Administrador role, asked in «Personas y roles» and approved by another administrator). So
the command makes the first two administrators (docs/operacion/debian.md, «Las personas
administradoras») and,
while none is designated yet, the break-glass account that DJANGO_CUENTA_EMERGENCIA names,
which never approves; with two active administrators it refuses and writes nothing. Each
account it makes is audited.

Issue 77, item 2: once there is an active administrator, the one who runs it names herself
with `--usuario` and the event names her; only the very first account, with nobody yet to
name, is made without it. Item 3: the break-glass account is made with no usable password,
whatever was typed: whoever set it could sign in with it alone. `changepassword` generates it
and sends it to a second administrator, its custodian."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.management.administrador import administrador_del_comando
from dictamenes.models import CuentaEmergencia
from dictamenes.organizacion.services.emergencia import administradores_activos

ERROR_YA_HAY_DOS = _(
    "Ya hay dos personas administradoras activas: una persona administradora más se da de alta "
    "en «Personas y roles» (/cuentas/roles/), donde una pide el rol de Administrador y otra lo "
    "aprueba. No se creó ninguna cuenta."
)
EMERGENCIA_SIN_CONTRASENA = _(
    "La cuenta de emergencia «%(cuenta)s» queda sin contraseña (la que se haya tecleado no se "
    "guardó): quien la pone podría entrar con ella a solas. Póngala con «changepassword "
    "%(cuenta)s --usuario <usted> --custodia <otra persona administradora>»: el sistema la "
    "genera y la envía solo a la custodia."
)


def _falta_la_de_emergencia() -> bool:
    """The break-glass account the setting names is yet to be made."""
    nombre = settings.DICTAMENES_CUENTA_EMERGENCIA
    return bool(nombre) and not CuentaEmergencia.objects.exists()


class Command(createsuperuser.Command):
    help = (
        "Crea una cuenta superusuaria para poner en marcha una instalación: las dos primeras "
        "personas administradoras y la cuenta de emergencia (DJANGO_CUENTA_EMERGENCIA, sin "
        "contraseña: la pone changepassword con --custodia). Con dos personas administradoras "
        "activas no crea ninguna: las demás se dan de alta en «Personas y roles». Con una "
        "persona administradora activa pide --usuario. Queda en la auditoría."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--usuario",
            help="Usuario de la persona administradora que corre el comando (obligatorio en "
            "cuanto hay una persona administradora activa).",
        )

    def handle(self, *args, **options):
        activos = administradores_activos()
        base = activos.count() < 2
        if not base and not _falta_la_de_emergencia():
            raise CommandError(str(ERROR_YA_HAY_DOS))
        # Nobody to name only for the very first account.
        por = None
        if activos.exists() or options.get("usuario"):
            por = administrador_del_comando(usuario=options.get("usuario"))
        User = get_user_model()
        antes = set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
        with transaction.atomic(using=options["database"]):
            super().handle(*args, **options)
            for cuenta in User.objects.filter(is_superuser=True).exclude(pk__in=antes):
                emergencia = cuenta.username == settings.DICTAMENES_CUENTA_EMERGENCIA
                if not base and not emergencia:
                    raise CommandError(str(ERROR_YA_HAY_DOS))
                if emergencia:
                    cuenta.set_unusable_password()
                    cuenta.save(update_fields=["password"])
                evento_registrar(
                    tipo="superusuario_creado",
                    descripcion=(
                        f"{por.username} creó en el servidor la cuenta superusuaria "
                        f"«{cuenta.username}»"
                        if por is not None
                        else f"Cuenta superusuaria «{cuenta.username}» creada en el servidor, "
                        "la primera: aún no había una persona administradora que la creara"
                    )
                    + (" (la de emergencia, sin contraseña)" if emergencia else ""),
                    usuario=por,
                    datos={"cuenta": cuenta.pk, "username": cuenta.username},
                )
                if emergencia:
                    self.stdout.write(str(EMERGENCIA_SIN_CONTRASENA % {"cuenta": cuenta.username}))
