"""A missing test server is a visible skip locally and a failure in CI."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_browser_tests_without_chromium(ci: str):
    env = dict(os.environ, CI=ci, DICTAMENES_CHROMIUM="/no/existe/chromium")
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--db=sqlite",
            "-p",
            "no:cacheprovider",
            "tests/backends/test_browser.py",
            "-k",
            "requirente",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_sin_chromium_se_omite_con_la_razon():
    result = run_browser_tests_without_chromium(ci="")
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "Servidor de pruebas no disponible: no existe /no/existe/chromium" in result.stdout


def test_sin_chromium_en_ci_la_corrida_falla():
    result = run_browser_tests_without_chromium(ci="true")
    assert result.returncode == 1, result.stdout
    assert "servidores de prueba faltantes" in result.stdout
    assert "test_browser.py::test_requirente_ve_su_dependencia" in result.stdout


def test_sin_postgresql_la_suite_usa_sqlite_y_en_ci_falla():
    env = dict(os.environ, CI="true", DICTAMENES_PG_BINDIR="/no/existe")
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rs",
            "tests/backends/test_postgres.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout
    assert "base de datos: SQLite (no se encontró initdb" in result.stdout
    assert "Servidor de pruebas no disponible: PostgreSQL: no se encontró initdb" in result.stdout
