"""The demo catalogues in the test database: loaded once per database, kept between tests.

`cargar` runs `cargar_demo --sin-solicitudes` right after the migrations (tests/conftest.py's
`django_db_setup`); every ordinary test runs inside a transaction that is rolled back to it.
A transactional test (live server, browser, threads) commits and is flushed afterwards: then
`restaurar` puts the demo back before the next test. On PostgreSQL the demo is copied once into
a schema of its own and restored with one TRUNCATE and one INSERT … SELECT per table, inside
one transaction (Django's foreign keys are deferred); on SQLite from Django's serialized
copy of the database (serialize_db_to_string), taken once after the load.
"""

from __future__ import annotations

import os

from django.core.management import call_command
from django.db import connection, transaction

ESQUEMA = "demo_plantilla"
_copia_sqlite: dict = {}


def _tablas() -> list[str]:
    # The tables Django's flush empties (every model's), which is what a transactional test loses.
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _limpiar_caches() -> None:
    """Row ids cached in this process belong to the data that was flushed."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def cargar() -> None:
    call_command("cargar_demo", "--sin-solicitudes", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if connection.vendor != "postgresql":
        # Django's own serialized copy (what serialized_rollback restores): it keeps the rows
        # the migrations wrote too (PlazoEtapa's), which a flush loses and cargar_demo lacks.
        _copia_sqlite["datos"] = connection.creation.serialize_db_to_string()
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {ESQUEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {ESQUEMA}")
        for tabla in _tablas():
            cursor.execute(f'CREATE TABLE {ESQUEMA}."{tabla}" AS TABLE public."{tabla}"')


def restaurar() -> None:
    """The database as `cargar` left it, after a flush (or anything a test committed)."""
    if connection.vendor != "postgresql":
        # Empty, without the content types and permissions a flush makes anew under other ids.
        call_command("flush", "--noinput", inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(_copia_sqlite["datos"])
        _limpiar_caches()
        return
    from django.apps import apps
    from django.core.management.color import no_style

    tablas = _tablas()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'public."{t}"' for t in tablas) + " CASCADE")
        # The names are Django's own tables, from its introspection: nothing from outside.
        copias = (f'INSERT INTO public."{t}" SELECT * FROM {ESQUEMA}."{t}"' for t in tablas)  # noqa: S608
        cursor.execute(";".join(copias))
        # Ids go on after the restored rows (a flush with reset_sequences starts them at 1).
        cursor.execute(";".join(connection.ops.sequence_reset_sql(no_style(), apps.get_models())))
    _limpiar_caches()
