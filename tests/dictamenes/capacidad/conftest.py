"""The states the capacity plan's tests share: the demo's history (`historia`), and on it the
December rush and the plan of HOY at noon, kept as the product keeps it (PlanGuardado).

Built once per module (tests/por_modulo.py), and once per process: the first module that asks
for one generates the history (a year with every step: seconds) and computes the plan (its
simulation and its search of the recommendation: 10 to 40 s); a later module of the same
process, which starts from the same rows, gets every row of that state put back instead
(tests/demo_completa.py's snapshot: each table's rows by binary COPY, the sequences where the
build left them), inside its own module transaction, which rolls back at its end as before.
test_pagina.py and test_plan_guardado.py built the same state, each for itself, and they,
test_plan.py and test_aviso.py the same history. test_plan.py and test_aviso.py start from this
state too (each computed a plan of its own that the state's plan serves), and test_suelo.py from
the history; test_simulacion*.py share their generated year the same way (una_vez_por_proceso)."""

import datetime
import functools

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from demo import historico_anual, historico_con_pasos
from dictamenes.capacidad.services.plan import plan_de_capacidad
from dictamenes.models import PlanGuardado
from tests import demo_completa
from tests.dictamenes.capacidad.cierre import dos_revisores_fuera_en_diciembre
from tests.por_modulo import por_modulo

TZ = timezone.get_current_timezone()
HOY = datetime.date(2026, 11, 25)

# (state, database, day) -> (the snapshot of the state, what the build returned)
_HECHOS: dict[tuple, tuple] = {}


def al_mediodia(fecha: datetime.date):
    return time_machine.travel(datetime.datetime.combine(fecha, datetime.time(12), TZ), tick=False)


def una_vez_por_proceso(nombre: str):
    """`construir()`, or, when this process already built it on these same rows (each table's
    count, as demo_completa checks its own), the rows it left put back."""

    def decorador(construir):
        @functools.wraps(construir)
        def hecho():
            llave = (
                nombre,
                connection.vendor,
                connection.settings_dict["NAME"],
                timezone.localdate(),
            )
            guardado = _HECHOS.get(llave)
            if guardado is not None:
                instantanea, valor = guardado
                if instantanea.cuentas_antes == demo_completa._cuentas(instantanea.tablas):
                    instantanea.restaurar()
                    return valor
            tablas = demo_completa._tablas()
            cuentas, archivos = demo_completa._cuentas(tablas), demo_completa._archivos()
            valor = construir()
            if guardado is None:
                instantanea = demo_completa._Instantanea.tomar(tablas, cuentas, archivos)
                _HECHOS[llave] = (instantanea, valor)
            return valor

        return hecho

    return decorador


@una_vez_por_proceso("historia")
def historia() -> None:
    """The demo's history: 2023 and 2024 imported (without steps), 2025 lived in the system
    (generated from the stated world, with every step): the plan learns from 2025."""
    historico_anual.cargar()
    historico_con_pasos.cargar()


@una_vez_por_proceso("cierre")
def _historia_y_plan() -> str:
    """The history, December without the cómputo and software reviewers (a rush with red
    weeks), and the plan of HOY at noon, computed and kept as the product keeps it
    (PlanGuardado): its key."""
    historia()
    dos_revisores_fuera_en_diciembre()
    with al_mediodia(HOY):
        plan_de_capacidad()
    return PlanGuardado.objects.get().clave


# Each test rolls back to it (tests/por_modulo.py): what a test writes (a plan of another day,
# an absence) is undone before the next. Each test still asks for the plan and the page as
# before, and both read the kept plan. A test whose subject is the computation itself
# (test_plan_guardado.py) deletes the kept plan first.
plan_del_modulo = por_modulo(_historia_y_plan)
historia_del_modulo = por_modulo(historia)


@pytest.fixture
def con_historia_y_plan(plan_del_modulo, demo):
    """The module's history and rush, with the plan of HOY (noon) already kept."""
    assert PlanGuardado.objects.filter(clave=plan_del_modulo).exists()
