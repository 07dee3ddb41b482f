"""Server-side timing for the benchmark: each response says how long the app took and how
many SQL queries it ran (Server-Timing, the W3C header browsers and tools understand)."""

import time

from django.db import connection
from django.http import HttpResponse


class TiemposServidorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cuenta = {"consultas": 0, "db": 0.0}

        def contar(execute, sql, params, many, context):
            inicio = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                cuenta["consultas"] += 1
                cuenta["db"] += time.perf_counter() - inicio

        inicio = time.perf_counter()
        with connection.execute_wrapper(contar):
            response = self.get_response(request)
        total = (time.perf_counter() - inicio) * 1000
        response["Server-Timing"] = (
            f'app;dur={total:.2f}, db;dur={cuenta["db"] * 1000:.2f};desc="{cuenta["consultas"]}"'
        )
        return response


def techo(request):
    """The ceiling of the benchmark: a view that does nothing, through the same middleware and
    server as every page (config.settings.bench serves it at /medicion/techo/)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
