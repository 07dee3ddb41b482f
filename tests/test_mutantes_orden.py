"""The mutation harness runs a mutant's cheapest test files first (mutantes/plugin.py)."""

import json
import signal
from types import SimpleNamespace

import pytest

from mutantes import plugin


@pytest.fixture(autouse=True)
def _sin_duraciones_guardadas():
    plugin._duraciones.cache_clear()
    yield
    plugin._duraciones.cache_clear()


def _items(*nodeids):
    return [SimpleNamespace(nodeid=n) for n in nodeids]


def test_en_el_hijo_de_un_mutante_los_archivos_baratos_van_primero_y_cada_uno_en_su_orden(
    tmp_path, monkeypatch
):
    estadisticas = tmp_path / "mutmut-stats.json"
    estadisticas.write_text(
        json.dumps(
            {
                "duration_by_test": {
                    "tests/lenta.py::a": 20.0,
                    "tests/lenta.py::b": 0.1,
                    "tests/rapida.py::z": 0.2,
                    "tests/rapida.py::y": 0.3,
                    "tests/media.py::m": 5.0,
                }
            }
        )
    )
    monkeypatch.setattr(plugin, "ESTADISTICAS", estadisticas)
    monkeypatch.setattr(plugin, "mutante", lambda: "dictamenes.x__mutmut_1")
    items = _items(
        "tests/lenta.py::a",
        "tests/lenta.py::b",
        "tests/media.py::m",
        "tests/rapida.py::z",
        "tests/rapida.py::y",
    )
    plugin.pytest_collection_modifyitems(None, None, items)
    # The slow file's cheap test does not jump ahead of its own file: module fixtures once.
    assert [i.nodeid for i in items] == [
        "tests/rapida.py::z",
        "tests/rapida.py::y",
        "tests/media.py::m",
        "tests/lenta.py::a",
        "tests/lenta.py::b",
    ]


def test_fuera_de_un_mutante_el_orden_no_cambia(monkeypatch):
    monkeypatch.setattr(plugin, "mutante", lambda: "")
    items = _items("tests/lenta.py::a", "tests/rapida.py::z")
    plugin.pytest_collection_modifyitems(None, None, items)
    assert [i.nodeid for i in items] == ["tests/lenta.py::a", "tests/rapida.py::z"]


def test_en_el_hijo_de_un_mutante_una_prueba_que_no_termina_falla_con_su_nombre(monkeypatch):
    # A mutant that turns a loop's step into nothing: the test fails by itself, a failure the
    # report counts as the mutant's killer, instead of hanging until mutmut's time limit.
    monkeypatch.setattr(plugin, "mutante", lambda: "dictamenes.x__mutmut_1")
    monkeypatch.setattr(plugin, "limite_cpu", lambda segundos: 0.2)
    envoltura = plugin.pytest_runtest_call(SimpleNamespace(nodeid="tests/a.py::sin_fin"))
    next(envoltura)
    with pytest.raises(plugin.CpuAgotado, match="no termina"):
        while True:
            pass
    envoltura.close()
    # The timer is off afterwards: the rest of the session is not cut.
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_el_limite_crece_con_lo_que_la_prueba_tardo_en_las_estadisticas():
    assert plugin.limite_cpu(None) == 10.0
    assert plugin.limite_cpu(4.0) == 30.0
