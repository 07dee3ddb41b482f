"""The rows of the history: keys handed out in advance, one fiscal year's batch, and its bulk
write with the dates of the time each row was written."""

import contextlib
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection
from viewflow.workflow.models import Process, Task

from dictamenes.models import (
    Dictamen,
    EventoAuditoria,
    OpinionPartida,
    Partida,
    RevisionArea,
    Solicitud,
)
from dictamenes.tramite.services import busqueda

LOTE = 2000  # rows per INSERT
MODELOS = [Solicitud, Partida, Process, Task, RevisionArea, OpinionPartida, Dictamen]


@contextlib.contextmanager
def fechas_historicas(*modelos):
    """Let bulk writes keep the given dates instead of auto_now/auto_now_add's "now"."""
    campos = [
        f for m in modelos for f in m._meta.concrete_fields if getattr(f, "auto_now_add", False)
    ] + [f for m in modelos for f in m._meta.concrete_fields if getattr(f, "auto_now", False)]
    antes = [(f, f.auto_now, f.auto_now_add) for f in campos]
    for f in campos:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in antes:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _siguiente_id(modelo) -> int:
    ultimo = modelo._base_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (ultimo or 0) + 1


class Ids:
    """Primary keys handed out in advance, so related rows can be linked before insertion."""

    def __init__(self, *modelos):
        self._siguiente = {m: _siguiente_id(m) for m in modelos}

    def __call__(self, modelo) -> int:
        valor = self._siguiente[modelo]
        self._siguiente[modelo] = valor + 1
        return valor


@dataclass
class Lote:
    """One fiscal year's rows, written together."""

    solicitudes: list = field(default_factory=list)
    partidas: list = field(default_factory=list)
    procesos: list = field(default_factory=list)
    procesos_dictamen: list = field(default_factory=list)
    tareas: list = field(default_factory=list)
    previas: list = field(default_factory=list)
    revisiones: list = field(default_factory=list)
    opiniones: list = field(default_factory=list)
    dictamenes: list = field(default_factory=list)
    eventos: list = field(default_factory=list)

    def cuenta(self) -> dict:
        return {
            "solicitudes": len(self.solicitudes),
            "partidas": len(self.partidas),
            "tareas": len(self.tareas),
            "eventos": len(self.eventos),
            "revisiones": len(self.revisiones),
            "dictamenes": len(self.dictamenes),
        }


def bulk_create(modelo, objetos: list) -> None:
    """Django's bulk INSERT, in batches of LOTE rows: SQLite's way (and the yardstick of COPY's
    rows in tests/demo/test_filas.py)."""
    modelo._base_manager.bulk_create(objetos, batch_size=LOTE)


def _insertar(modelo, objetos: list) -> None:
    """bulk_create's rows. On PostgreSQL through COPY (psycopg's `Cursor.copy`), which takes
    each row as it comes: Django 5.2's bulk INSERT sends every column as an array for UNNEST,
    and psycopg turns those lists into arrays in Python, element by element (15 of the 46 s
    the generator spent writing in make test's first phase). The same values either way: each
    field's own pre_save and get_db_prep_save, as bulk_create applies them; rows without a key
    take the next of the sequence, in order, as bulk_create's do."""
    if connection.vendor != "postgresql" or not objetos:
        bulk_create(modelo, objetos)
        return
    campos = [f for f in modelo._meta.concrete_fields if not f.generated]
    if any(o.pk is None for o in objetos):
        if any(o.pk is not None for o in objetos):
            raise ValueError(f"{modelo.__name__}: filas con llave y sin llave en el mismo lote")
        campos = [f for f in campos if f is not modelo._meta.pk]
    columnas = ", ".join(connection.ops.quote_name(f.column) for f in campos)
    tabla = connection.ops.quote_name(modelo._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {tabla} ({columnas}) FROM STDIN"  # noqa: S608 (names from the model)
        ) as copia,
    ):
        for objeto in objetos:
            copia.write_row(
                [f.get_db_prep_save(f.pre_save(objeto, True), connection) for f in campos]
            )


def lote_escribir(*, lote: Lote) -> None:
    """Insert the batch, in the caller's transaction, keeping its historical dates."""
    with fechas_historicas(Solicitud, RevisionArea):
        _insertar(Solicitud, lote.solicitudes)
        _insertar(Partida, lote.partidas)
        # Written around the services: what the search keeps of the items, as every writer.
        busqueda.solicitudes_busqueda_actualizar(solicitudes=[s.pk for s in lote.solicitudes])
        _insertar(Process, lote.procesos)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO dictamenes_procesodictamen "
                "(process_ptr_id, solicitud_id, admitida, subsanar_vence, area_devuelta_id) "
                "VALUES (%s, %s, %s, %s, %s)",
                lote.procesos_dictamen,
            )
        _insertar(Task, lote.tareas)
        _insertar(Task.previous.through, lote.previas)
        _insertar(RevisionArea, lote.revisiones)
        _insertar(OpinionPartida, lote.opiniones)
        _insertar(Dictamen, lote.dictamenes)
        _insertar(EventoAuditoria, lote.eventos)


def secuencias_reiniciar() -> None:
    """After inserting explicit keys, the database's sequences continue after them."""
    modelos = [*MODELOS, EventoAuditoria, Task.previous.through]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), modelos):
            cursor.execute(sql)
