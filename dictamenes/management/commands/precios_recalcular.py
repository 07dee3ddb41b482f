from django.core.management.base import BaseCommand

from dictamenes.management.cron import UnaCorridaALaVez
from dictamenes.precios import services as precios


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Recalcula los precios de referencia de cada perfil con la ventana de 24 meses que "
        "termina hoy (diario). Con --reconstruir, vuelve a leer primero los precios aprobados y "
        "contratados de cada dictamen en vigor (tras una carga o una importación)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reconstruir",
            action="store_true",
            help="Vuelve a leer los precios de cada dictamen en vigor antes de recalcular.",
        )

    def handle(self, *args, reconstruir=False, **options):
        if reconstruir:
            n = precios.observaciones_reconstruir()
            self.stdout.write(f"{n} precio(s) observado(s) en los dictámenes en vigor.")
        referencias = precios.referencias_recalcular()
        self.corrida_mensaje = f"{referencias} precio(s) de referencia recalculados."
        self.stdout.write(self.corrida_mensaje)
