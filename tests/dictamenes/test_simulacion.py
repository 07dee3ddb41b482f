"""The year simulation: reproducible, and it shows what planning and assignment change."""

import pytest
from django.core.management import call_command

from dictamenes.services import simulacion

pytestmark = pytest.mark.django_db
SIN, ASIGNACION, PLANEACION, AMBAS = simulacion.ESCENARIOS


def test_es_reproducible_y_atiende_todo():
    a = simulacion.simular(SIN, revisores_por_area=1)
    b = simulacion.simular(SIN, revisores_por_area=1)
    assert a.dias == b.dias
    assert len(a.dias) == 794


def test_la_planeacion_quita_el_embotellamiento_de_fin_de_anio():
    sin = simulacion.simular(SIN, revisores_por_area=1)
    con = simulacion.simular(PLANEACION, revisores_por_area=1)
    assert con.p90 < sin.p90
    assert con.fuera_de_plazo < sin.fuera_de_plazo


def test_la_asignacion_por_carga_reparte_mejor_que_al_azar():
    azar = simulacion.simular(SIN, revisores_por_area=2, capacidad=1)
    carga = simulacion.simular(ASIGNACION, revisores_por_area=2, capacidad=1)
    assert carga.p90 < azar.p90


def test_el_comando_imprime_los_cuatro_escenarios(capsys):
    call_command("simular_anio", "--revisores-por-area", "1")
    salida = capsys.readouterr().out
    for escenario in simulacion.ESCENARIOS:
        assert escenario.nombre in salida
    assert "fuera de plazo" in salida
