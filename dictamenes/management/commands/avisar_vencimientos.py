from django.core.management.base import BaseCommand

from dictamenes.management.cron import UnaCorridaALaVez
from dictamenes.tramite.services import tareas


class Command(UnaCorridaALaVez, BaseCommand):
    help = "Avisa por correo de las tareas que vencen en dos días hábiles o menos (diario)."

    def handle(self, *args, **options):
        avisadas = tareas.avisos_de_vencimiento_enviar()
        self.stdout.write(f"{avisadas} aviso(s) de vencimiento enviados.")
