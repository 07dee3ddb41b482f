"""The world the history is drawn from (demo.historico.mundo) is the queueing process it
states: people serve one task at a time, queues grow with the arrivals and shrink with one
more person, and the service times have the stated means. Pure Python: no database."""

import datetime
import math
import statistics
from collections import defaultdict

import holidays
import pytest

from demo.historico import mundo as m
from dictamenes.organizacion.selectors.calendario import Calendario

PERIODO = (datetime.date(2022, 1, 1), datetime.date(2027, 12, 31))
# Mexico's official holidays, no declared días inhábiles: no database.
CAL = Calendario(dict(holidays.Mexico(years=range(2022, 2028))), periodo=PERIODO)
RELOJ = m.Reloj(CAL, desde=PERIODO[0], hasta=PERIODO[1])
# The demo's staff: one person per step.
UNO = {m.ADMISION: 1, m.ESTRATEGICA: 1, m.FIRMA: 1, **{m.paso_area(c): 1 for c in m.AREAS}}
COMPUTO = m.paso_area("computo")


def _simular(mundo=None, *, anio=2024, roster=UNO, semilla=5, libres=None):
    return m.simular(
        mundo or m.Mundo(),
        anio=anio,
        calendario=CAL,
        semilla=semilla,
        roster=roster,
        libres=libres,
        reloj=RELOJ,
    )


def _tareas(casos, paso=None):
    return [t for c in casos for t in c.tareas if paso is None or t.paso == paso]


def _espera(casos, paso, meses=range(1, 13)):
    """Mean time in the queue of the step's tasks, for requests presented in those months."""
    return statistics.mean(
        t.inicio - t.lista
        for c in casos
        if RELOJ.dia(c.presentada).month in meses
        for t in c.tareas
        if t.paso == paso
    )


def test_las_llegadas_son_las_de_los_informes_y_crecen_con_la_escala():
    assert len(_simular(anio=2023)) == 427
    assert len(_simular(anio=2024)) == 794
    assert len(_simular(m.Mundo(escala=2), anio=2024)) == 1588
    assert len(_simular(anio=2026)) == round(794 * 1.04**2)


def test_la_espera_crece_con_las_llegadas_y_una_persona_mas_la_reduce():
    casos = _simular(m.Mundo(escala=2))
    # The same staff, more than twice the requests in December than in September.
    assert _espera(casos, COMPUTO, {12}) > 5 * _espera(casos, COMPUTO, {9})
    # One more reviewer of computo: the same requests (same draws) wait less there.
    dos = _simular(m.Mundo(escala=2), roster={**UNO, COMPUTO: 2})
    assert _espera(dos, COMPUTO) < _espera(casos, COMPUTO) / 3
    assert [c.presentada for c in dos] == [c.presentada for c in casos]


def test_un_refuerzo_solo_trabaja_en_sus_meses():
    refuerzo = m.Mundo(refuerzo={(COMPUTO, 12): 1})
    casos = _simular(refuerzo)
    del_refuerzo = [t for t in _tareas(casos, COMPUTO) if t.persona == 1]
    assert del_refuerzo
    assert {RELOJ.dia(t.inicio).month for t in del_refuerzo} == {12}
    assert _espera(casos, COMPUTO, {12}) < _espera(_simular(), COMPUTO, {12}) / 2


def test_nadie_atiende_dos_tareas_a_la_vez():
    """Start and finish of each person's tasks never overlap, across two fiscal years with
    December's queue carried into January."""
    libres = {}
    casos = _simular(m.Mundo(escala=2), anio=2024, libres=libres)
    casos += _simular(m.Mundo(escala=2), anio=2025, libres=libres, semilla=6)
    por_persona = defaultdict(list)
    for t in _tareas(casos):
        if t.persona is not None:
            por_persona[(t.paso, t.persona)].append((t.inicio, t.fin))
    assert len(por_persona) == len(UNO)
    for tramos in por_persona.values():
        tramos.sort()
        for (_, fin), (inicio, _) in zip(tramos, tramos[1:], strict=False):
            assert inicio >= fin
    # And nobody starts a task before it is ready.
    assert all(t.inicio >= t.lista for t in _tareas(casos))


@pytest.mark.parametrize("paso", [m.ADMISION, COMPUTO, m.paso_area("seguridad"), m.FIRMA])
def test_los_servicios_tienen_la_media_declarada(paso):
    """Gamma of shape k and mean μ: the mean of n draws has standard deviation μ/√(k n); the
    measured mean is within four of them."""
    mundo = m.Mundo(escala=3)
    servicios = [t.fin - t.inicio for t in _tareas(_simular(mundo), paso)]
    media = mundo.media(paso)
    assert len(servicios) > 100
    limite = 4 * media / math.sqrt(mundo.forma * len(servicios))
    assert abs(statistics.mean(servicios) - media) < limite


def test_una_fraccion_de_persona_trabaja_a_su_fraccion():
    """Half a person (refuerzo 0.5) takes twice the time per task."""
    mundo = m.Mundo(escala=3, refuerzo={(COMPUTO, mes): 0.5 for mes in range(1, 13)})
    media = mundo.media(COMPUTO) / 0.5
    servicios = [t.fin - t.inicio for t in _tareas(_simular(mundo), COMPUTO) if t.persona == 1]
    assert len(servicios) > 50
    assert abs(statistics.mean(servicios) - media) < 4 * media / math.sqrt(2 * len(servicios))


def test_los_momentos_caen_en_la_jornada_de_dias_habiles():
    for t in _tareas(_simular()):
        for valor in (t.lista, t.inicio, t.fin):
            momento = RELOJ.momento(valor)
            assert CAL.es_habil(momento.date())
            assert datetime.time(9) <= momento.time() < datetime.time(18)
            assert math.isclose(RELOJ.t(momento), valor, abs_tol=1e-9)


def test_los_dias_de_atencion_descuentan_el_tiempo_del_requirente():
    """dias = business days from presentation to attention less those between the prevención
    and the answer (or the end, if none came): counted here on dates with the calendar."""

    def fecha(t):
        return RELOJ.momento(t).date()

    casos = _simular()
    assert any(c.desechada for c in casos) and any(c.subsanacion for c in casos)
    for c in casos:
        dias = CAL.habiles_entre(fecha(c.presentada), fecha(c.atendida))
        if c.prevenida:
            hasta = c.subsanacion if c.subsanacion is not None else c.atendida
            dias -= CAL.habiles_entre(fecha(c.prevencion), fecha(hasta))
        assert c.dias == dias
