"""capacidad_validar: the capacity plan judged across a panel of worlds it did not make
(issue 81; demo.panel_capacidad says how, demo.mundos builds the worlds).

`--panel`: the fixed, versioned panel (demo.mundos.PANEL, 30 worlds), on both cores;
`--dos`: its two-world version, which the suite runs. Prints, per world, the recommendation,
whether it met the standard in the world, the least sufficient reinforcement found by a search
in the world, and the difference in reviewer-days; then the targets. Exit status 1 when a
target is missed. `--salida FILE` also writes the result as Markdown (bench/results/).
"""

import datetime
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from demo import mundos, panel_capacidad
from dictamenes.capacidad.services import nucleo
from dictamenes.models.vias import ConfiguracionVias

_CONTEXTO: dict = {}  # what every world reads, read once before the processes start


def _juzgar(espec):
    return panel_capacidad.juzgar(
        espec,
        estandar=_CONTEXTO["estandar"],
        cal=_CONTEXTO["cal"],
        corridas=_CONTEXTO["corridas"],
        corridas_mundo=_CONTEXTO["corridas_mundo"],
    )


class Command(BaseCommand):
    help = (
        "Juzga el plan de capacidad en un panel de mundos que no hizo (demo.mundos): en cada "
        "uno planea el 1 de noviembre con lo que la oficina sabría y el mundo dice si su "
        "refuerzo cumple el estándar, cuánto cuesta de más sobre el mínimo que una búsqueda en "
        "el mundo encuentra, y si el p90 que ocurre cae en su intervalo. Sale con 1 si no "
        "alcanza una meta."
    )

    def add_arguments(self, parser):
        grupo = parser.add_mutually_exclusive_group(required=True)
        grupo.add_argument("--panel", action="store_true", help="Los 30 mundos del panel.")
        grupo.add_argument("--dos", action="store_true", help="Los dos mundos de la suite.")
        parser.add_argument("--procesos", type=int, default=2)
        parser.add_argument(
            "--corridas", type=int, default=nucleo.CORRIDAS, help="Escenarios del plan."
        )
        parser.add_argument(
            "--corridas-mundo",
            type=int,
            default=panel_capacidad.CORRIDAS_MUNDO,
            help="Corridas del mundo para su p90 esperado.",
        )
        parser.add_argument("--salida", help="Escribe el resultado en Markdown en este archivo.")

    def handle(self, *args, **options):
        if min(options["procesos"], options["corridas"], options["corridas_mundo"]) < 1:
            raise CommandError("--procesos, --corridas y --corridas-mundo van de 1 en adelante.")
        _CONTEXTO["corridas"], _CONTEXTO["corridas_mundo"] = (
            options["corridas"],
            options["corridas_mundo"],
        )
        especs = mundos.PANEL if options["panel"] else mundos.DOS_MUNDOS
        _CONTEXTO["estandar"] = ConfiguracionVias.objects.vigentes().meta_dias_completa
        _CONTEXTO["cal"] = panel_capacidad.calendario()
        inicio = time.perf_counter()
        juicios = []
        if options["procesos"] == 1:
            for espec in especs:
                juicios.append(_juzgar(espec))
                self._avance(juicios[-1])
        else:
            connections.close_all()  # each process opens its own
            with ProcessPoolExecutor(
                max_workers=options["procesos"], mp_context=multiprocessing.get_context("fork")
            ) as procesos:
                for juicio in procesos.map(_juzgar, especs):
                    juicios.append(juicio)
                    self._avance(juicio)
        segundos = time.perf_counter() - inicio
        resumen = panel_capacidad.resumir(juicios)
        texto = _texto(juicios, resumen, segundos, options, _CONTEXTO["estandar"])
        self.stdout.write(texto)
        if options["salida"]:
            with open(options["salida"], "w", encoding="utf-8") as archivo:
                archivo.write(texto + "\n")
        if resumen.fallas:
            sys.exit(1)

    def _avance(self, j) -> None:
        """Each world as it is judged, on stderr (the table comes at the end)."""
        self.stderr.write(
            f"{j.familia} {j.semilla}: plan {j.dias_plan:.0f} días-revisor, "
            f"{'cumple' if j.cumple else 'no cumple'} en el mundo; mínimo "
            f"{_num(j.dias_minimo, '.0f')}; {j.segundos:.0f} s"
        )


def _prestamos(lista) -> str:
    if lista is None:
        return "ningún préstamo alcanza"
    if not lista:
        return "ninguno"
    return "; ".join(f"{a} {d:%d/%m}–{h:%d/%m}×{n}" for a, d, h, n in lista)


def _pct(valor) -> str:
    return "—" if valor is None else f"{100 * valor:.0f} %"


def _num(valor, formato=".1f") -> str:
    return "—" if valor is None else format(valor, formato)


def _texto(juicios, r, segundos, options, estandar) -> str:
    lineas = [
        f"# Panel de capacidad ({mundos.PANEL_VERSION}): {len(juicios)} mundos",
        "",
        f"Plan al 1 de noviembre de {panel_capacidad.ANIO}; estándar {estandar} días hábiles en "
        f"el p90 de cada semana; el plan corre {options['corridas']} escenarios y recomienda lo "
        f"que cumple en {100 * nucleo.CUANTIL:.0f} de cada 100; el mundo juzga con la media de "
        f"{options['corridas_mundo']} corridas suyas. {segundos:.0f} s en {options['procesos']} "
        f"proceso(s), {datetime.date.today():%Y-%m-%d}.",
        "",
        "| Mundo | Recomendación (días-revisor) | Margen | Prob. | Cumple en el mundo (peor p90) "
        "| Mínimo en el mundo (días-revisor) | Diferencia | Regla (días, cumple) | Semanas en "
        "el intervalo | s |",
        "|---|---|---:|---:|---|---|---:|---|---:|---:|",
    ]
    for j in juicios:
        dentro = sum(b <= x <= a for _l, x, b, a, _e in j.semanas)
        regla = f"{j.regla_dias:.0f}, {'✓' if j.regla_cumple else '✗'}"
        recomendacion = (
            "ningún préstamo alcanza (dice el plan)"
            if j.sin_alcance and not j.recomendados
            else _prestamos(j.recomendados) + (" (la regla)" if j.recomienda_regla else "")
        )
        lineas.append(
            f"| {j.familia} {j.semilla} | {recomendacion} ({j.dias_plan:.0f}) | {j.margen:.0f} "
            f"| {_pct(j.probabilidad)} | {'✓' if j.cumple else '✗'} ({j.peor:.1f}) "
            f"| {_prestamos(j.minimo)} ({_num(j.dias_minimo, '.0f')}) "
            f"| {_num(j.sobrecosto, '+.0f')} | {regla} "
            f"| {dentro}/{len(j.semanas)} | {j.segundos:.0f} |"
        )
    lineas += [
        "",
        "| Meta | Valor | Meta |",
        "|---|---:|---|",
        f"| Cobertura (mundos en que un préstamo alcanza) | {_pct(r.cobertura)} | ≥ 90 % |",
        f"| Dice «ningún préstamo alcanza» donde ninguno alcanza | {_pct(r.dice_sin_alcance)} "
        "| 100 % |",
        f"| Sobrecosto medio (días-revisor) | {_num(r.sobrecosto_medio)} | ≤ 10 |",
        f"| Sobrecosto, percentil 90 | {_num(r.sobrecosto_p90)} | (se informa) |",
        f"| Semanas del cierre con el p90 real en el intervalo de 80 % | {_pct(r.dentro)} "
        "| 70–90 % |",
        f"| Error medio con signo (real − esperado, días) | {_num(r.sesgo, '+.2f')} | ≤ 2 |",
        f"| Regla de costumbre: cobertura | {_pct(r.regla_cobertura)} | ≤ la del plan |",
        f"| Días-revisor medios: plan / regla | {_num(r.plan_dias)} / {_num(r.regla_dias)} "
        "| plan ≤ regla |",
        "",
        ("Fuera de meta: " + "; ".join(r.fallas) + ".") if r.fallas else "Todas las metas.",
    ]
    return "\n".join(lineas)
