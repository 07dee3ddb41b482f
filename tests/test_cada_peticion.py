"""What every request pays above its view, against its budgets (bench/presupuestos.py, judged
by make bench and make bench-escala): each page's p50 as a multiple of the ceiling, and the
middleware's share of a request of the mixed load. Fake figures, no timing."""

import pytest

from bench.mezcla import pesos_declarados, por_parte
from bench.presupuestos import (
    MIDDLEWARE_MS,
    OBSERVACION_MS,
    TECHO_MAX,
    TECHO_MEDIANA,
    veredicto_middleware,
    veredicto_techo,
)


def _techo(**multiplos) -> dict:
    return {
        pagina.replace("_", " "): {"techo_multiplo": {"mediana": x, "min": x, "max": x}}
        for pagina, x in multiplos.items()
    }


def test_los_presupuestos_son_los_del_issue():
    assert (TECHO_MEDIANA, TECHO_MAX, OBSERVACION_MS, MIDDLEWARE_MS) == (3, 5, 0.5, 1.0)


def test_una_pagina_a_5_1_veces_el_techo_falla_y_a_2_9_pasa():
    assert veredicto_techo(_techo(Bandeja=2.9, Cola=2.9, Indicadores=4.9)) == []
    assert veredicto_techo(_techo(Bandeja=2.9, Cola=2.9, Decision=5.1)) == [
        "Decision: tarda 5.10× el techo, pasa de 5×"
    ]


def test_la_pagina_mediana_pasada_de_3_veces_falla_aunque_ninguna_pase_de_5():
    assert veredicto_techo(_techo(Registro=1.2, Bandeja=3.1, Detalle=4.8)) == [
        "la página mediana tarda 3.10× el techo: pasa de 3×"
    ]


def test_sin_medir_el_techo_no_hay_nada_que_juzgar():
    assert veredicto_techo({"Bandeja": {"razon_viewflow": {"mediana": 0.3}}}) == []


def test_el_middleware_de_la_carga_mixta_contra_sus_dos_presupuestos():
    sql = {"Vista: SQL (ORM y controlador)": 20.0, "Vista: plantillas": 9.0}
    assert (
        veredicto_middleware(
            {
                **sql,
                "Middleware: ObservacionMiddleware": 0.5,
                "Middleware: CsrfViewMiddleware": 0.5,
            }
        )
        == []
    )
    assert veredicto_middleware(
        {**sql, "Middleware: ObservacionMiddleware": 0.51, "Middleware: CsrfViewMiddleware": 0.2}
    ) == [
        "ObservacionMiddleware (la línea del registro y las métricas) cuesta 0.51 ms por "
        "petición en la carga mixta: pasa de 0.5 ms"
    ]
    assert veredicto_middleware(
        {**sql, "Middleware: ObservacionMiddleware": 0.3, "Middleware: CsrfViewMiddleware": 0.71}
    ) == ["todo el middleware cuesta 1.01 ms por petición en la carga mixta: pasa de 1 ms"]


def test_la_mezcla_aplica_el_reparto_de_cada_pagina_a_su_p50_y_la_pondera():
    paginas = {
        # Half of the profile in middleware: 4 of its 8 ms.
        "A": {"p50_ms": 8.0, "perfil": {"partes_ms": {"Middleware: X": 5.0, "Vista: SQL": 5.0}}},
        # A quarter: 1 of its 4 ms.
        "B": {"p50_ms": 4.0, "perfil": {"partes_ms": {"Middleware: X": 1.0, "Vista: SQL": 3.0}}},
        "sin perfil": {"p50_ms": 100.0},
    }
    mezcla = por_parte(paginas, {"A": 1, "B": 3, "sin perfil": 5, "no medida": 5})
    assert mezcla == pytest.approx(
        {"Middleware: X": (4 * 1 + 1 * 3) / 4, "Vista: SQL": (4 * 1 + 3 * 3) / 4}
    )


def test_los_pesos_declarados_son_los_de_locust_clase_por_tarea():
    fuente = """
class Ciudadano(_Persona):
    weight = 3

    @task(3)
    def registro(self):
        self.abrir("Registro")

    @task
    def verificar(self):
        self.abrir("Verificar")

    def on_start(self):
        self.abrir("no es tarea")


class Revisor(_Persona):
    weight = 1

    @task(2)
    def registro(self):
        self.abrir("Registro")
"""
    # Ciudadano: 3 of 4 users' weight, its tasks 3:1; Revisor: 1 of 4, all Registro.
    assert pesos_declarados(fuente) == pytest.approx(
        {"Registro": 3 / 4 * 3 / 4 + 1 / 4, "Verificar": 3 / 16}
    )
    reales = pesos_declarados()
    assert sum(reales.values()) == pytest.approx(1)
    assert "Decisión estratégica de diez partidas" not in reales
    assert reales["Bandeja (revisor)"] == pytest.approx(3 / 12 * 3 / 9)
