from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dictamenes.management.administrador import administrador_del_comando
from dictamenes.organizacion.services.emergencia import cuenta_emergencia_designar


class Command(BaseCommand):
    # Issue 59: the break-glass path stays a server command (the identity provider may be down
    # and the pages out of reach), applied at once, and audited in the name of who runs it.
    help = (
        "Designa la cuenta de emergencia (la única que entra con contraseña cuando están "
        "apagadas y que nunca aprueba cambios). Se corre en el servidor; queda en la auditoría "
        "a nombre de la persona administradora de --usuario."
    )

    def add_arguments(self, parser):
        parser.add_argument("cuenta", help="Usuario de la cuenta que pasa a ser la de emergencia.")
        parser.add_argument(
            "--usuario",
            help="Usuario de la persona administradora que la designa (obligatorio).",
        )
        parser.add_argument("--motivo", required=True, help="Por qué (oficio, acuerdo).")

    def handle(self, *args, cuenta, motivo, usuario=None, **options):
        por = administrador_del_comando(usuario=usuario)
        designada = get_user_model().objects.filter(username=cuenta).first()
        if designada is None:
            raise CommandError(f"No existe la cuenta «{cuenta}»: no se designó ninguna.")
        try:
            # The reason is judged by the service, as every reason (estandares.motivos).
            cuenta_emergencia_designar(usuario=designada, motivo=motivo, por=por)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages) + " No se designó ninguna.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"La cuenta de emergencia es ahora «{designada.username}» (id {designada.pk}), "
                f"designada por {por.username}; la sigue aunque cambie su usuario."
            )
        )
