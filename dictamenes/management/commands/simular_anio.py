from django.core.management.base import BaseCommand, CommandError

from dictamenes.services import simulacion
from estandares.progreso import HECHO, OMITIDO, Progreso


def _meses(texto: str) -> tuple[int, ...]:
    try:
        meses = tuple(sorted({int(m) for m in texto.split(",") if m.strip()}))
    except ValueError:
        meses = ()
    if not meses or not all(1 <= m <= 12 for m in meses):
        raise CommandError(
            f"--meses: números de mes del 1 al 12 separados por comas, no «{texto}»."
        )
    return meses


class Command(BaseCommand):
    help = (
        "Aprende del registro de un ejercicio (tiempo de cada paso según la carga de quien lo "
        "hizo, personal de cada área por mes, prevenciones y peticiones de información), "
        "comprueba que el modelo reproduce su mediana y su p90 dentro del 20 % y solo entonces "
        "compara escenarios: planeación, asignación por carga y un revisor más en un área."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anio", type=int, default=2024, help="Ejercicio registrado.")
        parser.add_argument("--semilla", type=int, default=7)
        parser.add_argument(
            "--parte-planeada",
            type=float,
            default=0.6,
            help="Parte de las solicitudes anunciadas en el programa anual (0 a 1).",
        )
        parser.add_argument(
            "--area", help="Clave del área con un revisor más (por omisión, la más cargada)."
        )
        parser.add_argument(
            "--meses", default="10,11,12", help="Meses con el revisor adicional (p. ej. 11,12)."
        )

    def handle(self, *args, **options):
        if not 0 <= options["parte_planeada"] <= 1:
            raise CommandError("--parte-planeada va de 0 a 1.")
        meses = _meses(options["meses"])
        try:
            ajuste = simulacion.ajustar(anio=options["anio"])
            lista = simulacion.escenarios(ajuste, area=options["area"], meses=meses)
        except ValueError as error:
            raise CommandError(str(error)) from error
        h = ajuste.historial
        self.stdout.write(f"Registro de {h.anio}: {h.atendidas} solicitudes atendidas.")
        if ajuste.por_tramite_completo:
            self.stdout.write(
                "El registro de ese año no tiene pasos del flujo (histórico importado): el "
                "modelo aprende el trámite completo según la carga de cada mes; no puede "
                "comparar asignación por carga ni un revisor más en un área."
            )
        else:
            self.stdout.write(
                f"Aprendido del registro: prevenciones {100 * ajuste.parte_prevenciones:.1f} % "
                f"(desechadas {100 * ajuste.parte_desechadas:.1f} % de ellas), peticiones de "
                f"información {100 * ajuste.parte_peticiones:.1f} %, personal por paso y mes: "
                + "; ".join(
                    f"{paso} {min(p.personal.values())}-{max(p.personal.values())}"
                    for paso, p in sorted(ajuste.pasos.items())
                )
            )
        # Every simulation first (the progress), then the table in one piece.
        with Progreso(
            salida=self.stdout,
            verbosidad=options["verbosity"],
            titulo="Simulación",
            etiquetas={HECHO: "simulados", OMITIDO: "sin comparar"},
        ) as progreso:
            progreso.fase("escenarios", total=1 + len(lista))
            comprobacion = simulacion.comprobar(ajuste, semilla=options["semilla"])
            progreso.avanzar(HECHO)
            resultados = [comprobacion.simulado]
            if comprobacion.reproduce:
                for escenario in lista:
                    resultados.append(
                        simulacion.simular(
                            ajuste,
                            escenario,
                            semilla=options["semilla"],
                            parte_planeada=options["parte_planeada"],
                        )
                    )
                    progreso.avanzar(HECHO)
            else:  # a model that does not match the record cannot advise
                progreso.avanzar(OMITIDO, len(lista))
        s = comprobacion.simulado
        self.stdout.write(
            f"\nAjuste (días hábiles de atención)  {'registrado':>10} {'simulado':>9} {'error':>7}"
        )
        self.stdout.write(
            f"{'mediana':<34} {comprobacion.registrado_mediana:>10.1f} {s.mediana:>9.1f} "
            f"{100 * comprobacion.error_mediana:>6.1f} %"
        )
        self.stdout.write(
            f"{'p90':<34} {comprobacion.registrado_p90:>10.1f} {s.p90:>9.1f} "
            f"{100 * comprobacion.error_p90:>6.1f} %"
        )
        tolerancia = round(100 * simulacion.TOLERANCIA)
        if not comprobacion.reproduce:
            self.stdout.write(
                f"\nEl modelo no reproduce el registro de {h.anio} dentro del {tolerancia} %: "
                "no se comparan escenarios, porque un modelo que no concuerda con el registro "
                "no puede aconsejar."
            )
            return
        self.stdout.write(
            f"\nEl modelo reproduce el registro dentro del {tolerancia} %. Escenarios "
            f"(plazo de {s.plazo} días hábiles; planeación: "
            f"{100 * options['parte_planeada']:.0f} % de las solicitudes anunciadas en el "
            "programa, que llegan de enero a octubre):"
        )
        self.stdout.write(f"{'escenario':<44} {'mediana':>8} {'p90':>5} {'fuera de plazo':>15}")
        for r in resultados:
            nombre = str(r.escenario.nombre)
            self.stdout.write(
                f"{nombre:<44} {r.mediana:>8.1f} {r.p90:>5} {r.fuera_de_plazo:>14.1f} %"
            )
