"""Where the time of each page goes: pyinstrument over the pages that make bench measures.

Each page is requested in-process (Django's test client, the bench settings, warm caches) R
times under pyinstrument's sampling profiler. Every sample is then charged to one part of the
request:
- each middleware, for the time spent in its own code and in what it calls, down to the next
  middleware (so the session lookup a middleware triggers is that middleware's cost); a query
  wrapper it installs (connection.execute_wrapper) is charged its own code, not the query;
- the session and the user, loaded lazily wherever they are first touched;
- inside the view: template rendering, permission checks (with their queries), serialisation
  (DRF), SQL (the ORM and the driver) and the view's own Python; otherwise the innermost of
  these wins, so a query run from a template counts as SQL;
- Django's request handling for what is left (URL resolving, the handler).
Reads the pages as JSON on stdin and prints, per page, milliseconds per request by part.
"""

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from bench.suelos import pedir  # noqa: E402

REPETICIONES = 50
INTERVALO_S = 0.001

DJANGO = "Django (manejo de la petición)"
SESION = "Sesión y usuario"
VISTA = "Vista: su Python"
PLANTILLAS = "Vista: plantillas"
PERMISOS = "Vista: permisos"
SERIALIZACION = "Vista: serialización"
SQL = "Vista: SQL (ORM y controlador)"


def _archivo(objeto) -> str | None:
    return getattr(sys.modules.get(objeto.__module__), "__file__", None)


def _middleware_por_archivo() -> dict[str, str]:
    nombres = defaultdict(list)
    clases = [import_string(ruta) for ruta in settings.MIDDLEWARE]
    for clase in clases:
        nombres[_archivo(clase)].append(clase.__name__)
    etiquetas = {archivo: "Middleware: " + " y ".join(n) for archivo, n in nombres.items()}
    # A method a middleware inherits runs in its base class's file (django-csp's
    # CSPMiddleware under PoliticaDeContenidoMiddleware): it is that middleware's cost too.
    # Django's MiddlewareMixin is every old-style middleware's: left to whoever encloses it.
    for clase in clases:
        for base in getattr(clase, "__mro__", ())[1:]:
            archivo = _archivo(base)
            if archivo and base.__module__ not in ("builtins", "django.utils.deprecation"):
                etiquetas.setdefault(archivo, etiquetas[_archivo(clase)])
    return etiquetas


MIDDLEWARE = _middleware_por_archivo()
_PARTES_DE_LA_VISTA = (
    (("/django/template/", "/templatetags/"), PLANTILLAS),
    (
        (
            "/guardian/",
            "/django/contrib/auth/backends.py",
            "/django/contrib/auth/models.py",
            "/dictamenes/tramite/selectors/access.py",
            "/dictamenes/separacion/",
            "/rest_framework/permissions.py",
        ),
        PERMISOS,
    ),
    (
        (
            "/rest_framework/serializers.py",
            "/rest_framework/fields.py",
            "/rest_framework/relations.py",
            "/rest_framework/renderers.py",
            "/rest_framework/utils/encoders.py",
        ),
        SERIALIZACION,
    ),
    (("/django/db/", "/psycopg/", "/sqlite3/"), SQL),
)
_SESION = ("/django/contrib/sessions/", "/django/contrib/auth/__init__.py")


def _parte(frame, heredada: str) -> str:
    archivo = frame.file_path or ""
    if archivo.endswith("/config/medicion.py") and frame.function != "__call__":
        return heredada  # the bench's own query counter wraps every query: it is the query's
    if archivo in MIDDLEWARE:
        return MIDDLEWARE[archivo]
    if archivo.endswith("/django/core/handlers/base.py") and frame.function == "_get_response":
        return VISTA
    if any(s in archivo for s in _SESION) or (
        archivo.endswith("/django/contrib/auth/middleware.py") and frame.function == "get_user"
    ):
        return SESION
    if heredada in (SESION, PERMISOS) or not heredada.startswith("Vista"):
        return heredada  # the queries of a middleware, the session or a permission look-up

    for fragmentos, parte in _PARTES_DE_LA_VISTA:
        if any(f in archivo for f in fragmentos):
            return parte
    return heredada


def _es_envoltorio(frame) -> bool:
    """Django calls each connection.execute_wrapper between these two frames of its cursor."""
    archivo = frame.file_path or ""
    return archivo.endswith("/django/db/backends/utils.py") and frame.function == (
        "_execute_with_wrappers"
    )


def _repartir(frame, heredada: str, cuenta: dict, consulta: str | None = None) -> None:
    """Charge frame's own time, and its children's, to their parts. `consulta`: the part that
    ran the query being executed, while inside Django's chain of execute wrappers. A wrapper
    that a middleware installs (ObservacionMiddleware's query counter) is called for every
    query of the request: its own code is that middleware's cost, the query it passes on is
    still whoever ran it (without this, every query of the view counted as middleware)."""
    if consulta is not None and (frame.file_path or "") in MIDDLEWARE:
        parte, hijos = _parte(frame, consulta), consulta
    else:
        parte = hijos = _parte(frame, heredada)
        if consulta is None and _es_envoltorio(frame):
            consulta = parte
    propio = frame.time - sum(hijo.time for hijo in frame.children)
    cuenta[parte] += max(propio, 0.0)
    for hijo in frame.children:
        _repartir(hijo, hijos, cuenta, consulta)


def perfil(pagina: dict) -> dict:
    # pyinstrument is make bench's (bench/requirements.lock), not make test's: the suite checks
    # how samples are charged (tests/test_perfilar.py) without it.
    from pyinstrument import Profiler

    cliente = Client(HTTP_HOST="127.0.0.1")
    if pagina["usuario"]:
        cliente.force_login(get_user_model().objects.get(username=pagina["usuario"]))
    for _ in range(3):
        pedir(cliente, pagina)
    perfilador = Profiler(interval=INTERVALO_S)
    perfilador.start()
    for _ in range(REPETICIONES):
        respuesta = pedir(cliente, pagina)
        if respuesta.status_code != 200:
            raise RuntimeError(f"{pagina['nombre']}: HTTP {respuesta.status_code}")
    perfilador.stop()
    cuenta = defaultdict(float)
    raiz = perfilador.last_session.root_frame()
    _repartir(raiz, DJANGO, cuenta)
    por_peticion = {parte: s * 1000 / REPETICIONES for parte, s in cuenta.items()}
    total = sum(por_peticion.values())
    # The test client's own work (building the request, reading the response) is not the
    # server's: drop what was charged before Django's handler was entered.
    cliente_ms = _fuera_del_servidor(raiz) * 1000 / REPETICIONES
    por_peticion[DJANGO] = max(por_peticion.get(DJANGO, 0.0) - cliente_ms, 0.0)
    return {
        "total_ms": round(total - cliente_ms, 2),
        "partes_ms": {
            parte: round(ms, 2) for parte, ms in sorted(por_peticion.items(), key=lambda p: -p[1])
        },
    }


def _fuera_del_servidor(frame) -> float:
    """Time not under django.core.handlers.base.BaseHandler.get_response."""
    if (frame.file_path or "").endswith("/django/core/handlers/base.py") and (
        frame.function == "get_response"
    ):
        return 0.0
    propio = frame.time - sum(hijo.time for hijo in frame.children)
    return max(propio, 0.0) + sum(_fuera_del_servidor(hijo) for hijo in frame.children)


if __name__ == "__main__":
    paginas = json.load(sys.stdin)
    json.dump(
        {p["nombre"]: perfil(p) for p in paginas if p["tipo"] != "csv"},
        sys.stdout,
        ensure_ascii=False,
    )
