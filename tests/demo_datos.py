"""The demo catalogues in the test database: loaded once per database, kept between tests.

`cargar` runs `cargar_demo --sin-solicitudes` right after the migrations (tests/conftest.py's
`django_db_setup`); every ordinary test runs inside a transaction that is rolled back to it.
A transactional test (live server, browser, threads) commits: instead of Django's flush,
`restaurar` puts the database back as `cargar` left it (tests/conftest.py). The copy is taken
once, table by table, in SQL, into a schema of its own (PostgreSQL) or an attached in-memory
database (SQLite), both named ESQUEMA; restoring empties every table and copies it back, in
one transaction (Django's foreign keys are deferred). A copy through Django's serializer would
not do: it keeps datetimes to the millisecond, and the audit chain hashes the microseconds.
"""

from __future__ import annotations

import os

from django.core.management import call_command
from django.db import connection, transaction

ESQUEMA = "demo_plantilla"


def _tablas() -> list[str]:
    # Every model's table (what Django's flush empties), and the rows migrations wrote too.
    return sorted(connection.introspection.django_table_names(only_existing=True))


def cargar() -> None:
    call_command("cargar_demo", "--sin-solicitudes", stdout=open(os.devnull, "w"))  # noqa: SIM115
    postgresql = connection.vendor == "postgresql"
    _adjuntar()
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:
            cursor.execute(f"DROP SCHEMA IF EXISTS {ESQUEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {ESQUEMA}")
        for tabla in _tablas():
            cursor.execute(f'DROP TABLE IF EXISTS {ESQUEMA}."{tabla}"')
            cursor.execute(f'CREATE TABLE {ESQUEMA}."{tabla}" AS SELECT * FROM "{tabla}"')  # noqa: S608


def _adjuntar() -> None:
    """SQLite: the copy lives in a shared in-memory database, attached to this connection
    (the test database is in memory too; the connection lives as long as the run)."""
    if connection.vendor == "postgresql":
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        if ESQUEMA not in {fila[1] for fila in cursor.fetchall()}:
            cursor.execute(
                f"ATTACH DATABASE 'file:{ESQUEMA}?mode=memory&cache=shared' AS {ESQUEMA}"
            )


def _columnas_escribibles() -> dict[str, list[str]]:
    """Each model's table and its columns, but the generated ones."""
    from django.apps import apps

    return {
        m._meta.db_table: [f.column for f in m._meta.concrete_fields if not f.generated]
        for m in apps.get_models(include_auto_created=True)
        if any(f.generated for f in m._meta.concrete_fields)
    }


def restaurar() -> None:
    """The database as `cargar` left it, whatever a test committed."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style

    _adjuntar()
    tablas = _tablas()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tablas) + " CASCADE")
        else:
            for tabla in tablas:
                cursor.execute(f'DELETE FROM "{tabla}"')  # noqa: S608
        # The names are Django's own tables and columns, from its introspection and models:
        # nothing from outside. A generated column (Solicitud.concluida) is the database's to
        # compute: it is left out of the copy back.
        columnas = _columnas_escribibles()
        for tabla in tablas:
            lista = ", ".join(f'"{c}"' for c in columnas[tabla]) if tabla in columnas else "*"
            destino = f'"{tabla}" ({lista})' if tabla in columnas else f'"{tabla}"'
            cursor.execute(f'INSERT INTO {destino} SELECT {lista} FROM {ESQUEMA}."{tabla}"')  # noqa: S608
        # Ids go on after the restored rows (a flush with reset_sequences starts them at 1).
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
    # Row ids cached in this process belong to the data that was flushed.
    ContentType.objects.clear_cache()
