"""The engine's shortcuts give what the long way gives (issue 64, item 5): the capacity plan's
figures must not move when its simulation gets faster. Pure functions, no database."""

import datetime
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dictamenes.simulacion.selectors.registro_anual import (
    ADMISION,
    ESTRATEGICA,
    FIRMA,
    Historial,
    paso_de_area,
)
from dictamenes.simulacion.services import azar as motor_azar
from dictamenes.simulacion.services import motor, refuerzo
from tests.perfiles import ejemplos

PASOS = ("revision_tecnica:computo", "revision_tecnica:redes", "revision_tecnica:software")


@settings(max_examples=ejemplos(60), deadline=None)
@given(
    pesos=st.dictionaries(
        st.tuples(st.sampled_from(PASOS)), st.integers(1, 500), min_size=1, max_size=3
    ),
    semilla=st.integers(0, 10_000),
)
def test_el_sorteo_preparado_saca_lo_que_saca_random_choices(pesos, semilla):
    conteo = Counter(pesos)
    claves = sorted(conteo)
    esperado, azar = random.Random(semilla), random.Random(semilla)  # noqa: S311
    sorteo = motor._Sorteo(conteo)
    for _ in range(50):
        # The oracle: the standard library's own weighted draw, on the same stream.
        assert sorteo(azar) == esperado.choices(claves, weights=[conteo[c] for c in claves])[0]
    assert azar.random() == esperado.random()  # and it used the stream as much


def _resultado(semilla: int, llegadas: list) -> motor.Resultado:
    azar = random.Random(semilla)  # noqa: S311
    r = motor.Resultado(motor.COMO_SE_REGISTRO)
    for llegada in llegadas:
        r.llegadas.append(llegada)
        r.dias.append(azar.randint(0, 60))
        r.areas.append(tuple(sorted(azar.sample(PASOS, azar.randint(0, 2)))))
    return r


@settings(max_examples=ejemplos(40), deadline=None)
@given(semilla=st.integers(0, 10_000), n=st.integers(1, 300), redondear=st.booleans())
def test_los_p90_de_todos_los_grupos_en_una_pasada_son_los_de_cada_grupo(semilla, n, redondear):
    azar = random.Random(semilla)  # noqa: S311
    inicio = datetime.date(2026, 11, 2)
    llegadas = sorted(inicio + datetime.timedelta(days=azar.randint(-20, 60)) for _ in range(n))
    semanas = [inicio + datetime.timedelta(weeks=i) for i in range(6)]
    corridas = [_resultado(semilla + i, llegadas) for i in range(3)]
    pasos = list(PASOS[:2])  # an area of the runs that the plan does not size stays out
    juntos = refuerzo.p90_por_grupo(corridas, semanas, pasos, redondear=redondear)
    # The oracle: each group on its own, the long way.
    separados = [(None, refuerzo.p90_esperado(corridas, semanas, redondear=redondear))] + [
        (p, refuerzo.p90_esperado(corridas, semanas, paso=p, redondear=redondear)) for p in pasos
    ]
    assert juntos == separados


class _DeLunesAViernes:
    """A calendar of its own: every weekday is a business day."""

    def es_habil(self, dia: datetime.date) -> bool:
        return dia.weekday() < 5


def _ajuste_de_un_area(area: str) -> motor.Ajuste:
    """One area with one reviewer; no step takes any time, so a request's days are its waits."""
    historial = Historial(anio=2026, plazo=12)
    reloj = motor.Reloj(_DeLunesAViernes(), datetime.date(2025, 1, 1), datetime.date(2027, 12, 31))
    pasos = {
        paso: motor.Paso(dict.fromkeys(range(1, 13), 1), [trabajo])
        for paso, trabajo in [
            (ADMISION, 0.0),
            (ESTRATEGICA, 0.0),
            (FIRMA, 0.0),
            (area, 0.0),
        ]
    }
    return motor.Ajuste(
        historial=historial,
        reloj=reloj,
        pasos=pasos,
        correcciones=[0.0],
        parte_prevenciones=0.0,
        parte_desechadas=0.0,
        parte_peticiones=0.0,
        areas_por_solicitud=Counter({1: 1}),
        rutas=Counter({(area,): 1}),
        peso_areas={area: 1},
    )


@pytest.mark.parametrize("asignacion", [True, False], ids=["cola-comun", "al-azar"])
def test_la_tarea_de_un_mes_sin_nadie_espera_al_primer_dia_habil_del_siguiente(asignacion):
    """The engine queues the moments someone starts to be there only while a task waits for
    them: a review that arrives in a month with nobody in its area, whether it waits in the
    area's queue or in the queue of the one person it was given to (assignment at random), is
    taken on the first business day of the next month. Counted by hand: from Wednesday 4
    March 2026 to Wednesday 1 April there are 20 weekdays."""
    area = paso_de_area("computo")
    escenario = motor.Escenario("Marzo sin nadie", asignacion=asignacion, personal=((area, 3, 0),))
    llegadas = [(datetime.date(2026, 3, 4), "completa"), (datetime.date(2026, 2, 2), "completa")]
    resultado = motor.simular(_ajuste_de_un_area(area), escenario, llegadas=llegadas)
    marzo = resultado.llegadas.index(datetime.date(2026, 3, 4))
    assert resultado.dias[marzo] == 20
    febrero = resultado.llegadas.index(datetime.date(2026, 2, 2))
    assert resultado.dias[febrero] == 0  # served the day it came


@settings(max_examples=ejemplos(60), deadline=None)
@given(
    largo=st.integers(1, 300),
    semilla=st.integers(0, 10_000),
)
def test_el_sacador_saca_lo_que_saca_random_choice(largo, semilla):
    valores = [i / 7 for i in range(largo)]
    esperado, azar = random.Random(semilla), random.Random(semilla)  # noqa: S311
    sacar = motor_azar.sacador(azar)
    for _ in range(50):
        # The oracle: the standard library's own draw, on the same stream.
        assert sacar(valores) == esperado.choice(valores)
    assert azar.random() == esperado.random()  # and it used the stream as much


def test_el_remuestreo_guardado_es_el_de_random_choices():
    tiempos = (("admision", (0.1, 0.5, 0.2)), ("firma", (0.3, 0.05)))
    muestra = random.Random("11-remuestreo")  # noqa: S311
    esperado = {paso: muestra.choices(v, k=len(v)) for paso, v in tiempos}
    assert motor_azar.remuestra(11, tiempos) == esperado
    assert motor_azar.remuestra(11, tiempos) == esperado  # kept, the same
