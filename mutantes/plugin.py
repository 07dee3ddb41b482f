"""What make mutantes adds to the suite's plugins: mutmut runs pytest several times in one
process (then forks a child per mutant from it). The test settings open the port of the test
CA's services once, when they are imported (config/settings/test.py), and the session's fixture
closes it at the end: the next session in the same process listens on the same address again
(the test CA's certificates name it: its CRL, its TSA).

Each mutant's child is forked from a process that has already run the tests with the rules
unchanged: a result kept per process by a wrapper mutmut leaves alone (it skips decorated
functions) would answer with the original rule's result. clave_de_ente, an lru_cache in front
of the mutated _plano, let a mutant of _plano survive that way. Under mutmut each test starts
with the mutated modules' functools caches empty (Django's cache is emptied by tests/conftest.py).
"""

import os
import socket
import sys
import tomllib
from pathlib import Path

from django.conf import settings


def _mutados() -> tuple[str, ...]:
    """The dotted names of the modules in [tool.mutmut] only_mutate."""
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    rutas = tomllib.loads(pyproject.read_text())["tool"]["mutmut"]["only_mutate"]
    return tuple(r.removesuffix(".py").replace("/", ".") for r in rutas)


MUTADOS = _mutados()


def memorias_vaciar() -> int:
    """Empty every functools cache (lru_cache, cache) defined in the mutated modules; how many."""
    vaciadas = 0
    for nombre in MUTADOS:
        modulo = sys.modules.get(nombre)
        for valor in vars(modulo).values() if modulo else ():
            if callable(getattr(valor, "cache_clear", None)) and hasattr(valor, "cache_info"):
                valor.cache_clear()
                vaciadas += 1
    return vaciadas


def pytest_runtest_setup(item):
    if os.environ.get("MUTANT_UNDER_TEST"):
        memorias_vaciar()


def pytest_sessionstart(session):
    abierto = getattr(settings, "DICTAMENES_CONFIANZA_LOCAL_SOCKET", None)
    if abierto is not None and abierto.fileno() == -1:
        anfitrion, _, puerto = settings.DICTAMENES_CONFIANZA_LOCAL.rpartition(":")
        settings.DICTAMENES_CONFIANZA_LOCAL_SOCKET = socket.create_server(
            (anfitrion, int(puerto)), backlog=128
        )
