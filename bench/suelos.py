"""The floor of each page: what PostgreSQL itself needs for the SQL the page runs.

Each page is requested once in-process to capture its queries; each SELECT is then run under
EXPLAIN (ANALYZE) five times and the median of planning plus execution time is kept. A page's
floor is the sum over its queries; its main query is the most expensive one.
Reads the pages as JSON on stdin and prints the floors as JSON.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPETICIONES = 5


def _explicar(sql: str) -> float:
    tiempos = []
    with connection.cursor() as cursor:
        for _ in range(REPETICIONES):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            tiempos.append(plan["Planning Time"] + plan["Execution Time"])
    return statistics.median(tiempos)


def suelo(pagina: dict) -> dict:
    cliente = Client(HTTP_HOST="127.0.0.1")
    if pagina["usuario"]:
        cliente.force_login(get_user_model().objects.get(username=pagina["usuario"]))
    cliente.get(pagina["url"])  # content types, permissions and templates loaded first
    cache.clear()  # the floor is the SQL of computing the page, not of reading a cached copy
    inicio = time.perf_counter()
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = cliente.get(pagina["url"])
        if respuesta.streaming:
            for _ in respuesta.streaming_content:
                pass
    sin_cache_ms = (time.perf_counter() - inicio) * 1000
    consultas = []
    for q in capturadas.captured_queries:
        sql = q["sql"]
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            consultas.append((_explicar(sql), sql))
    principal = max(consultas, default=(0.0, ""))
    return {
        "estado_http": respuesta.status_code,
        "consultas": len(capturadas.captured_queries),
        # In-process (test client), with the data cache empty: the first visit after a change.
        "sin_cache_ms": round(sin_cache_ms, 1),
        "suelo_ms": round(sum(t for t, _ in consultas), 2),
        "principal_ms": round(principal[0], 2),
        "principal_sql": principal[1][:300],
    }


if __name__ == "__main__":
    paginas = json.load(sys.stdin)
    json.dump(
        {p["nombre"]: suelo(p) for p in paginas if p["tipo"] != "csv"},
        sys.stdout,
        ensure_ascii=False,
    )
