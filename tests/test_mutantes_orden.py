"""The mutation harness runs a mutant's cheapest test files first (mutantes/plugin.py)."""

import json
from types import SimpleNamespace

from mutantes import plugin


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
