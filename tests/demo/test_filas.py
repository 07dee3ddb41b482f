"""The history's rows reach PostgreSQL through COPY (demo.historico.filas): every column of
every row is what bulk_create wrote, keys and sequences included."""

import datetime

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from viewflow.workflow.models import Task

from demo import historico
from demo.historico import filas
from dictamenes.models import EventoAuditoria

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

HASTA = timezone.make_aware(datetime.datetime(2026, 11, 20, 12, 0))
TABLAS = [*filas.MODELOS, EventoAuditoria, Task.previous.through]


def _generada() -> dict:
    """Every row the generator wrote and where each table's sequence stands after it, read
    with plain SQL; the writes are undone afterwards."""
    leido = {}
    with transaction.atomic():
        # Sequences do not roll back (the people the generator adds, the events): both runs
        # start every one where its rows stand.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), apps.get_models(include_auto_created=True)
            ):
                cursor.execute(sql)
        historico.generar(anios=1, escala=0.05, hasta=HASTA, semilla=7)
        with connection.cursor() as cursor:
            for modelo in TABLAS:
                tabla = modelo._meta.db_table
                cursor.execute(f"SELECT * FROM {tabla} ORDER BY 1")  # noqa: S608
                leido[tabla] = cursor.fetchall()
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [tabla])
                (secuencia,) = cursor.fetchone()
                cursor.execute(f"SELECT last_value FROM {secuencia}")  # noqa: S608
                leido[f"{tabla} (secuencia)"] = cursor.fetchone()
        transaction.set_rollback(True)
    return leido


def test_copy_escribe_lo_mismo_que_bulk_create(demo, monkeypatch):
    por_copy = _generada()
    assert len(por_copy[EventoAuditoria._meta.db_table]) > 100
    assert len(por_copy[Task._meta.db_table]) > 300
    monkeypatch.setattr(filas, "_insertar", filas.bulk_create)
    por_bulk_create = _generada()
    assert por_copy.keys() == por_bulk_create.keys()
    for tabla, filas_copy in por_copy.items():
        assert filas_copy == por_bulk_create[tabla], tabla
