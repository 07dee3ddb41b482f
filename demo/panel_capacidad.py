"""The capacity plan judged in worlds it did not make (issue 81): for each world of the panel
(demo.mundos, which imports nothing from the product), the product plans on 1 November as the
page does (capacidad.services.nucleo, the page's own calculation) from what the office would
have on that day: the record of the year before (learnt by simulacion.services.ajuste from the
world's record, read as the database's selector reads the system's), the forecast, the
requests received, and the staff and absences registered. Never the world's true arrivals or
roster. Then the world, not the engine, says what happened:

- whether the recommendation (or the rule of thumb, when the plan recommends it) meets the
  standard in the world (every week from 1 November, all its arrivals and each area's: the
  world's mean p90 over its runs, demo.mundos.Mundo.cumple);
- the least reinforcement that meets it there, found by a search in the world (demo.mundos.minimo),
  and what the recommendation costs beyond it, in reviewer-days (the world's business days);
- for the rush weeks, whether the p90 that then happens (the world's realized year, with the
  recommendation) falls inside the plan's 80 % interval, and by how much it misses the plan's
  expected p90;
- the rule of thumb (one more reviewer in the two busiest areas all December) in the world.

Pure of the database but for the calendar and the standard, read once before the worlds run.
"""

import datetime
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from demo import mundos
from dictamenes.capacidad.selectors.capacidad import Capacidad, repartir, semanas_entre
from dictamenes.capacidad.services import nucleo
from dictamenes.models import Area
from dictamenes.organizacion.selectors.calendario import Calendario
from dictamenes.simulacion.selectors.registro_anual import (
    ADMISION,
    ESTRATEGICA,
    FIRMA,
    SUBSANAR,
    Historial,
    area_del_paso,
    es_paso_de_area,
)
from dictamenes.simulacion.services import motor, refuerzo

ANIO = 2030  # the rush year of every world: a year no database of the demo has
CORRIDAS_MUNDO = 12  # the world's runs for its expected p90
# Targets (issue 81, item 4)
COBERTURA = 0.90
SOBRECOSTO = 10.0  # mean reviewer-days beyond the least sufficient, per rush
CALIBRACION = (0.70, 0.90)
SESGO = 2.0


@dataclass
class Juicio:
    """One world: what the plan said and what the world made of it."""

    familia: str
    semilla: int
    recomendados: list  # (area, from, to, people) the plan recommends
    dias_plan: float  # reviewer-days, in the world's business days
    margen: float
    probabilidad: float | None
    sin_alcance: bool  # the plan says no loan of reviewers reaches the standard
    recomienda_regla: bool
    cumple: bool  # the recommendation meets the standard in the world
    peor: float  # the world's worst mean weekly p90 with it
    minimo: list | None  # the least sufficient found in the world; None: no loan reaches it
    dias_minimo: float | None
    regla_dias: float
    regla_cumple: bool
    semanas: list = field(default_factory=list)  # (monday, realized, low, high, expected)
    segundos: float = 0.0

    @property
    def alcanzable(self) -> bool:
        return self.minimo is not None

    @property
    def sobrecosto(self) -> float | None:
        return None if self.dias_minimo is None else self.dias_plan - self.dias_minimo


def _momento(naive: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(naive, timezone.get_current_timezone())


def historial_de(registro, anio: int) -> Historial:
    """The record of fiscal year `anio` as registro_anual.historial_del_anio reads the
    system's: its arrivals by day, every task closed (and the same people's tasks of the
    neighbouring years from November before to March after), the corrections, the routes."""
    historial = Historial(anio=anio)
    vecinas = (
        _momento(datetime.datetime(anio - 1, 11, 1)),
        _momento(datetime.datetime(anio + 1, 4, 1)),
    )
    dias = []
    for s in registro:
        propia = s.ejercicio == anio
        if propia:
            historial.llegadas[s.presentada.date()] += 1
            historial.prevenidas += s.prevenida
            historial.desechadas_prevenidas += s.prevenida and s.desechada
            if s.dias is not None:
                dias.append(s.dias)
        elif s.ejercicio not in (anio - 1, anio + 1):
            continue
        ruta = set()
        for t in s.tareas:
            creada, terminada = _momento(t.creada), _momento(t.terminada)
            if not propia and not vecinas[0] <= terminada < vecinas[1]:
                continue
            if t.paso == SUBSANAR:
                if propia:
                    historial.correcciones.append((creada, terminada))
                continue
            if es_paso_de_area(t.paso) and propia:
                ruta.add(t.paso)
            elif not es_paso_de_area(t.paso) and t.paso not in (ADMISION, ESTRATEGICA, FIRMA):
                continue
            historial.tareas.append((t.paso, t.persona, creada, terminada, propia))
        if ruta:
            historial.rutas[tuple(sorted(ruta))] += 1
            historial.areas_por_solicitud[len(ruta)] += 1
    historial.presentadas = sum(historial.llegadas.values())
    historial.atendidas = len(dias)
    if dias:
        historial.mediana, historial.p90 = statistics.median(dias), motor.percentil_90(dias)
    return historial


def capacidad_de(plantilla, hoy: datetime.date, cal: Calendario) -> Capacidad:
    """The registered staff and absences, week by week, as the capacity selector counts the
    office's (capacidad.selectors.capacidad.repartir)."""
    claves = sorted(area_del_paso(p) for p in plantilla.personas if es_paso_de_area(p))
    areas = [Area(pk=i + 1, clave=c, nombre=c) for i, c in enumerate(claves)]
    cap = Capacidad(
        areas=areas,
        semanas=semanas_entre(hoy, datetime.date(hoy.year, 12, 31)),
        calendario=cal,
    )
    areas_de = {}
    for paso, personas in plantilla.personas.items():
        if es_paso_de_area(paso):
            for persona in personas:
                areas_de.setdefault(persona, set()).add(area_del_paso(paso))
    fuera = {}
    for paso, persona, desde, hasta in plantilla.ausencias:
        if es_paso_de_area(paso):
            dias = {desde + datetime.timedelta(days=i) for i in range((hasta - desde).days + 1)}
            fuera[persona] = fuera.get(persona, set()) | dias
    return repartir(cap, areas_de=areas_de, fuera=fuera)


def entradas_de(mundo, *, anio: int, hoy: datetime.date, estandar: int, cal) -> nucleo.Entradas:
    """What the office knows on `hoy`, read from the world's record and registry."""
    registro = mundo.registro(hoy)
    referencia = historial_de(registro, anio - 1)
    ajuste = motor.ajustar(anio=anio - 1, historial=referencia)
    recibidas = sorted(s.presentada.date() for s in registro if s.ejercicio == anio)
    por_mes = Counter(d.month for d in recibidas)
    pronostico = mundo.pronostico()
    meses = [
        {
            "mes": m,
            "recibidas": por_mes.get(m, 0),
            "pronostico": por_mes.get(m, 0) if m < hoy.month else pronostico.get(m, 0),
        }
        for m in range(1, 13)
    ]
    plantilla = mundo.plantilla()
    por_rol = {
        paso: len(plantilla.personas.get(paso, ())) for paso in (ADMISION, ESTRATEGICA, FIRMA)
    }
    return nucleo.Entradas(
        anio=anio,
        hoy=hoy,
        estandar=estandar,
        ajuste=ajuste,
        meses=meses,
        recibidas=recibidas,
        cap=capacidad_de(plantilla, hoy, cal),
        por_rol=por_rol,
    )


def al_mundo(prestamos) -> tuple:
    """The product's loans as the world lends people: one per whole person."""
    lista = []
    for p in prestamos:
        for _k in range(max(round(p.personas), 1)):
            lista.append(mundos.Prestamo(area_del_paso(p.paso), p.desde, p.hasta, 1))
    return tuple(lista)


def juzgar(
    espec,
    *,
    estandar: int,
    cal: Calendario,
    anio: int = ANIO,
    corridas: int = nucleo.CORRIDAS,
    corridas_mundo: int = CORRIDAS_MUNDO,
) -> Juicio:
    """One world: the plan on 1 November, and the world's verdict."""
    inicio = time.perf_counter()
    hoy = datetime.date(anio, 11, 1)
    mundo = mundos.Mundo(espec, anio)
    entradas = entradas_de(mundo, anio=anio, hoy=hoy, estandar=estandar, cal=cal)
    calculo = nucleo.calcular(entradas, corridas=corridas)
    elegidos = calculo.regla if calculo.recomienda_regla else calculo.recomendacion.prestamos
    prestados = al_mundo(elegidos)
    cumple, medias = mundo.cumple(prestados, estandar=estandar, desde=hoy, corridas=corridas_mundo)
    minimo = mundos.minimo(mundo, estandar=estandar, desde=hoy, corridas=corridas_mundo)
    regla = mundo.regla_empirica(desde=hoy)
    regla_cumple, _medias = mundo.cumple(
        regla, estandar=estandar, desde=hoy, corridas=corridas_mundo
    )
    # The weeks as they then happen: the realized year with the recommendation, against the
    # plan's interval and expected p90 for the office's weeks with it.
    realizado = mundo.p90_semanal(mundo.correr(prestados, corrida=0))
    # With the rule of thumb recommended: the plan's weeks with it.
    con = calculo.con_regla if calculo.recomienda_regla else calculo.con_refuerzo
    semanas = [s for s in entradas.cap.semanas if refuerzo.mes_de_semana(s, anio) in (11, 12)]
    esperado = refuerzo.p90_esperado(con, semanas, redondear=False)
    intervalo = nucleo.intervalo(con, semanas)
    filas = [
        (lunes, realizado[(lunes, None)], *intervalo[lunes], esperado[lunes])
        for lunes in semanas
        if (lunes, None) in realizado and lunes in intervalo
    ]
    return Juicio(
        familia=espec.familia,
        semilla=espec.semilla,
        recomendados=[(p.area, p.desde, p.hasta, p.personas) for p in prestados],
        dias_plan=mundo.dias_revisor(prestados),
        margen=calculo.margen,
        probabilidad=calculo.probabilidad,
        sin_alcance=bool(calculo.recomendacion.sin_alcance),
        recomienda_regla=calculo.recomienda_regla,
        cumple=cumple,
        peor=max(medias.values(), default=0.0),
        minimo=None if minimo is None else [(p.area, p.desde, p.hasta, p.personas) for p in minimo],
        dias_minimo=None if minimo is None else mundo.dias_revisor(minimo),
        regla_dias=mundo.dias_revisor(regla),
        regla_cumple=regla_cumple,
        semanas=filas,
        segundos=time.perf_counter() - inicio,
    )


@dataclass
class Resumen:
    cobertura: float | None  # of the worlds loans can meet: the plan meets it there
    dice_sin_alcance: float | None  # of those none can: the plan says so
    sobrecosto_medio: float | None
    sobrecosto_p90: float | None
    dentro: float | None  # rush weeks whose realized p90 fell in the plan's interval
    sesgo: float | None  # mean of realized − expected, business days
    regla_cobertura: float | None
    regla_dias: float | None
    plan_dias: float | None
    fallas: list


def resumir(juicios: list[Juicio]) -> Resumen:
    alcanzables = [j for j in juicios if j.alcanzable]
    inalcanzables = [j for j in juicios if not j.alcanzable]
    # What the plan cost beyond what was needed, where it met the standard: a world where it
    # fell short has a negative difference that would hide the others' excess.
    sobre = sorted(j.sobrecosto for j in alcanzables if j.cumple)
    semanas = [f for j in juicios for f in j.semanas]
    r = Resumen(
        cobertura=_parte([j.cumple for j in alcanzables]),
        dice_sin_alcance=_parte([j.sin_alcance for j in inalcanzables]),
        sobrecosto_medio=statistics.fmean(sobre) if sobre else None,
        sobrecosto_p90=refuerzo.cuantil_de(sobre, 0.9) if sobre else None,
        dentro=_parte([bajo <= real <= alto for _l, real, bajo, alto, _e in semanas]),
        sesgo=statistics.fmean(real - e for _l, real, _b, _a, e in semanas) if semanas else None,
        regla_cobertura=_parte([j.regla_cumple for j in alcanzables]),
        regla_dias=statistics.fmean(j.regla_dias for j in alcanzables) if alcanzables else None,
        plan_dias=statistics.fmean(j.dias_plan for j in alcanzables) if alcanzables else None,
        fallas=[],
    )
    if r.cobertura is not None and r.cobertura < COBERTURA:
        r.fallas.append(f"cobertura {100 * r.cobertura:.0f} % < {100 * COBERTURA:.0f} %")
    if r.dice_sin_alcance is not None and r.dice_sin_alcance < 1:
        r.fallas.append(
            "no dice «ningún préstamo alcanza» en todos los mundos en que ninguno alcanza"
        )
    if r.sobrecosto_medio is not None and r.sobrecosto_medio > SOBRECOSTO:
        r.fallas.append(f"sobrecosto medio {r.sobrecosto_medio:.1f} > {SOBRECOSTO:g} días-revisor")
    if r.dentro is not None and not CALIBRACION[0] <= r.dentro <= CALIBRACION[1]:
        r.fallas.append(f"calibración {100 * r.dentro:.0f} % fuera de 70–90 %")
    if r.sesgo is not None and abs(r.sesgo) > SESGO:
        r.fallas.append(f"sesgo {r.sesgo:+.1f} días, más de {SESGO:g}")
    if (
        r.cobertura is not None
        and r.regla_cobertura is not None
        and (r.cobertura < r.regla_cobertura or r.plan_dias > r.regla_dias)
    ):
        r.fallas.append("no es más barato que la regla con igual o mejor cobertura")
    return r


def _parte(valores: list[bool]) -> float | None:
    return sum(valores) / len(valores) if valores else None


def calendario(anio: int = ANIO) -> Calendario:
    return Calendario.cargar(datetime.date(anio - 2, 1, 1), datetime.date(anio + 1, 12, 31))
