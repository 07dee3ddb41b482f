"""The Prometheus metrics each process counts as it works (prometheus_client): how long each
request took and how many SQL queries it ran, by the view that answered it, and how long
signing a dictamen took. What is read from the database when the metrics are scraped (the
outbox, the open tasks) is counted there, not here (dictamenes.operacion.selectors.metricas).

Several gunicorn workers each count their own. With PROMETHEUS_MULTIPROC_DIR in the
environment before the process starts, prometheus_client writes every value to a file in that
folder and the scrape adds the workers' files up (multiprocess mode); without it, a scrape
sees only the worker that answered it.
"""

from prometheus_client import Counter, Histogram

# Seconds. A page answers in tens of milliseconds; the open-data exports and a signature take
# seconds.
_SEGUNDOS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# A page's queries are bounded (tests assert it), mostly under 30.
_CONSULTAS = (0, 1, 2, 5, 10, 20, 30, 50, 100, 200)

PETICION_SEGUNDOS = Histogram(
    "dictamenes_request_duration_seconds",
    "Tiempo de respuesta de cada petición, por vista (nombre de la URL) y método.",
    ["view", "method"],
    buckets=_SEGUNDOS,
)
PETICIONES = Counter(
    "dictamenes_requests",
    "Peticiones respondidas, por vista, método y clase de código (2xx, 3xx, 4xx, 5xx).",
    ["view", "method", "status"],
)
PETICION_CONSULTAS = Histogram(
    "dictamenes_request_queries",
    "Consultas SQL que corrió cada petición, por vista.",
    ["view"],
    buckets=_CONSULTAS,
)
FIRMA_SEGUNDOS = Histogram(
    "dictamenes_signing_duration_seconds",
    "Tiempo de la firma PAdES de un dictamen (sello de tiempo y datos de revocación "
    "incluidos): emitir o rectificar.",
    buckets=(0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 60.0),
)
