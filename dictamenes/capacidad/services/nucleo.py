"""The plan's calculation from its inputs (issue 81): the same for the page, which reads them
from the database (capacidad.services.plan), and for the validation, which reads them from a
world's record (`manage.py capacidad_validar --panel`). No query here.

- The arrivals still to come: each month's forecast times the part of the month still ahead,
  by the shape of a month in the reference year's record (the share of a month's arrivals that
  fell on each tenth of its business days): a month whose forecast has not arrived yet is not a
  wave on its last days; it is corrected by what has arrived, since only the days ahead count.
- Each run is a scenario: its own draw of the arrivals still to come (their level moved by
  the forecast's error, `ERROR_PRONOSTICO`, and their days by the shape), its own bootstrap of
  the measured service times (one year's sample is a sample), and its own noise. `CORRIDAS`
  runs.
- The recommendation: the least reviewers lent so that the p90 of every week (all its
  arrivals, and those of each area) is within the standard in `CUANTIL` of the scenarios; the
  margin is what that costs beyond meeting it in the mean of the scenarios (the same loans
  shortened together until they just meet it there).
- The rule of thumb beside it: one more reviewer in the two areas with the most reviews in the
  record, every business day of December; when it meets the standard as often and costs no
  more, the plan recommends it and says why.
"""

import dataclasses
import datetime
import math
import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from dictamenes.capacidad.selectors.capacidad import Capacidad
from dictamenes.models.vias import Via
from dictamenes.simulacion.selectors.registro_anual import paso_de_area
from dictamenes.simulacion.services import motor, refuerzo

CORRIDAS = 20  # scenarios per evaluation
CUANTIL = 0.8  # the share of scenarios in which every week must meet the standard
ERROR_PRONOSTICO = 0.10  # relative spread of the level of the arrivals still to come
DECIMOS = 10  # the month's shape: its business days in tenths
# The runs start with the requests received this many days before today: what arrived earlier
# was attended weeks ago (the standard is 20 business days), and simulating it again from
# January only costs time.
CALENTAMIENTO = 90


@dataclass(frozen=True)
class Entradas:
    """What the plan is computed from."""

    anio: int
    hoy: datetime.date
    estandar: int
    ajuste: motor.Ajuste
    meses: list  # [{"mes", "pronostico", "recibidas"}] of the forecast
    recibidas: list[datetime.date]  # this year's requests presented, by day
    cap: Capacidad
    por_rol: dict  # non-review step -> people who hold its role
    rapida: object = None  # motor.ViaRapida, or None: every request on the full track
    fraccion_rapida: dict = field(default_factory=dict)  # month -> share of fast requests
    corte: datetime.date | None = None
    probados: tuple = ()  # a trial's loans (refuerzo.Prestamo)
    recomendar: bool = True


@dataclass
class Calculo:
    resultados: list  # the runs with the staff (and a trial's loans)
    recomendacion: refuerzo.Recomendacion
    con_refuerzo: list  # the runs with the recommended loans
    margen: float = 0.0  # reviewer-days beyond meeting the standard in the mean
    sin_margen: float = 0.0  # reviewer-days that meet it in the mean of the scenarios
    probabilidad: float | None = None  # least share of scenarios a week meets it, with them
    regla: list = field(default_factory=list)  # the rule of thumb's loans
    regla_probabilidad: float | None = None
    regla_cumple: bool = False
    con_regla: list = field(default_factory=list)  # the runs with the rule of thumb
    recomienda_regla: bool = False
    error_estandar: float = 0.0  # of the expected p90, the largest of the weeks
    forma: list = field(default_factory=list)  # the month's shape, by tenths


def habiles_del_mes(cal, anio: int, mes: int) -> list[datetime.date]:
    dia, dias = datetime.date(anio, mes, 1), []
    while dia.month == mes:
        if cal.es_habil(dia):
            dias.append(dia)
        dia += datetime.timedelta(days=1)
    return dias


def _decimo(i: int, n: int) -> int:
    return min(DECIMOS * i // n, DECIMOS - 1)


def forma_del_mes(llegadas: Counter, dias: list[datetime.date]) -> list[float]:
    """The share of a month's arrivals on each tenth of its business days: each month of the
    record (its business days among `dias`) weighs the same; uniform without a record."""
    por_mes = defaultdict(list)
    for d in dias:
        por_mes[(d.year, d.month)].append(d)
    pesos = [0.0] * DECIMOS
    for habiles in por_mes.values():
        total = sum(llegadas.get(d, 0) for d in habiles)
        if not total:
            continue
        for i, d in enumerate(habiles):
            pesos[_decimo(i, len(habiles))] += llegadas.get(d, 0) / total
    suma = sum(pesos)
    if not suma:
        return [1 / DECIMOS] * DECIMOS
    return [p / suma for p in pesos]


def por_llegar(entradas: Entradas, forma: list[float]) -> dict[int, tuple[list, list, float]]:
    """{month: (business days ahead, their weights, expected requests)}: each month's forecast
    times its part still ahead, spread by the shape."""
    cal, hoy, anio = entradas.cap.calendario, entradas.hoy, entradas.anio
    resultado = {}
    for fila in entradas.meses:
        habiles = habiles_del_mes(cal, anio, fila["mes"])
        if not habiles or habiles[-1] < hoy:
            continue
        cuantos = Counter(_decimo(i, len(habiles)) for i in range(len(habiles)))
        pesos = [
            forma[_decimo(i, len(habiles))] / cuantos[_decimo(i, len(habiles))]
            for i in range(len(habiles))
        ]
        delante = [(d, w) for d, w in zip(habiles, pesos, strict=True) if d >= hoy]
        parte = sum(w for _d, w in delante) / sum(pesos)
        if delante and fila["pronostico"] > 0:
            resultado[fila["mes"]] = (
                [d for d, _w in delante],
                [w for _d, w in delante],
                fila["pronostico"] * parte,
            )
    return resultado


def _con_corte(fechas: list, corte, cal) -> list:
    """With a cut-off, the arrivals after it come in the four weeks before it."""
    if not corte:
        return fechas
    antes = [
        corte - datetime.timedelta(days=i)
        for i in range(28)
        if cal.es_habil(corte - datetime.timedelta(days=i))
    ][::-1]
    despues = [f for f in fechas if f > corte]
    movidas = [antes[i * len(antes) // len(despues)] for i in range(len(despues))] if antes else []
    return [f for f in fechas if f <= corte] + movidas


def _con_vias(fechas: list, fraccion_rapida: dict) -> list[tuple[datetime.date, str]]:
    """Each month's share of fast-track requests: the i-th arrival of the month is fast when
    it crosses the next whole of the share."""
    resultado, por_mes = [], defaultdict(int)
    for fecha in sorted(fechas):
        i = por_mes[fecha.month]
        por_mes[fecha.month] += 1
        parte = fraccion_rapida.get(fecha.month, 0.0)
        rapida = math.floor((i + 1) * parte) > math.floor(i * parte)
        resultado.append((fecha, Via.RAPIDA if rapida else Via.COMPLETA))
    return resultado


def llegadas_de(entradas: Entradas, delante: dict, semilla: int) -> list:
    """One scenario's arrivals: those received, and the ones still to come drawn around the
    forecast (its level by the forecast's error, its days by the shape)."""
    azar = random.Random(f"{semilla}-llegadas")  # noqa: S311 - a reproducible scenario
    nivel = max(azar.gauss(1.0, ERROR_PRONOSTICO), 0.3)
    inicio = entradas.hoy - datetime.timedelta(days=CALENTAMIENTO)
    fechas = [d for d in entradas.recibidas if d >= inicio]
    for mes in sorted(delante):
        dias, pesos, esperadas = delante[mes]
        fechas += azar.choices(dias, weights=pesos, k=round(esperadas * nivel))
    fechas = _con_corte(fechas, entradas.corte, entradas.cap.calendario)
    return _con_vias(fechas, entradas.fraccion_rapida)


def personal(entradas: Entradas) -> tuple[tuple, tuple]:
    """(monthly, weekly) people per step, as the simulation takes them: each area's reviewers
    present each week of the plan (absences, substitutions, loans and non-working days counted
    by the capacity), its people today in the months before; the other steps, the people who
    hold their role today."""
    cap = entradas.cap
    primera = cap.semanas[0]
    mensual, semanal = [], []
    for area in cap.areas:
        paso = paso_de_area(area.clave)
        hoy_personas = cap.nominales[(area.pk, primera)] / (cap.habiles[primera] or 1)
        mensual += [(paso, m, hoy_personas) for m in range(1, 13)]
        for lunes in cap.semanas:
            if cap.habiles.get(lunes):
                semanal.append((paso, lunes, cap.dias[(area.pk, lunes)] / cap.habiles[lunes]))
    for paso, n in entradas.por_rol.items():
        mensual += [(paso, m, float(n)) for m in range(1, 13)]
    return tuple(mensual), tuple(semanal)


def _habiles_plan(cap: Capacidad, hoy) -> list[datetime.date]:
    return [
        lunes + datetime.timedelta(days=i)
        for lunes in cap.semanas
        for i in range(7)
        if cap.calendario.es_habil(lunes + datetime.timedelta(days=i))
        and lunes + datetime.timedelta(days=i) >= hoy
    ]


def dias_revisor(prestamos, habiles) -> float:
    return sum(p.dias(habiles) for p in prestamos)


def probabilidad(resultados, semanas, pasos, estandar) -> float | None:
    """The least share, over the weeks of the plan (all their arrivals and those of each area),
    of scenarios in which that week's p90 is within the standard."""
    dentro, cuentas, corridas = set(semanas), defaultdict(int), defaultdict(int)
    for r in resultados:
        por = defaultdict(list)
        for llegada, dias, areas in zip(r.llegadas, r.dias, r.areas, strict=True):
            lunes = refuerzo.lunes_de(llegada)
            if lunes in dentro:
                por[(lunes, None)].append(dias)
                for paso in set(areas) & set(pasos):
                    por[(lunes, paso)].append(dias)
        for llave, dias in por.items():
            cuentas[llave] += motor.percentil_90(dias) <= estandar
            corridas[llave] += 1  # the scenarios in which that week has such arrivals
    if not corridas:
        return None
    return min(cuentas[llave] / n for llave, n in corridas.items())


def intervalo(resultados, semanas, *, paso=None) -> dict:
    """{monday: (p10, p90)} of the scenarios' p90 of the week's arrivals: the plan's 80 %
    interval."""
    por = defaultdict(list)
    for r in resultados:
        for lunes, p90 in refuerzo.p90_esperado([r], semanas, paso=paso, redondear=False).items():
            por[lunes].append(p90)
    return {
        lunes: (refuerzo.cuantil_de(v, 0.1), refuerzo.cuantil_de(v, 0.9))
        for lunes, v in por.items()
    }


def error_estandar(resultados, semanas) -> float:
    """The largest standard error, over the weeks, of the expected p90 (the mean of the runs)."""
    por = defaultdict(list)
    for r in resultados:
        for lunes, p90 in refuerzo.p90_esperado([r], semanas, redondear=False).items():
            por[lunes].append(p90)
    return max(
        (statistics.stdev(v) / math.sqrt(len(v)) for v in por.values() if len(v) > 1), default=0.0
    )


def regla_empirica(entradas: Entradas, habiles) -> list:
    """One more reviewer in the two areas with the most reviews in the record, every business
    day of December still ahead."""
    ajuste = entradas.ajuste
    dos = sorted(ajuste.peso_areas, key=lambda p: (-ajuste.peso_areas[p], p))[:2]
    diciembre = [d for d in habiles if d.month == 12 and d.year == entradas.anio]
    if not diciembre:
        return []
    return [refuerzo.Prestamo(paso, diciembre[0], diciembre[-1]) for paso in sorted(dos)]


def calcular(entradas: Entradas, *, corridas: int = CORRIDAS, cuantil: float = CUANTIL) -> Calculo:
    """The plan's runs, its recommendation with its margin and likelihood, and the rule of
    thumb beside it."""
    ajuste, cap = entradas.ajuste, entradas.cap
    reloj = motor.Reloj.del_anio(entradas.anio)
    forma = forma_del_mes(ajuste.historial.llegadas, ajuste.reloj.dias)
    delante = por_llegar(entradas, forma)
    semillas = range(7, 7 + corridas)
    listas = [llegadas_de(entradas, delante, s) for s in semillas]
    mensual, semanal = personal(entradas)
    escenario = motor.Escenario(
        "Plan de capacidad",
        asignacion=True,
        via_rapida=entradas.rapida is not None,
        personal=mensual,
        personal_semanal=semanal,
    )
    escenario = refuerzo.con_prestamos(escenario, entradas.probados)

    vistos: dict[motor.Escenario, list[motor.Resultado]] = {}

    def correr(con: motor.Escenario) -> list[motor.Resultado]:
        # The search, the margin and the rule try some scenarios twice (the plan without
        # loans, the loans it ends with): the same scenario gives the same runs.
        if con not in vistos:
            vistos[con] = _correr(con)
        return vistos[con]

    def _correr(con: motor.Escenario) -> list[motor.Resultado]:
        return [
            motor.simular(
                ajuste,
                con,
                semilla=s,
                rapida=entradas.rapida,
                llegadas=lista,
                reloj=reloj,
                remuestreo=True,
            )
            for s, lista in zip(semillas, listas, strict=True)
        ]

    resultados = correr(escenario)
    calculo = Calculo(resultados, refuerzo.Recomendacion(), resultados, forma=forma)
    calculo.error_estandar = error_estandar(resultados, cap.semanas)
    if not entradas.recomendar:
        return calculo
    habiles = _habiles_plan(cap, entradas.hoy)
    pasos = [paso_de_area(a.clave) for a in cap.areas if paso_de_area(a.clave) in ajuste.pasos]
    recomendacion = _busqueda(entradas, escenario, correr, resultados, pasos)(cuantil)
    calculo.recomendacion = recomendacion
    calculo.con_refuerzo = correr(refuerzo.con_prestamos(escenario, recomendacion.prestamos))
    costo = dias_revisor(recomendacion.prestamos, habiles)
    calculo.sin_margen = _sin_margen(
        recomendacion.prestamos,
        habiles,
        lambda ps: _cumple(
            correr(refuerzo.con_prestamos(escenario, ps)), cap.semanas, pasos, entradas, None
        ),
    )
    calculo.margen = max(costo - calculo.sin_margen, 0.0)
    calculo.probabilidad = probabilidad(calculo.con_refuerzo, cap.semanas, pasos, entradas.estandar)
    calculo.regla = regla_empirica(entradas, habiles)
    if calculo.regla:
        con_regla = correr(refuerzo.con_prestamos(escenario, calculo.regla))
        calculo.con_regla = con_regla
        calculo.regla_probabilidad = probabilidad(con_regla, cap.semanas, pasos, entradas.estandar)
        calculo.regla_cumple = _cumple(con_regla, cap.semanas, pasos, entradas, cuantil)
        calculo.recomienda_regla = (
            bool(recomendacion.prestamos or recomendacion.sin_alcance)
            and calculo.regla_cumple
            and dias_revisor(calculo.regla, habiles) <= costo
        )
    return calculo


def _sin_margen(prestamos, habiles, basta, pasos_biseccion: int = 6) -> float:
    """The reviewer-days that meet the standard in the mean of the scenarios: the same loans
    shortened together (each to the same share of its business days, by bisection)."""
    if not prestamos or basta([]):
        return 0.0

    def acortados(parte: float) -> list:
        lista = []
        for p in prestamos:
            dias = [d for d in habiles if p.desde <= d <= p.hasta]
            n = math.ceil(parte * len(dias) - 1e-9)
            if n:
                lista.append(dataclasses.replace(p, hasta=dias[n - 1]))
        return lista

    bajo, alto = 0.0, 1.0  # alto always meets (the recommendation meets it in its quantile)
    for _paso in range(pasos_biseccion):
        medio = (bajo + alto) / 2
        if basta(acortados(medio)):
            alto = medio
        else:
            bajo = medio
    return dias_revisor(acortados(alto), habiles)


def _cumple(resultados, semanas, pasos, entradas: Entradas, cuantil) -> bool:
    return all(
        p <= entradas.estandar
        for _paso, g in refuerzo.p90_por_grupo(resultados, semanas, pasos, cuantil=cuantil)
        for p in g.values()
    )


def _busqueda(entradas: Entradas, escenario, correr, resultados, pasos) -> Callable:
    cap, hoy, anio = entradas.cap, entradas.hoy, entradas.anio

    def ventana(mes: int) -> list[datetime.date]:
        """The month's weeks of the plan, from today: the business days a loan may cover."""
        return [
            lunes + datetime.timedelta(days=i)
            for lunes in cap.semanas
            if refuerzo.mes_de_semana(lunes, anio) == mes
            for i in range(7)
            if cap.calendario.es_habil(lunes + datetime.timedelta(days=i))
            and lunes + datetime.timedelta(days=i) >= hoy
        ]

    def buscar(cuantil) -> refuerzo.Recomendacion:
        return refuerzo.recomendar_semanas(
            escenario=escenario,
            correr=lambda con: resultados if con == escenario else correr(con),
            estandar=entradas.estandar,
            pasos=pasos,
            ventana=ventana,
            semanas=cap.semanas,
            anio=anio,
            cuantil=cuantil,
        )

    return buscar
