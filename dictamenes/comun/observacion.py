"""Who is being served, for the logs: the request's id and user id, kept in a context variable
by the request middleware (config.observacion) so that any log line written while serving it,
the business events' included, names the request it belongs to. Ids only: no names, e-mails
or paths (the logs carry no personal data beyond the user id), and not even the user id for
a view marked `sin_identidad_en_bitacora`.

A business event (one per audit event, dictamenes.comun.auditoria) is logged as one line on
logger "dictamenes.eventos" once its transaction commits: a rolled-back change logs nothing.
"""

import contextvars
import functools
import logging
from dataclasses import dataclass

from django.db import transaction

eventos = logging.getLogger("dictamenes.eventos")


@dataclass
class Peticion:
    request_id: str
    # Set by a view marked `sin_identidad_en_bitacora`: no line of this request names a user.
    sin_identidad: bool = False


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


def sin_identidad_en_bitacora(vista):
    """Mark a view whose requests the logs must not tie to a person: its request line
    (config.observacion) and the lines of the business events it records carry no user id
    (issue 59: the satisfaction survey, whose answer is anonymous, would otherwise be logged
    as "this user answered at this second"). Explicit on the view, as Django's `csrf_exempt`,
    and for every method it answers: a GET of the form logged with the user, just before an
    anonymous POST, would name the person anyway."""

    @functools.wraps(vista)
    def envuelta(request, *args, **kwargs):
        if (peticion := peticion_actual()) is not None:
            peticion.sin_identidad = True
        return vista(request, *args, **kwargs)

    envuelta.sin_identidad_en_bitacora = True
    return envuelta


def sin_identidad(peticion: Peticion | None) -> bool:
    return peticion is not None and peticion.sin_identidad


def evento_anotar(*, tipo: str, numero: int, solicitud_id: int | None, usuario_id: int | None):
    """One log line for a business event, after commit: its type, its number in the audit
    chain, the request (solicitud) it is about, who did it and the HTTP request it came in."""
    peticion = peticion_actual()
    datos = {
        "event": tipo,
        "event_number": numero,
        "object_id": solicitud_id,
        # The audit event itself keeps its user: only the log line of an anonymous request
        # leaves it out.
        "user_id": None if sin_identidad(peticion) else usuario_id,
        "request_id": peticion.request_id if peticion else None,
    }
    transaction.on_commit(lambda: eventos.info("evento %s", tipo, extra=datos))
