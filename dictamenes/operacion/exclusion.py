"""One run at a time across every app server, for the jobs cron starts.

Every server of the state runs the same crontab, so `avisar_vencimientos`, `enviar_avisos`,
`recordar_programa` and `workflow_timers` start at the same minute on each of them. A run
takes a lock named after the job; a run that finds it taken does nothing and says so, and the
next minute's run picks up whatever is still due. The jobs stay idempotent on their own (each
notice, reminder and timer is marked done in the transaction that does it), so a run that
starts after another one ended finds nothing left to do.

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`), held by the database
server for as long as the run's connection lives, so a run killed halfway frees it at once.
Any other database (SQLite, one machine): an exclusive `flock` on a file in the temporary
directory, named after the database.
"""

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.db import DatabaseError, connection
from django.utils.translation import gettext_lazy as _

OTRA_CORRIDA_EN_CURSO = _(
    "Otra corrida de %(nombre)s sigue en curso (en este u otro servidor): esta termina sin "
    "hacer nada."
)


def clave_de(nombre: str) -> int:
    """The advisory lock's key for a job: 64 bits of a hash of its name, signed as PostgreSQL's
    bigint. Prefixed, so that no other tool's advisory locks on the database collide with ours."""
    huella = hashlib.sha256(f"dictamenes:{nombre}".encode()).digest()
    return int.from_bytes(huella[:8], "big", signed=True)


@contextlib.contextmanager
def corrida_exclusiva(*, nombre: str) -> Iterator[bool]:
    """Take the job's lock without waiting: yields True when this run holds it (and frees it
    on leaving), False when another run, here or on another server, holds it."""
    if connection.vendor == "postgresql":
        with _candado_postgres(clave_de(nombre)) as propia:
            yield propia
    else:
        with _candado_archivo(nombre) as propia:
            yield propia


@contextlib.contextmanager
def _candado_postgres(clave: int) -> Iterator[bool]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [clave])
        propia = cursor.fetchone()[0]
    try:
        yield propia
    finally:
        if propia:
            # A connection that broke during the run took the lock with it.
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [clave])


@contextlib.contextmanager
def _candado_archivo(nombre: str) -> Iterator[bool]:
    nombre_base = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db():  # private to this process: two processes never share it
        nombre_base += f"#{os.getpid()}"
    base = hashlib.sha256(nombre_base.encode()).hexdigest()[:16]
    ruta = Path(tempfile.gettempdir()) / f"dictamenes-{base}-{nombre}.lock"
    with ruta.open("a") as archivo:
        try:
            fcntl.flock(archivo, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(archivo, fcntl.LOCK_UN)
