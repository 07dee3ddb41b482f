from django.core.management.base import BaseCommand, CommandError

from dictamenes.management.cron import UnaCorridaALaVez
from dictamenes.services import archivo


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Añade un sello de tiempo de archivo (PAdES B-LTA) a cada dictamen cuyo último sello "
        "de documento vence dentro de --dias días, antes de que venza el certificado de la "
        "autoridad de sello de tiempo. Pensado para cron, una vez por semana."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dias",
            type=int,
            default=archivo.DIAS_ANTES,
            help="Renovar los sellos que vencen dentro de estos días (365 por omisión).",
        )

    def handle(self, *args, **options):
        corrida = archivo.sellos_archivo_renovar(dias=options["dias"])
        self.stdout.write(
            f"{len(corrida.renovados)} dictamen(es) con sello de archivo nuevo; "
            f"{corrida.al_dia} al día; {len(corrida.fallidos)} sin renovar."
        )
        for folio in corrida.renovados:
            self.stdout.write(f"  renovado: {folio}")
        if corrida.fallidos:
            raise CommandError(
                "No se renovó el sello de archivo de: "
                + ", ".join(corrida.fallidos)
                + ". Vea el registro de la aplicación."
            )
