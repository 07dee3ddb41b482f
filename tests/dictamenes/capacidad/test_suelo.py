"""Issue 60, item 1: the engine serves each step as a queue whose work is what was measured.
More people shorten the wait, never the work: with as many people as tasks, every task starts
when it is ready and lasts one of the measured times; nothing is drawn below the fastest
task the record holds. No proportional shrink below the quietest month."""

import pytest

from dictamenes.simulacion.services import motor

pytestmark = pytest.mark.django_db


# The generated year 2025 (demo.historico_con_pasos), with every step: conftest.py's history,
# written once for the module and put back, not generated again, in a process that already
# wrote it for the plan's tests (the years it imports besides, 2023 and 2024, are not 2025's
# record, the only one read here); each test rolls back to it (tests/por_modulo.py).
@pytest.fixture
def ajuste(historia_del_modulo, demo):
    return motor.ajustar(anio=2025)


def test_con_personal_de_sobra_no_hay_espera_y_el_trabajo_es_el_medido(ajuste):
    sobra = tuple((paso, m, 500.0) for paso in ajuste.pasos for m in range(1, 13))
    resultado = motor.simular(ajuste, motor.Escenario("sobra", asignacion=True, personal=sobra))
    medidos = {paso: set(p.servicios) for paso, p in ajuste.pasos.items()}
    assert resultado.tareas
    for paso, _i, listo, inicio, fin in resultado.tareas:
        assert inicio == listo  # nobody waits
        assert (
            fin - inicio in medidos[paso]
            or min(abs(fin - inicio - m) for m in medidos[paso]) < 1e-9
        )  # one of the measured times, never less than the fastest
    # The year with plenty of people is the floor: each request does the same work with the
    # record's own staff, who can only add waiting.
    registrado = motor.simular(ajuste, motor.Escenario("como se registró", asignacion=True))
    # (The clock counts whole business days: the same work ending at another hour can cross a
    # day's end, so one request may count one day more.)
    assert all(s <= r + 1 for s, r in zip(resultado.dias, registrado.dias, strict=True))
    assert sum(resultado.dias) < sum(registrado.dias)


def test_mas_personas_nunca_bajan_del_suelo_del_trabajo(ajuste):
    """The rush with 1, 2, 8 and 64 times the people: the p90 falls and then stops at the
    floor that the work alone sets, instead of shrinking towards zero."""
    p90s = []
    for veces in (1, 2, 8, 64):
        personal = tuple(
            (paso, m, float(veces * p.personas(m)))
            for paso, p in ajuste.pasos.items()
            for m in range(1, 13)
        )
        r = motor.simular(ajuste, motor.Escenario("x", asignacion=True, personal=personal))
        p90s.append(r.en_meses((11, 12)).p90)
    assert p90s == sorted(p90s, reverse=True) and p90s[0] > p90s[1]
    assert p90s[-2] == p90s[-1] >= 1  # 8 or 64 times: the same floor, not zero
