"""The world the history is drawn from: a stated queueing process whose parameters are the
ground truth against which the capacity engine is validated.

Requests arrive, and each step of the procedure is served by its staff, one task at a time
per person, in the order the requests were presented; a person never drops a task for another.
Service times are gamma draws around a stated mean per step, in business days of work. The
clock counts business days: t = index of the business day + the fraction of the working day
(calendario.JORNADA_INICIO to JORNADA_FIN) gone by, so every moment the world writes falls in
the working day of a business day.

Pure Python on purpose: it shares nothing with the engine it checks (it imports nothing from
dictamenes.simulacion, capacidad or planeacion), and it computes the days of attention the way
the system counts them, with its own code: business days from presentation to attention, less
the days the request waited on the requirente.
"""

from __future__ import annotations

import dataclasses
import datetime
import heapq
import math
import random
from collections import defaultdict

from dictamenes.organizacion.selectors.calendario import JORNADA_FIN, JORNADA_INICIO

# Figures of the demo's imported years (Sonora's annual reports) and their monthly pattern:
# most requests come at the end of the year.
ATENDIDAS = {2023: 427, 2024: 794}
PESO_MENSUAL = [3, 4, 5, 5, 6, 6, 5, 7, 9, 12, 17, 21]
CRECIMIENTO = 1.04  # requests per year grow about 4 % a year after 2024

ADMISION = "admision"
SUBSANAR = "subsanar"
ESTRATEGICA = "revision_estrategica"
FIRMA = "firma"
PREFIJO_AREA = "revision_tecnica:"

# Per area of the demo: (weight in the choice of areas, mean service in business days of work).
# Computo and software are the busiest; the rarer areas review more slowly. Tuned with the demo's
# staff (one person per step) and 2024's 794 requests: the p90 of the days of attention is 2-3
# in January to September; December's queue at computo and software takes the weekly p90 above
# 20 (ConfiguracionVias.meta_dias_completa); one more reviewer in each of those two areas in
# November and December brings December back to about 3-7. Any slower service lifts the quiet
# months little and saturates the one person of a step that nobody reinforces in December.
AREAS = {
    "computo": (36, 0.5),
    "software": (28, 0.6),
    "infraestructura": (14, 0.55),
    "redes": (12, 0.65),
    "seguridad": (10, 0.7),
}
AREA_OMISION = (10, 0.6)  # an area the demo does not have


def paso_area(clave: str) -> str:
    return f"{PREFIJO_AREA}{clave}"


def percentil_90(valores) -> int | None:
    """The p90 the indicators use: sorted[min(int(0.9 n), n - 1)]."""
    valores = sorted(valores)
    if not valores:
        return None
    return valores[min(int(0.9 * len(valores)), len(valores) - 1)]


class Reloj:
    """The business clock: t = business-day index + (time − JORNADA_INICIO) / the working day."""

    def __init__(self, calendario, *, desde: datetime.date, hasta: datetime.date):
        self.dias = []
        fecha = desde
        while fecha <= hasta:
            if calendario.es_habil(fecha):
                self.dias.append(fecha)
            fecha += datetime.timedelta(days=1)
        self.indice = {fecha: i for i, fecha in enumerate(self.dias)}
        self._meses: dict[tuple[int, int], list[int]] = {}
        inicio = datetime.datetime.combine(desde, JORNADA_INICIO)
        self.jornada = (datetime.datetime.combine(desde, JORNADA_FIN) - inicio).total_seconds()

    def dia(self, t: float) -> datetime.date:
        return self.dias[math.floor(t)]

    def momento(self, t: float, zona=None) -> datetime.datetime:
        """The moment of clock time t, inside the working day of its business day."""
        dia = math.floor(t)
        segundos = min((t - dia) * self.jornada, self.jornada - 1e-6)
        inicio = datetime.datetime.combine(self.dias[dia], JORNADA_INICIO, tzinfo=zona)
        return inicio + datetime.timedelta(microseconds=int(segundos * 1e6))

    def t(self, momento: datetime.datetime) -> float:
        """The clock time of a moment in a working day of a business day."""
        inicio = datetime.datetime.combine(momento.date(), JORNADA_INICIO, tzinfo=momento.tzinfo)
        return self.indice[momento.date()] + (momento - inicio).total_seconds() / self.jornada

    def habiles_del_mes(self, anio: int, mes: int) -> list[int]:
        if not self._meses:
            for i, d in enumerate(self.dias):
                self._meses.setdefault((d.year, d.month), []).append(i)
        return self._meses.get((anio, mes), [])


@dataclasses.dataclass(frozen=True)
class Mundo:
    """The stated process: arrivals (`llegadas`, spread over the months by PESO_MENSUAL, a day
    uniform among the month's business days, a moment uniform in its working day); the route
    (one area, or two with probability `dos_areas`, drawn by weight without repeating; the areas
    in parallel, then the strategic review, then the signature); the prevención after the first
    admission (`prevenidas`), answered after uniform(`subsanar`) business days and admitted
    again in the mesa's queue, or not answered (`desechadas` of them) and the request desechada
    the business day after its `plazo_subsanar`; and each step's service time, gamma of shape
    `forma` around the step's mean (`medias`, `areas`), in business days of work."""

    escala: float = 1.0
    medias: tuple = ((ADMISION, 0.08), (ESTRATEGICA, 0.09), (FIRMA, 0.07))
    areas: tuple = tuple((clave, peso, media) for clave, (peso, media) in AREAS.items())
    forma: float = 2.0
    dos_areas: float = 0.30
    prevenidas: float = 0.10
    desechadas: float = 0.55  # of the prevenidas: the requirente does not answer in time
    subsanar: tuple = (1.0, 5.0)  # the requirente's time to answer, uniform, business days
    plazo_subsanar: int = 5  # business days to answer; desechada the next business day
    # (step, month) -> extra people that month; a fraction f works at rate f.
    refuerzo: dict = dataclasses.field(default_factory=dict)
    # ((step, from, to, people), ...): people lent to a step on the business days from one date
    # to another, both included; a fraction f works at rate f.
    prestamos: tuple = ()

    def con_areas(self, claves) -> Mundo:
        """The same world with exactly these areas (the demo's stated figures, or the default)."""
        propias = {clave: (peso, media) for clave, peso, media in self.areas}
        return dataclasses.replace(
            self, areas=tuple((c, *propias.get(c, AREA_OMISION)) for c in sorted(claves))
        )

    def llegadas(self, anio: int) -> int:
        base = ATENDIDAS.get(anio) or round(ATENDIDAS[2024] * CRECIMIENTO ** (anio - 2024))
        return round(base * self.escala)

    def media(self, paso: str) -> float:
        if paso.startswith(PREFIJO_AREA):
            return {paso_area(c): m for c, _, m in self.areas}[paso]
        return dict(self.medias)[paso]

    def pasos(self) -> list[str]:
        return [ADMISION, *(paso_area(c) for c, _, _ in self.areas), ESTRATEGICA, FIRMA]


@dataclasses.dataclass
class TareaMundo:
    paso: str
    persona: int | None  # None: the requirente's own time (subsanar)
    lista: float
    inicio: float | None = None
    fin: float | None = None


@dataclasses.dataclass
class CasoMundo:
    orden: int  # order of presentation in the year
    presentada: float
    areas: tuple[str, ...]
    prevenida: bool
    desechada: bool
    tareas: list[TareaMundo] = dataclasses.field(default_factory=list)
    prevencion: float | None = None
    subsanacion: float | None = None
    atendida: float | None = None
    dias: int | None = None
    # Drawn at presentation (common random numbers across worlds): work per task, in order.
    _trabajo: dict = dataclasses.field(default_factory=dict, repr=False)
    _pendientes: int = 0

    def tarea(self, paso: str, vez: int = 0) -> TareaMundo:
        return [t for t in self.tareas if t.paso == paso][vez]


class _Persona:
    def __init__(self, indice: int, libre: float, tasas: dict | None = None, ventana=None):
        self.indice, self.libre = indice, libre
        self.tasas = tasas  # None: always at rate 1; else (year, month) -> rate
        self.ventana = ventana  # (from, to, rate): lent on those days only

    def tasa(self, dia: datetime.date) -> float:
        if self.ventana is not None:
            desde, hasta, tasa = self.ventana
            return tasa if desde <= dia <= hasta else 0.0
        if self.tasas is None:
            return 1.0
        return self.tasas.get((dia.year, dia.month), 0.0)


def simular(
    mundo: Mundo,
    *,
    anio: int,
    calendario,
    semilla: int,
    roster: dict[str, int],
    libres: dict | None = None,
    reloj: Reloj | None = None,
    semilla_trabajo: int | None = None,
) -> list[CasoMundo]:
    """The requests of fiscal year `anio` through the process, every one to its end (one
    year of `simular_anios`).

    `libres`: (step, person index) -> clock time the person is free; read and updated: a
    person busy past the year's start begins there (a year simulated alone; for consecutive
    years, `simular_anios` runs them as one process)."""
    return simular_anios(
        mundo,
        semillas={anio: semilla},
        calendario=calendario,
        roster=roster,
        libres=libres,
        reloj=reloj,
        semilla_trabajo=semilla_trabajo,
    )[anio]


def simular_anios(
    mundo: Mundo,
    *,
    semillas: dict[int, int],
    calendario,
    roster: dict[str, int],
    libres: dict | None = None,
    reloj: Reloj | None = None,
    semilla_trabajo: int | None = None,
) -> dict[int, list[CasoMundo]]:
    """The requests of the fiscal years of `semillas` (each year's arrivals drawn from its own
    seed) through the process as ONE process, every one to its end: December's queue carries
    into January, and a person free between last year's tasks takes this year's meanwhile.

    `roster`: people per step (ADMISION, paso_area(clave), ESTRATEGICA, FIRMA).
    `reloj`: the business clock (by default one over the calendar's period).
    `semilla_trabajo`: draw each request's course (its areas, its prevención, the work of each
    task) from a stream of its own per year, so that the same arrivals take other courses: the
    world's noise around what those arrivals make."""
    anios = sorted(semillas)
    reloj = reloj or reloj_de(calendario, anios[0])
    libres = {} if libres is None else libres
    por_anio, orden = {}, 0
    for anio in anios:
        azar = random.Random(semillas[anio])  # noqa: S311 - a stated random world, not security
        trabajo = (
            None if semilla_trabajo is None else random.Random(f"{semilla_trabajo}-{anio}")  # noqa: S311
        )
        if len(anios) == 1 and semilla_trabajo is not None:
            trabajo = random.Random(semilla_trabajo)  # noqa: S311 - as one year always drew it
        casos = _llegadas(mundo, anio, azar, reloj, trabajo)
        for caso in casos:  # the order of presentation runs across the years
            caso.orden += orden
        orden += len(casos)
        por_anio[anio] = casos
    casos = [c for anio in anios for c in por_anio[anio]]
    personal = _personal(mundo, anios, roster, libres, reloj)
    eventos: list = []
    contador = iter(range(10**12))

    def evento(t, tipo, *datos):
        heapq.heappush(eventos, (t, next(contador), tipo, datos))

    colas = defaultdict(list)

    def lista(caso, paso, t):
        tarea = TareaMundo(paso=paso, persona=None, lista=t)
        caso.tareas.append(tarea)
        if paso == SUBSANAR:
            tarea.inicio = t
            if caso.desechada:
                tarea.fin = float(math.floor(t) + mundo.plazo_subsanar + 1)
            else:
                tarea.fin = t + caso._trabajo[SUBSANAR]
            evento(tarea.fin, "fin", caso, tarea)
            return
        heapq.heappush(colas[paso], (caso.orden, next(contador), caso, tarea))
        evento(t, "despachar", paso)

    def despachar(paso, ahora):
        cola, gente = colas[paso], personal[paso]
        while cola:
            dia = reloj.dia(ahora)
            libre = next((p for p in gente if p.libre <= ahora and p.tasa(dia) > 0), None)
            if libre is None:
                return
            _, _, caso, tarea = heapq.heappop(cola)
            trabajo = caso._trabajo[paso].pop(0)
            tarea.persona, tarea.inicio = libre.indice, ahora
            tarea.fin = libre.libre = ahora + trabajo / libre.tasa(dia)
            evento(tarea.fin, "fin", caso, tarea)
            evento(tarea.fin, "despachar", paso)

    def fin(caso, tarea):
        t = tarea.fin
        if tarea.paso == ADMISION:
            if caso.prevenida and caso.prevencion is None:
                caso.prevencion = t
                lista(caso, SUBSANAR, t)
                return
            caso._pendientes = len(caso.areas)
            for clave in caso.areas:
                lista(caso, paso_area(clave), t)
        elif tarea.paso == SUBSANAR:
            if caso.desechada:
                _atender(caso, t)
                return
            caso.subsanacion = t
            lista(caso, ADMISION, t)
        elif tarea.paso.startswith(PREFIJO_AREA):
            caso._pendientes -= 1
            if caso._pendientes == 0:
                lista(caso, ESTRATEGICA, t)
        elif tarea.paso == ESTRATEGICA:
            lista(caso, FIRMA, t)
        else:
            _atender(caso, t)

    for caso in casos:
        evento(caso.presentada, "llega", caso)
    # A person still busy with last year's queue takes this year's as soon as they are free.
    for paso, gente in personal.items():
        for persona in gente:
            evento(persona.libre, "despachar", paso)
    # Reinforcements start at the first business day of their month: queued work waits for them.
    for paso, mes in mundo.refuerzo:
        for anio in anios:
            for dia in reloj.habiles_del_mes(anio, mes)[:1]:
                evento(float(dia), "despachar", paso)
    for paso, desde, _hasta, _n in mundo.prestamos:
        evento(float(_indice_desde(reloj, desde)), "despachar", paso)
    while eventos:
        t, _, tipo, datos = heapq.heappop(eventos)
        if tipo == "llega":
            lista(datos[0], ADMISION, t)
        elif tipo == "fin":
            fin(*datos)
        else:
            despachar(datos[0], t)
    for paso, gente in personal.items():
        for persona in gente:
            libres[(paso, persona.indice)] = persona.libre
    return por_anio


def reloj_de(calendario, anio: int) -> Reloj:
    desde, hasta = calendario.periodo or (
        datetime.date(anio - 1, 1, 1),
        datetime.date(anio + 2, 12, 31),
    )
    return Reloj(calendario, desde=desde, hasta=hasta)


def _atender(caso: CasoMundo, t: float) -> None:
    """Attended at t: the days as the system counts them (business days from presentation to
    attention, less those between the prevención and the answer, or the end if none came)."""
    caso.atendida = t
    dias = math.floor(t) - math.floor(caso.presentada)
    if caso.prevencion is not None:
        respuesta = caso.subsanacion if caso.subsanacion is not None else t
        dias -= math.floor(respuesta) - math.floor(caso.prevencion)
    caso.dias = max(dias, 0)


def _indice_desde(reloj: Reloj, fecha: datetime.date) -> int:
    """The business day `fecha` is, or the next one."""
    return next(i for i, d in enumerate(reloj.dias) if d >= fecha)


def _llegadas(
    mundo: Mundo, anio: int, azar: random.Random, reloj: Reloj, otro=None
) -> list[CasoMundo]:
    claves = [c for c, _, _ in mundo.areas]
    pesos = [p for _, p, _ in mundo.areas]
    n = mundo.llegadas(anio)
    momentos = []
    for mes in azar.choices(range(1, 13), weights=PESO_MENSUAL, k=n):
        momentos.append(azar.choice(reloj.habiles_del_mes(anio, mes)) + azar.random())
    casos = []
    fuente = otro or azar
    for orden, t in enumerate(sorted(momentos)):
        k = 1 if fuente.random() >= mundo.dos_areas or len(claves) < 2 else 2
        areas = []
        while len(areas) < k:
            clave = fuente.choices(claves, weights=pesos)[0]
            if clave not in areas:
                areas.append(clave)
        prevenida = fuente.random() < mundo.prevenidas
        caso = CasoMundo(
            orden=orden,
            presentada=t,
            areas=tuple(areas),
            prevenida=prevenida,
            desechada=prevenida and fuente.random() < mundo.desechadas,
        )
        trabajo = {
            paso: [_gamma(fuente, mundo, paso)]
            for paso in (ADMISION, *(paso_area(c) for c in areas), ESTRATEGICA, FIRMA)
        }
        trabajo[ADMISION].append(_gamma(fuente, mundo, ADMISION))  # after a prevención
        trabajo[SUBSANAR] = fuente.uniform(*mundo.subsanar)
        caso._trabajo = trabajo
        casos.append(caso)
    return casos


def _gamma(azar: random.Random, mundo: Mundo, paso: str) -> float:
    return azar.gammavariate(mundo.forma, mundo.media(paso) / mundo.forma)


def _personal(mundo: Mundo, anios, roster: dict, libres: dict, reloj: Reloj) -> dict:
    """Per step, its people: the roster (always at rate 1), then the reinforcements, person j
    working in month m of each year at rate min(1, refuerzo[(step, m)] - j) when that is
    positive, then the loans."""
    inicio = float(reloj.habiles_del_mes(anios[0], 1)[0])
    personal = {}
    for paso in mundo.pasos():
        n = roster.get(paso, 0)
        if n < 1:
            raise ValueError(f"El paso «{paso}» no tiene personal.")
        gente = [_Persona(i, libres.get((paso, i), inicio)) for i in range(n)]
        extra = {mes: x for (p, mes), x in mundo.refuerzo.items() if p == paso}
        for j in range(math.ceil(max(extra.values(), default=0))):
            tasas = {
                (anio, mes): min(1.0, x - j)
                for anio in anios
                for mes, x in extra.items()
                if x - j > 0
            }
            gente.append(_Persona(n + j, libres.get((paso, n + j), inicio), tasas))
        for desde, hasta, x in ((d, h, x) for p, d, h, x in mundo.prestamos if p == paso):
            comienzo = float(_indice_desde(reloj, desde))
            for k in range(math.ceil(x - 1e-9)):
                tasa = min(1.0, x - k)
                gente.append(_Persona(len(gente), comienzo, ventana=(desde, hasta, tasa)))
        personal[paso] = gente
    return personal


# --- The world's own figures ----------------------------------------------------------------


def p90_meses(casos, reloj: Reloj, meses) -> int | None:
    """p90 of `dias` of the attended cases presented in those months."""
    return percentil_90(
        c.dias for c in casos if c.dias is not None and reloj.dia(c.presentada).month in meses
    )


def p90_por_mes(casos, reloj: Reloj) -> dict[int, int | None]:
    return {mes: p90_meses(casos, reloj, {mes}) for mes in range(1, 13)}


def p90_por_semana(casos, reloj: Reloj) -> dict[tuple[int, int], int | None]:
    """p90 of `dias` per ISO week (year, week) of presentation."""
    semanas = defaultdict(list)
    for caso in casos:
        if caso.dias is not None:
            semanas[reloj.dia(caso.presentada).isocalendar()[:2]].append(caso.dias)
    return {semana: percentil_90(dias) for semana, dias in sorted(semanas.items())}


def p90_por_area(casos) -> dict[str, int | None]:
    """p90 of `dias` of the attended cases that went through each area."""
    areas = defaultdict(list)
    for caso in casos:
        if caso.dias is not None:
            for clave in caso.areas:
                areas[clave].append(caso.dias)
    return {clave: percentil_90(dias) for clave, dias in sorted(areas.items())}
