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
            # One audited step: the open data built from the old prices is built again.
            n, referencias = precios.precios_reconstruir()
            self.stdout.write(f"{n} precio(s) observado(s) en los dictámenes en vigor.")
        else:
            # The window slides: only the references move, and nothing published reads them
            # (the open data reads the observed prices, and its cache is keyed by the day).
            referencias = precios.referencias_recalcular()
        self.corrida_mensaje = f"{referencias} precio(s) de referencia recalculados."
        self.stdout.write(self.corrida_mensaje)
