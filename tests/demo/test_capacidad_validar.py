"""capacidad_validar checks the capacity engine in a world it does not control: it prints
the three checks with their figures, leaves nothing in the database, and its exit status is
what its marks say. Small runs (6 of the generator, 4 of the engine): the figures of the
backtest and the recommendation are not asserted to be in tolerance here, only that the
status agrees with them."""

import io
import math
import re

import pytest
from django.core.management import call_command
from viewflow.workflow.models import Task

from demo.historico import mundo
from dictamenes.models import Solicitud
from dictamenes.simulacion.services import ajuste

pytestmark = pytest.mark.django_db
PRIMERO = 2024
FILA_RECUPERACION = re.compile(
    r"^(\S+)\s+(\d\.\d{3})\s+(\d\.\d{3})\s+(\d+)\s+(\d\.\d{3})\s+(\S+) ([✓✗])$", re.M
)


def _validar(corridas: int = 6, semillas: int = 4) -> tuple[str, int]:
    salida = io.StringIO()
    try:
        call_command(
            "capacidad_validar",
            "--anio",
            str(PRIMERO),
            "--corridas",
            str(corridas),
            "--semillas",
            str(semillas),
            stdout=salida,
        )
    except SystemExit as salida_del_comando:
        return salida.getvalue(), salida_del_comando.code
    return salida.getvalue(), 0


def _en_la_base() -> tuple[int, int]:
    return Solicitud.objects.count(), Task.objects.count()


def _estado_que_dicen_las_marcas(salida: str) -> int:
    return 1 if "✗" in salida or "(no cumple)" in salida else 0


def test_imprime_las_tres_comprobaciones_y_no_deja_nada(demo):
    antes = _en_la_base()
    salida, estado = _validar()
    assert _en_la_base() == antes
    # The world's stated years: 794 requests in 2024, 4 % more in 2025.
    llegadas = round(mundo.ATENDIDAS[PRIMERO] * mundo.CRECIMIENTO)
    assert (
        f"Mundo generado: {PRIMERO} ({mundo.ATENDIDAS[PRIMERO]} solicitudes) y {PRIMERO + 1} "
        f"({llegadas}); personal por paso: "
    ) in salida
    # 1. Recovery: one row per step of the world, its stated mean, the tolerance of 3
    # standard errors of a mean of n gamma draws of shape 2, one person; every one in it.
    assert "\n1. Recuperación: tiempo de trabajo medio por tarea" in salida
    declarado = mundo.Mundo()
    filas = {fila[0]: fila[1:] for fila in FILA_RECUPERACION.findall(salida)}
    assert sorted(filas) == sorted(declarado.pasos())
    for paso, (media, medida, n, tolerancia, personas, marca) in filas.items():
        assert media == f"{declarado.media(paso):.3f}", paso
        esperada = 3 * declarado.media(paso) / math.sqrt(declarado.forma * int(n))
        assert tolerancia == f"{esperada:.3f}", paso
        assert abs(float(medida) - declarado.media(paso)) <= esperada + 0.0005, paso
        assert (personas, marca) == ("1", "✓"), paso
    # 2. Backtest: a row per area with its weeks and distances, marked.
    assert f"\n2. Backtest: ajustado en {PRIMERO}, p90 semanal esperado de {PRIMERO + 1}" in salida
    areas = re.findall(
        r"^revision_tecnica:(\w+)\s+\d+\s+[\d.]+\s+\d+\s+[\d.]+\s+[\d.]+ [✓✗]$", salida, re.M
    )
    assert sorted(areas) == sorted(c for c, _p, _m in declarado.areas)
    # 3. The recommendation, tried in the generator.
    assert f"\n3. Recomendación del motor para {PRIMERO + 1} (estándar 20 días" in salida
    assert re.search(
        r"en el generador: p90 semanal esperado más alto \d+ sin refuerzo, \d+ con el "
        r"recomendado \((cumple|no cumple)\)\.",
        salida,
    )
    # The exit status is what the marks say, and the last line says it too.
    assert estado == _estado_que_dicen_las_marcas(salida)
    final = salida.rstrip().splitlines()[-1]
    if estado:
        assert final.startswith("Fuera de tolerancia: ")
    else:
        assert final == "Todo dentro de tolerancia."


def test_un_motor_que_mide_mal_el_trabajo_no_pasa(demo, monkeypatch):
    """Break the engine: every service it measures half as long again. Recovery fails for
    every step and the command exits 1. (The least runs: only the recovery is read.)"""
    medir = ajuste.servicios_medidos

    def de_mas(tareas, reloj):
        servicios, personal = medir(tareas, reloj)
        return {paso: [1.5 * s for s in v] for paso, v in servicios.items()}, personal

    monkeypatch.setattr(ajuste, "servicios_medidos", de_mas)
    antes = _en_la_base()
    salida, estado = _validar(corridas=2, semillas=1)
    assert _en_la_base() == antes
    filas = {fila[0]: fila[-1] for fila in FILA_RECUPERACION.findall(salida)}
    assert filas == dict.fromkeys(mundo.Mundo().pasos(), "✗")
    assert estado == 1
    assert "Fuera de tolerancia: recuperación de admision; " in salida
