"""A generated year with every step of the flow, for the year simulation to learn from."""

import datetime

import pytest
from django.utils import timezone

from demo import historico
from tests.dictamenes.capacidad.conftest import una_vez_por_proceso
from tests.por_modulo import por_modulo

ANIO = 2025
# After the last attention of 2025's December rush: every request of the year is closed.
HASTA = timezone.make_aware(datetime.datetime(2026, 6, 30, 12, 0))
# The demo's people (one per role) at 0.85: still one person per step (a second user of a role
# makes two), and about 700 requests, enough for December to queue (a rush p90 near the goal).
ESCALA = 0.85
SEMILLA = 7


def generar(*, escala: float = ESCALA, anios: int = 1) -> historico.Generador:
    """The world's year written as the system would have: one year by default, so that no
    queue of a year the record leaves out carries into its January."""
    generador = historico.Generador(
        anios=anios,
        escala=escala,
        hasta=HASTA,
        semilla=SEMILLA,
        ultimo=ANIO,
        nuevos_requirentes=False,
    )
    generador.generar()
    return generador


# The year is seconds to write: once for each module that asks, and each test rolls back to it
# (tests/por_modulo.py). The generator is only read (its world's cases). test_simulacion.py and
# test_simulacion_vias.py ask for the same year (the same seed and scale): the second module of
# a process gets the rows the first one wrote put back, and the same generator
# (capacidad/conftest.py's una_vez_por_proceso, as the plan's history), instead of writing the
# year again.
generado_del_modulo = por_modulo(una_vez_por_proceso("anio_generado")(generar))


@pytest.fixture
def generado(generado_del_modulo, demo) -> historico.Generador:
    return generado_del_modulo
