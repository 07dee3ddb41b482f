"""pytest plugin: the suite runs against a real PostgreSQL that it starts itself.

Loaded with ``-p`` (see pyproject.toml) so that it runs before pytest-django reads the
settings: the server must be up and DATABASE_URL set before Django is configured.

``--db=sqlite`` runs the suite on SQLite instead. A backend that cannot run here makes its
tests skip with a reason that starts with ``SKIP_PREFIX``; with ``CI=true`` such a skip fails
the run, so a green CI always means the real backends were exercised.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.backends.saltar import SKIP_PREFIX, skip_backend
from tests.backends.servers import BackendUnavailable, PostgresServer, find_pg_bindir

_state: dict = {"server": None, "pg_unavailable": None, "sqlite_chosen": False, "backend_skips": []}


def require_postgres() -> None:
    """Skip the calling test unless the suite runs on the temporary PostgreSQL."""
    if _state["sqlite_chosen"]:
        pytest.skip("se eligió --db=sqlite")
    if _state["pg_unavailable"]:
        skip_backend(f"PostgreSQL: {_state['pg_unavailable']}")


def otra_conexion(*, dbname: str | None = None, autocommit: bool = False):
    """A psycopg connection of its own to the test database's server (to `dbname`, or to the
    test database itself): what another process, an administrator or the other worker does."""
    import psycopg
    from django.db import connection

    ajustes = connection.settings_dict
    return psycopg.connect(
        host=ajustes["HOST"],
        port=ajustes["PORT"],
        user=ajustes["USER"],
        password=ajustes["PASSWORD"] or None,
        dbname=dbname or ajustes["NAME"],
        autocommit=autocommit,
    )


def correr_pytest(*args: str, **entorno: str) -> subprocess.CompletedProcess:
    """The suite's pytest in a child process, with `entorno` over this environment and
    without this run's DATABASE_URL: how the tests of these skips see a run from outside."""
    env = {**os.environ, **entorno}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", *args],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        action="store",
        default=os.environ.get("DICTAMENES_TEST_DB", "postgres"),
        choices=["postgres", "sqlite"],
        help="Base de datos de la suite: un PostgreSQL temporal (por omisión) o SQLite.",
    )


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    if early_config.known_args_namespace.db == "postgres":
        # A pytest-xdist worker uses the server its controller started (and inherited its
        # DATABASE_URL); pytest-django gives each worker a database of its own on it.
        if not (os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("DATABASE_URL")):
            _start_postgres()
    else:
        _state["sqlite_chosen"] = True
        os.environ.pop("DATABASE_URL", None)
    return (yield)


def _start_postgres() -> None:
    bindir = find_pg_bindir()
    if bindir is None:
        _state["pg_unavailable"] = (
            "no se encontró initdb (instale el paquete postgresql); la suite corre en SQLite"
        )
        os.environ.pop("DATABASE_URL", None)
        return
    server = PostgresServer(bindir=bindir)
    try:
        os.environ["DATABASE_URL"] = server.start()
    except (BackendUnavailable, OSError) as exc:
        server.stop()
        _state["pg_unavailable"] = f"{exc}; la suite corre en SQLite"
        os.environ.pop("DATABASE_URL", None)
        return
    except Exception as exc:
        server.stop()
        detail = getattr(exc, "stderr", b"") or b""
        raise pytest.UsageError(
            f"No se pudo iniciar PostgreSQL: {exc}\n{detail.decode(errors='replace')}"
        ) from exc
    _state["server"] = server


def pytest_unconfigure(config):
    server = _state["server"]
    if server is not None:
        server.stop()
        _state["server"] = None


def pytest_report_header(config):
    if _state["server"] is not None:
        return f"base de datos: PostgreSQL temporal en 127.0.0.1:{_state['server'].port}"
    return f"base de datos: SQLite ({_state['pg_unavailable'] or 'se eligió --db=sqlite'})"


def pytest_runtest_logreport(report):
    if report.skipped and SKIP_PREFIX in str(report.longrepr):
        _state["backend_skips"].append(report.nodeid)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_sessionfinish(session, exitstatus):
    if _in_ci() and _state["backend_skips"] and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skips = _state["backend_skips"]
    if _in_ci() and skips:
        terminalreporter.section("servidores de prueba faltantes", red=True)
        terminalreporter.write_line(
            f"Con CI=true no se permite omitir pruebas por falta de servidor ({len(skips)}):"
        )
        for nodeid in skips:
            terminalreporter.write_line(f"  {nodeid}")
