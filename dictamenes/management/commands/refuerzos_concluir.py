from django.core.management.base import BaseCommand
from django.utils import timezone

from dictamenes.capacidad.services.registro import refuerzos_concluir
from dictamenes.management.cron import UnaCorridaALaVez


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Concluye los refuerzos de las áreas cuyo último día ya pasó: retira el rol o el área "
        "que otorgó cada uno, y solo eso (diario)."
    )

    def handle(self, *args, **options):
        concluidos = refuerzos_concluir(hoy=timezone.localdate())
        self.corrida_mensaje = f"{len(concluidos)} refuerzo(s) concluido(s)."
        self.stdout.write(self.corrida_mensaje)
