"""One management command, started at the same moment as its twin on another server.

    python -m tests.backends.cron_a_la_vez <folder> <command>

Sets Django up and connects to the database, says it is ready (a file `listo-<pid>` in the
folder), waits for the starting signal (a file `ya` there) and then runs the command, as cron
does on every app server at the same minute. test_dos_servidores.py gives the signal once
every process is ready, so the commands themselves start within a millisecond of each other.
"""

import os
import sys
import time
from pathlib import Path

import django

PLAZO_S = 60


def main() -> None:
    carpeta, comando = Path(sys.argv[1]), sys.argv[2]
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    connection.ensure_connection()
    (carpeta / f"listo-{os.getpid()}").touch()
    limite = time.monotonic() + PLAZO_S
    while not (carpeta / "ya").exists():
        if time.monotonic() > limite:
            sys.exit(f"Nadie dio la salida en {PLAZO_S} s.")
        time.sleep(0.001)
    call_command(comando)


if __name__ == "__main__":
    main()
