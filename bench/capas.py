"""What each middleware adds to a request, in process and without a profiler (issue 64,
item 1: the whole stack at most 1 ms).

The ceiling view (/medicion/techo/, a view that does nothing) is called through the first k
middlewares of settings.MIDDLEWARE, for every k from none to all, in interleaved batches
(k = 0, 1, …, n, then again), and the CPU time of each batch is read with time.process_time.
Middleware k costs what the stack of the first k takes over the stack of the first k − 1:
the stack outside a middleware is always there, as it needs it. A cost that a middleware
only sets off is charged to the one that sets it off: the session is read from the database
by the first that reads it (cuentas' SegundoFactorMiddleware, on every request), not by
SessionMiddleware. With a signed-in person's session (the mixed load's people are signed in)
unless --anonimo, kept where SESSION_ENGINE says (production reads it from the shared cache
that DJANGO_CACHE_URL names, cached_db, and from the database when the cache is each
process's own), over the database of DATABASE_URL (SQLite runs in this process, so its
queries are in the CPU time; PostgreSQL's and Redis' work is not). Prints the least and the median
microseconds per request of the whole stack and of each middleware.

    DATABASE_URL=... [DJANGO_CACHE_URL=redis://...] .venv/bin/python bench/capas.py [--anonimo]
        [--usuario revisor.computo]
"""

import argparse
import os
import statistics
import sys
import time
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--anonimo", action="store_true")
    args.add_argument("--usuario", default="revisor.computo")
    args.add_argument("--lotes", type=int, default=40)
    args.add_argument("--por-lote", type=int, default=20)
    opciones = args.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory, override_settings

    cookie = ""
    if not opciones.anonimo:
        persona = get_user_model().objects.get(username=opciones.usuario)
        # Where the settings keep sessions (production: the shared cache and the database).
        sesion = import_module(settings.SESSION_ENGINE).SessionStore()
        sesion[SESSION_KEY] = str(persona.pk)
        # The backend every sign-in names (cuentas.adaptadores), the one that restores it.
        sesion[BACKEND_SESSION_KEY] = "cuentas.backends.ContrasenaLocalBackend"
        sesion[HASH_SESSION_KEY] = persona.get_session_auth_hash()
        sesion.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={sesion.session_key}"

    capas = list(settings.MIDDLEWARE)
    pilas = []
    for k in range(len(capas) + 1):
        with override_settings(MIDDLEWARE=capas[:k]):
            pilas.append(WSGIHandler())
    fabrica = RequestFactory()

    def lote(pila, n: int) -> float:
        entornos = []
        for _ in range(n):
            entorno = fabrica.get("/medicion/techo/").environ
            if cookie:
                entorno["HTTP_COOKIE"] = cookie
            entornos.append(entorno)
        inicio = time.process_time()
        for entorno in entornos:
            respuesta = pila(entorno, lambda *a: None)
            for _parte in respuesta:
                pass
            respuesta.close()
        return (time.process_time() - inicio) / n * 1e6

    for pila in pilas:  # warm: first permission loads, compiled templates, connections
        lote(pila, opciones.por_lote)
    tiempos = [[] for _ in pilas]
    for _ in range(opciones.lotes):
        for k, pila in enumerate(pilas):
            tiempos[k].append(lote(pila, opciones.por_lote))
    minimos = [min(t) for t in tiempos]
    medianas = [statistics.median(t) for t in tiempos]
    print(
        f"todo el middleware: mín {minimos[-1] - minimos[0]:.0f} µs, mediana "
        f"{medianas[-1] - medianas[0]:.0f} µs por petición (la vista sola: mín {minimos[0]:.0f}, "
        f"mediana {medianas[0]:.0f})"
    )
    for k, capa in enumerate(capas, start=1):
        print(
            f"  {capa:58s} mín {minimos[k] - minimos[k - 1]:6.0f}  "
            f"mediana {medianas[k] - medianas[k - 1]:6.0f} µs"
        )
    sesion = "anónima" if opciones.anonimo else f"sesión de {opciones.usuario}"
    carga = " ".join(f"{c:.2f}" for c in os.getloadavg())
    print(
        f"{sesion}, {settings.DATABASES['default']['ENGINE']}, sesiones en "
        f"{settings.SESSION_ENGINE}, caché {settings.CACHES['default']['BACKEND']}, carga {carga}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
