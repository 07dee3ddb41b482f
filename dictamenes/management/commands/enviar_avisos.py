from django.core.management.base import BaseCommand

from dictamenes.avisos import services as avisos
from dictamenes.encuestas import services as encuestas
from dictamenes.management.cron import UnaCorridaALaVez
from estandares.entradas import entero_argumento


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Reintenta los avisos por correo que quedaron pendientes (servidor de correo caído) y "
        "publica las respuestas de la encuesta que ya juntan su lote (publicar_encuestas). "
        "Pensado para cron, cada pocos minutos; nunca envía dos veces el mismo aviso."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limite",
            type=entero_argumento,
            default=200,
            help="Cuántos avisos pendientes intentar en esta corrida (los más antiguos primero).",
        )
        parser.add_argument(
            "--intentos-maximos",
            type=entero_argumento,
            default=avisos.AVISO_INTENTOS_MAXIMOS,
            help="Los avisos con este número de intentos fallidos ya no se reintentan solos.",
        )

    def handle(self, *args, **options):
        enviados, pendientes = avisos.avisos_pendientes_enviar(
            limite=options["limite"], intentos_maximos=options["intentos_maximos"]
        )
        self.stdout.write(f"{enviados} aviso(s) enviados; {pendientes} siguen pendientes.")
        # The survey's waiting answers, in a transaction of their own (encuestas.services):
        # the crontab runs this every few minutes, so nothing new to configure.
        publicadas = encuestas.encuestas_publicar()
        if publicadas:
            self.stdout.write(f"{publicadas} respuesta(s) de la encuesta entraron a las cifras.")
