"""Who ran a server command, as the machine says it (issue 93, item 3). `--usuario` is only
what the person at the keyboard typed; the machine knows which login ran the process:

1. the login uid of the session (`/proc/self/loginuid`), set by PAM when someone signs in by
   ssh or at the console and kept through `sudo`, `runuser` and `su` (only CAP_AUDIT_CONTROL
   changes it): `sudo deploy/manage …` run by ana is ana's, although the process runs as
   `dictamenes`;
2. without one (4294967295: a systemd timer, a container), `SUDO_USER`, which sudo sets (an
   environment variable: whoever starts the process can set it too);
3. else the effective user of the process.

plus the host's name. `comandos_envolver` (installed by dictamenes.apps) keeps it in a context
variable for as long as a management command runs, `call_command` included, so that
`auditoria.evento_registrar` writes it into every event of the command as
`datos["operador_so"]`; the events of web requests, served outside any command, never carry it
(runserver, which serves them, clears it). `management.administrador` checks `--usuario`
against it and DICTAMENES_OPERADORES."""

import contextvars
import functools
import os
import pwd
import socket

RUTA_LOGINUID = "/proc/self/loginuid"
# The kernel's «no login uid» ((uid_t) -1).
SIN_LOGINUID = 4294967295

FUENTE_LOGINUID = "loginuid"
FUENTE_SUDO = "SUDO_USER"
FUENTE_EFECTIVO = "usuario efectivo"

_vigente: contextvars.ContextVar[dict | None] = contextvars.ContextVar("operador_so", default=None)


def _nombre(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid with no account here (a container's): the number says who
        return str(uid)


def _loginuid() -> int | None:
    try:
        with open(RUTA_LOGINUID, encoding="ascii") as archivo:
            uid = int(archivo.read().strip())
    except (OSError, ValueError):
        return None
    return None if uid == SIN_LOGINUID else uid


def operador_so_leer() -> dict:
    """The login that runs this process, its uid, where it came from and the host."""
    if (uid := _loginuid()) is not None:
        login, fuente = _nombre(uid), FUENTE_LOGINUID
    elif login := os.environ.get("SUDO_USER", "").strip():
        fuente = FUENTE_SUDO
        try:
            uid = int(os.environ.get("SUDO_UID", ""))
        except ValueError:
            uid = None
    else:
        uid = os.geteuid()
        login, fuente = _nombre(uid), FUENTE_EFECTIVO
    return {"login": login, "uid": uid, "fuente": fuente, "host": socket.gethostname()}


def operador_so_vigente() -> dict | None:
    """The login of the command that is running; None outside any command (a web request)."""
    return _vigente.get()


def en_comando(execute):
    """BaseCommand.execute, with the machine's login kept while it runs. A command that serves
    pages (runserver, and testserver through it) clears it: its requests are people's, signed
    in, not the operator's."""
    from django.core.management.commands.runserver import Command as Runserver

    @functools.wraps(execute)
    def execute_con_operador(self, *args, **options):
        marca = _vigente.set(None if isinstance(self, Runserver) else operador_so_leer())
        try:
            return execute(self, *args, **options)
        finally:
            _vigente.reset(marca)

    execute_con_operador.con_operador_so = True
    return execute_con_operador


def comandos_envolver() -> None:
    """Every management command, Django's, the libraries' (viewflow's workflow_timers) and
    ours, runs through BaseCommand.execute, from manage.py and from call_command alike: the
    one place that sees them all (a base class of the house would miss the libraries')."""
    from django.core.management.base import BaseCommand

    if not getattr(BaseCommand.execute, "con_operador_so", False):
        BaseCommand.execute = en_comando(BaseCommand.execute)
