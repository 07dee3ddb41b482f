"""Who is being served, for the logs: the request's id and user id, kept in a context variable
by the request middleware (config.observacion) so that any log line written while serving it,
the business events' included, names the request it belongs to. Ids only: no names, e-mails
or paths (the logs carry no personal data beyond the user id).

A business event (one per audit event, dictamenes.comun.auditoria) is logged as one line on
logger "dictamenes.eventos" once its transaction commits: a rolled-back change logs nothing.
"""

import contextvars
import logging
from dataclasses import dataclass

from django.db import transaction

eventos = logging.getLogger("dictamenes.eventos")


@dataclass(frozen=True)
class Peticion:
    request_id: str


_actual: contextvars.ContextVar[Peticion | None] = contextvars.ContextVar(
    "peticion_actual", default=None
)


def peticion_actual() -> Peticion | None:
    """The request being served in this thread, or None (a management command, cron)."""
    return _actual.get()


def peticion_iniciar(peticion: Peticion) -> contextvars.Token:
    return _actual.set(peticion)


def peticion_terminar(token: contextvars.Token) -> None:
    _actual.reset(token)


def evento_anotar(*, tipo: str, numero: int, solicitud_id: int | None, usuario_id: int | None):
    """One log line for a business event, after commit: its type, its number in the audit
    chain, the request (solicitud) it is about, who did it and the HTTP request it came in."""
    peticion = peticion_actual()
    datos = {
        "event": tipo,
        "event_number": numero,
        "object_id": solicitud_id,
        "user_id": usuario_id,
        "request_id": peticion.request_id if peticion else None,
    }
    transaction.on_commit(lambda: eventos.info("evento %s", tipo, extra=datos))
