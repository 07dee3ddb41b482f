"""Django REST framework's `drf_create_token`, audited in the name of who runs it (issue 59,
item 3). A token acts as its account on the API: made at the server, it is as much a change of
a person's access as one made in /admin/ (audited there through cuentas.auditoria_admin). The
administrator who makes it names herself with --usuario; the event names her and the account,
never the token."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.management.commands import drf_create_token
from rest_framework.authtoken.models import Token

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.management.administrador import administrador_del_comando

ERROR_NO_EXISTE = _("No existe la cuenta «%(cuenta)s». No se creó ningún token.")


class Command(drf_create_token.Command):
    help = (
        "Crea (o con --reset reemplaza) el token de la API de una cuenta. Queda en la auditoría "
        "a nombre de la persona administradora de --usuario."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--usuario",
            help="Usuario de la persona administradora que crea el token (obligatorio).",
        )

    def handle(self, *args, **options):
        por = administrador_del_comando(usuario=options.get("usuario"))
        nombre = options["username"]
        cuenta = get_user_model().objects.filter(username=nombre).first()
        if cuenta is None:
            raise CommandError(str(ERROR_NO_EXISTE % {"cuenta": nombre}))
        # Without --reset an existing token is printed again: reading it is audited too.
        habia = Token.objects.filter(user=cuenta).exists()
        if options["reset_token"]:
            verbo = "reemplazó" if habia else "creó"
        else:
            verbo = "leyó" if habia else "creó"
        with transaction.atomic():
            super().handle(*args, **options)
            evento_registrar(
                tipo="token_api_servidor",
                descripcion=f"{por.username} {verbo} en el servidor el token de la API de "
                f"«{cuenta.username}»",
                usuario=por,
                datos={"cuenta": cuenta.pk, "username": cuenta.username},
            )
