"""What ObservacionMiddleware (config.observacion: the request's JSON log line and its
Prometheus metrics) costs a request by itself, in process and without a profiler.

A view that does nothing is called alone and through the middleware, in interleaved batches
(A, B, A, B…), and the CPU time of each batch is read with time.process_time: the difference is
the middleware's. Prints the least and the median microseconds per request. With the bench
settings, whose log line is production's JSON written to /dev/null; --multiproceso runs
prometheus_client in its multiprocess mode (PROMETHEUS_MULTIPROC_DIR, as gunicorn does in
deploy/systemd/dictamenes.service); --consultas N makes the view run N queries (SELECT 1), to
see what the query counter adds to each.

    .venv/bin/python bench/observacion.py [--multiproceso] [--consultas 20]
"""

import argparse
import atexit
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--multiproceso", action="store_true")
    args.add_argument("--consultas", type=int, default=0)
    args.add_argument("--lotes", type=int, default=60)
    opciones = args.parse_args()
    if opciones.multiproceso:
        # Before prometheus_client is imported: it chooses its mode once.
        carpeta = tempfile.mkdtemp(prefix="metricas-")
        atexit.register(shutil.rmtree, carpeta, ignore_errors=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = carpeta
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    if opciones.consultas:
        os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve

    from config.observacion import ObservacionMiddleware

    def vista(request):
        if opciones.consultas:
            with connection.cursor() as cursor:
                for _ in range(opciones.consultas):
                    cursor.execute("SELECT 1")
        return HttpResponse("ok")

    # A signed-in person (the line carries the user's id) on a page with a URL name.
    usuario = get_user_model()(pk=1, username="medicion")
    coincidencia = resolve("/solicitudes/")
    peticiones = []
    for _ in range(200):
        request = RequestFactory().get("/solicitudes/")
        request.resolver_match, request.user = coincidencia, usuario
        peticiones.append(request)
    middleware = ObservacionMiddleware(vista)
    for request in peticiones:
        middleware(request)
    sola, con = [], []
    for _ in range(opciones.lotes):
        for llamar, tiempos in ((vista, sola), (middleware, con)):
            inicio = time.process_time()
            for request in peticiones:
                llamar(request)
            tiempos.append((time.process_time() - inicio) / len(peticiones) * 1e6)
    diferencias = [b - a for a, b in zip(sola, con, strict=True)]
    print(
        f"ObservacionMiddleware ({'multiproceso' if opciones.multiproceso else 'un proceso'}, "
        f"{opciones.consultas} consultas): {min(con) - min(sola):.1f} µs por petición "
        f"(la menor de {opciones.lotes} lotes; mediana de las diferencias "
        f"{statistics.median(diferencias):.1f} µs). La vista sola: {min(sola):.1f} µs; "
        f"con el middleware: {min(con):.1f} µs."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
