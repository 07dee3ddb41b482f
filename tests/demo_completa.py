"""The whole demonstration (`cargar_demo`, with its requests), loaded once per test process and
restored afterwards.

Several test files start from the demo as `make run` loads it: hundreds of requests, two years
of history, signed dictámenes with their timestamps and PDFs. Each of them ran the command, tens
of seconds of CPU each, more on PostgreSQL. `cargar()` runs it the first time in a process and
keeps what it left: every table's rows (PostgreSQL's binary COPY, or SQLite's values as stored:
byte for byte, the audit chain's microseconds too), every sequence's position, and the files it
wrote under the process's folder (the stored files, MEDIA_ROOT). The next call in that process
puts those back instead: each table emptied and copied back, in one transaction, the sequences
set where the load left them, the files written again, then what the command itself does last
(the planner's statistics, an empty cache).

Only within one process. The signed dictámenes depend on the process's trust material: its
test CA and the TSA's are made in its own temporary folder (config/settings/test.py, with new
keys each time: demo.efirma_pruebas, demo.confianza_local), and every e.firma and the TSA's
certificate name the CRL at the process's own port. Another worker's, or another run's, loaded
demo would carry signatures its CA never made and CRL addresses of a server that is gone: not
the site this process's command would load. The key still names the trust material and the date
(the demo dates its requests from today), and the database, so a snapshot is never restored
where it was not taken.

The restored rows keep the moments of the first load (the same day: the key), as if the later
test had loaded the demo minutes earlier; and the files get the first load's names again (a
real second load could name some otherwise: a stored name already taken gets another).

Only from the state the command starts from in a test: the demo catalogues (tests/demo_datos.py)
and nothing else. Each table's row count is compared with the one the first load started from;
when any differs the real command runs (and nothing is kept).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

_GUARDADAS: dict[tuple, _Instantanea] = {}


def cargar() -> None:
    """What `call_command("cargar_demo")` leaves in this database and its stored files."""
    llave = _llave()
    guardada = _GUARDADAS.get(llave)
    if guardada is not None and guardada.cuentas_antes == _cuentas(guardada.tablas):
        guardada.restaurar()
        return
    tablas = _tablas()
    cuentas, archivos = _cuentas(tablas), _archivos()
    call_command("cargar_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if guardada is None:
        _GUARDADAS[llave] = _Instantanea.tomar(tablas, cuentas, archivos)


def _carpeta() -> Path:
    """The process's own folder for what the suite writes (config/settings/test.py's _TMP): the
    stored files and the test CA."""
    return Path(settings.MEDIA_ROOT).parent


def _llave() -> tuple:
    from django.utils import timezone

    confianza = hashlib.sha256()
    for archivo in sorted(Path(settings.DICTAMENES_EFIRMA_DEMO_DIR).glob("*")):
        confianza.update(archivo.name.encode() + b"\0" + archivo.read_bytes())
    return (
        connection.vendor,
        connection.settings_dict["NAME"],
        timezone.localdate(),
        settings.DICTAMENES_CONFIANZA_LOCAL,
        settings.DICTAMENES_URL_PUBLICA,
        confianza.hexdigest(),
    )


def _tablas() -> list[str]:
    # Every table, not only the models': what the command could write.
    return sorted(connection.introspection.table_names(include_views=False))


def _cuentas(tablas: list[str]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tablas)  # noqa: S608
        )
        return list(cursor.fetchone())


def _archivos() -> dict[str, tuple[int, int]]:
    """Each file under the process's folder, by path: its size and modification time."""
    raiz = _carpeta()
    return {
        str(ruta.relative_to(raiz)): (ruta.stat().st_size, ruta.stat().st_mtime_ns)
        for ruta in raiz.rglob("*")
        if ruta.is_file()
    }


def _secuencias(cursor) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'S' AND n.nspname = current_schema() ORDER BY c.relname"
    )
    return [fila[0] for fila in cursor.fetchall()]


@dataclass
class _Instantanea:
    tablas: list[str]
    cuentas_antes: list[int]
    filas: dict[str, object]  # PostgreSQL: binary COPY; SQLite: (columns, rows)
    secuencias: list[tuple]
    escritos: dict[str, bytes]  # files written or changed, by path under the folder
    borrados: list[str]

    @classmethod
    def tomar(cls, tablas, cuentas, antes) -> _Instantanea:
        despues = _archivos()
        raiz = _carpeta()
        escritos = {
            ruta: (raiz / ruta).read_bytes()
            for ruta, firma in despues.items()
            if antes.get(ruta) != firma
        }
        borrados = sorted(set(antes) - set(despues))
        with connection.cursor() as envoltura:
            if connection.vendor == "postgresql":
                cursor = envoltura.cursor
                filas = {}
                for tabla in tablas:
                    with cursor.copy(f'COPY "{tabla}" TO STDOUT (FORMAT BINARY)') as copia:
                        filas[tabla] = b"".join(bytes(bloque) for bloque in copia)
                secuencias = []
                for nombre in _secuencias(cursor):
                    cursor.execute(f'SELECT last_value, is_called FROM "{nombre}"')  # noqa: S608
                    secuencias.append((nombre, *cursor.fetchone()))
            else:
                filas = {}
                for tabla in tablas:
                    columnas = _columnas_sqlite(envoltura, tabla)
                    lista = ", ".join(f'"{c}"' for c in columnas)
                    envoltura.execute(f'SELECT {lista} FROM "{tabla}"')  # noqa: S608
                    filas[tabla] = (columnas, envoltura.fetchall())
                envoltura.execute("SELECT name, seq FROM sqlite_sequence")
                secuencias = envoltura.fetchall()
        return cls(tablas, cuentas, filas, secuencias, escritos, borrados)

    def restaurar(self) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.core.cache import cache

        from demo.estadisticas import estadisticas_actualizar

        with transaction.atomic(), connection.cursor() as envoltura:
            if connection.vendor == "postgresql":
                cursor = envoltura.cursor
                cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in self.tablas))
                for tabla in self.tablas:
                    with cursor.copy(f'COPY "{tabla}" FROM STDIN (FORMAT BINARY)') as copia:
                        copia.write(self.filas[tabla])
                for nombre, valor, llamado in self.secuencias:
                    cursor.execute("SELECT setval(%s, %s, %s)", [f'"{nombre}"', valor, llamado])
            else:
                for tabla in self.tablas:
                    envoltura.execute(f'DELETE FROM "{tabla}"')  # noqa: S608
                for tabla in self.tablas:
                    columnas, filas = self.filas[tabla]
                    if filas:
                        lista = ", ".join(f'"{c}"' for c in columnas)
                        marcas = ", ".join("%s" for _ in columnas)
                        envoltura.executemany(
                            f'INSERT INTO "{tabla}" ({lista}) VALUES ({marcas})',  # noqa: S608
                            filas,
                        )
                envoltura.execute("DELETE FROM sqlite_sequence")
                envoltura.executemany(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", self.secuencias
                )
            estadisticas_actualizar()
        raiz = _carpeta()
        for ruta, contenido in self.escritos.items():
            (raiz / ruta).parent.mkdir(parents=True, exist_ok=True)
            (raiz / ruta).write_bytes(contenido)
        for ruta in self.borrados:
            destino = raiz / ruta
            if destino.is_dir():
                shutil.rmtree(destino)
            else:
                destino.unlink(missing_ok=True)
        # As the command leaves them: its last step empties the cache; ids cached in this
        # process belong to the rows that were there before.
        cache.clear()
        ContentType.objects.clear_cache()


def _columnas_sqlite(cursor, tabla: str) -> list[str]:
    # table_xinfo's `hidden`: 2 and 3 are generated columns, the database's to compute.
    cursor.execute(f'PRAGMA table_xinfo("{tabla}")')
    return [fila[1] for fila in cursor.fetchall() if fila[6] not in (2, 3)]
