"""The closing table of `make test` (tests/tiempos.py, `resumen`): each phase's test time from
the JSON its run wrote, and its wall clock."""

import json
import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent


def _escribir(ruta: Path, pruebas: dict) -> None:
    ruta.write_text(json.dumps({"pruebas": pruebas, "fixtures": {}}), encoding="utf-8")


def test_el_resumen_suma_cada_prueba_una_vez_y_dice_el_reloj_de_cada_fase(tmp_path):
    a = {"setup": 1.5, "call": 10.0, "teardown": 0.5, "resultado": "passed"}
    b = {"setup": 0.25, "call": 4.0, "teardown": 0.75, "resultado": "passed"}
    c = {"setup": 2.0, "resultado": "skipped"}
    # Under pytest-xdist the controller writes every test and each worker its own: a test
    # counts once, wherever its times were written.
    _escribir(tmp_path / "uno.json", {"t::a": a, "t::b": b})
    _escribir(tmp_path / "uno.gw0.json", {"t::a": a})
    _escribir(tmp_path / "uno.gw1.json", {"t::b": b})
    _escribir(tmp_path / "dos.json", {"u::c": c})
    salida = subprocess.run(
        [sys.executable, "-m", "tests.tiempos"]
        + ["--fase", "Fase 1 (PostgreSQL)", str(tmp_path / "uno.json"), "30"]
        + ["--fase", "Fase 2", str(tmp_path / "dos.json"), "7.4"]
        + ["--fase", "Fase 3", str(tmp_path / "no-corrio.json"), "3"],
        cwd=RAIZ,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert salida.splitlines() == [
        "Tiempo de cada fase:",
        "  Fase 1 (PostgreSQL):    17 s de pruebas,    30 s de reloj (2 pruebas)",
        "  Fase 2:                  2 s de pruebas,     7 s de reloj (1 prueba)",
        "  Fase 3:                  0 s de pruebas,     3 s de reloj (sin tiempos de pruebas)",
        "  Total:                  19 s de pruebas,    40 s de reloj",
    ]


def test_sin_fases_ni_archivos_dice_lo_que_falta():
    resultado = subprocess.run(
        [sys.executable, "-m", "tests.tiempos"], cwd=RAIZ, capture_output=True, text=True
    )
    assert resultado.returncode == 2
    assert "faltan los archivos de tiempos" in resultado.stderr
