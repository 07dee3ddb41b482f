"""The scale check's verdict (bench/presupuestos.py, run by make bench-escala): a page whose
queries grow with the history, or whose SQL floor passes its budget, fails it by name."""

from bench.presupuestos import SUELO_MS, suelo_de, veredicto


def _pagina(consultas, suelo, estado=200):
    return {"estado_http": estado, "consultas": consultas, "suelo_ms": suelo}


def test_pasa_cuando_nada_crece_y_todo_cabe_en_su_suelo():
    decima = {"Cola (revisor)": _pagina(8, 1.0), "Indicadores": _pagina(32, 40.0)}
    toda = {"Cola (revisor)": _pagina(8, 5.4), "Indicadores": _pagina(32, 118.6)}
    assert veredicto(decima=decima, toda=toda, bases=set()) == []


def test_las_consultas_que_crecen_con_los_datos_fallan():
    fallas = veredicto(
        decima={"Bandeja (revisor)": _pagina(7, 1.0)},
        toda={"Bandeja (revisor)": _pagina(12, 2.2)},
        bases=set(),
    )
    assert fallas == ["Bandeja (revisor): sus consultas crecen con los datos (7 → 12)"]


def test_un_suelo_sobre_su_presupuesto_falla_y_cada_pagina_tiene_el_suyo():
    assert suelo_de("Cola (revisor)") == SUELO_MS == 20
    assert suelo_de("Indicadores") == 300
    fallas = veredicto(
        decima={"Cola (revisor)": _pagina(8, 30.0), "Indicadores": _pagina(32, 100.0)},
        toda={"Cola (revisor)": _pagina(8, 382.0), "Indicadores": _pagina(32, 250.0)},
        bases=set(),
    )
    assert fallas == ["Cola (revisor): su suelo SQL, 382.0 ms, pasa de 20 ms"]


def test_las_vistas_de_viewflow_son_referencia_y_no_se_juzgan():
    lenta = {"viewflow: lista de procesos": _pagina(9, 570.0)}
    assert veredicto(decima={}, toda=lenta, bases={"viewflow: lista de procesos"}) == []


def test_una_pagina_que_no_responde_200_o_no_se_midio_falla():
    fallas = veredicto(decima={}, toda={"Áreas (administrador)": _pagina(5, 1.0, 500)}, bases=set())
    assert fallas == [
        "Áreas (administrador): respondió HTTP 500",
        "Áreas (administrador): no se midió con la décima parte de la historia",
    ]
