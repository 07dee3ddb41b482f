"""Django REST framework's `drf_create_token`, audited in the name of who runs it (issue 59,
item 3). A token acts as its account on the API: made at the server, it is as much a change of
a person's access as one made in /admin/ (audited there through cuentas.auditoria_admin). The
administrator who makes it names herself with --usuario; the event names her and the account,
never the token.

Issue 77: DRF's command prints the key, so the administrator who made another person's token
could act as that person on the API (the probe made the signer's). For her own account it is
printed as before; for anyone else's it is made (or with --reset replaced) and goes only to
its owner's e-mail (cuentas.servidor.correos), in the same transaction: no e-mail, no token.
An existing token is neither printed nor sent again: --reset replaces it."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.management.commands import drf_create_token
from rest_framework.authtoken.models import Token

from cuentas.servidor import correos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.management.administrador import administrador_del_comando

ERROR_NO_EXISTE = _("No existe la cuenta «%(cuenta)s». No se creó ningún token.")
ERROR_SIN_CORREO = _(
    "«%(cuenta)s» no tiene correo: el token de la API de otra persona solo llega a su correo, "
    "nunca a quien corre el comando. Pida primero el cambio de correo (con la aprobación de "
    "otra persona administradora) y corra el comando otra vez. No se creó ningún token."
)
ERROR_YA_TIENE = _(
    "«%(cuenta)s» ya tiene un token de la API: no se muestra ni se reenvía. Para darle uno "
    "nuevo (el anterior deja de servir) corra el comando con --reset: le llega a su correo. "
    "No se cambió nada."
)
ERROR_NO_SE_ENVIO = _(
    "No se pudo enviar el token al correo de «%(cuenta)s» (%(error)s): no se creó ni se "
    "reemplazó ningún token. Corra el comando otra vez cuando el correo funcione."
)
ENVIADO = _(
    "Token de la API de «%(cuenta)s» %(hecho)s y enviado a su correo (%(correo)s). No se "
    "muestra aquí: solo lo conoce su dueña o dueño."
)


class Command(drf_create_token.Command):
    help = (
        "Crea (o con --reset reemplaza) el token de la API de una cuenta. El propio se "
        "muestra; el de otra persona llega solo a su correo. Queda en la auditoría a nombre "
        "de la persona administradora de --usuario."
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
        habia = Token.objects.filter(user=cuenta).exists()
        if cuenta.pk != por.pk:
            return self._de_otra_persona(cuenta=cuenta, por=por, habia=habia, **options)
        # Her own: printed as DRF does. Without --reset an existing token is printed again:
        # reading it is audited too.
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

    def _de_otra_persona(self, *, cuenta, por, habia: bool, reset_token: bool, **options):
        if habia and not reset_token:
            raise CommandError(str(ERROR_YA_TIENE % {"cuenta": cuenta.username}))
        if not cuenta.email:
            raise CommandError(str(ERROR_SIN_CORREO % {"cuenta": cuenta.username}))
        verbo = "reemplazó" if habia else "creó"
        with transaction.atomic():
            token = self.create_user_token(cuenta.username, reset_token)
            evento_registrar(
                tipo="token_api_servidor",
                descripcion=f"{por.username} {verbo} en el servidor el token de la API de "
                f"«{cuenta.username}», enviado a su correo {cuenta.email} sin mostrarlo",
                usuario=por,
                datos={
                    "cuenta": cuenta.pk,
                    "username": cuenta.username,
                    "correo": cuenta.email,
                    "enviado_a_su_correo": True,
                },
            )
            try:
                correos.token_enviar(persona=cuenta, por=por, clave=token.key, reemplazo=habia)
            except Exception as exc:  # any mail failure: the token must not outlive it
                raise CommandError(
                    str(ERROR_NO_SE_ENVIO % {"cuenta": cuenta.username, "error": exc})
                ) from exc
        self.stdout.write(
            str(
                ENVIADO
                % {
                    "cuenta": cuenta.username,
                    "hecho": "reemplazado" if habia else "creado",
                    "correo": cuenta.email,
                }
            )
        )
