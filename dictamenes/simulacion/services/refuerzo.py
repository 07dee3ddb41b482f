"""The least reinforcement that meets the standard (issue 60): reviewers lent to an area
between two dates, searched in the queue simulation.

Month by month (in order: a month reinforced shortens the next one's backlog), while the
month's arrivals miss the standard, one more reviewer is lent for the whole month to every area
whose requests of some week of that month miss it (to the slowest, when only the office as a
whole does); loans that shorten nothing stop the search: the month waits on a step no reviewer
serves (admission, the strategic review, the signature), and the search says which. Then the
month's loans are shortened together, by bisection on their last day, and then each alone, to
the fewest days that still meet the standard; one not needed at all is dropped. The same search
serves the capacity plan (this year's forecast, its scenarios judged by a quantile of their
p90s: capacidad.services.nucleo) and `simular_anio --plan` (a recorded year replayed)."""

import datetime
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy as _

from dictamenes.simulacion.selectors.registro_anual import area_del_paso
from dictamenes.simulacion.services import motor

MAXIMO_PRESTAMOS = 12  # per month: beyond it the plan says the month cannot be met this way
PASOS_NOMBRE = {
    "admision": _("la admisión (mesa de control)"),
    "revision_estrategica": _("la revisión estratégica"),
    "firma": _("la firma"),
}


@dataclass(frozen=True)
class Prestamo:
    """`personas` reviewers lent to an area's review from `desde` to `hasta`, both included."""

    paso: str
    desde: datetime.date
    hasta: datetime.date
    personas: float = 1.0

    @property
    def area(self) -> str:
        return area_del_paso(self.paso)

    def dias(self, habiles: list[datetime.date]) -> float:
        """Reviewer-days: its business days (of `habiles`) times its people."""
        return self.personas * sum(self.desde <= d <= self.hasta for d in habiles)

    def como_tupla(self):
        return (self.paso, self.desde, self.hasta, self.personas)


@dataclass
class Recomendacion:
    prestamos: list[Prestamo] = field(default_factory=list)
    # month -> the step its requests wait on that no reviewer serves
    sin_alcance: dict[int, str] = field(default_factory=dict)
    resultados: list = field(default_factory=list)  # the runs with every loan

    def escenario(self, base: motor.Escenario) -> motor.Escenario:
        return con_prestamos(base, self.prestamos)


def con_prestamos(escenario: motor.Escenario, prestamos) -> motor.Escenario:
    return replace(
        escenario, prestamos=escenario.prestamos + tuple(p.como_tupla() for p in prestamos)
    )


def nombre_del_paso(paso: str) -> str:
    return str(PASOS_NOMBRE.get(paso, paso))


def paso_que_espera(resultados: list[motor.Resultado], mes: int) -> str | None:
    """The step whose tasks of `mes`'s requests waited longest on average."""
    espera: dict[str, float] = {}
    for r in resultados:
        for paso, i, listo, inicio, _fin in r.tareas:
            if r.meses[i] == mes:
                espera[paso] = espera.get(paso, 0.0) + inicio - listo
    return max(espera, key=espera.get, default=None)


def recomendar(
    *,
    escenario: motor.Escenario,
    correr: Callable[[motor.Escenario], list[motor.Resultado]],
    meses: list[int],
    ventana: Callable[[int], list[datetime.date]],
    cumple: Callable[[list[motor.Resultado], int], bool],
    p90_areas: Callable[[list[motor.Resultado], int], dict[str, float]],
    estandar: float,
    iniciales: list | None = None,
) -> Recomendacion:
    """`correr(escenario)`: the runs (one per seed); `ventana(mes)`: the business days a loan
    of that month may cover; `cumple(runs, mes)`: the month's arrivals meet the standard;
    `p90_areas(runs, mes)`: per area step, the highest expected weekly p90 of its requests of
    the month."""
    recomendacion = Recomendacion()
    resultados = iniciales if iniciales is not None else correr(escenario)
    for mes in meses:
        dias = ventana(mes)
        if not dias or cumple(resultados, mes):
            continue
        previos = list(recomendacion.prestamos)
        nuevos: list[Prestamo] = []
        while not cumple(resultados, mes) and len(nuevos) < MAXIMO_PRESTAMOS:
            # One more reviewer to every area whose requests of some week of the month miss
            # the standard (to the slowest, when only the office as a whole does).
            p90s = p90_areas(resultados, mes)
            if not p90s:
                break
            lentas = [p for p, v in sorted(p90s.items()) if v > estandar] or [
                max(p90s, key=p90s.get)
            ]
            prestamos = [Prestamo(paso, dias[0], dias[-1]) for paso in lentas]
            probados = correr(con_prestamos(escenario, [*previos, *nuevos, *prestamos]))
            despues = p90_areas(probados, mes)
            if all(despues.get(p, 0) >= p90s[p] for p in lentas):
                break  # more reviewers there shorten nothing: they wait elsewhere
            nuevos += prestamos
            resultados = probados
        if not cumple(resultados, mes):
            recomendacion.sin_alcance[mes] = paso_que_espera(resultados, mes) or ""
            resultados = correr(con_prestamos(escenario, previos))
            continue
        con = lambda ps, previos=previos: correr(con_prestamos(escenario, [*previos, *ps]))  # noqa: E731
        basta = lambda rs, mes=mes: cumple(rs, mes)  # noqa: E731
        # All the month's loans shortened together, keeping their balance; then each one
        # alone, the first added first.
        nuevos, resultados = _acortar_juntos(nuevos, dias, con, basta, resultados)
        for i in range(len(nuevos)):
            nuevos[i], resultados = _acortar(nuevos, i, dias, con, basta, resultados)
        recomendacion.prestamos = previos + [p for p in nuevos if p is not None]
    # A month's loans were shortened before the next month's existed: with all of them, each
    # is shortened once more against every month (a later loan may now carry what an earlier
    # one's last days did).
    buscados = [m for m in meses if m not in recomendacion.sin_alcance]
    if len(buscados) > 1 and recomendacion.prestamos:
        todos = lambda rs: all(cumple(rs, m) for m in buscados)  # noqa: E731
        con = lambda ps: correr(con_prestamos(escenario, ps))  # noqa: E731
        prestamos = list(recomendacion.prestamos)
        for i in range(len(prestamos)):
            dias = [d for m in buscados for d in ventana(m)]
            dias = [d for d in dias if prestamos[i].desde <= d <= prestamos[i].hasta]
            if not dias or dias[-1] != prestamos[i].hasta:
                continue
            prestamos[i], resultados = _acortar(prestamos, i, dias, con, todos, resultados)
        recomendacion.prestamos = [p for p in prestamos if p is not None]
    recomendacion.resultados = resultados
    return recomendacion


def lunes_de(fecha: datetime.date) -> datetime.date:
    return fecha - datetime.timedelta(days=fecha.weekday())


def cuantil_de(valores: list, q: float) -> float:
    """The q-quantile of the runs' values: the value that q of them do not exceed (the
    ceil(q n)-th smallest)."""
    orden = sorted(valores)
    return orden[min(max(math.ceil(q * len(orden)) - 1, 0), len(orden) - 1)]


def _esperado(
    por_corrida: list[dict], redondear: bool = True, cuantil: float | None = None
) -> dict:
    """The mean over the runs of each key's p90 (rounded, as the plan shows it): the expected
    p90; with `cuantil`, that quantile of the runs' p90s instead."""
    valores: dict = defaultdict(list)
    for p90s in por_corrida:
        for llave, p90 in p90s.items():
            valores[llave].append(p90)
    if cuantil is not None:
        medias = {llave: cuantil_de(v, cuantil) for llave, v in valores.items()}
    else:
        medias = {llave: sum(v) / len(v) for llave, v in valores.items()}
    return {llave: round(m) for llave, m in medias.items()} if redondear else medias


def p90_esperado(
    resultados, semanas=None, *, paso=None, por_mes=False, redondear: bool = True
) -> dict:
    """{monday: expected p90} of the requests arriving in the week of that Monday (of
    `semanas`, if given; through area step `paso`, if given); with `por_mes`,
    {(monday, month): …}: a week across two months is two groups."""
    dentro, corridas = set(semanas) if semanas is not None else None, []
    for resultado in resultados:
        por: dict = defaultdict(list)
        for i, llegada in enumerate(resultado.llegadas):
            lunes = lunes_de(llegada)
            if (dentro is None or lunes in dentro) and (paso is None or paso in resultado.areas[i]):
                por[(lunes, llegada.month) if por_mes else lunes].append(resultado.dias[i])
        corridas.append({llave: motor.percentil_90(dias) for llave, dias in por.items()})
    return _esperado(corridas, redondear)


def p90_por_grupo(
    resultados, semanas, pasos, *, redondear: bool = True, cuantil: float | None = None
) -> list:
    """[(None, p90_esperado(resultados, semanas)), (paso, p90_esperado(…, paso=paso)) for
    each of `pasos`]: the same figures, in one pass over each run's requests (the search
    reads them after every run)."""
    dentro, lunes_por_dia = set(semanas), {}
    corridas: dict = {paso: [] for paso in (None, *pasos)}
    for resultado in resultados:
        por: dict = {paso: defaultdict(list) for paso in corridas}
        for llegada, dias, areas in zip(
            resultado.llegadas, resultado.dias, resultado.areas, strict=True
        ):
            lunes = lunes_por_dia.get(llegada)
            if lunes is None:
                lunes = lunes_por_dia[llegada] = lunes_de(llegada)
            if lunes not in dentro:
                continue
            por[None][lunes].append(dias)
            for paso in set(areas):  # a step once per request, as `paso in areas`
                if paso in por:
                    por[paso][lunes].append(dias)
        for paso, grupo in por.items():
            corridas[paso].append(
                {llave: motor.percentil_90(dias) for llave, dias in grupo.items()}
            )
    return [(paso, _esperado(corridas[paso], redondear, cuantil)) for paso in (None, *pasos)]


def mes_de_semana(lunes: datetime.date, anio: int) -> int:
    """The month a week counts in: the month of its Thursday (as ISO weeks), within the year."""
    jueves = lunes + datetime.timedelta(days=3)
    return jueves.month if jueves.year == anio else (12 if jueves.year > anio else 1)


def recomendar_semanas(
    *, escenario, correr, estandar: int, pasos, ventana, semanas, anio: int, cuantil=None
) -> Recomendacion:
    """The least loans for every week's arrivals (of `semanas`; all of them and those of each
    area of `pasos`) to meet `estandar` in expectation (the mean p90 over the runs, as the page
    marks a week red) or, with `cuantil`, in that share of the runs (the quantile of the runs'
    p90s), month by month (a week is its Thursday's month); loans only to area steps of
    `pasos`, on the business days `ventana(mes)` gives."""

    vistos: dict = {}  # the last runs' groups: cumple and p90_areas read the same runs

    def grupos(rs, redondear=True) -> list[tuple[str | None, dict]]:
        llave = (id(rs), redondear)
        if llave not in vistos or vistos[llave][0] is not rs:
            if len(vistos) >= 4:
                vistos.clear()
            vistos[llave] = (
                rs,
                p90_por_grupo(rs, semanas, pasos, redondear=redondear, cuantil=cuantil),
            )
        return vistos[llave][1]

    inicial = correr(escenario)
    rojos = sorted(
        {
            mes_de_semana(lunes, anio)
            for _paso, g in grupos(inicial)
            for lunes, p in g.items()
            if p > estandar
        }
    )

    def cumple(rs, mes) -> bool:
        """Every week of the month meets the standard: all its arrivals, and those of each
        area (the page marks both)."""
        return all(
            p <= estandar
            for _paso, g in grupos(rs)
            for lunes, p in g.items()
            if mes_de_semana(lunes, anio) == mes
        )

    def p90_areas(rs, mes) -> dict:
        resultado = {}
        for paso, g in grupos(rs, redondear=False):
            valores = [v for lunes, v in g.items() if mes_de_semana(lunes, anio) == mes]
            if paso is not None and valores:
                resultado[paso] = max(valores)
        return resultado

    return recomendar(
        escenario=escenario,
        correr=correr,
        meses=rojos,
        ventana=ventana,
        cumple=cumple,
        p90_areas=p90_areas,
        estandar=estandar,
        iniciales=inicial,
    )


def _acortar_juntos(nuevos, dias, correr, cumple, resultados):
    """The loans all ending after the same, least number of the month's business days that
    still meets the standard, and the runs with them."""
    bajo, alto, mejores = 1, len(dias), resultados  # alto days always meet
    while bajo < alto:
        medio = (bajo + alto) // 2
        probados = correr([replace(p, hasta=dias[medio - 1]) for p in nuevos])
        if cumple(probados):
            alto, mejores = medio, probados
        else:
            bajo = medio + 1
    return [replace(p, hasta=dias[alto - 1]) for p in nuevos], mejores


def _acortar(nuevos, i, dias, correr, cumple, resultados):
    """The loan `i` ending on the earliest day that still meets the standard (None: not
    needed at all), and the runs with it."""
    otros = [p for j, p in enumerate(nuevos) if j != i and p is not None]
    sin = correr(otros)
    if cumple(sin):
        return None, sin
    prestamo = nuevos[i]
    bajo, alto = 0, len(dias) - 1  # the last day: alto always meets, bajo - 1 never does
    mejores = resultados
    while bajo < alto:
        medio = (bajo + alto) // 2
        corto = replace(prestamo, hasta=dias[medio])
        probados = correr([*otros, corto])
        if cumple(probados):
            alto, mejores = medio, probados
        else:
            bajo = medio + 1
    return replace(prestamo, hasta=dias[alto]), mejores
