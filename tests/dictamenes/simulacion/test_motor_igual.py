"""The engine's shortcuts give what the long way gives (issue 64, item 5): the capacity plan's
figures must not move when its simulation gets faster. Pure functions, no database."""

import datetime
import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from dictamenes.simulacion.services import motor, refuerzo

PASOS = ("revision_tecnica:computo", "revision_tecnica:redes", "revision_tecnica:software")


@settings(max_examples=60, deadline=None)
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


@settings(max_examples=40, deadline=None)
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
