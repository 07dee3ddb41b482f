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
import pickle
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.capacidad.selectors.capacidad import Capacidad, capacidad, lunes_de
from dictamenes.capacidad.services import nucleo, prestamos
from dictamenes.capacidad.services.prestamos import Accion
from dictamenes.comun.cache import memorizar_ejercicio, versiones_por_ejercicio
from dictamenes.models import Area, PlanGuardado, Solicitud
from dictamenes.models.vias import ConfiguracionVias, Via
from dictamenes.planeacion.services.pronostico import pronostico
from dictamenes.roles import Rol
from dictamenes.simulacion.selectors.registro_anual import (
    ADMISION,
    ESTRATEGICA,
    FIRMA,
    es_paso_de_area,
    paso_de_area,
)
from dictamenes.simulacion.services import motor, refuerzo, via_rapida


class SinRegistro(ValueError):
    """No earlier fiscal year with attended requests: nothing to learn the times from."""


ERROR_SIN_REGISTRO = _(
    "No hay un ejercicio anterior a {anio} con solicitudes atendidas: el plan no tiene de qué "
    "aprender los tiempos."
)
NO_DIMENSIONA = _(
    "El último año con solicitudes atendidas, {anio}, es histórico importado: dice cuántos días "
    "tardó cada solicitud, pero no quién hizo cada paso ni cuánto trabajo le llevó. Sin eso no "
    "hay tiempos de servicio ni personal de los que calcular una cola, un p90 por semana o un "
    "refuerzo: este plan muestra solo las llegadas y su pronóstico. Cuando haya un año completo "
    "tramitado en el sistema, el plan lo dimensionará."
)
# The role that serves each step that is not an area's review.
ROL_DEL_PASO = {
    ADMISION: Rol.MESA_CONTROL,
    ESTRATEGICA: Rol.REVISOR_ESTRATEGICO,
    FIRMA: Rol.FIRMANTE,
}


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
    capacidad: float | None = 0.0
    cola: float | None = 0.0
    p90: int | None = None
    rojo: bool = False
    refuerzo_dias: float = 0.0
    # The plan's 80 % interval of the week's p90: its scenarios' 10th and 90th percentiles.
    p90_bajo: float | None = None
    p90_alto: float | None = None

    @property
    def domingo(self) -> datetime.date:
        return self.lunes + datetime.timedelta(days=6)


@dataclass
class AreaPlan:
    area: Area
    semanas: list[Semana]
    medida: bool = True  # the reference year has this area's reviews to learn from

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
    dimensionable: bool = True
    acciones: list[Accion] = field(default_factory=list)
    # month -> the name of the step its requests wait on that no reviewer serves
    sin_alcance: dict[int, str] = field(default_factory=dict)
    personal: dict = field(default_factory=dict)  # step -> people today
    forma: list = field(default_factory=list)  # a month's arrivals by tenths of its days
    motivo: str = ""  # why the plan cannot size the year
    # The recommendation's margin (issue 81): reviewer-days beyond what meets the standard in
    # the mean of the scenarios; the least share of scenarios in which each week meets it with
    # the recommendation; the office's weeks with it (p90 and interval).
    margen: float = 0.0
    probabilidad: float | None = None
    con_refuerzo: list[Semana] = field(default_factory=list)
    # The rule of thumb beside it: its loans, reviewer-days, likelihood; recommended instead.
    regla: list[Accion] = field(default_factory=list)
    regla_dias: float = 0.0
    regla_probabilidad: float | None = None
    recomienda_regla: bool = False
    corridas: int = 0
    error_estandar: float = 0.0  # of the expected p90, the largest of the weeks
    # Each plan computed is told apart from the others (the page renders each one once).
    identidad: str = field(default_factory=lambda: uuid.uuid4().hex)

    def rojas_proximas(self, semanas: int = 4) -> list[Semana]:
        hasta = lunes_de(self.hoy) + datetime.timedelta(weeks=semanas)
        return [s for s in self.total if s.rojo and s.lunes < hasta]

    @property
    def refuerzo_dias(self) -> float:
        return sum(s.refuerzo_dias for s in self.total)


def anio_de_referencia(*, anio: int) -> int:
    """The latest fiscal year before `anio` with attended requests, with workflow steps if any
    has them (a year lived in the system), else the latest imported one."""
    atendidas = Solicitud.objects.filter(ejercicio__lt=anio, dias_habiles_atencion__isnull=False)
    ultimo = atendidas.filter(proceso__isnull=False).aggregate(m=Max("ejercicio"))["m"]
    ultimo = ultimo or atendidas.aggregate(m=Max("ejercicio"))["m"]
    if ultimo is None:
        raise SinRegistro(str(ERROR_SIN_REGISTRO).format(anio=anio))
    return ultimo


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


def _personas_por_rol() -> dict[str, int]:
    """People who hold each non-review step's role today (active accounts)."""
    grupos = dict(
        get_user_model()
        .objects.filter(
            is_active=True, groups__name__in=[str(r.label) for r in ROL_DEL_PASO.values()]
        )
        .values("groups__name")
        .annotate(n=Count("id", distinct=True))
        .values_list("groups__name", "n")
    )
    return {paso: grupos.get(str(rol.label), 0) for paso, rol in ROL_DEL_PASO.items()}


def _cola_esperada(resultados, semanas, reloj, paso) -> dict:
    """{monday: the area's reviews expected open (waiting or being done) at the end of the
    week}, the mean over the runs."""
    fines = {lunes: float(reloj.indice(lunes + datetime.timedelta(days=7))) for lunes in semanas}
    cola = defaultdict(float)
    for r in resultados:
        for p, _i, listo, _inicio, fin in r.tareas:
            if p != paso:
                continue
            for lunes, t in fines.items():
                if listo <= t < fin:
                    cola[lunes] += 1
    return {lunes: cola[lunes] / len(resultados) for lunes in semanas}


def plan_de_capacidad(
    *, anio: int | None = None, hoy: datetime.date | None = None, prueba: Prueba | None = None
) -> Plan:
    """The plan, computed again each hour (the requests received move the forecast a little)
    and as soon as the capacity or a setting changes (their events are about no request:
    version 0); one per trial."""
    hoy = hoy or timezone.localdate()
    anio = anio or hoy.year
    hora = timezone.localtime().hour
    prefijo = (
        "plan_capacidad:"
        + hashlib.sha256(f"{anio}|{hoy}|{hora}|{prueba}".encode()).hexdigest()[:32]
    )
    versiones = versiones_por_ejercicio()
    calcular = functools.partial(_plan, anio=anio, hoy=hoy, prueba=prueba)
    if prueba is None:
        # The plan itself is kept in the database too: after a restart, or in another
        # server, it is read, not simulated again. A trial is never kept.
        clave = hashlib.sha256(f"{prefijo}|{versiones.get(0, 0)}".encode()).hexdigest()
        calcular = functools.partial(_guardado, clave=clave, calcular=calcular)
    return memorizar_ejercicio(prefijo, 0, versiones, calcular=calcular)


def _guardado(*, clave: str, calcular) -> Plan:
    """The plan kept under `clave` (the same parts as the cache's key), or computed and kept
    in place of the one before. A kept plan that cannot be read (written by another version
    of the code) is computed again."""
    contenido = PlanGuardado.objects.filter(clave=clave).values_list("contenido", flat=True)
    for guardado in contenido[:1]:
        try:
            return pickle.loads(bytes(guardado))  # noqa: S301 - written by _guardado itself
        except Exception:  # noqa: BLE001, S112 - an older layout: compute it again
            break
    plan = calcular()
    try:
        with transaction.atomic():
            PlanGuardado.objects.exclude(clave=clave).delete()
            PlanGuardado.objects.update_or_create(
                clave=clave, defaults={"contenido": pickle.dumps(plan)}
            )
    except IntegrityError:
        pass  # another server kept the same plan at the same moment
    return plan


def _ajuste(referencia: int):
    """A past year's fit changes only when an event touches that year: read from the cache.
    None for a record without steps."""
    try:
        return memorizar_ejercicio(
            "ajuste_simulacion",
            referencia,
            versiones_por_ejercicio(),
            calcular=functools.partial(motor.ajustar, anio=referencia),
        )
    except motor.SinPasos:
        return None


def _plan(*, anio: int, hoy: datetime.date, prueba: Prueba | None) -> Plan:
    config = ConfiguracionVias.objects.vigentes()
    referencia = anio_de_referencia(anio=anio)
    ajuste = _ajuste(referencia)
    pron = pronostico(anio=anio, hoy=hoy)
    cap = capacidad(
        desde=max(hoy, datetime.date(anio, 1, 1)), hasta=datetime.date(anio, 12, 31), hoy=hoy
    )
    estandar = config.meta_dias_completa
    if ajuste is None:
        return _sin_dimensionar(
            anio=anio, hoy=hoy, estandar=estandar, referencia=referencia, cap=cap, pron=pron
        )
    umbral = prueba.umbral if prueba else None
    # The track rule read for each of the reference year's requests: kept while that year,
    # the tracks' version and the threshold tried stay the same.
    rapida, fraccion = memorizar_ejercicio(
        f"vias_simulacion:{config.version}:{umbral}",
        referencia,
        versiones_por_ejercicio(),
        calcular=functools.partial(_vias, ajuste, config, umbral),
    )
    probados = prestamos.de_la_prueba(prueba.refuerzos, cap, hoy) if prueba else []
    recibidas = sorted(
        timezone.localtime(f).date()
        for f in Solicitud.objects.filter(ejercicio=anio, presentada_en__isnull=False).values_list(
            "presentada_en", flat=True
        )
    )
    por_rol = _personas_por_rol()
    inicio = time.perf_counter()
    calculo = nucleo.calcular(
        nucleo.Entradas(
            anio=anio,
            hoy=hoy,
            estandar=estandar,
            ajuste=ajuste,
            meses=pron["meses"],
            recibidas=recibidas,
            cap=cap,
            por_rol=por_rol,
            rapida=rapida,
            fraccion_rapida=fraccion,
            corte=prueba.corte if prueba else None,
            probados=tuple(probados),
            # The recommendation searches (dozens of runs): for the plan, not for each trial,
            # which shows what its own reinforcement, cut-off or threshold gives.
            recomendar=prueba is None,
        )
    )
    segundos = time.perf_counter() - inicio
    reloj = motor.Reloj.del_anio(anio)
    plan = _armar(
        anio=anio,
        hoy=hoy,
        estandar=estandar,
        referencia=referencia,
        ajuste=ajuste,
        cap=cap,
        pron=pron,
        calculo=calculo,
        reloj=reloj,
        probados=probados,
    )
    plan.segundos, plan.prueba = segundos, prueba
    plan.personal = {**por_rol}
    plan.supuestos = _supuestos(ajuste, cap, referencia, prueba, plan)
    return plan


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


def _armar(
    *,
    anio,
    hoy,
    estandar,
    referencia,
    ajuste,
    cap,
    pron,
    calculo,
    reloj,
    probados,
) -> Plan:
    resultados, recomendacion = calculo.resultados, calculo.recomendacion
    if calculo.recomienda_regla:
        recomendacion = refuerzo.Recomendacion(prestamos=list(calculo.regla))
    cargas, totales = _cargas(anio=anio, pron=pron, cap=cap)
    total_p90 = refuerzo.p90_esperado(resultados, cap.semanas)
    total_intervalo = nucleo.intervalo(resultados, cap.semanas)
    recomendados = prestamos.dias_por_semana(recomendacion.prestamos, cap)
    sumados = prestamos.dias_por_semana(probados, cap)
    medias = {p: ajuste.pasos[p].media for p in ajuste.pasos if es_paso_de_area(p)}
    media_oficina = sum(medias.values()) / len(medias) if medias else 1.0

    areas, total = [], {lunes: Semana(lunes, capacidad=0.0, cola=0.0) for lunes in cap.semanas}
    for area in cap.areas:
        paso = paso_de_area(area.clave)
        medida = paso in ajuste.pasos
        p90s = refuerzo.p90_esperado(resultados, cap.semanas, paso=paso)
        intervalos = nucleo.intervalo(resultados, cap.semanas, paso=paso)
        colas = _cola_esperada(resultados, cap.semanas, reloj, paso)
        servicio = medias.get(paso, media_oficina) or media_oficina
        semanas = []
        for lunes in cap.semanas:
            # Reviews its people can finish that week: their reviewer-days (with a trial's
            # loans) over the time one review takes them (measured in the record).
            dias = cap.dias[(area.pk, lunes)] + sumados[(paso, lunes)]
            capac = dias / servicio if servicio else 0.0
            p90 = p90s.get(lunes)
            s = Semana(
                lunes,
                cargas[(area.pk, lunes)],
                capac,
                colas[lunes],
                p90,
                bool(p90 and p90 > estandar),
                recomendados[(paso, lunes)],
                *intervalos.get(lunes, (None, None)),
            )
            semanas.append(s)
            t = total[lunes]
            t.capacidad += capac
            t.cola += colas[lunes]
            t.refuerzo_dias += s.refuerzo_dias
        areas.append(AreaPlan(area, semanas, medida))
    for lunes, t in total.items():
        t.carga = totales[lunes]
        t.p90 = total_p90.get(lunes)
        t.rojo = bool(t.p90 and t.p90 > estandar)
        t.p90_bajo, t.p90_alto = total_intervalo.get(lunes, (None, None))
    con = refuerzo.p90_esperado(calculo.con_refuerzo, cap.semanas)
    con_intervalo = nucleo.intervalo(calculo.con_refuerzo, cap.semanas)
    habiles = [dia for lunes in cap.semanas for dia in prestamos.habiles_de(cap, lunes, hoy)]
    return Plan(
        anio=anio,
        hoy=hoy,
        estandar=estandar,
        referencia=referencia,
        areas=areas,
        total=list(total.values()),
        tasas=cap.tasas,
        acciones=prestamos.acciones(recomendacion.prestamos, cap),
        sin_alcance={m: refuerzo.nombre_del_paso(p) for m, p in recomendacion.sin_alcance.items()},
        margen=calculo.margen,
        probabilidad=calculo.probabilidad,
        con_refuerzo=[
            Semana(
                lunes,
                p90=con.get(lunes),
                rojo=bool(con.get(lunes) and con[lunes] > estandar),
                p90_bajo=con_intervalo.get(lunes, (None, None))[0],
                p90_alto=con_intervalo.get(lunes, (None, None))[1],
            )
            for lunes in cap.semanas
            if lunes in con
        ],
        regla=prestamos.acciones(calculo.regla, cap),
        regla_dias=nucleo.dias_revisor(calculo.regla, habiles),
        regla_probabilidad=calculo.regla_probabilidad,
        recomienda_regla=calculo.recomienda_regla,
        corridas=len(resultados),
        error_estandar=calculo.error_estandar,
        forma=calculo.forma,
    )


def _sin_dimensionar(*, anio, hoy, estandar, referencia, cap, pron) -> Plan:
    """What a record without steps still tells: the arrivals and their forecast."""
    cargas, totales = _cargas(anio=anio, pron=pron, cap=cap)
    areas = [
        AreaPlan(
            area,
            [Semana(lunes, cargas[(area.pk, lunes)], None, None) for lunes in cap.semanas],
            medida=False,
        )
        for area in cap.areas
    ]
    total = [Semana(lunes, totales[lunes], None, None) for lunes in cap.semanas]
    return Plan(
        anio=anio,
        hoy=hoy,
        estandar=estandar,
        referencia=referencia,
        areas=areas,
        total=total,
        tasas=cap.tasas,
        dimensionable=False,
        motivo=str(NO_DIMENSIONA).format(anio=referencia),
    )


def _supuestos(ajuste, cap, referencia, prueba, plan) -> list[str]:
    frases = [
        str(
            _(
                "Cada paso es una cola: la admisión, la revisión de cada área, la estratégica y "
                "la firma, cada una con las personas que tienen hoy su rol o su área (las "
                "ausencias, sustituciones y préstamos registrados cuentan). El tiempo que cada "
                "tarea lleva de trabajo se mide en el registro de {anio}, el último tramitado "
                "en el sistema; más personas acortan la espera, nunca el trabajo."
            )
        ).format(anio=referencia),
        str(
            _(
                "Las llegadas de este año son las recibidas y, de cada mes, la parte del "
                "pronóstico (programa anual e historia) que toca a los días hábiles que faltan, "
                "según la forma de un mes en el registro de {anio}: qué parte de las llegadas "
                "de un mes cae en cada décimo de sus días hábiles (del primer décimo al último: "
                "{forma}). Lo que no llegó en los días ya pasados no se amontona en los que "
                "quedan. Las solicitudes se simulan desde su llegada: la cola esperada es la de "
                "la simulación, no la de hoy."
            )
        ).format(anio=referencia, forma=" · ".join(f"{100 * p:.0f} %" for p in plan.forma)),
        str(_("Las ausencias cuentan en las semanas en que caen, no repartidas en el mes.")),
        str(
            _(
                "Cada una de las {corridas} corridas es un escenario: el nivel de las llegadas "
                "que faltan se mueve con el error del pronóstico (±{error:.0f} % una desviación "
                "estándar), los tiempos de trabajo se vuelven a sacar del registro (es una "
                "muestra de un año) y cada solicitud sigue su propio curso. El p90 esperado es "
                "la media de los escenarios (su error estándar, en la semana más incierta, es "
                "±{ee:.1f} días) y el intervalo, del décimo al nonagésimo de ellos."
            )
        ).format(
            corridas=plan.corridas, error=100 * nucleo.ERROR_PRONOSTICO, ee=plan.error_estandar
        ),
        str(
            _(
                "El refuerzo recomendado es el menor con el que cada semana queda en el estándar "
                "en al menos {cuantil:.0f} de cada 100 escenarios; el margen es lo que cuesta de "
                "más sobre el que basta en el escenario medio."
            )
        ).format(cuantil=100 * nucleo.CUANTIL),
        str(
            _(
                "El plan no sabe lo que el registro no dice: cuántas solicitudes llegarán de "
                "verdad, si alguien enfermará, ni si las personas prestadas rinden como las del "
                "área. El tiempo que la solicitud pasa con quien la pide (prevenciones) no "
                "cuenta en el p90, como en el reloj del trámite."
            )
        ),
        str(
            _(
                "Se calcula de nuevo cada hora y en cuanto cambia la capacidad (una ausencia, un "
                "refuerzo) o la configuración; una prueba muestra su p90 sin refuerzo "
                "recomendado propio."
            )
        ),
    ]
    sin_registro = [a.area.nombre for a in plan.areas if not a.medida]
    if sin_registro:
        frases.append(
            str(
                _(
                    "Sin revisiones en el registro de {anio}, no hay de qué medir el trabajo "
                    "de: {areas}. Su p90 no se estima y no recibe refuerzo recomendado."
                )
            ).format(anio=referencia, areas=", ".join(sin_registro))
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
