"""capacidad_validar: the capacity engine checked in a world it does not control (issue 60).

Two fiscal years are generated from the stated process (demo.historico.mundo: arrivals, staff
per step, service times, the requirente's corrections) and written as the system would have
written them, inside a transaction that is rolled back at the end: nothing stays. Then:

- recovery: the engine, fitted on the first year's record, gives each step's mean service time
  within three standard errors of the world's stated mean (the error of a mean of n gamma draws
  of shape k is mean / sqrt(k n): a bound from the distribution, not from the engine), and each
  step's people as the world's roster;
- backtest: fitted on the first year, with the second year's arrivals and people, the engine's
  expected weekly p90 of each area is within one business day (mean absolute difference over
  the weeks) of the world's own expected weekly p90 for those arrivals: the mean over runs of
  the generator in which each request takes its course again. The single recorded year is
  printed beside it, with the world's own distance to it (its noise, which no model predicts);
- recommendation: the engine's least loans for the second year are applied in the GENERATOR:
  they must meet the standard there, and the least reinforcement that meets it there,
  searched by shortening those loans together, must be within 20 % of the recommendation.

Exit status 1 when any figure is outside its tolerance.
"""

import datetime
import math
import statistics
import sys
from collections import defaultdict
from dataclasses import replace

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from viewflow.workflow.models import Task

from demo.historico import mundo
from demo.historico.generador import Generador
from dictamenes.flow_port import Nodo, nodo
from dictamenes.models import Area, Solicitud
from dictamenes.models.vias import ConfiguracionVias, Via
from dictamenes.simulacion.selectors.registro_anual import historial_del_anio
from dictamenes.simulacion.services import motor, refuerzo

ERRORES_ESTANDAR = 3
TOLERANCIA_DIAS = 1.0
TOLERANCIA_REFUERZO = 0.20


class _Revertir(Exception):
    """Leaves the generated years out of the database."""


class Command(BaseCommand):
    help = (
        "Genera dos años de un proceso declarado (llegadas, personal por paso, tiempos de "
        "servicio, correcciones), ajusta el motor de capacidad en el primero y comprueba: que "
        "recupera los tiempos de servicio, que predice el p90 semanal de cada área del segundo "
        "dentro de un día hábil y que su refuerzo recomendado, aplicado en el generador, cumple "
        "el estándar y no pasa en más del 20 % al mínimo suficiente. No deja nada en la base."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anio",
            type=int,
            help="Primer año generado (por omisión, dos antes del primer ejercicio de la base).",
        )
        parser.add_argument("--semilla", type=int, default=60)
        parser.add_argument(
            "--corridas", type=int, default=40, help="Corridas del generador por esperanza."
        )
        parser.add_argument(
            "--semillas", type=int, default=20, help="Corridas del motor por esperanza."
        )

    def handle(self, *args, **options):
        if not settings.DICTAMENES_PERMITIR_DEMO:
            raise CommandError(
                "capacidad_validar escribe (y revierte) años generados con las cuentas y la "
                "e.firma de demostración: este entorno no lo permite (DJANGO_PERMITIR_DEMO)."
            )
        if options["corridas"] < 2 or options["semillas"] < 1:
            raise CommandError("--corridas va de 2 en adelante y --semillas de 1 en adelante.")
        primero = options["anio"] or self._anio_libre()
        if Solicitud.objects.filter(ejercicio__in=(primero, primero + 1)).exists():
            raise CommandError(
                f"La base ya tiene solicitudes de {primero} o {primero + 1}: elija con --anio "
                "dos años sin solicitudes."
            )
        self.fallas = []
        try:
            with transaction.atomic():
                self._validar(primero, options)
                raise _Revertir
        except _Revertir:
            pass
        if self.fallas:
            self.stdout.write("\nFuera de tolerancia: " + "; ".join(self.fallas) + ".")
            sys.exit(1)
        self.stdout.write("\nTodo dentro de tolerancia.")

    def _anio_libre(self) -> int:
        primero = Solicitud.objects.aggregate(m=Min("ejercicio"))["m"] or timezone.localdate().year
        return min(primero, timezone.localdate().year) - 2

    def _validar(self, primero: int, options):
        segundo = primero + 1
        hasta = timezone.make_aware(datetime.datetime(segundo + 1, 6, 30, 12))
        generador = Generador(
            anios=2,
            escala=1,
            hasta=hasta,
            semilla=options["semilla"],
            ultimo=segundo,
            nuevos_requirentes=False,
        )
        generador.generar()
        self.g = generador
        self.roster = generador._roster()
        self.mundo = generador.mundo
        self.stdout.write(
            f"Mundo generado: {primero} ({len(generador.casos[primero])} solicitudes) y "
            f"{segundo} ({len(generador.casos[segundo])}); personal por paso: "
            + ", ".join(f"{p} {n}" for p, n in sorted(self.roster.items()))
            + "."
        )
        ajuste = motor.ajustar(anio=primero)
        self._recuperacion(ajuste)
        esperado = self._backtest(ajuste, segundo, options)
        self._recomendacion(ajuste, segundo, options, esperado)

    # --- 1. Recovery ----------------------------------------------------------------------------

    def _recuperacion(self, ajuste):
        escribir = self.stdout.write
        escribir(
            f"\n1. Recuperación: tiempo de trabajo medio por tarea (días hábiles), medido por el "
            f"motor contra el declarado del mundo; tolerancia {ERRORES_ESTANDAR} errores "
            "estándar de la media."
        )
        escribir(
            f"{'paso':<34} {'mundo':>6} {'motor':>6} {'tareas':>7} {'tol.':>6} {'personas':>9}"
        )
        for paso in self.mundo.pasos():
            media = self.mundo.media(paso)
            medido = ajuste.pasos.get(paso)
            if medido is None:
                self.fallas.append(f"el motor no midió {paso}")
                continue
            n = len(medido.servicios)
            tolerancia = ERRORES_ESTANDAR * media / math.sqrt(self.mundo.forma * n)
            personas = sorted(set(medido.personal.values()))
            bien = abs(medido.media - media) <= tolerancia and personas == [self.roster[paso]]
            if not bien:
                self.fallas.append(f"recuperación de {paso}")
            escribir(
                f"{paso:<34} {media:>6.3f} {medido.media:>6.3f} {n:>7} {tolerancia:>6.3f} "
                f"{'/'.join(map(str, personas)):>9} {'✓' if bien else '✗'}"
            )

    # --- 2. Backtest ----------------------------------------------------------------------------

    def _correr_motor(self, ajuste, anio, llegadas, semillas, prestamos=()):
        escenario = motor.Escenario(
            "backtest",
            asignacion=True,
            personal=tuple((p, m, float(n)) for p, n in self.roster.items() for m in range(1, 13)),
            prestamos=tuple(prestamos),
        )
        reloj = motor.Reloj.del_anio(anio)

        def correr(con):
            return [
                motor.simular(ajuste, con, semilla=s, llegadas=llegadas, reloj=reloj)
                for s in range(semillas)
            ]

        return escenario, correr

    def _mundo_corridas(self, segundo, corridas, prestamos=()):
        """The two years again, `corridas` times, as one process: the same arrivals, each
        request taking its course again; the second year's cases of each run."""
        otro = replace(self.mundo, prestamos=tuple(prestamos))
        g = self.g
        return [
            mundo.simular_anios(
                otro,
                semillas={a: g.semilla * 10_000 + a for a in (segundo - 1, segundo)},
                calendario=g.cal,
                roster=self.roster,
                reloj=g.reloj,
                semilla_trabajo=7_000 + k,
            )[segundo]
            for k in range(corridas)
        ]

    def _semanal_mundo(self, corridas_mundo) -> dict:
        """{(area step, monday): expected p90} and {(monday, area step or None): expected p90}
        in the world: the weeks' arrivals, all and those of each area."""
        por_area, por_semana = [], []
        for casos in corridas_mundo:
            area, semana = defaultdict(list), defaultdict(list)
            for c in casos:
                if c.dias is None:
                    continue
                dia = self.g.reloj.dia(c.presentada)
                lunes = dia - datetime.timedelta(days=dia.weekday())
                semana[(lunes, None)].append(c.dias)
                for clave in c.areas:
                    area[(mundo.paso_area(clave), lunes)].append(c.dias)
                    semana[(lunes, mundo.paso_area(clave))].append(c.dias)
            por_area.append({k: mundo.percentil_90(v) for k, v in area.items()})
            por_semana.append({k: mundo.percentil_90(v) for k, v in semana.items()})
        return _media(por_area), _media(por_semana)

    def _registrado(self, anio) -> dict:
        """{(area step, monday): p90} of the recorded year, read from the database."""
        claves = {str(pk): c for pk, c in Area.objects.values_list("pk", "clave")}
        areas = defaultdict(set)
        for sid, area in Task.objects.filter(
            process__procesodictamen__solicitud__ejercicio=anio,
            flow_task=nodo(Nodo.REVISION_TECNICA),
        ).values_list("process__procesodictamen__solicitud_id", "owner_permission_obj_pk"):
            areas[sid].add(claves[area])
        por = defaultdict(list)
        for sid, presentada, dias in Solicitud.objects.filter(
            ejercicio=anio, dias_habiles_atencion__isnull=False
        ).values_list("pk", "presentada_en", "dias_habiles_atencion"):
            dia = timezone.localtime(presentada).date()
            lunes = dia - datetime.timedelta(days=dia.weekday())
            for clave in areas[sid]:
                por[(mundo.paso_area(clave), lunes)].append(dias)
        return {k: mundo.percentil_90(v) for k, v in por.items()}

    def _backtest(self, ajuste, segundo, options):
        escribir = self.stdout.write
        # The second year's arrivals, after the first year's last two months: December's queue
        # carries into January, in the world as in the office.
        antes = historial_del_anio(anio=segundo - 1).llegadas
        historial = historial_del_anio(anio=segundo)
        llegadas = [
            (d, Via.COMPLETA)
            for d in sorted([*antes.elements(), *historial.llegadas.elements()])
            if d.year == segundo or d.month >= 11
        ]
        self.llegadas = llegadas
        self.semanas = sorted(
            {d - datetime.timedelta(days=d.weekday()) for d, _via in llegadas if d.year == segundo}
        )
        escenario, correr = self._correr_motor(ajuste, segundo, llegadas, options["semillas"])
        resultados = correr(escenario)
        motor_area = {}
        for paso in ajuste.peso_areas:
            for lunes, p90 in refuerzo.p90_esperado(resultados, paso=paso, redondear=False).items():
                motor_area[(paso, lunes)] = p90
        mundo_area, _semanas = self._semanal_mundo(
            self._mundo_corridas(segundo, options["corridas"])
        )
        registrado = self._registrado(segundo)
        escribir(
            f"\n2. Backtest: ajustado en {segundo - 1}, p90 semanal esperado de {segundo} por "
            f"área (con las llegadas y el personal de {segundo}) contra el esperado del mundo "
            f"({options['corridas']} corridas del generador); diferencia media absoluta en días "
            f"hábiles, tolerancia {TOLERANCIA_DIAS:g}. Al lado, contra el año registrado, y la "
            "distancia del propio mundo a ese año (su ruido)."
        )
        escribir(
            f"{'área':<34} {'semanas':>7} {'motor-mundo':>12} {'máx':>5} {'motor-reg.':>11} "
            f"{'mundo-reg.':>11}"
        )
        for paso in sorted(ajuste.peso_areas):
            semanas = sorted(
                lunes
                for (p, lunes) in mundo_area
                if p == paso and (p, lunes) in motor_area and (p, lunes) in registrado
            )
            if not semanas:
                continue
            diferencias = [abs(motor_area[(paso, s)] - mundo_area[(paso, s)]) for s in semanas]
            contra_reg = [abs(motor_area[(paso, s)] - registrado[(paso, s)]) for s in semanas]
            ruido = [abs(mundo_area[(paso, s)] - registrado[(paso, s)]) for s in semanas]
            error = statistics.fmean(diferencias)
            bien = error <= TOLERANCIA_DIAS
            if not bien:
                self.fallas.append(f"backtest de {paso} ({error:.2f} días)")
            escribir(
                f"{paso:<34} {len(semanas):>7} {error:>12.2f} {max(diferencias):>5.0f} "
                f"{statistics.fmean(contra_reg):>11.2f} {statistics.fmean(ruido):>11.2f} "
                f"{'✓' if bien else '✗'}"
            )
        return resultados

    # --- 3. Recommendation ----------------------------------------------------------------------

    def _recomendacion(self, ajuste, segundo, options, resultados):
        escribir = self.stdout.write
        estandar = ConfiguracionVias.objects.vigentes().meta_dias_completa
        escenario, correr = self._correr_motor(ajuste, segundo, self.llegadas, options["semillas"])
        habiles = [d for d in self.g.reloj.dias if d.year == segundo]
        recomendacion = refuerzo.recomendar_semanas(
            escenario=escenario,
            correr=lambda con: resultados if con == escenario else correr(con),
            estandar=estandar,
            pasos=sorted(ajuste.peso_areas),
            ventana=lambda mes: [
                d
                for d in habiles
                if refuerzo.mes_de_semana(d - datetime.timedelta(days=d.weekday()), segundo) == mes
            ],
            semanas=self.semanas,
            anio=segundo,
        )
        prestamos = recomendacion.prestamos
        recomendados = sum(p.dias(habiles) for p in prestamos)
        escribir(
            f"\n3. Recomendación del motor para {segundo} (estándar {estandar} días hábiles "
            "en el p90 de cada semana de llegada, de todas y de las de cada área), aplicada en "
            "el generador:"
        )
        for p in prestamos:
            escribir(
                f"   prestar {p.personas:.0f} a {p.area} del {p.desde:%d/%m} al {p.hasta:%d/%m} "
                f"({p.dias(habiles):.0f} días-revisor)"
            )
        for mes, paso in sorted(recomendacion.sin_alcance.items()):
            escribir(f"   mes {mes}: ningún préstamo basta; esperan en {paso}")
        if not prestamos:
            escribir("   ninguno: el motor no ve semanas fuera del estándar.")
        corridas = options["corridas"]

        def cumple_en_el_mundo(con) -> tuple[bool, int]:
            _area, semanas = self._semanal_mundo(self._mundo_corridas(segundo, corridas, con))
            peor = round(max(semanas.values(), default=0))
            return peor <= estandar, peor

        _sin, peor_sin = cumple_en_el_mundo(())
        basta, peor_con = cumple_en_el_mundo(p.como_tupla() for p in prestamos)
        escribir(
            f"   en el generador: p90 semanal esperado más alto {peor_sin} sin refuerzo, "
            f"{peor_con} con el recomendado ({'cumple' if basta else 'no cumple'})."
        )
        if not basta:
            self.fallas.append("el refuerzo recomendado no cumple en el generador")
            return
        if not prestamos:
            return

        # The least that meets the standard in the generator: the same loans, shortened
        # together to a share of their business days, by bisection.
        def acortados(parte: float):
            lista = []
            for p in prestamos:
                dias = [d for d in habiles if p.desde <= d <= p.hasta]
                n = math.ceil(parte * len(dias) - 1e-9)
                if n:
                    lista.append(replace(p, hasta=dias[n - 1]))
            return lista

        if _sin:
            minimo = 0.0  # the world meets the standard without any loan
        else:
            bajo, alto = 0.0, 1.0
            for _paso in range(10):
                medio = (bajo + alto) / 2
                if cumple_en_el_mundo(p.como_tupla() for p in acortados(medio))[0]:
                    alto = medio
                else:
                    bajo = medio
            minimo = sum(p.dias(habiles) for p in acortados(alto))
        diferencia = (recomendados - minimo) / recomendados
        bien = diferencia <= TOLERANCIA_REFUERZO
        if not bien:
            self.fallas.append(
                f"el recomendado pasa al mínimo del generador en {100 * diferencia:.0f} %"
            )
        escribir(
            f"   recomendado {recomendados:.0f} días-revisor; mínimo suficiente en el generador "
            f"{minimo:.0f} (los mismos préstamos acortados juntos); diferencia "
            f"{100 * diferencia:.1f} %, tolerancia {100 * TOLERANCIA_REFUERZO:.0f} % "
            f"{'✓' if bien else '✗'}"
        )


def _media(por_corrida: list[dict]) -> dict:
    valores = defaultdict(list)
    for corrida in por_corrida:
        for llave, v in corrida.items():
            if v is not None:
                valores[llave].append(v)
    return {llave: statistics.fmean(v) for llave, v in valores.items()}
