from django.core.management.base import BaseCommand

from dictamenes.management.cron import UnaCorridaALaVez
from dictamenes.seguimiento.services import vigencia


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Recuerda por correo a los entes que su dictamen favorable vence en 30 y en 10 días "
        "hábiles; cada recordatorio se envía una vez (diario)."
    )

    def handle(self, *args, **options):
        enviados = vigencia.vigencias_recordar()
        self.stdout.write(f"{enviados} recordatorio(s) de vigencia enviados.")
