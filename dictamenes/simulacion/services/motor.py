"""A year of arrivals replayed with what the record says, to measure what planning,
load-weighted assignment and one more reviewer would buy. Deterministic for a seed; the
database is read once (simulacion.selectors.registro_anual), the simulation runs in memory.

The model learns from the recorded year (`ajustar`):
- each step's business days (admission, each area's review, the strategic review, the
  signature), by the load of the person who did it: how many of that step's tasks that person
  got among the requests that arrived in the same month. The record's busy months teach what
  a heavy load costs, its quiet months what a light one costs;
- the staff available: the distinct people who did each step, per month of arrival;
- the share of prevenciones (and of those, the desechadas), the number of areas per request
  and each area's share, the share of information requests and the days they paused the clock.

A simulated request draws its course with those shares; each of its tasks goes to a person of
the step (at random, as the record was assigned, or to the least loaded one), and once every
task has its person, each task's days are drawn from the recorded tasks done under the nearest
load. Its days of attention are what the Subsecretaría's clock counts (as
estados.dias_de_atencion): admission, the slowest area less its pause, the strategic review and
the signature; the time with the requirente is not counted.

The model is checked first (`comprobar`): the recorded year, replayed, must give the record's
median and p90 within 20 %. Only then are scenarios worth comparing.

The fast track (issue 36) is a scenario too: simulacion_vias gives each recorded arrival the
track the rule gives it (ViaRapida), and `simular` sends the fast ones through one review.
"""

import bisect
import datetime
import math
import random
import statistics
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from django.utils.translation import gettext_lazy as _

from dictamenes.models.vias import Via
from dictamenes.organizacion.selectors.calendario import Calendario
from dictamenes.simulacion.selectors.registro_anual import (
    ATENCION,
    Historial,
    area_del_paso,
    es_paso_de_area,
    historial_del_anio,
    paso_de_area,
)

# Figures of the demo's imported years and their monthly pattern (the history generators use
# them): most requests come at the end of the year.
ATENDIDAS = {2023: 427, 2024: 794}
PESO_MENSUAL = [3, 4, 5, 5, 6, 6, 5, 7, 9, 12, 17, 21]

TOLERANCIA = 0.20
ERROR_SIN_REGISTRO = _("No hay solicitudes atendidas en {anio}: no hay registro del que aprender.")
ERROR_AREA_SIN_REGISTRO = _("El área «{area}» no tiene revisiones registradas en {anio}.")


@dataclass(frozen=True)
class Escenario:
    nombre: str
    planeacion: bool = False
    asignacion: bool = False
    refuerzo: str | None = None  # the step of the area that gets one more reviewer
    meses_refuerzo: tuple[int, ...] = ()
    via_rapida: bool = False  # the requests the track rule sends fast take the fast track
    # Capacity (issue 50): ((step, month, people), ...) that a step has that month instead of
    # the record's, and ((step, month, people), ...) added to it; fractions allowed (reviewer-
    # days / business days of the month).
    personal: tuple[tuple[str, int, float], ...] = ()
    personas_extra: tuple[tuple[str, int, float], ...] = ()


COMO_SE_REGISTRO = Escenario(_("Como se registró"))


@dataclass(frozen=True)
class ViaRapida:
    """The fast track as the simulation applies it (simulacion_vias builds it): the track of
    each recorded arrival, in the order of the record's arrivals, and what a fast-track step
    weighs against the full one, in time and in load: its deadline's share of the full one."""

    vias: tuple[str, ...]
    revision: float  # the single review's deadline / one area review's
    estrategica: float  # the strategic review's fast deadline / its full one
    plazo: int  # the fast track's deadlines, summed


def percentil_90(dias: list[int]) -> int:
    """The same percentile as the indicators page (indicadores._percentil)."""
    orden = sorted(dias)
    return orden[min(int(0.9 * len(orden)), len(orden) - 1)]


@dataclass
class Resultado:
    escenario: Escenario
    dias: list[int] = field(default_factory=list)
    plazo: int = 12
    # Per request, beside its days: month of arrival, its deadlines summed, its track and how
    # many technical reviews it made.
    meses: list[int] = field(default_factory=list)
    plazos: list[int] = field(default_factory=list)
    vias: list[str] = field(default_factory=list)
    revisiones: list[int] = field(default_factory=list)
    # Per request, too: the day it arrived and its area steps (none in a record without steps).
    llegadas: list[datetime.date] = field(default_factory=list)
    areas: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def mediana(self) -> float:
        return statistics.median(self.dias)

    @property
    def p90(self) -> int:
        return percentil_90(self.dias)

    @property
    def fuera_de_plazo(self) -> float:
        """Share of requests that took longer than their own track's deadlines."""
        plazos = self.plazos or [self.plazo] * len(self.dias)
        return 100 * sum(d > p for d, p in zip(self.dias, plazos, strict=True)) / len(self.dias)

    @property
    def rapidas(self) -> int:
        return sum(v == Via.RAPIDA for v in self.vias)

    def en_meses(self, meses: tuple[int, ...]) -> "Resultado":
        """The requests that arrived in `meses` (the year-end rush)."""
        return self.de([i for i, mes in enumerate(self.meses) if mes in meses])

    def de(self, dentro: list[int]) -> "Resultado":
        """The requests at positions `dentro`."""
        return Resultado(
            self.escenario,
            dias=[self.dias[i] for i in dentro],
            plazo=self.plazo,
            meses=[self.meses[i] for i in dentro],
            plazos=[self.plazos[i] for i in dentro],
            vias=[self.vias[i] for i in dentro],
            revisiones=[self.revisiones[i] for i in dentro],
            llegadas=[self.llegadas[i] for i in dentro] if self.llegadas else [],
            areas=[self.areas[i] for i in dentro] if self.areas else [],
        )


@dataclass
class _Paso:
    """One step as recorded: per month, how many people did it; per load, the days it took."""

    personal: dict[int, int]  # month of arrival -> distinct people
    cargas: list[int]  # the recorded loads, sorted
    dias: dict[int, Counter]  # load -> Counter(business days -> tasks)

    def personas(self, mes: int) -> int:
        return self.personal.get(mes) or max(self.personal.values(), default=1)

    def dias_con_carga(self, carga: float) -> Counter:
        """The days of the recorded tasks done under the load nearest `carga` (the record does
        not say what a heavier load than its heaviest would cost: it gives that one).

        Below the lightest recorded load the record says nothing either, and more reviewers
        (issue 50) bring the load there: the lightest load's days shrink in proportion to the
        load (Little's law: with the same work per task, the time a task waits behind the
        others is the queue over the pace), never below one day for a task that took any."""
        ligera = self.cargas[0]
        if carga < ligera:
            proporcion = carga / ligera
            escalados: Counter = Counter()
            for dias, n in self.dias[ligera].items():
                escalados[math.ceil(dias * proporcion)] += n
            return escalados
        i = bisect.bisect_left(self.cargas, carga)
        vecinas = self.cargas[max(i - 1, 0) : i + 1]
        return self.dias[min(vecinas, key=lambda c: (abs(c - carga), c))]


@dataclass
class Ajuste:
    """The model's parameters, fitted from one recorded year."""

    historial: Historial
    pasos: dict[str, _Paso]
    parte_prevenciones: float
    parte_desechadas: float  # of the prevenidas
    parte_peticiones: float  # of the requests reviewed by the areas
    areas_por_solicitud: Counter
    peso_areas: dict[str, int]  # area step -> recorded tasks

    @property
    def por_tramite_completo(self) -> bool:
        return ATENCION in self.pasos

    def area_mas_cargada(self) -> str | None:
        return max(self.peso_areas, key=self.peso_areas.get, default=None)


@dataclass(frozen=True)
class Comprobacion:
    registrado_mediana: float
    registrado_p90: float
    simulado: Resultado

    @property
    def error_mediana(self) -> float:
        return abs(self.simulado.mediana - self.registrado_mediana) / self.registrado_mediana

    @property
    def error_p90(self) -> float:
        return abs(self.simulado.p90 - self.registrado_p90) / self.registrado_p90

    @property
    def reproduce(self) -> bool:
        return max(self.error_mediana, self.error_p90) <= TOLERANCIA


def _parte(parte: int, todo: int) -> float:
    return parte / todo if todo else 0.0


def ajustar(*, anio: int) -> Ajuste:
    """The model's parameters from the record of fiscal year `anio`."""
    historial = historial_del_anio(anio=anio)
    if not historial.atendidas:
        raise ValueError(str(ERROR_SIN_REGISTRO).format(anio=anio))
    por_paso: dict[str, dict] = {}
    for (paso, persona, mes), dias in historial.celdas.items():
        por_paso.setdefault(paso, {})[(persona, mes)] = dias
    pasos = {}
    for paso, celdas in por_paso.items():
        personal = Counter(mes for _persona, mes in celdas)
        por_carga: dict[int, Counter] = {}
        for dias in celdas.values():
            por_carga.setdefault(dias.total(), Counter()).update(dias)
        pasos[paso] = _Paso(dict(personal), sorted(por_carga), por_carga)
    revisadas = historial.areas_por_solicitud.total()
    return Ajuste(
        historial=historial,
        pasos=pasos,
        parte_prevenciones=_parte(historial.prevenidas, historial.presentadas),
        parte_desechadas=_parte(historial.desechadas_prevenidas, historial.prevenidas),
        parte_peticiones=_parte(historial.con_peticion, revisadas),
        areas_por_solicitud=historial.areas_por_solicitud,
        peso_areas={
            paso: sum(d.total() for d in p.dias.values())
            for paso, p in pasos.items()
            if es_paso_de_area(paso)
        },
    )


def _elegir(azar: random.Random, conteo: Counter):
    claves = sorted(conteo)
    return azar.choices(claves, weights=[conteo[c] for c in claves])[0]


def _llegadas(
    ajuste: Ajuste, escenario: Escenario, azar, parte_planeada: float, rapida: ViaRapida | None
) -> list[tuple[datetime.date, str]]:
    """The recorded arrivals, each with its track; with planning, the share announced in the
    annual programme arrives on a business day from January to October instead."""
    anio = ajuste.historial.anio
    llegadas = sorted(ajuste.historial.llegadas.elements())
    vias = rapida.vias if escenario.via_rapida else (Via.COMPLETA,) * len(llegadas)
    pares = list(zip(llegadas, vias, strict=True))
    if not escenario.planeacion:
        return pares
    cal = Calendario.cargar(datetime.date(anio, 1, 1), datetime.date(anio, 12, 31))
    habiles = [
        datetime.date(anio, 1, 1) + datetime.timedelta(days=i)
        for i in range((datetime.date(anio, 10, 31) - datetime.date(anio, 1, 1)).days + 1)
    ]
    habiles = [d for d in habiles if cal.es_habil(d)]
    movidas = [
        (azar.choice(habiles) if azar.random() < parte_planeada else d, via) for d, via in pares
    ]
    return sorted(movidas, key=itemgetter(0))


def _ruta(ajuste: Ajuste, azar) -> tuple[list[str], list[str]]:
    """A request's steps in the Subsecretaría, in order, and which of them are area reviews."""
    if ajuste.por_tramite_completo:
        return [ATENCION], []
    pasos = ["admision"]
    if azar.random() < ajuste.parte_prevenciones:
        if azar.random() < ajuste.parte_desechadas:
            return pasos, []
        pasos.append("admision")  # admitted again once corrected
    n = min(_elegir(azar, ajuste.areas_por_solicitud), len(ajuste.peso_areas))
    areas: list[str] = []
    while len(areas) < n:
        resto = Counter({a: p for a, p in ajuste.peso_areas.items() if a not in areas})
        areas.append(_elegir(azar, resto))
    return [*pasos, *areas, "revision_estrategica", "firma"], areas


def simular(
    ajuste: Ajuste,
    escenario: Escenario,
    *,
    semilla: int = 7,
    parte_planeada: float = 0.6,
    rapida: ViaRapida | None = None,
    llegadas: list[tuple[datetime.date, str]] | None = None,
) -> Resultado:
    """`llegadas` (issue 50): the arrivals and their tracks to simulate instead of the
    record's (a forecast year), learning the times from the record all the same.

    A request on the fast track makes ONE technical review, by one reviewer from the pooled
    reviewers of its areas (at random, or the least loaded with assignment by load), instead
    of one per area; that review and the strategic review weigh their deadlines' share of the
    full ones, in days and in load. Admission and signature stay as they are. A record
    without steps (one whole procedure) weighs the fast track's deadlines against the full
    track's, summed."""
    if escenario.via_rapida and rapida is None:
        raise ValueError("El escenario de la vía rápida necesita la vía de cada solicitud.")
    # One stream per kind of draw, so that scenarios differ by what they change, not by noise
    # (common random numbers): the same requests take the same course in every scenario.
    azar, azar_plan, azar_persona, azar_dias = (
        random.Random(f"{semilla}-{uso}")  # noqa: S311 - a reproducible simulation
        for uso in ("ruta", "plan", "persona", "dias")
    )
    cargas: dict[tuple[str, int], list[float]] = {}  # (step, month) -> tasks per person
    # What one task weighs in a person's load when the step's people are not whole (a
    # reinforcement of some reviewer-days): the whole people share the tasks, and each one's
    # load counts in the proportion of whole people to people.
    factores: dict[tuple[str, int], float] = {}
    propio = {(p, m): n for p, m, n in escenario.personal}
    extra: Counter = Counter()
    for p, m, n in escenario.personas_extra:
        extra[(p, m)] += n
    for m in escenario.meses_refuerzo:
        extra[(escenario.refuerzo, m)] += 1

    def carga_de(paso: str, mes: int) -> list[float]:
        carga = cargas.get((paso, mes))
        if carga is None:
            personas = propio.get((paso, mes), ajuste.pasos[paso].personas(mes))
            personas = max(personas + extra[(paso, mes)], 0.1)
            enteras = max(int(personas), 1)
            factores[(paso, mes)] = enteras / personas
            carga = cargas[(paso, mes)] = [0] * enteras
        return carga

    plazo_completo = ajuste.historial.plazo
    solicitudes = []
    if llegadas is None:
        llegadas = _llegadas(ajuste, escenario, azar_plan, parte_planeada, rapida)
    for llegada, via in llegadas:
        mes = llegada.month
        pasos, areas = _ruta(ajuste, azar)
        es_rapida = via == Via.RAPIDA
        pesos = dict.fromkeys(pasos, 1)
        if es_rapida:
            if ajuste.por_tramite_completo:
                pesos[ATENCION] = rapida.plazo / plazo_completo
            pesos["revision_estrategica"] = rapida.estrategica
        tareas = []
        for paso in pasos:
            if paso in areas and es_rapida:
                if paso != areas[0]:
                    continue  # the single review, at the first area's place, stands for all
                # The shared queue of its areas: every reviewer of each of them this month.
                cola = [(a, i) for a in areas for i in range(len(carga_de(a, mes)))]
                if escenario.asignacion:
                    paso, persona = min(cola, key=lambda ai: cargas[(ai[0], mes)][ai[1]])
                else:
                    paso, persona = cola[azar_persona.randrange(len(cola))]
                carga, peso = cargas[(paso, mes)], rapida.revision
            else:
                carga, peso = carga_de(paso, mes), pesos[paso]
                if escenario.asignacion:
                    persona = carga.index(min(carga))
                else:
                    persona = azar_persona.randrange(len(carga))
            carga[persona] += peso
            tareas.append((paso, carga, persona, peso, factores[(paso, mes)]))
        solicitudes.append((tareas, areas, mes, via, es_rapida, llegada))
    resultado = Resultado(escenario, plazo=plazo_completo)
    for tareas, areas, mes, via, es_rapida, llegada in solicitudes:
        total, mas_lenta, revisiones = 0, 0, 0
        for paso, carga, persona, peso, factor in tareas:
            dias = _elegir(azar_dias, ajuste.pasos[paso].dias_con_carga(carga[persona] * factor))
            if peso != 1:
                dias = math.ceil(dias * peso)
            if paso in areas:
                revisiones += 1
                if ajuste.historial.pausas and azar_dias.random() < ajuste.parte_peticiones:
                    dias = max(dias - _elegir(azar_dias, ajuste.historial.pausas), 0)
                mas_lenta = max(mas_lenta, dias)
            else:
                total += dias
        resultado.dias.append(total + mas_lenta)
        resultado.meses.append(mes)
        resultado.plazos.append(rapida.plazo if es_rapida else plazo_completo)
        resultado.vias.append(via)
        resultado.revisiones.append(revisiones)
        resultado.llegadas.append(llegada)
        resultado.areas.append(tuple(areas))
    return resultado


def comprobar(ajuste: Ajuste, *, semilla: int = 7) -> Comprobacion:
    """The recorded year replayed with the fitted parameters, against the record."""
    return Comprobacion(
        registrado_mediana=ajuste.historial.mediana,
        registrado_p90=ajuste.historial.p90,
        simulado=simular(ajuste, COMO_SE_REGISTRO, semilla=semilla),
    )


def escenarios(ajuste: Ajuste, *, area: str | None, meses: tuple[int, ...]) -> list[Escenario]:
    """The scenarios the record can answer: planning always; assignment and one more reviewer
    only when the record says who did each area's reviews."""
    lista = [Escenario(str(_("Planeación")), planeacion=True)]
    if ajuste.por_tramite_completo:
        return lista
    paso = paso_de_area(area) if area else ajuste.area_mas_cargada()
    if paso not in ajuste.peso_areas:
        raise ValueError(str(ERROR_AREA_SIN_REGISTRO).format(area=area, anio=ajuste.historial.anio))
    meses_texto = ", ".join(str(m) for m in meses)
    return [
        *lista,
        Escenario(str(_("Asignación por carga")), asignacion=True),
        Escenario(str(_("Planeación y asignación")), planeacion=True, asignacion=True),
        Escenario(
            str(_("Un revisor más en {area} (meses {meses})")).format(
                area=area_del_paso(paso), meses=meses_texto
            ),
            refuerzo=paso,
            meses_refuerzo=meses,
        ),
    ]
