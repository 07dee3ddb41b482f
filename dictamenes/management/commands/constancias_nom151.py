from django.core.management.base import BaseCommand, CommandError

from dictamenes.emision.services import conservacion
from dictamenes.management.cron import UnaCorridaALaVez
from estandares.entradas import entero_argumento


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Pide la constancia de conservación NOM-151 de cada dictamen emitido que aún no la "
        "tiene, al prestador de servicios de certificación de DJANGO_NOM151_URL. Pensado para "
        "cron; nunca pide dos veces la de un mismo dictamen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limite",
            type=entero_argumento,
            default=200,
            help="Cuántos dictámenes sin constancia atender en esta corrida (los más antiguos "
            "primero).",
        )

    def handle(self, *args, **options):
        corrida = conservacion.constancias_pendientes_obtener(limite=options["limite"])
        if corrida is None:
            self.stdout.write(conservacion.APAGADA)
            return
        self.stdout.write(
            f"{corrida.obtenidas} constancia(s) NOM-151 obtenidas; "
            f"{corrida.fallidas} dictamen(es) siguen sin constancia."
        )
        if corrida.fallidas:
            # A non-zero exit makes cron's mail (or the monitor) notice a provider that fails.
            raise CommandError(
                "El prestador de servicios de certificación no entregó todas las constancias; "
                "vea el registro de la aplicación."
            )
