"""Where the `serie` tests live: the files that `make test`'s second phase collects.

The second phase used to collect the whole suite (2,500 tests, every test module imported,
about 4 s of CPU per worker) to keep the hundred marked `serie`. It now names their files,
and the suite keeps the list honest: every collection (the first phase collects everything)
stops with the names of the `serie` tests that live outside it (`fuera_de_la_lista`, called by
tests/conftest.py), so a browser test added elsewhere cannot silently go unrun.

    python -m tests.fases      # the list, one path per line (the Makefile's second phase)
"""

from __future__ import annotations

from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent

# Relative to the repository; a folder holds every test under it. tests/backends is `serie` as
# a whole (tests/conftest.py); the others are the browser tests outside it.
SERIE = (
    "tests/backends",
    "tests/cuentas/test_roles_navegador.py",
    "tests/despliegue/test_nginx_gunicorn.py",
    "tests/dictamenes/organizacion/test_areas_navegador.py",
    "tests/dictamenes/tramite/test_decidir_navegador.py",
    "tests/dictamenes/tramite/test_pasos_navegador.py",
    "tests/dictamenes/tramite/test_precio_navegador.py",
    "tests/publico/test_verificar_estado.py",
)


def en_la_lista(ruta: Path, lista=SERIE) -> bool:
    ruta = Path(ruta).resolve()
    return any(ruta == RAIZ / p or RAIZ / p in ruta.parents for p in lista)


def fuera_de_la_lista(items, lista=SERIE) -> list[str]:
    """The node ids of the collected `serie` tests whose file the list does not name."""
    return [
        item.nodeid
        for item in items
        if item.get_closest_marker("serie") and not en_la_lista(item.path, lista)
    ]


if __name__ == "__main__":
    print("\n".join(SERIE))
