"""Django's `changepassword`, with the house's rule on passwords (issue 59, item 3; issue 33:
nobody sets another person's password, the administration only sends a link to their own
e-mail).

At the server it stays the way back in when the pages cannot help (the e-mail down, the
identity provider down): an administrator sets her own password, or the break-glass
account's, whose password is kept sealed and has no person of its own to follow a link. She
names herself with `--usuario`, and the event names her. Anyone else's password is refused."""

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import changepassword
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.management.administrador import administrador_del_comando
from dictamenes.organizacion.services.emergencia import es_cuenta_emergencia

ERROR_NO_EXISTE = _("No existe la cuenta «%(cuenta)s». No se cambió ninguna contraseña.")
ERROR_OTRA_PERSONA = _(
    "Nadie pone la contraseña de otra persona: envíe a «%(cuenta)s» el enlace para elegir la "
    "suya desde su ficha en «Personas y roles» (/cuentas/roles/). Aquí solo se cambia la "
    "propia o la de la cuenta de emergencia. No se cambió ninguna contraseña."
)


class Command(changepassword.Command):
    help = (
        "Cambia en el servidor la contraseña propia de la persona administradora de --usuario, "
        "o la de la cuenta de emergencia; nunca la de otra persona. Queda en la auditoría a "
        "nombre de --usuario."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--usuario",
            help="Usuario de la persona administradora que corre el comando (obligatorio).",
        )

    def handle(self, *args, **options):
        por = administrador_del_comando(usuario=options.get("usuario"))
        nombre = options["username"] or getpass.getuser()
        cuenta = get_user_model().objects.filter(username=nombre).first()
        if cuenta is None:
            raise CommandError(str(ERROR_NO_EXISTE % {"cuenta": nombre}))
        emergencia = es_cuenta_emergencia(usuario=cuenta)
        if cuenta.pk != por.pk and not emergencia:
            raise CommandError(str(ERROR_OTRA_PERSONA % {"cuenta": nombre}))
        with transaction.atomic(using=options["database"]):
            resultado = super().handle(*args, **options)
            evento_registrar(
                tipo="contrasena_servidor",
                descripcion=f"{por.username} cambió en el servidor la contraseña de "
                + ("la cuenta de emergencia " if emergencia else "su cuenta ")
                + f"«{cuenta.username}»",
                usuario=por,
                datos={"cuenta": cuenta.pk, "username": cuenta.username},
            )
        return resultado
