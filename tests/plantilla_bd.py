"""The migrated SQLite test database, made once per set of migrations and copied into each
process's own.

Every pytest process (each xdist worker, `make test-rapido`, the SQLite phase of `make test`)
made its in-memory test database by running every migration: 10 s of rendering model states
per process, with the same result every time. Now the first process writes the migrated
database to var/pruebas/, under a name made of what decides it (every migration of the
project and the pinned dependencies, which bring theirs), and the others copy it with
SQLite's backup API in a fraction of a second. A change to a migration or a dependency makes a
new name, so the next run migrates again; two workers starting together take turns (a file
lock), the second copying what the first wrote.

PostgreSQL likewise: each worker of make test's first two phases migrated its own database
(9 s of the worker's CPU, and as much again of the server's, each time). The first one now
keeps `pg_dump`'s archive of the migrated database beside the SQLite one (its name also says
which PostgreSQL wrote it), and the others, in this run or the next, `pg_restore` it into
their empty test database.

A pytest plugin (pyproject's addopts: a hook of tests/conftest.py would not see a session
fixture). It replaces `migrate` only while pytest-django's `django_db_setup` runs: a test that
calls `migrate` runs the real one.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import sqlite3
import subprocess
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parent.parent
CARPETA = RAIZ / "var" / "pruebas"


def huella() -> str:
    """What the migrated schema and its rows depend on: the migrations, the model modules
    some of them call (the institution's first texts, models/textos.py), the service one
    of them imports, and the pinned dependencies."""
    resumen = hashlib.sha256()
    archivos = [
        *sorted(RAIZ.glob("*/migrations/*.py")),
        *sorted(RAIZ.glob("*/models.py")),
        *sorted(RAIZ.glob("*/models/*.py")),
        RAIZ / "dictamenes" / "encuestas" / "services.py",
        RAIZ / "requirements.lock",
    ]
    for archivo in archivos:
        resumen.update(str(archivo.relative_to(RAIZ)).encode())
        resumen.update(archivo.read_bytes())
    return resumen.hexdigest()[:16]


@contextlib.contextmanager
def migrar_desde_plantilla():
    """While the block runs, `migrate` on a SQLite database copies the kept migrated one."""
    from django.core import management
    from django.db import connections

    original = management.call_command

    def call_command(nombre, *args, **kwargs):
        conexion = connections[kwargs.get("database", "default")]
        if nombre == "migrate" and conexion.vendor == "postgresql":
            return _migrar_postgresql(conexion, lambda: original(nombre, *args, **kwargs))
        if nombre != "migrate" or conexion.vendor != "sqlite":
            return original(nombre, *args, **kwargs)
        CARPETA.mkdir(parents=True, exist_ok=True)
        plantilla = CARPETA / f"migrada-{huella()}.sqlite3"
        conexion.ensure_connection()
        with (CARPETA / "migrada.lock").open("w") as candado:
            fcntl.flock(candado, fcntl.LOCK_EX)
            if not plantilla.exists():
                resultado = original(nombre, *args, **kwargs)
                temporal = plantilla.with_suffix(".tmp")
                with contextlib.closing(sqlite3.connect(temporal)) as destino:
                    conexion.connection.backup(destino)
                temporal.replace(plantilla)
                for vieja in CARPETA.glob("migrada-*.sqlite3"):
                    if vieja != plantilla:
                        vieja.unlink(missing_ok=True)
                return resultado
        with contextlib.closing(sqlite3.connect(plantilla)) as origen:
            origen.backup(conexion.connection)
        return None

    management.call_command = call_command
    try:
        yield
    finally:
        management.call_command = original


def _url(conexion) -> str:
    datos = conexion.settings_dict
    return (
        f"postgresql://{datos['USER']}@{datos['HOST'] or '127.0.0.1'}:{datos['PORT'] or 5432}"
        f"/{datos['NAME']}"
    )


def _archivo_pg(bindir: Path) -> Path:
    # "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)": the archive is for this version.
    version = subprocess.run(
        [bindir / "pg_dump", "--version"], capture_output=True, text=True, check=True
    ).stdout.split()[2]
    return CARPETA / f"migrada-{huella()}-pg{version}.dump"


def _restaurar(bindir: Path, plantilla: Path, url: str) -> None:
    subprocess.run(
        [
            bindir / "pg_restore",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            url,
            plantilla,
        ],
        check=True,
        capture_output=True,
    )


def restaurar_migrada(url: str) -> bool:
    """The kept migrated database into the empty one at `url` (a `postgres://` URL without a
    password), if a test process of this checkout already wrote it for today's migrations;
    False when there is none (the caller migrates). For servers the tests start themselves,
    with the test settings' apps (tests/backends/test_dos_servidores.py)."""
    from tests.backends.servers import find_pg_bindir

    bindir = find_pg_bindir()
    if bindir is None:
        return False
    plantilla = _archivo_pg(bindir)
    CARPETA.mkdir(parents=True, exist_ok=True)
    with (CARPETA / "migrada-pg.lock").open("w") as candado:
        fcntl.flock(candado, fcntl.LOCK_EX)
        if not plantilla.exists():
            return False
    _restaurar(bindir, plantilla, url)
    return True


def _migrar_postgresql(conexion, migrar):
    """`migrate` into the empty test database, or the kept archive of a migrated one."""
    from tests.backends.servers import find_pg_bindir

    bindir = find_pg_bindir()
    if bindir is None or conexion.settings_dict.get("PASSWORD"):
        return migrar()
    CARPETA.mkdir(parents=True, exist_ok=True)
    plantilla = _archivo_pg(bindir)
    conexion.close()
    with (CARPETA / "migrada-pg.lock").open("w") as candado:
        fcntl.flock(candado, fcntl.LOCK_EX)
        if not plantilla.exists():
            resultado = migrar()
            conexion.close()
            temporal = plantilla.with_suffix(".tmp")
            subprocess.run(
                [bindir / "pg_dump", "-Fc", "--no-owner", "-f", temporal, _url(conexion)],
                check=True,
                capture_output=True,
            )
            temporal.replace(plantilla)
            for vieja in CARPETA.glob("migrada-*.dump"):
                if vieja != plantilla:
                    vieja.unlink(missing_ok=True)
            return resultado
    _restaurar(bindir, plantilla, _url(conexion))
    return None


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if (
        fixturedef.argname != "django_db_setup"
        or fixturedef.func.__module__ != "pytest_django.fixtures"
    ):
        return (yield)
    with migrar_desde_plantilla():
        return (yield)
