from django.core.management.base import BaseCommand

from dictamenes.encuestas import services as encuestas
from dictamenes.management.cron import UnaCorridaALaVez


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Publica las respuestas de la encuesta que esperan su lote: las de cada ejercicio y "
        "etapa entran a las cifras cuando reúnen cinco, en orden al azar. También lo hace "
        "enviar_avisos en cada corrida."
    )

    def handle(self, *args, **options):
        publicadas = encuestas.encuestas_publicar()
        self.stdout.write(f"{publicadas} respuesta(s) de la encuesta entraron a las cifras.")
