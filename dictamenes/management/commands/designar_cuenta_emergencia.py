from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dictamenes.organizacion.services.emergencia import cuenta_emergencia_designar


class Command(BaseCommand):
    help = (
        "Designa la cuenta de emergencia (la única que entra con contraseña cuando están "
        "apagadas y que nunca aprueba cambios). Se corre en el servidor; queda en la auditoría."
    )

    def add_arguments(self, parser):
        parser.add_argument("usuario", help="Usuario de la cuenta que pasa a ser la de emergencia.")
        parser.add_argument("--motivo", required=True, help="Por qué (oficio, acuerdo).")

    def handle(self, *args, usuario, motivo, **options):
        cuenta = get_user_model().objects.filter(username=usuario).first()
        if cuenta is None:
            raise CommandError(f"No existe la cuenta «{usuario}»: no se designó ninguna.")
        if not motivo.strip():
            raise CommandError("Escriba el motivo: queda en la auditoría.")
        cuenta_emergencia_designar(usuario=cuenta, motivo=motivo.strip())
        self.stdout.write(
            self.style.SUCCESS(
                f"La cuenta de emergencia es ahora «{cuenta.username}» (id {cuenta.pk}); "
                "la sigue aunque cambie su usuario."
            )
        )
