"""What each request leaves behind for the people who run the site: one log line (JSON in
production, config.settings.production), its id in the X-Request-ID response header, and its
time and SQL query count in the Prometheus metrics (dictamenes.comun.metricas).

The line names the request by its id, the view that answered (the URL's name, never the path
or its query string, which may carry a name or an RFC), the status, the duration, the number
of queries and the user's id: no other personal data; and no user id for a view marked
`sin_identidad_en_bitacora` (the survey's answer, dictamenes.comun.observacion). The id comes
from the reverse proxy when there is one (DJANGO_PROXIES > 0 and a well-formed X-Request-ID,
as nginx's $request_id), so that its access log and ours name the same request; otherwise it
is made here.
"""

import datetime
import json
import logging
import re
import time
import uuid

from django.conf import settings
from django.db import connection
from django.utils.functional import empty

from dictamenes.comun import metricas
from dictamenes.comun.observacion import (
    Peticion,
    peticion_actual,
    peticion_iniciar,
    peticion_terminar,
    sin_identidad,
)

peticiones = logging.getLogger("dictamenes.peticiones")

CABECERA = "X-Request-ID"
# nginx's $request_id is 32 hex digits; a UUID, a trace id, a load balancer's id all fit.
# Nothing that could break a log line or a header.
_ID_VALIDO = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# A method outside these is counted as "other": the label's values stay few whatever a client
# sends.
_METODOS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
SIN_VISTA = "unresolved"


def request_id_de(request) -> str:
    """The proxy's id for this request when there is a trusted proxy and its id is well formed;
    else a new one. Without a proxy the header is whatever the client wrote."""
    if settings.DICTAMENES_PROXIES:
        propuesto = request.headers.get(CABECERA, "")
        if _ID_VALIDO.fullmatch(propuesto):
            return propuesto
    return uuid.uuid4().hex


def vista_de(request) -> str:
    """The URL's name of the view that answered (bounded: the URL conf's), not the path."""
    coincidencia = getattr(request, "resolver_match", None)
    return coincidencia.view_name if coincidencia is not None else SIN_VISTA


def usuario_id_de(request) -> int | None:
    """The user's id if the request already knew who it was serving. A user never read (a
    health probe, a static file) is not looked up here: that would read the session, and the
    database, just to write the log."""
    usuario = getattr(request, "user", None)
    if usuario is None or getattr(usuario, "_wrapped", None) is empty:
        return None
    return usuario.pk if usuario.is_authenticated else None


def sin_identidad_de(request, peticion) -> bool:
    """Whether the view that answered is marked `sin_identidad_en_bitacora`: it said so while
    it ran, or its URL resolved to it and something before it answered (a CSRF or size
    refusal, a login redirect) without ever calling it."""
    coincidencia = getattr(request, "resolver_match", None)
    marcada = coincidencia is not None and getattr(
        coincidencia.func, "sin_identidad_en_bitacora", False
    )
    return sin_identidad(peticion) or marcada


class ObservacionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_de(request)
        request.request_id = request_id
        peticion = Peticion(request_id=request_id)
        ficha = peticion_iniciar(peticion)
        consultas = 0

        def contar(execute, sql, params, many, context):
            nonlocal consultas
            consultas += 1
            return execute(sql, params, many, context)

        inicio = time.perf_counter()
        try:
            with connection.execute_wrapper(contar):
                response = self.get_response(request)
            segundos = time.perf_counter() - inicio
            response[CABECERA] = request_id
            vista = vista_de(request)
            metodo = request.method if request.method in _METODOS else "other"
            metricas.PETICION_SEGUNDOS.labels(vista, metodo).observe(segundos)
            metricas.PETICIONES.labels(vista, metodo, f"{response.status_code // 100}xx").inc()
            metricas.PETICION_CONSULTAS.labels(vista).observe(consultas)
            usuario_id = None if sin_identidad_de(request, peticion) else usuario_id_de(request)
            peticiones.info(
                "%s %s %s",
                metodo,
                vista,
                response.status_code,
                extra={
                    "user_id": usuario_id,
                    "view": vista,
                    "method": metodo,
                    "status": response.status_code,
                    "duration_ms": round(segundos * 1000, 1),
                    "queries": consultas,
                },
            )
            return response
        finally:
            peticion_terminar(ficha)


# What a log line may carry besides its message: ids, names of views and events, numbers.
_CAMPOS = (
    "request_id",
    "user_id",
    "view",
    "method",
    "status",
    "duration_ms",
    "queries",
    "event",
    "event_number",
    "object_id",
)


class FormatoJson(logging.Formatter):
    """One JSON object per line (production's LOGGING): time (UTC, ISO 8601), level, logger,
    message and the fields of _CAMPOS the record has; a line written while serving a request
    carries that request's id, whoever wrote it."""

    def format(self, record: logging.LogRecord) -> str:
        linea = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for campo in _CAMPOS:
            if hasattr(record, campo):
                linea[campo] = getattr(record, campo)
        if "request_id" not in linea and (peticion := peticion_actual()) is not None:
            linea["request_id"] = peticion.request_id
        if record.exc_info:
            linea["exception"] = self.formatException(record.exc_info)
        return json.dumps(linea, ensure_ascii=False, default=str)
