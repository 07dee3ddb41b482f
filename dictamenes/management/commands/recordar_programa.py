from django.core.management.base import BaseCommand

from dictamenes.management.cron import UnaCorridaALaVez
from dictamenes.planeacion.services import programa


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Recuerda por correo a los entes las solicitudes de su programa anual que aún no "
        "presentan y cuyo mes se acerca (diario)."
    )

    def handle(self, *args, **options):
        enviados = programa.recordatorios_enviar()
        self.stdout.write(f"{enviados} recordatorio(s) enviados.")
