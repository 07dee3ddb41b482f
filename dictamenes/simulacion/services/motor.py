"""A year of arrivals replayed as queues, step by step, to size the staff the rush needs.
Deterministic for a seed; the database is read once (simulacion.selectors.registro_anual), the
simulation runs in memory.

The model learns from a recorded year with workflow steps (simulacion.services.ajuste:
each step's service time, worked and not waited, its people per month, the routes).

A simulated request goes through the steps as queues: admission (again after a correction),
the areas' reviews in parallel, the strategic review, the signature. Each step has its people
that month; a task goes to the person who can start it first (with assignment by load) or to
one at random, waits until that person is free, and takes a service time drawn from the
measured ones. Adding people shortens the wait, never the work: no service time is ever drawn
below what was measured. Its days of attention are what the Subsecretaría's clock counts
(estados.dias_de_atencion): business days from presentation to the signature, less the time
with the requirente.

A record without steps (history imported from before the system) has only each request's
total: nothing to learn a service time or a number of people from. `ajustar` refuses it
(`SinPasos`); the plan and `simular_anio` say what they cannot size.
"""

import datetime
import functools
import heapq
import itertools
import math
import random
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from operator import itemgetter

from django.utils.translation import gettext_lazy as _

from dictamenes.models.vias import Via
from dictamenes.simulacion.selectors.registro_anual import (
    ADMISION,
    ESTRATEGICA,
    FIRMA,
    PASO_UNICO,
    area_del_paso,
    paso_de_area,
)
from dictamenes.simulacion.services.ajuste import (
    ERROR_SIN_PASOS,
    ERROR_SIN_REGISTRO,
    Ajuste,
    Paso,
    Reloj,
    SinPasos,
    ajustar,
    servicios_medidos,
)
from dictamenes.simulacion.services.azar import Sorteo as _Sorteo
from dictamenes.simulacion.services.azar import elegir as _elegir
from dictamenes.simulacion.services.azar import remuestra, sacador

# What the fit gives, named here too: the engine is one door for its callers.
__all__ = [
    "ERROR_SIN_PASOS",
    "ERROR_SIN_REGISTRO",
    "Ajuste",
    "Paso",
    "Reloj",
    "SinPasos",
    "ajustar",
    "servicios_medidos",
]

ERROR_AREA_SIN_REGISTRO = _("El área «{area}» no tiene revisiones registradas en {anio}.")


@dataclass(frozen=True)
class Escenario:
    nombre: str
    planeacion: bool = False
    asignacion: bool = False
    refuerzo: str | None = None  # the step of the area that gets one more reviewer
    meses_refuerzo: tuple[int, ...] = ()
    via_rapida: bool = False  # the requests the track rule sends fast take the fast track
    # Capacity: ((step, month, people), ...) that a step has that month instead of the
    # record's; fractions allowed (a part-time person serves at that part of the pace).
    personal: tuple[tuple[str, int, float], ...] = ()
    # ((step, month, people), ...) added to it.
    personas_extra: tuple[tuple[str, int, float], ...] = ()
    # ((step, from, to, people), ...): people lent to a step from one date to another, both
    # included (a fraction: one person at that part of the pace).
    prestamos: tuple[tuple[str, datetime.date, datetime.date, float], ...] = ()
    # ((step, monday, people), ...): the people of a step in that week, instead of its month's
    # (absences are the weeks they are, not a monthly average).
    personal_semanal: tuple[tuple[str, datetime.date, float], ...] = ()


COMO_SE_REGISTRO = Escenario(_("Como se registró"))


@dataclass(frozen=True)
class ViaRapida:
    """The fast track as the simulation applies it (simulacion_vias builds it): the track of
    each recorded arrival, in the order of the record's arrivals, and what a fast-track step
    weighs against the full one: its deadline's share of the full one."""

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
    # Per request, beside its days: month of arrival, its deadlines summed, its track, how many
    # technical reviews it made, the day it arrived and its area steps.
    meses: list[int] = field(default_factory=list)
    plazos: list[int] = field(default_factory=list)
    vias: list[str] = field(default_factory=list)
    revisiones: list[int] = field(default_factory=list)
    llegadas: list[datetime.date] = field(default_factory=list)
    areas: list[tuple[str, ...]] = field(default_factory=list)
    # Per step: the business days its tasks waited for a person.
    esperas: dict = field(default_factory=lambda: defaultdict(list))
    # Every task: (step, request's position, ready, start, end), in business time.
    tareas: list = field(default_factory=list)

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
            llegadas=[self.llegadas[i] for i in dentro],
            areas=[self.areas[i] for i in dentro],
        )


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
    habiles = [d for d in ajuste.reloj.dias if d.year == anio and d.month <= 10]
    movidas = [
        (azar.choice(habiles) if azar.random() < parte_planeada else d, via) for d, via in pares
    ]
    return sorted(movidas, key=itemgetter(0))


def _ruta(ajuste: Ajuste, azar, rutas: _Sorteo | None = None) -> tuple[bool, bool, list[str]]:
    """A request's course: prevenida, desechada, and its areas: those of a recorded request
    (so the mix of areas, and which go together, is the record's). `rutas`: the record's
    routes as a _Sorteo (the same draw, prepared once per run)."""
    prevenida = azar.random() < ajuste.parte_prevenciones
    if prevenida and azar.random() < ajuste.parte_desechadas:
        return True, True, []
    if not ajuste.rutas:
        return prevenida, False, []
    return prevenida, False, list(rutas(azar) if rutas else _elegir(azar, ajuste.rutas))


class _Persona:
    """One person of a step: the pace they work at on a given day (0: not there), and the
    moment they are free."""

    def __init__(self, ritmo, libre: float = 0.0):
        self.ritmo = ritmo  # date -> pace
        self.libre = libre
        self.cola: list = []  # tasks assigned to them alone (assignment at random)


class _Personal:
    """The people of every step as the scenario gives them: each month's (the record's, the
    scenario's own, plus those added; a fraction is one person at that part of the pace), and
    those lent from one date to another."""

    def __init__(self, ajuste: Ajuste, escenario: Escenario, reloj: Reloj, pasos):
        self.ajuste, self.reloj = ajuste, reloj
        self.propio = {(p, m): n for p, m, n in escenario.personal}
        self.semanal: dict[str, dict[datetime.date, float]] = defaultdict(dict)
        for p, lunes, n in escenario.personal_semanal:
            self.semanal[p][lunes] = n
        self.extra: Counter = Counter()
        for p, m, n in escenario.personas_extra:
            self.extra[(p, m)] += n
        for m in escenario.meses_refuerzo:
            self.extra[(escenario.refuerzo, m)] += 1
        self.gente: dict[str, list[_Persona]] = {}
        self.inicios: set[float] = set()  # moments when someone starts to be there
        for paso in pasos:
            cuantas = max(
                math.ceil(n - 1e-9)
                for n in [
                    *(self.personas(paso, m) for m in range(1, 13)),
                    *(
                        n + self.extra[(paso, lunes.month)]
                        for lunes, n in self.semanal[paso].items()
                    ),
                ]
            )
            self.gente[paso] = [_Persona(self._ritmo(paso, i)) for i in range(max(cuantas, 1))]
        for paso, desde, hasta, n in escenario.prestamos:
            enteras = int(n + 1e-9)
            for ritmo in [1.0] * enteras + ([n - enteras] if n - enteras > 1e-6 else []):
                inicio = float(reloj.indice(desde))
                self.gente.setdefault(paso, []).append(
                    _Persona(functools.partial(_prestado, desde, hasta, ritmo), inicio)
                )
                self.inicios.add(inicio)
        self.inicios.update(reloj.inicios_de_mes)  # a month's people change
        for lunes in {lunes for semanas in self.semanal.values() for lunes in semanas}:
            self.inicios.add(float(reloj.indice(lunes)))  # a week's people change
        # The steps each person serves (a person is in one step's list, a loan in its own).
        self.pasos_de: dict[int, list[str]] = defaultdict(list)
        for paso, gente in self.gente.items():
            for persona in gente:
                self.pasos_de[id(persona)].append(paso)

    def personas(self, paso: str, mes: int) -> float:
        base = self.propio.get((paso, mes))
        if base is None:
            base = self.ajuste.pasos[paso].personas(mes) if paso in self.ajuste.pasos else 1
        return max(base + self.extra[(paso, mes)], 0.0)

    def _ritmo(self, paso: str, i: int):
        """The pace of the step's i-th person on a day: that week's people (when the scenario
        gives the step's weeks) or that month's, less i, between 0 and 1 (a month with nobody
        in the step: its tasks wait for the next one with someone). Read on every task taken:
        each month's and each day of a given week worked out once."""
        por_mes = [0.0] + [min(max(self.personas(paso, m) - i, 0.0), 1.0) for m in range(1, 13)]
        semanas = self.semanal.get(paso)
        if not semanas:
            return lambda dia: por_mes[dia.month]
        por_dia = {}
        for lunes, n in semanas.items():
            ritmo = min(max(n + self.extra[(paso, lunes.month)] - i, 0.0), 1.0)
            for k in range(7):
                por_dia[lunes + datetime.timedelta(days=k)] = ritmo
        return lambda dia: por_dia.get(dia, por_mes[dia.month])


def _prestado(desde, hasta, ritmo, dia: datetime.date) -> float:
    return ritmo if desde <= dia <= hasta else 0.0


@dataclass(eq=False, slots=True)
class _Tarea:
    paso: str
    orden: int  # the request's order of arrival: its priority
    listo: float
    trabajo: float
    caso: object
    pasos: tuple  # the steps whose people may take it (a fast single review: its areas')
    tomada: bool = False


def simular(
    ajuste: Ajuste,
    escenario: Escenario,
    *,
    semilla: int = 7,
    parte_planeada: float = 0.6,
    rapida: ViaRapida | None = None,
    llegadas: list[tuple[datetime.date, str]] | None = None,
    reloj: Reloj | None = None,
    remuestreo: bool = False,
) -> Resultado:
    """`llegadas`: the arrivals and their tracks to simulate instead of the record's (a
    forecast year, with its own `reloj`), learning the times from the record all the same.
    `remuestreo`: each step's measured times are first drawn again from themselves, as many
    (a bootstrap sample, its own per seed): the run carries the uncertainty of having learnt
    from one year's sample, not only the noise of the year it plays.

    Time runs by events (an arrival, the end of a task, a person who starts to be there). A
    free person of a step takes the waiting task of the request that arrived first; with
    assignment at random (`escenario.asignacion` off), each task is given to one person of the
    step when it is ready and waits for that person only. A request on the fast track makes
    ONE technical review, taken by the first free person among its areas' reviewers, instead
    of one per area; that review and the strategic review take their deadlines' share of the
    full ones' work (the single review's own measured times when the record has them)."""
    if escenario.via_rapida and rapida is None:
        raise ValueError("El escenario de la vía rápida necesita la vía de cada solicitud.")
    # One stream per kind of draw, so that scenarios differ by what they change, not by noise
    # (common random numbers): the same requests take the same course in every scenario.
    azar, azar_plan, azar_persona, azar_dias, azar_hora = (
        random.Random(f"{semilla}-{uso}")  # noqa: S311 - a reproducible simulation
        for uso in ("ruta", "plan", "persona", "dias", "hora")
    )
    reloj = reloj or ajuste.reloj
    pasos = {paso: p.servicios for paso, p in ajuste.pasos.items()}
    if remuestreo:
        pasos = remuestra(semilla, tuple((paso, tuple(v)) for paso, v in sorted(pasos.items())))
    if llegadas is None:
        llegadas = _llegadas(ajuste, escenario, azar_plan, parte_planeada, rapida)
    todos = {ADMISION, ESTRATEGICA, FIRMA, *ajuste.peso_areas}
    personal = _Personal(ajuste, escenario, reloj, todos)
    resultado = Resultado(escenario, plazo=ajuste.historial.plazo)
    eventos: list = []
    secuencia = itertools.count()
    siguiente = secuencia.__next__
    colas: dict[str, list] = defaultdict(list)
    empujar, sacar_de = heapq.heappush, heapq.heappop
    asignacion = escenario.asignacion
    esperas, hechas = resultado.esperas, resultado.tareas
    fecha = reloj.fecha
    elegir = sacador(azar_dias)

    def evento(t: float, accion, *datos) -> None:
        empujar(eventos, (t, siguiente(), accion, datos))

    def trabajos(areas) -> dict:
        """Each task's work, drawn when the request arrives (common random numbers: the same
        request does the same work in every scenario, whatever the order things happen in)."""
        sacar = {
            paso: elegir(pasos[paso]) if paso in pasos else 0.0
            for paso in (ESTRATEGICA, FIRMA, PASO_UNICO, *areas)
        }
        sacar[ADMISION] = [elegir(pasos[ADMISION]) if ADMISION in pasos else 0.0]
        sacar[ADMISION].append(elegir(pasos[ADMISION]) if ADMISION in pasos else 0.0)
        return sacar

    def trabajo(caso, paso: str, peso: float) -> float:
        if paso == ADMISION:
            return caso["trabajo"][ADMISION].pop(0) * peso
        return caso["trabajo"][paso] * peso

    def lista(caso, paso: str, t: float, peso: float = 1.0, grupo=None) -> None:
        tarea = _Tarea(
            paso, caso["orden"], t, trabajo(caso, paso, peso), caso, tuple(grupo or [paso])
        )
        if asignacion:
            for p in tarea.pasos:
                empujar(colas[p], (tarea.orden, siguiente(), tarea))
                empujar(eventos, (t, siguiente(), despachar, (p,)))
            return
        asignar(tarea, t)

    def asignar(tarea: _Tarea, t: float) -> None:
        """Assignment at random: to one of the people of its step(s) there that day (the
        first, when nobody is: they wait for the next month with someone)."""
        dia = reloj.fecha(t)
        gente = [g for p in tarea.pasos for g in personal.gente[p] if g.ritmo(dia) > 0]
        persona = (
            gente[azar_persona.randrange(len(gente))] if gente else personal.gente[tarea.paso][0]
        )
        empujar(persona.cola, (tarea.orden, siguiente(), tarea))
        if gente:  # else the next month's start wakes them
            evento(t, atender, persona)

    def tomar(persona: _Persona, cola: list, t: float) -> bool:
        while cola and cola[0][2].tomada:
            sacar_de(cola)
        if not cola or persona.libre > t:
            return False
        return _tomar(persona, cola, t)

    def _tomar(persona: _Persona, cola: list, t: float) -> bool:
        """`tomar` once the queue's head is a task not taken and the person is free."""
        ritmo = persona.ritmo(fecha(t))
        if ritmo <= 0:
            return False
        tarea = sacar_de(cola)[2]
        tarea.tomada = True
        fin = t + tarea.trabajo / ritmo
        persona.libre = fin
        esperas[tarea.paso].append(t - tarea.listo)
        hechas.append((tarea.paso, tarea.caso["i"], tarea.listo, t, fin))
        empujar(eventos, (fin, siguiente(), terminar, (tarea,)))
        empujar(eventos, (fin, siguiente(), atender, (persona,)))
        return True

    def despachar(paso: str, t: float) -> None:
        # `tomar` for each person in turn, spelt out: a busy person takes nothing.
        cola = colas[paso]
        for persona in personal.gente[paso]:
            while cola and cola[0][2].tomada:
                sacar_de(cola)
            if not cola:
                return
            if persona.libre <= t:
                _tomar(persona, cola, t)

    def atender(persona: _Persona, t: float) -> None:
        suyos = personal.pasos_de[id(persona)]  # the steps this person serves, in order
        if (
            persona.cola
            and persona.ritmo(dia := reloj.fecha(t)) <= 0
            and any(g.ritmo(dia) > 0 for p in suyos for g in personal.gente[p])
        ):
            # Gone (a month without them, a loan over): what they had waits for someone else.
            esperaban, persona.cola = persona.cola, []
            for _orden, _n, tarea in sorted(esperaban):
                if not tarea.tomada:
                    asignar(tarea, t)
            return
        if persona.cola:
            tomar(persona, persona.cola, t)
            return
        for paso in suyos:
            if colas[paso]:
                tomar(persona, colas[paso], t)
                return

    def terminar(tarea: _Tarea, t: float) -> None:
        caso = tarea.caso
        if tarea.paso == ADMISION and caso["prevenida"] and caso["vuelta"] is None:
            caso["vuelta"] = t + caso["correccion"]
            caso["fuera"] += int(caso["vuelta"]) - int(t)
            if caso["desechada"]:
                cerrar(caso, caso["vuelta"])
            else:
                evento(caso["vuelta"], reingresar, caso)
        elif tarea.paso == ADMISION:
            revisar(caso, t)
        elif tarea.paso in ajuste.peso_areas or tarea.paso == PASO_UNICO:
            caso["pendientes"] -= 1
            if caso["pendientes"] == 0:
                estrategica(caso, t)
        elif tarea.paso == ESTRATEGICA:
            lista(caso, FIRMA, t)
        else:
            cerrar(caso, t)

    def reingresar(caso, t: float) -> None:
        lista(caso, ADMISION, t)

    def revisar(caso, t: float) -> None:
        areas = caso["areas"]
        if not areas:
            estrategica(caso, t)
        elif caso["rapida"]:
            unica = PASO_UNICO if PASO_UNICO in pasos else areas[0]
            caso["pendientes"] = 1
            peso = 1.0 if unica == PASO_UNICO else rapida.revision
            lista(caso, unica, t, peso, grupo=areas)
        else:
            caso["pendientes"] = len(areas)
            for area in areas:
                lista(caso, area, t)

    def estrategica(caso, t: float) -> None:
        if caso["areas"] and ajuste.historial.pausas and caso["pausa"]:
            caso["fuera"] += caso["pausa_dias"]
        lista(caso, ESTRATEGICA, t, rapida.estrategica if caso["rapida"] else 1.0)

    abiertos = [len(llegadas)]  # the requests not yet closed

    def cerrar(caso, t: float) -> None:
        i = caso["i"]
        resultado.dias[i] = max(int(t) - reloj.indice(caso["llegada"]) - caso["fuera"], 0)
        abiertos[0] -= 1

    def llegar(caso, t: float) -> None:
        lista(caso, ADMISION, t)

    rutas = _Sorteo(ajuste.rutas) if ajuste.rutas else None
    pausas = _Sorteo(ajuste.historial.pausas) if ajuste.historial.pausas else None
    for i, (llegada, via) in enumerate(sorted(llegadas, key=itemgetter(0))):
        prevenida, desechada, areas = _ruta(ajuste, azar, rutas)
        es_rapida = via == Via.RAPIDA
        caso = {
            "i": i,
            "orden": i,
            "llegada": llegada,
            "prevenida": prevenida,
            "desechada": desechada,
            "areas": areas,
            "rapida": es_rapida,
            "vuelta": None,
            "fuera": 0,
            "pendientes": 0,
            "pausa": azar_dias.random() < ajuste.parte_peticiones,
            "pausa_dias": pausas(azar_dias) if pausas else 0,
            "correccion": elegir(ajuste.correcciones),
            "trabajo": trabajos(areas),
        }
        evento(reloj.indice(llegada) + azar_hora.random(), llegar, caso)
        resultado.dias.append(None)
        resultado.meses.append(llegada.month)
        resultado.plazos.append(rapida.plazo if es_rapida else ajuste.historial.plazo)
        resultado.vias.append(via)
        resultado.revisiones.append((1 if es_rapida else len(areas)) if areas else 0)
        resultado.llegadas.append(llegada)
        resultado.areas.append(tuple(areas))
    # At each moment someone starts to be there, every step dispatches and every person looks
    # for work. Those moments' events keep the order they would have if all were queued now,
    # but each moment's are queued only when it comes, and only if some task is waiting: none
    # before the first arrival, after the last request closes or while every queue is empty,
    # where they would find nothing to do (and, within the moment, queues only shrink).
    # Each moment's events are numbered as if queued now, in the order of `inicios`.
    tamano = sum(1 + len(gente) for gente in personal.gente.values())
    base = next(secuencia)
    secuencia = itertools.count(base + len(personal.inicios) * tamano)
    siguiente = secuencia.__next__
    primera = min((t for t, *_resto in eventos), default=math.inf)
    lotes = sorted(
        (inicio, base + j * tamano)
        for j, inicio in enumerate(personal.inicios)
        if inicio >= primera
    )
    gentes = [g for gente in personal.gente.values() for g in gente]

    def iniciar(k: int, _t: float) -> None:
        if not abiertos[0]:
            return
        inicio, n = lotes[k]
        if any(colas.values()) or any(g.cola for g in gentes):
            for paso, gente in personal.gente.items():
                heapq.heappush(eventos, (inicio, n, despachar, (paso,)))
                for i, persona in enumerate(gente, start=n + 1):
                    heapq.heappush(eventos, (inicio, i, atender, (persona,)))
                n += 1 + len(gente)
        if k + 1 < len(lotes):
            siguiente, m = lotes[k + 1]
            heapq.heappush(eventos, (siguiente, m - 0.5, iniciar, (k + 1,)))

    if lotes:
        heapq.heappush(eventos, (lotes[0][0], lotes[0][1] - 0.5, iniciar, (0,)))
    while eventos:
        t, _n, accion, datos = sacar_de(eventos)
        accion(*datos, t)
    # A request still waiting when the clock ends (nobody in a step until then) counts every
    # business day the clock has: more than that, the simulation cannot say.
    for i, dias in enumerate(resultado.dias):
        if dias is None:
            resultado.dias[i] = len(reloj.dias) - reloj.indice(resultado.llegadas[i])
    return resultado


def escenarios(ajuste: Ajuste, *, area: str | None, meses: tuple[int, ...]) -> list[Escenario]:
    """Planning, assignment by load, both, and one more reviewer in an area."""
    paso = paso_de_area(area) if area else ajuste.area_mas_cargada()
    if paso not in ajuste.peso_areas:
        raise ValueError(str(ERROR_AREA_SIN_REGISTRO).format(area=area, anio=ajuste.historial.anio))
    meses_texto = ", ".join(str(m) for m in meses)
    return [
        Escenario(str(_("Planeación")), planeacion=True),
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
