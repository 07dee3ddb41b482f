"""Django's `changepassword`, with the house's rule on passwords (issue 59, item 3; issue 33:
nobody sets another person's password, the administration only sends a link to their own
e-mail).

At the server it stays the way back in when the pages cannot help (the e-mail down, the
identity provider down): an administrator sets her own password, or the break-glass
account's, whose password is kept sealed and has no person of its own to follow a link. She
names herself with `--usuario`, and the event names her. Anyone else's password is refused.

The break-glass account's (issue 77, item 3): whoever sets it could then sign in with it alone,
the one account that enters when all others cannot. So she does not choose it and never sees
it: the command generates it and sends it only to a second active administrator she names
with `--custodia` (not herself, nor the account), who seals it. Two people, no table to
migrate. The password, the event and the e-mail are one transaction: no e-mail, no change."""

import getpass
import secrets

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.management.commands import changepassword
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cuentas.servidor import correos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.management.administrador import administrador_activo, administrador_del_comando
from dictamenes.organizacion.services.emergencia import es_cuenta_emergencia

ERROR_NO_EXISTE = _("No existe la cuenta «%(cuenta)s». No se cambió ninguna contraseña.")
ERROR_OTRA_PERSONA = _(
    "Nadie pone la contraseña de otra persona: envíe a «%(cuenta)s» el enlace para elegir la "
    "suya desde su ficha en «Personas y roles» (/cuentas/roles/). Aquí solo se cambia la "
    "propia o la de la cuenta de emergencia. No se cambió ninguna contraseña."
)
ERROR_SIN_CUSTODIA = _(
    "La contraseña de la cuenta de emergencia no la elige ni la ve quien la cambia: indique "
    "con --custodia USUARIO a otra persona administradora, con correo, que la reciba y la "
    "guarde sellada. El sistema la genera y solo ella la recibe. No se cambió ninguna "
    "contraseña."
)
ERROR_CUSTODIA_PROPIA = _(
    "«%(usuario)s» corre el comando: la custodia de la contraseña de emergencia es otra persona "
    "administradora. No se cambió ninguna contraseña."
)
ERROR_CUSTODIA_LA_CUENTA = _(
    "La cuenta de emergencia no custodia su propia contraseña: nombre con --custodia a otra "
    "persona administradora. No se cambió ninguna contraseña."
)
ERROR_CUSTODIA_NO_ADMINISTRA = _(
    "«%(usuario)s» no es una persona administradora activa: no custodia la contraseña de la "
    "cuenta de emergencia. No se cambió ninguna contraseña."
)
ERROR_CUSTODIA_SIN_CORREO = _(
    "«%(usuario)s» no tiene correo: la contraseña de la cuenta de emergencia solo llega al "
    "correo de su custodia. No se cambió ninguna contraseña."
)
ERROR_CUSTODIA_SIN_EMERGENCIA = _(
    "--custodia es solo para la contraseña de la cuenta de emergencia: «%(cuenta)s» no lo es. "
    "No se cambió ninguna contraseña."
)
ERROR_NO_SE_ENVIO = _(
    "No se pudo enviar la contraseña al correo de «%(usuario)s» (%(error)s): no se cambió la "
    "contraseña de la cuenta de emergencia. Corra el comando otra vez cuando el correo funcione."
)
ENVIADA = _(
    "Contraseña de la cuenta de emergencia «%(cuenta)s» cambiada y enviada solo a su custodia, "
    "«%(custodia)s» (%(correo)s). No se muestra aquí."
)

# Easy to copy by hand from a sealed sheet: no 0/O, 1/l/I. 5 groups of 5: about 140 bits.
ALFABETO = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def contrasena_generar() -> str:
    return "-".join("".join(secrets.choice(ALFABETO) for _ in range(5)) for _ in range(5))


class Command(changepassword.Command):
    help = (
        "Cambia en el servidor la contraseña propia de la persona administradora de --usuario, "
        "o la de la cuenta de emergencia, que el sistema genera y envía solo a la custodia de "
        "--custodia; nunca la de otra persona. Queda en la auditoría a nombre de --usuario."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--usuario",
            help="Usuario de la persona administradora que corre el comando (obligatorio).",
        )
        parser.add_argument(
            "--custodia",
            help="Solo para la cuenta de emergencia (obligatorio con ella): usuario de otra "
            "persona administradora, con correo, que recibe la contraseña generada.",
        )

    def handle(self, *args, **options):
        por = administrador_del_comando(usuario=options.get("usuario"))
        nombre = options["username"] or getpass.getuser()
        cuenta = get_user_model().objects.filter(username=nombre).first()
        if cuenta is None:
            raise CommandError(str(ERROR_NO_EXISTE % {"cuenta": nombre}))
        if es_cuenta_emergencia(usuario=cuenta):
            return self._de_emergencia(cuenta=cuenta, por=por, options=options)
        if cuenta.pk != por.pk:
            raise CommandError(str(ERROR_OTRA_PERSONA % {"cuenta": nombre}))
        if options.get("custodia"):
            raise CommandError(str(ERROR_CUSTODIA_SIN_EMERGENCIA % {"cuenta": nombre}))
        with transaction.atomic(using=options["database"]):
            resultado = super().handle(*args, **options)
            evento_registrar(
                tipo="contrasena_servidor",
                descripcion=f"{por.username} cambió en el servidor la contraseña de su cuenta "
                f"«{cuenta.username}»",
                usuario=por,
                datos={"cuenta": cuenta.pk, "username": cuenta.username},
            )
        return resultado

    def _custodia(self, *, usuario: str | None, por, cuenta):
        """The second administrator who alone receives the password."""
        if not (usuario or "").strip():
            raise CommandError(str(ERROR_SIN_CUSTODIA))
        usuario = usuario.strip()
        if usuario == por.username:
            raise CommandError(str(ERROR_CUSTODIA_PROPIA % {"usuario": usuario}))
        if usuario == cuenta.username:
            raise CommandError(str(ERROR_CUSTODIA_LA_CUENTA))
        try:
            # Another administrator, not who runs the command: not checked against its login.
            custodia = administrador_activo(usuario=usuario)
        except CommandError:
            raise CommandError(str(ERROR_CUSTODIA_NO_ADMINISTRA % {"usuario": usuario})) from None
        if not custodia.email:
            raise CommandError(str(ERROR_CUSTODIA_SIN_CORREO % {"usuario": usuario}))
        return custodia

    def _de_emergencia(self, *, cuenta, por, options):
        custodia = self._custodia(usuario=options.get("custodia"), por=por, cuenta=cuenta)
        contrasena = contrasena_generar()
        password_validation.validate_password(contrasena, cuenta)
        with transaction.atomic(using=options["database"]):
            cuenta.set_password(contrasena)
            cuenta.save(update_fields=["password"])
            evento_registrar(
                tipo="contrasena_servidor",
                descripcion=f"{por.username} cambió en el servidor la contraseña de la cuenta "
                f"de emergencia «{cuenta.username}»; generada, la recibió solo su custodia "
                f"«{custodia.username}» en su correo",
                usuario=por,
                datos={
                    "cuenta": cuenta.pk,
                    "username": cuenta.username,
                    "custodia": custodia.pk,
                    "custodia_username": custodia.username,
                    "correo": custodia.email,
                },
            )
            try:
                correos.contrasena_emergencia_enviar(
                    custodia=custodia, por=por, cuenta=cuenta, contrasena=contrasena
                )
            except Exception as exc:  # any mail failure: a password nobody holds is a lockout
                raise CommandError(
                    str(ERROR_NO_SE_ENVIO % {"usuario": custodia.username, "error": exc})
                ) from exc
        return str(
            ENVIADA
            % {"cuenta": cuenta.username, "custodia": custodia.username, "correo": custodia.email}
        )
