from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dictamenes.emision.services import sellos_archivo
from dictamenes.management.cron import UnaCorridaALaVez
from estandares.entradas import entero_argumento
from estandares.progreso import FALLIDO, HECHO, OMITIDO, Progreso


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Añade un sello de tiempo de archivo (PAdES B-LTA) a cada dictamen cuyo último sello "
        "de documento vence dentro de --dias días, antes de que venza el certificado de la "
        "autoridad de sello de tiempo. Pensado para cron, una vez por semana. Muestra su avance; "
        "si se interrumpe, la siguiente corrida continúa donde se quedó y no renueva dos veces "
        "el mismo dictamen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dias",
            type=entero_argumento,
            default=sellos_archivo.DIAS_ANTES,
            help="Renovar los sellos que vencen dentro de estos días (365 por omisión).",
        )

    def handle(self, *args, **options):
        verbosidad = options["verbosity"]
        with Progreso(
            salida=self.stdout,
            verbosidad=verbosidad,
            titulo="Sellos de archivo",
            etiquetas={HECHO: "renovados", OMITIDO: "omitidos", FALLIDO: "sin renovar"},
            reanudar="Corra de nuevo el comando: continúa donde se quedó.",
        ) as progreso:
            corrida = sellos_archivo.sellos_archivo_renovar(dias=options["dias"], avance=progreso)
        if verbosidad:
            if corrida.continua_desde is not None:
                desde = timezone.localtime(corrida.continua_desde).strftime("%Y-%m-%d %H:%M")
                self.stdout.write(
                    f"Continuó la corrida interrumpida del {desde}: {corrida.ya_renovados} "
                    "dictamen(es) ya renovados en ella se omitieron."
                )
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
