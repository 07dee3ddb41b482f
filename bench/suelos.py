"""The floor of each page: what PostgreSQL itself needs for the SQL the page runs.

Each page is requested in-process (Django's test client) three times: once to load content
types, permissions and templates; then, after a change written through the door that writes
events (what happens every few seconds in the year-end rush), its first visit, whose queries
are captured and timed; and once with the data cache empty (after a restart). Each SELECT of
the first visit after the change is then run under EXPLAIN (ANALYZE) five times and the least
planning plus execution time is kept (noise only adds to it). A page's floor is the sum over
its queries; its main query is the most expensive one.

Reads the pages as JSON on stdin and prints the floors as JSON. --solo-consultas: only the
number of queries (make bench-escala reads it at a tenth of the history).
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dictamenes.comun.auditoria import evento_registrar  # noqa: E402
from dictamenes.models import Solicitud  # noqa: E402

REPETICIONES = 5


def _explicar(sql: str) -> float:
    tiempos = []
    with connection.cursor() as cursor:
        for _ in range(REPETICIONES):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            tiempos.append(plan["Planning Time"] + plan["Execution Time"])
    # The least of the five: what the query needs; a slower run is the machine's noise.
    return min(tiempos)


def cambiar() -> None:
    """A change as the year-end rush makes them: an event about the newest request, written
    through the door (which moves the data's version and its year's)."""
    with transaction.atomic():
        evento_registrar(
            tipo="medicion",
            descripcion="Cambio de la medición (make bench)",
            solicitud=Solicitud.objects.exclude(presentada_en__isnull=True)
            .order_by("-presentada_en")
            .first(),
        )


def pedir(cliente, pagina: dict):
    """A GET, or a POST of the page's form fields (`datos`)."""
    if pagina.get("datos"):
        return cliente.post(pagina["url"], pagina["datos"])
    return cliente.get(pagina["url"])


def _visitar(cliente, pagina) -> tuple[float, list, int]:
    inicio = time.perf_counter()
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = pedir(cliente, pagina)
        if respuesta.streaming:
            for _ in respuesta.streaming_content:
                pass
    return (time.perf_counter() - inicio) * 1000, capturadas.captured_queries, respuesta.status_code


def suelo(pagina: dict, *, explicar: bool = True) -> dict:
    cliente = Client(HTTP_HOST="127.0.0.1")
    if pagina["usuario"]:
        cliente.force_login(get_user_model().objects.get(username=pagina["usuario"]))
    pedir(cliente, pagina)  # content types, permissions, templates and caches loaded
    cambiar()
    tras_cambio_ms, capturadas, estado = _visitar(cliente, pagina)
    cache.clear()
    sin_cache_ms, _consultas, _estado = _visitar(cliente, pagina)
    resultado = {
        "estado_http": estado,
        "consultas": len(capturadas),
        # In-process (test client): the first visit after a change, and with the cache empty.
        "primera_visita_ms": round(tras_cambio_ms, 1),
        "sin_cache_ms": round(sin_cache_ms, 1),
    }
    if not explicar:
        return resultado
    consultas = []
    for q in capturadas:
        sql = q["sql"]
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            consultas.append((_explicar(sql), sql))
    principal = max(consultas, default=(0.0, ""))
    return resultado | {
        "suelo_ms": round(sum(t for t, _ in consultas), 2),
        "principal_ms": round(principal[0], 2),
        "principal_sql": principal[1][:300],
    }


if __name__ == "__main__":
    paginas = json.load(sys.stdin)
    explicar = "--solo-consultas" not in sys.argv
    json.dump(
        {p["nombre"]: suelo(p, explicar=explicar) for p in paginas if p["tipo"] != "csv"},
        sys.stdout,
        ensure_ascii=False,
    )
