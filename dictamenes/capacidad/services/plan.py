"""The capacity plan for the year-end rush (issue 50, items 2 and 3).

Per review area and week, from the current week to the end of the fiscal year:
- the load: the forecast (planeacion.services.pronostico: programme + history, its rule) of the
  area's requests in each month, spread over the month's business days;
- the capacity: capacidad.selectors.capacidad (people, absences, non-working days,
  substitutions, reinforcements, each person's measured rate);
- the expected queue: the open reviews of the area today, carried week by week (queue + load −
  capacity, never below zero);
- the expected p90 of the requests arriving that week, from the year simulation
  (simulacion.services.motor) learning the times from the latest recorded year, with this
  year's arrivals (received, then forecast), today's tracks and assignment by load, and the
  people the capacity gives each month instead of the record's;
- red when that p90 exceeds the full track's service standard (ConfiguracionVias);
- the reinforcement that closes each red month's gap: the fewest reviewer-days, found by
  bisection in the simulation, shared among the areas by their load that month.

A `Prueba` (what-if) adds reinforcement, an earlier cut-off or another fast-track threshold
before the simulation runs; nothing is saved.
"""

import datetime
import functools
import hashlib
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, Max
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from dictamenes.capacidad.selectors.capacidad import Capacidad, capacidad, lunes_de
from dictamenes.comun.cache import memorizar_ejercicio, versiones_por_ejercicio
from dictamenes.flow_port import Nodo, nodo
from dictamenes.models import Area, Solicitud
from dictamenes.models.vias import ConfiguracionVias, Via
from dictamenes.planeacion.services.pronostico import pronostico
from dictamenes.simulacion.selectors.registro_anual import ATENCION, paso_de_area
from dictamenes.simulacion.services import motor, refuerzo, via_rapida
from dictamenes.tramite.selectors.tramite import ABIERTAS


class SinRegistro(ValueError):
    """No earlier fiscal year with attended requests: nothing to learn the times from."""


# The expected p90: the mean of the p90s of a few runs, each with its own draws.
SEMILLAS = (7, 8, 9, 10, 11)
ERROR_SIN_REGISTRO = _(
    "No hay un ejercicio anterior a {anio} con solicitudes atendidas: el plan no tiene de qué "
    "aprender los tiempos."
)


@dataclass(frozen=True)
class Prueba:
    """A what-if, never saved."""

    refuerzos: tuple[tuple[int, datetime.date, float], ...] = ()  # (area_id, monday, days)
    corte: datetime.date | None = None  # the last day to present requests this year
    umbral: Decimal | None = None  # the fast-track threshold to try


@dataclass
class Semana:
    lunes: datetime.date
    carga: float = 0.0
    capacidad: float = 0.0
    cola: float = 0.0
    p90: int | None = None
    rojo: bool = False
    refuerzo_dias: float = 0.0

    @property
    def domingo(self) -> datetime.date:
        return self.lunes + datetime.timedelta(days=6)


@dataclass
class AreaPlan:
    area: Area
    semanas: list[Semana]

    @property
    def refuerzo_dias(self) -> float:
        return sum(s.refuerzo_dias for s in self.semanas)


@dataclass
class Plan:
    anio: int
    hoy: datetime.date
    estandar: int
    referencia: int
    areas: list[AreaPlan]
    total: list[Semana]
    supuestos: list[str] = field(default_factory=list)
    tasas: list = field(default_factory=list)
    segundos: float = 0.0
    prueba: Prueba | None = None
    p90_por_area: bool = False  # False: the record has no area steps, the p90 is the whole's

    def rojas_proximas(self, semanas: int = 4) -> list[Semana]:
        hasta = lunes_de(self.hoy) + datetime.timedelta(weeks=semanas)
        return [s for s in self.total if s.rojo and s.lunes < hasta]

    @property
    def refuerzo_dias(self) -> float:
        return sum(s.refuerzo_dias for s in self.total)


def anio_de_referencia(*, anio: int) -> int:
    ultimo = Solicitud.objects.filter(
        ejercicio__lt=anio, dias_habiles_atencion__isnull=False
    ).aggregate(m=Max("ejercicio"))["m"]
    if ultimo is None:
        raise SinRegistro(str(ERROR_SIN_REGISTRO).format(anio=anio))
    return ultimo


def _repartir(n: int, dias: list[datetime.date]) -> list[datetime.date]:
    """`n` arrivals spread evenly over `dias`, in order."""
    if not dias or n <= 0:
        return []
    return [dias[i * len(dias) // n] for i in range(n)]


def _llegadas(
    *, anio: int, hoy, pron: dict, cal, corte, fraccion_rapida: dict
) -> list[tuple[datetime.date, str]]:
    """This year's arrivals: those received, then the forecast's for the rest of each month;
    with a cut-off, those after it come in the four weeks before it. Each month's share of
    fast-track requests is the reference year's under the tracks being tried."""
    recibidas = sorted(
        timezone.localtime(f).date()
        for f in Solicitud.objects.filter(ejercicio=anio, presentada_en__isnull=False).values_list(
            "presentada_en", flat=True
        )
    )
    fechas = list(recibidas)
    for fila in pron["meses"]:
        m = fila["mes"]
        faltan = fila["pronostico"] - fila["recibidas"]
        if faltan <= 0:
            continue
        primero = datetime.date(anio, m, 1)
        ultimo = datetime.date(anio + (m == 12), m % 12 + 1, 1) - datetime.timedelta(days=1)
        dias = [
            primero + datetime.timedelta(days=i)
            for i in range((ultimo - primero).days + 1)
            if cal.es_habil(primero + datetime.timedelta(days=i))
            and primero + datetime.timedelta(days=i) >= hoy
        ]
        fechas += _repartir(faltan, dias)
    if corte:
        antes = [
            corte - datetime.timedelta(days=i)
            for i in range(28)
            if cal.es_habil(corte - datetime.timedelta(days=i))
        ][::-1]
        despues = [f for f in fechas if f > corte]
        fechas = [f for f in fechas if f <= corte] + _repartir(len(despues), antes)
    fechas.sort()
    resultado, por_mes = [], defaultdict(int)
    for fecha in fechas:
        i = por_mes[fecha.month]
        por_mes[fecha.month] += 1
        parte = fraccion_rapida.get(fecha.month, 0.0)
        # The i-th arrival of the month is fast when it crosses the next whole of the share.
        rapida = math.floor((i + 1) * parte) > math.floor(i * parte)
        resultado.append((fecha, Via.RAPIDA if rapida else Via.COMPLETA))
    return resultado


def _vias(ajuste, config: ConfiguracionVias, umbral):
    """The fast track as the reference year's requests would take it: its times, and each
    month's share of fast requests."""
    probada = via_rapida.config_probada(config, umbral=umbral)
    registro = via_rapida.registro_del_anio(anio=ajuste.historial.anio)
    rapida = via_rapida.via_rapida(registro=registro, config=probada, historial=ajuste.historial)
    total, rapidas = defaultdict(int), defaultdict(int)
    for s, via in zip(registro.solicitudes, rapida.vias, strict=True):
        total[s.llegada.month] += 1
        rapidas[s.llegada.month] += via == Via.RAPIDA
    activa = config.rapida_activa
    return rapida, {m: (rapidas[m] / n if activa else 0.0) for m, n in total.items()}


def _mes_de_semana(lunes: datetime.date, anio: int) -> int:
    """The month a week counts in: the month of its Thursday (as ISO weeks), within the year."""
    jueves = lunes + datetime.timedelta(days=3)
    return jueves.month if jueves.year == anio else (12 if jueves.year > anio else 1)


def _personal(ajuste, cap: Capacidad, anio: int, tasa_ref: float) -> dict:
    """People per (step, month) for the weeks of the plan: each area's available reviewer-
    days over the month's business days, weighted by the people's pace against the office's;
    in a record without steps, the whole procedure at the office's share of its nominal days."""
    dias, revisiones, nominales, habiles = (defaultdict(float) for _ in range(4))
    for (area_id, lunes), d in cap.dias.items():
        m = _mes_de_semana(lunes, anio)
        dias[(area_id, m)] += d
        revisiones[(area_id, m)] += cap.revisiones[(area_id, lunes)]
        nominales[(area_id, m)] += cap.nominales[(area_id, lunes)]
    for lunes, n in cap.habiles.items():
        habiles[_mes_de_semana(lunes, anio)] += n
    meses = sorted(habiles)
    personal = []
    if ajuste.por_tramite_completo:
        for m in meses:
            nominal = sum(nominales[(a.pk, m)] for a in cap.areas)
            if nominal:
                ritmo = sum(revisiones[(a.pk, m)] for a in cap.areas) / tasa_ref
                personal.append((ATENCION, m, ajuste.pasos[ATENCION].personas(m) * ritmo / nominal))
        return personal
    for area in cap.areas:
        paso = paso_de_area(area.clave)
        if paso not in ajuste.pasos:
            continue
        for m in meses:
            if habiles[m]:
                personal.append((paso, m, revisiones[(area.pk, m)] / tasa_ref / habiles[m]))
    return personal


def _abiertas_por_area() -> dict[int, int]:
    return dict(
        Task.objects.filter(flow_task=nodo(Nodo.REVISION_TECNICA), status__in=ABIERTAS)
        .annotate(area=Cast("owner_permission_obj_pk", output_field=IntegerField()))
        .values("area")
        .annotate(n=Count("id"))
        .values_list("area", "n")
    )


def _esperado(por_corrida: list[dict]) -> dict:
    """The mean over the runs of each key's p90, rounded: the expected p90."""
    valores: dict = defaultdict(list)
    for p90s in por_corrida:
        for llave, p90 in p90s.items():
            if p90 is not None:
                valores[llave].append(p90)
    return {llave: round(sum(v) / len(v)) for llave, v in valores.items()}


def _p90_esperado(resultados: list[motor.Resultado], semanas, *, paso=None, por_mes=False):
    """{monday: expected p90} of the requests arriving in one of `semanas` (with area step
    `paso`); with `por_mes`, {(monday, month): …}: a week across two months is two groups,
    since the simulation loads people month by month."""
    dentro, corridas = set(semanas), []
    for resultado in resultados:
        por: dict = defaultdict(list)
        for i, llegada in enumerate(resultado.llegadas):
            lunes = lunes_de(llegada)
            if lunes in dentro and (paso is None or paso in resultado.areas[i]):
                por[(lunes, llegada.month) if por_mes else lunes].append(resultado.dias[i])
        corridas.append({llave: motor.percentil_90(dias) for llave, dias in por.items()})
    return _esperado(corridas)


def plan_de_capacidad(
    *, anio: int | None = None, hoy: datetime.date | None = None, prueba: Prueba | None = None
) -> Plan:
    """The plan, computed again each hour (the requests received move the forecast a little)
    and as soon as the capacity or a setting changes (their events are about no request:
    version 0); one per trial. At ten years of history it takes about two seconds."""
    hoy = hoy or timezone.localdate()
    anio = anio or hoy.year
    hora = timezone.localtime().hour
    return memorizar_ejercicio(
        "plan_capacidad:"
        + hashlib.sha256(f"{anio}|{hoy}|{hora}|{prueba}".encode()).hexdigest()[:32],
        0,
        versiones_por_ejercicio(),
        calcular=functools.partial(_plan, anio=anio, hoy=hoy, prueba=prueba),
    )


def _plan(*, anio: int, hoy: datetime.date, prueba: Prueba | None) -> Plan:
    config = ConfiguracionVias.objects.vigentes()
    referencia = anio_de_referencia(anio=anio)
    # A past year's fit changes only when an event touches that year: read from the cache.
    ajuste = memorizar_ejercicio(
        "ajuste_simulacion",
        referencia,
        versiones_por_ejercicio(),
        calcular=functools.partial(motor.ajustar, anio=referencia),
    )
    pron = pronostico(anio=anio, hoy=hoy)
    cap = capacidad(
        desde=max(hoy, datetime.date(anio, 1, 1)), hasta=datetime.date(anio, 12, 31), hoy=hoy
    )
    tasa_ref = _tasa_de_referencia(cap)
    for area_id, lunes, dias in prueba.refuerzos if prueba else ():
        if (area_id, lunes) in cap.dias:
            cap.dias[(area_id, lunes)] += dias
            cap.revisiones[(area_id, lunes)] += dias * tasa_ref
    umbral = prueba.umbral if prueba else None
    # The track rule read for each of the reference year's requests: kept while that year,
    # the tracks' version and the threshold tried stay the same.
    rapida, fraccion = memorizar_ejercicio(
        f"vias_simulacion:{config.version}:{umbral}",
        referencia,
        versiones_por_ejercicio(),
        calcular=functools.partial(_vias, ajuste, config, umbral),
    )
    llegadas = _llegadas(
        anio=anio,
        hoy=hoy,
        pron=pron,
        cal=cap.calendario,
        corte=prueba.corte if prueba else None,
        fraccion_rapida=fraccion,
    )
    escenario = motor.Escenario(
        str(_("Plan de capacidad")),
        asignacion=True,
        via_rapida=True,
        personal=tuple(_personal(ajuste, cap, anio, tasa_ref)),
    )
    inicio = time.perf_counter()
    meses = sorted(
        {
            (lunes + datetime.timedelta(days=i)).month
            for lunes in cap.semanas
            for i in range(7)
            if (lunes + datetime.timedelta(days=i)).year == anio
        }
    )
    resultados = _simular(ajuste, escenario, rapida=rapida, llegadas=llegadas, meses=meses)
    segundos = time.perf_counter() - inicio
    estandar = config.meta_dias_completa
    # The recommendation searches (dozens of runs): for the plan, not for each trial, which
    # shows what its own reinforcement, cut-off or threshold gives.
    recomendado = (
        {}
        if prueba
        else _recomendar(
            ajuste, escenario, cap, anio, estandar, rapida, llegadas, resultados, tasa_ref, pron
        )
    )
    plan = _armar(
        anio=anio,
        hoy=hoy,
        estandar=estandar,
        referencia=referencia,
        ajuste=ajuste,
        cap=cap,
        pron=pron,
        resultados=resultados,
        recomendado=recomendado,
    )
    plan.segundos, plan.prueba = segundos, prueba
    plan.supuestos = _supuestos(ajuste, cap, referencia, prueba)
    return plan


def _tasa_de_referencia(cap: Capacidad) -> float:
    tasas = sorted(t.tasa for t in cap.tasas) or [1.0]
    return tasas[len(tasas) // 2] or 1.0


def _recomendar(
    ajuste, escenario, cap, anio, estandar, rapida, llegadas, resultados, tasa_ref, pron
):
    """{(area_id, monday): reviewer-days}: per month whose arrivals in a week of the plan miss
    the standard, the fewest times the people its load needs to add (bisection, the same runs
    as the plan's) for each such week's arrivals of that month to meet it; as reviewer-days,
    that multiple of each area-week's load at the office's pace, so that an area whose people
    are away gets its share and trying them (a Prueba) gives the simulation those people."""
    semanas = cap.semanas
    meses_rojos = sorted(
        {
            m
            for (_l, m), p in _p90_esperado(resultados, semanas, por_mes=True).items()
            if p > estandar
        }
    )
    pasos = (
        [ATENCION]
        if ajuste.por_tramite_completo
        else [paso_de_area(a.clave) for a in cap.areas if paso_de_area(a.clave) in ajuste.pasos]
    )
    cargas, _totales = _cargas(anio=anio, pron=pron, cap=cap)
    if not any(cargas.values()):
        # A forecast that does not split by area (no request of this year or of the history
        # has items): each area's nominal reviewer-days, so an area whose people are away still
        # gets its share.
        cargas = {llave: d * tasa_ref for llave, d in cap.nominales.items()}
    recomendado: dict = {}
    for mes in meses_rojos:
        del_mes = [lunes for lunes in semanas if _mes_de_semana(lunes, anio) == mes]
        if not del_mes:
            continue  # the month's people come from the record: nothing of the plan to add to
        # People are added where the load is: per step, the people its load needs at the
        # office's pace (in a record without steps, in the whole procedure's units).
        necesarias = {
            a.pk: sum(cargas[(a.pk, lunes)] for lunes in del_mes) / tasa_ref for a in cap.areas
        }
        habiles = sum(cap.habiles[lunes] for lunes in del_mes) or 1
        if ajuste.por_tramite_completo:
            nominal = sum(cap.nominales[(a.pk, lunes)] for a in cap.areas for lunes in del_mes)
            base = {
                (ATENCION, mes): ajuste.pasos[ATENCION].personas(mes)
                * sum(necesarias.values())
                / (nominal or 1)
            }
        else:
            base = {(paso_de_area(a.clave), mes): necesarias[a.pk] / habiles for a in cap.areas}

        def cumple(resultados, mes=mes) -> bool:
            p90 = _p90_esperado(resultados, semanas, por_mes=True)
            return all(p <= estandar for (_l, m), p in p90.items() if m == mes)

        veces = refuerzo.veces_minimas(
            ajuste,
            escenario,
            mes=mes,
            pasos=pasos,
            base=base,
            cumple=cumple,
            semillas=_semillas(mes),
            rapida=rapida,
            llegadas=[llegada for llegada in llegadas if llegada[0].month == mes],
        )
        if not veces:
            continue
        for area in cap.areas:
            for lunes in del_mes:
                recomendado[(area.pk, lunes)] = math.ceil(
                    veces * cargas[(area.pk, lunes)] / tasa_ref
                )
    return recomendado


def _semillas(mes: int) -> tuple[int, ...]:
    """Each month's runs draw their own numbers, the same in the plan, the search and a trial."""
    return tuple(100 * semilla + mes for semilla in SEMILLAS)


def _simular(ajuste, escenario, *, rapida, llegadas, meses) -> list[motor.Resultado]:
    """One result per seed: each month simulated with its own arrivals (the simulation loads
    people month by month, so a month does not depend on the others)."""
    por_mes = defaultdict(list)
    for llegada in llegadas:
        por_mes[llegada[0].month].append(llegada)
    resultados = []
    for i in range(len(SEMILLAS)):
        junto = motor.Resultado(escenario)
        for mes in meses:
            r = motor.simular(
                ajuste, escenario, semilla=_semillas(mes)[i], rapida=rapida, llegadas=por_mes[mes]
            )
            junto.dias += r.dias
            junto.llegadas += r.llegadas
            junto.areas += r.areas
        resultados.append(junto)
    return resultados


def _cargas(*, anio: int, pron: dict, cap: Capacidad) -> tuple[dict, dict]:
    """({(area_id, monday): load}, {monday: load of the whole office}): each month's forecast
    spread over its business days, summed over the week's."""
    habiles = pron["habiles"]
    por_area = {(f["area"].pk, m["mes"]): m["carga"] for f in pron["areas"] for m in f["meses"]}
    total = {f["mes"]: f["pronostico"] for f in pron["meses"]}
    cargas, totales = defaultdict(float), defaultdict(float)
    for lunes in cap.semanas:
        for i in range(7):
            dia = lunes + datetime.timedelta(days=i)
            if dia.year != anio or not cap.calendario.es_habil(dia) or not habiles.get(dia.month):
                continue
            totales[lunes] += total.get(dia.month, 0) / habiles[dia.month]
            for area in cap.areas:
                cargas[(area.pk, lunes)] += (
                    por_area.get((area.pk, dia.month), 0) / habiles[dia.month]
                )
    return cargas, totales


def _armar(*, anio, hoy, estandar, referencia, ajuste, cap, pron, resultados, recomendado) -> Plan:
    cargas, totales = _cargas(anio=anio, pron=pron, cap=cap)
    abiertas = _abiertas_por_area()
    total_p90 = _p90_esperado(resultados, cap.semanas)

    areas, total = [], {lunes: Semana(lunes) for lunes in cap.semanas}
    por_area = not ajuste.por_tramite_completo
    for area in cap.areas:
        paso = paso_de_area(area.clave)
        p90s = _p90_esperado(resultados, cap.semanas, paso=paso) if por_area else total_p90
        cola, semanas = float(abiertas.get(area.pk, 0)), []
        for lunes in cap.semanas:
            carga = cargas[(area.pk, lunes)]
            capac = cap.revisiones[(area.pk, lunes)]
            cola = max(cola + carga - capac, 0.0)
            reforzar = recomendado.get((area.pk, lunes), 0)
            p90 = p90s.get(lunes)
            s = Semana(lunes, carga, capac, cola, p90, bool(p90 and p90 > estandar), reforzar)
            semanas.append(s)
            t = total[lunes]
            t.capacidad += capac
            t.cola += cola
            t.refuerzo_dias += reforzar
        areas.append(AreaPlan(area, semanas))
    for lunes, t in total.items():
        t.carga = totales[lunes]
        t.p90 = total_p90.get(lunes)
        t.rojo = bool(t.p90 and t.p90 > estandar)
    return Plan(
        anio=anio,
        hoy=hoy,
        estandar=estandar,
        referencia=referencia,
        areas=areas,
        total=list(total.values()),
        tasas=cap.tasas,
        p90_por_area=por_area,
    )


def _supuestos(ajuste, cap, referencia, prueba) -> list[str]:
    frases = [
        str(
            _(
                "Los tiempos se aprenden del registro de {anio} (el último con solicitudes "
                "atendidas), según la carga de cada persona en el mes; la carga de este año es "
                "la del pronóstico (programa anual e historia)."
            )
        ).format(anio=referencia),
        str(
            _(
                "El simulador lleva la carga por mes: el refuerzo recomendado cubre el mes de la "
                "semana en rojo y se reparte entre sus semanas y entre las áreas según sus "
                "días-revisor disponibles."
            )
        ),
    ]
    frases.append(
        str(
            _(
                "Se calcula de nuevo cada hora y en cuanto cambia la capacidad (una ausencia, un "
                "refuerzo) o la configuración; una prueba muestra su p90 sin refuerzo "
                "recomendado propio."
            )
        )
    )
    if ajuste.por_tramite_completo:
        frases.append(
            str(
                _(
                    "El registro de {anio} es histórico importado, sin pasos del flujo: no dice "
                    "qué área revisó, así que el p90 de cada semana es el del trámite completo, "
                    "y se supone que en {anio} revisaba el personal que hoy tiene el rol, con "
                    "todos sus días."
                )
            ).format(anio=referencia)
        )
    if prueba and prueba.corte:
        frases.append(
            str(
                _(
                    "Con el corte al {corte:%d/%m/%Y}, las solicitudes que llegarían después "
                    "llegan en las cuatro semanas anteriores."
                )
            ).format(corte=prueba.corte)
        )
    return frases
