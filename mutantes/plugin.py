"""What make mutantes adds to the suite's plugins: mutmut runs pytest several times in one
process (its stats, the clean run, the forced failure), then forks a child per mutant from it,
two at a time with --max-children 2, each running its own pytest session.

The test settings open the port of the test CA's services once, when they are imported
(config/settings/test.py; the test CA's certificates name it: its CRL, its TSA), and the
session's fixture closes the socket it is given at the end. Each session is given a copy
(dup) of that one listening socket, which stays open: the next session in the same process, and
every child, serve on it without binding the address again. Binding it again in each child, as
this plugin did until issue 92, failed with EADDRINUSE in the second of two children running at
once: pytest stopped at its session start with an internal error (exit 3), which mutmut counts
as killed, with no test run. Two children at once share the socket's queue: one may answer the
other's request, with the same CA's files.

Each mutant's child is forked from a process that has already run the tests with the rules
unchanged: a result kept per process by a wrapper mutmut leaves alone (it skips decorated
functions) would answer with the original rule's result. clave_de_ente, an lru_cache in front
of the mutated _plano, let a mutant of _plano survive that way, and comun.consultas's compiled
queries did the same for access._con_ente_y_autor. Under mutmut each test starts with every
functools cache of the project's modules empty (Django's cache is emptied by tests/conftest.py).

mutmut only keeps each mutant's exit code: 1 for any failure, 3 for a crash of pytest, a
timeout or an error while collecting alike. Each child also writes, to mutants/fallas/<mutant>.json,
what its pytest session saw: the test that failed for the mutant (its nodeid, the phase and the
last line of its error), the errors at collection, how many tests passed, and the session's exit
status. mutantes/informe.py counts a mutant killed only with a failing test there.
"""

import functools
import json
import os
import signal
import socket
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hipotesis

# Under mutmut this file runs from its copy, mutants/mutantes/plugin.py.
FALLAS = Path(__file__).resolve().parent.parent / "fallas"
ESTADISTICAS = Path(__file__).resolve().parent.parent / "mutmut-stats.json"
# The names mutmut gives its own runs (stats, the forced failure, the clean run): not mutants.
NO_MUTANTES = {"", "stats", "fail", "mutant_generation"}


def _mutados() -> tuple[str, ...]:
    """The dotted names of the modules in [tool.mutmut] only_mutate."""
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    rutas = tomllib.loads(pyproject.read_text())["tool"]["mutmut"]["only_mutate"]
    return tuple(r.removesuffix(".py").replace("/", ".") for r in rutas)


MUTADOS = _mutados()

# The property tests' profile under mutmut (--hypothesis-profile=mutantes in [tool.mutmut]):
# the same examples in every run and every child (derandomize), and no example database: a
# failing example one mutant's child saves would be tried first by the next child, so a run
# would kill what another run does not. mutmut's stats run records each call to a mutated
# function, which slows the drawing of inputs past Hypothesis's health check: no deadline and
# no too_slow check here; a mutant that hangs is caught by mutmut's time limit.
hipotesis.register_profile(
    "mutantes",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# The packages of [tool.mutmut] source_paths: a cache anywhere in them may hold what a mutated
# function returned in the parent (comun.consultas compiles a query once per function that
# builds it: access._con_ente_y_autor's, compiled in the parent with the rule unchanged, was
# what every child ran, so its mutants survived whatever the tests said).
PAQUETES = ("dictamenes.", "estandares.")


def memorias_vaciar() -> int:
    """Empty every functools cache (lru_cache, cache) defined in the project's modules (the
    mutated ones and those that may keep a mutated function's result); how many."""
    vaciadas = 0
    for nombre, modulo in list(sys.modules.items()):
        if modulo is None or not (nombre in MUTADOS or nombre.startswith(PAQUETES)):
            continue
        for valor in list(vars(modulo).values()):
            if callable(getattr(valor, "cache_clear", None)) and hasattr(valor, "cache_info"):
                valor.cache_clear()
                vaciadas += 1
    return vaciadas


def mutante() -> str:
    """The mutant this process tests, or "" (mutmut's own runs, or no mutmut at all). mutmut
    keeps it also outside os.environ, in case a test empties the environment."""
    try:
        from mutmut.mutation.trampoline import get_mutant_under_test
    except ImportError:
        nombre = os.environ.get("MUTANT_UNDER_TEST", "")
    else:
        nombre = get_mutant_under_test()
    return "" if nombre in NO_MUTANTES else nombre


class _Sesion:
    """What one mutant's pytest session saw, written as it happens (a child killed by its time
    limit leaves what it had)."""

    def __init__(self, nombre: str):
        self.ruta = FALLAS / f"{nombre}.json"
        self.datos = {
            "mutante": nombre,
            "pid": os.getpid(),
            "fallas": [],
            "errores_de_coleccion": [],
            "pasaron": 0,
            "salida": None,
        }

    def escribir(self):
        FALLAS.mkdir(exist_ok=True)
        temporal = self.ruta.with_suffix(".tmp")
        temporal.write_text(json.dumps(self.datos, ensure_ascii=False, indent=1))
        temporal.replace(self.ruta)


_sesion: _Sesion | None = None
# The test CA's listening socket, opened by the test settings (config/settings/test.py).
_escucha: socket.socket | None = None


def _ultima_linea(report) -> str:
    texto = (report.longreprtext or "").strip().splitlines()
    return texto[-1][:300] if texto else ""


def pytest_runtest_setup(item):
    if os.environ.get("MUTANT_UNDER_TEST"):
        memorias_vaciar()


class CpuAgotado(Exception):
    """A test of a mutant's child that used far more CPU than in mutmut's stats run."""


def limite_cpu(segundos_en_estadisticas: float | None) -> float:
    """The CPU a test may use in a mutant's child: ten seconds plus five times what it took in
    the stats run (which records every call to a mutated function, so it is already slower)."""
    return 10.0 + 5.0 * (segundos_en_estadisticas or 0.0)


def _cortar(signum, frame):
    raise CpuAgotado("tiempo de CPU agotado: con el mutante, la prueba no termina")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """In a mutant's child, a test that loops for ever fails, with its name, instead of
    hanging until mutmut stops the whole child (a timeout, which counts as no test failing).
    ITIMER_PROF counts this process's CPU, not the busy machine's clock."""
    if not mutante():
        return (yield)
    anterior = signal.signal(signal.SIGPROF, _cortar)
    signal.setitimer(signal.ITIMER_PROF, limite_cpu(_duraciones().get(item.nodeid)))
    try:
        return (yield)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, anterior)


@functools.cache
def _duraciones() -> dict[str, float]:
    """Each test's seconds in mutmut's stats run (mutants/mutmut-stats.json), or none."""
    try:
        return json.loads(ESTADISTICAS.read_text())["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return {}


def pytest_collection_modifyitems(session, config, items):
    """In a mutant's child, the files with the cheapest tests first (each file's tests in their
    own order, so its module fixtures are built once): mutmut runs with -x, so a mutant dies at
    its first failing test, and a test of a rule's own file is found in seconds instead of after
    the slow journeys that also reach the rule. A survivor still runs every test; which test is
    recorded as the killer may change, whether the mutant dies does not."""
    if not mutante():
        return
    duraciones = _duraciones()
    por_archivo: dict[str, float] = {}
    for item in items:
        archivo = item.nodeid.split("::", 1)[0]
        por_archivo[archivo] = por_archivo.get(archivo, 0.0) + duraciones.get(item.nodeid, 1.0)
    orden = {item.nodeid: i for i, item in enumerate(items)}
    items.sort(key=lambda item: (por_archivo[item.nodeid.split("::", 1)[0]], orden[item.nodeid]))


def pytest_sessionstart(session):
    global _sesion, _escucha
    nombre = mutante()
    _sesion = _Sesion(nombre) if nombre else None
    if _sesion:
        _sesion.escribir()
    abierto = getattr(settings, "DICTAMENES_CONFIANZA_LOCAL_SOCKET", None)
    if abierto is None:
        return
    if _escucha is None:
        _escucha = abierto
    # Each session serves on a copy of the one listening socket, which its fixture closes at
    # the end; the socket itself stays open, in this process and in every child forked from it.
    try:
        settings.DICTAMENES_CONFIANZA_LOCAL_SOCKET = _escucha.dup()
    except OSError as error:
        if _sesion:
            _sesion.datos["error_al_iniciar"] = repr(error)
            _sesion.escribir()
        raise


def pytest_collectreport(report):
    if _sesion and report.failed:
        _sesion.datos["errores_de_coleccion"].append(
            {"nodo": report.nodeid, "error": _ultima_linea(report)}
        )
        _sesion.escribir()


def pytest_runtest_logreport(report):
    if not _sesion:
        return
    if report.failed:
        _sesion.datos["fallas"].append(
            {"prueba": report.nodeid, "fase": report.when, "error": _ultima_linea(report)}
        )
        _sesion.escribir()
    elif report.when == "call" and report.passed:
        _sesion.datos["pasaron"] += 1


def pytest_sessionfinish(session, exitstatus):
    if _sesion:
        _sesion.datos["salida"] = int(exitstatus)
        _sesion.escribir()
