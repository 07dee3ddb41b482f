"""Years of realistic history, in bulk, for measuring the system at scale (make bench)."""

import time

from django.core.management.base import BaseCommand

from demo import historico
from demo.historico import con_senales
from dictamenes.precios import services as precios
from estandares.progreso import HECHO, OMITIDO, Progreso


class Command(BaseCommand):
    help = (
        "Genera años de historia realista: solicitudes, partidas, tareas, revisiones, eventos "
        "encadenados y dictámenes sellados, como los decide el mundo de demo/historico/mundo.py "
        "(personal, colas y tiempos de servicio). Con --escala 10 son unas 69,000 solicitudes en "
        "10 años."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anios", type=int, default=10, help="Años hacia atrás, con el actual."
        )
        parser.add_argument(
            "--escala",
            type=float,
            default=10,
            help="Múltiplo de las solicitudes de cada año (794 en 2024, 4 %% más por año) y del "
            "personal de cada paso.",
        )
        parser.add_argument("--semilla", type=int, default=2026)
        parser.add_argument(
            "--senales",
            action="store_true",
            help="Con cotizaciones, contratos, entregas y condiciones, y casos conocidos de cada "
            "señal plantados a tasas conocidas; la verdad queda en var/senales-plantadas.json "
            "(make bench-senales).",
        )

    def handle(self, *args, anios, escala, semilla, senales, **options):
        inicio = time.perf_counter()
        with Progreso(
            salida=self.stdout,
            verbosidad=options["verbosity"],
            titulo="Histórico",
            etiquetas={HECHO: "generadas", OMITIDO: "fechas aún por venir"},
        ) as progreso:
            cuenta = (con_senales.generar if senales else historico.generar)(
                anios=anios, escala=escala, semilla=semilla, avisar=progreso.avisar, avance=progreso
            )
        # The history is written without the doors: its prices are read once (issue 62).
        precios.observaciones_reconstruir()
        segundos = time.perf_counter() - inicio
        if not options["verbosity"]:
            return
        resumen = ", ".join(f"{n:,} {clave}" for clave, n in cuenta.items())
        self.stdout.write(self.style.SUCCESS(f"Histórico generado en {segundos:.0f} s: {resumen}."))
