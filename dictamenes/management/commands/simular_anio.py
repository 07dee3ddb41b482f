from django.core.management.base import BaseCommand

from dictamenes.services import simulacion


class Command(BaseCommand):
    help = (
        "Reproduce un año de llegadas con el patrón de la demostración por las reglas de las "
        "colas, con y sin planeación y asignación, e imprime mediana, p90 y parte fuera de plazo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--solicitudes", type=int, default=794)
        parser.add_argument("--revisores-por-area", type=int, default=2)
        parser.add_argument("--semilla", type=int, default=7)
        parser.add_argument(
            "--capacidad", type=int, default=2, help="Revisiones por revisor por día hábil."
        )

    def handle(self, *args, **options):
        self.stdout.write(
            f"{options['solicitudes']} solicitudes, {options['revisores_por_area']} revisores "
            f"por área con {options['capacidad']} revisiones al día, plazo de 12 días hábiles "
            "(días hábiles de la llegada a la firma)"
        )
        self.stdout.write(f"{'escenario':<32} {'mediana':>8} {'p90':>5} {'fuera de plazo':>15}")
        for escenario in simulacion.ESCENARIOS:
            r = simulacion.simular(
                escenario,
                n=options["solicitudes"],
                semilla=options["semilla"],
                revisores_por_area=options["revisores_por_area"],
                capacidad=options["capacidad"],
            )
            self.stdout.write(
                f"{escenario.nombre:<32} {r.mediana:>8.1f} {r.p90:>5} {r.fuera_de_plazo:>14.1f}%"
            )
