"""The arithmetic of the figures (dictamenes/cifras/reglas.py) where the mutation run (issue 92,
item 3) found no test that tells the rule from its slip: the count of items in a totals row, a
chart with no rows or with values under one, and the month table and the groups of split
purchases, whose slips loop for ever: those are run under a bound of CPU time, so that a loop
fails the test instead of hanging the suite."""

import signal
from contextlib import contextmanager
from decimal import Decimal as D

import pytest

from dictamenes.cifras import reglas

# What the rule takes on any machine is microseconds; a loop that never ends passes this.
LIMITE_CPU_S = 2.0


class _SinFin(Exception):
    pass


@contextmanager
def _a_lo_sumo(segundos: float = LIMITE_CPU_S):
    """Fail the test when the block uses more than `segundos` of CPU (ITIMER_PROF: the time of
    this process, not of the busy machine around it)."""

    def _cortar(signum, frame):
        raise _SinFin(f"más de {segundos} s de CPU: el cálculo no termina")

    anterior = signal.signal(signal.SIGPROF, _cortar)
    signal.setitimer(signal.ITIMER_PROF, segundos)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, anterior)


def test_el_total_de_partidas_se_lee_como_un_conteo_y_no_como_un_importe():
    # Two rows of 2026 with 2 and 1 approved items: the totals row says «3», as a count; the
    # amounts of the same row say their cents.
    filas = [
        dict(reglas.FILA_EN_CERO) | {"ejercicio": 2026, "partidas_aprobadas": 2},
        dict(reglas.FILA_EN_CERO)
        | {"ejercicio": 2026, "partidas_aprobadas": 1, "solicitado": D("10.5")},
    ]
    (total,) = reglas.totales(filas)
    assert str(total["partidas_aprobadas"]) == "3"
    assert str(total["consolidada_partidas_con_referencia"]) == "0"
    assert str(total["solicitado"]) == "10.50"


def test_una_grafica_sin_filas_no_tiene_barras():
    # A year with no request behind anybody (rezago, principales entes): an empty chart, not
    # an error on the page.
    assert reglas.con_barras(filas=[], clave="n") == []


def test_la_barra_mayor_es_entera_aunque_su_valor_sea_menor_que_uno():
    # Each bar is a share of the largest value, whatever its size: half a day beside nothing is
    # a full bar, not half of one.
    filas = [{"dias": D("0.5")}, {"dias": 0}, {"dias": D("0.25")}]
    assert [f["barra"] for f in reglas.con_barras(filas=filas, clave="dias")] == [100.0, 0, 50.0]


@pytest.mark.parametrize(
    ("conteo", "meses"),
    [
        # December to February: the year turns once, January counts 0.
        ({(2025, 12): 2, (2026, 2): 1}, [(2025, 12, 2), (2026, 1, 0), (2026, 2, 1)]),
        # Within one year, every month in between.
        ({(2026, 1): 4, (2026, 3): 1}, [(2026, 1, 4), (2026, 2, 0), (2026, 3, 1)]),
    ],
)
def test_la_tabla_de_meses_termina_y_no_se_salta_ninguno(conteo, meses):
    with _a_lo_sumo():
        filas = reglas.meses_seguidos(conteo)
    assert [(f["anio"], f["mes"], f["n"]) for f in filas] == meses


def test_dos_solicitudes_que_se_nombran_son_un_grupo_y_el_calculo_termina():
    # A names B; C names B too: one group of three in 2026.
    filas = [(2026, "A", [{"folios": ["B"]}]), (2026, "C", [{"folios": ["B"]}])]
    with _a_lo_sumo():
        grupos = reglas.grupos_de_fraccionamiento(filas)
    assert grupos == [{"ejercicio": 2026, "grupos": 1}]
    with _a_lo_sumo():
        assert reglas.grupos_de_fraccionamiento([(2025, "A", [{"folios": ["B"]}])]) == [
            {"ejercicio": 2025, "grupos": 1}
        ]
