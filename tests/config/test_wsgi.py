"""The WSGI entry point loads the whole site before the first request and leaves what it
loaded out of the cyclic garbage collector's sight (gc.freeze): a full collection, which
lands on whatever request triggers it, then walks only what requests create; and a page's new
objects set off no collection of their own. The code's fingerprint is read then too."""

import json
import subprocess
import sys

from django.conf import settings

# What a page builds and keeps while it renders: some 1,400 objects (a list's rows, their
# model instances and states, the context), then the HTML; how many collections that set off.
PAGINA = """
import gc
from django.template import engines
plantilla = engines["django"].from_string(
    "{% for f in filas %}<tr>{% for c in f.celdas %}<td>{{ c.texto }}</td>{% endfor %}</tr>"
    "{% endfor %}"
)
colecciones = []
gc.callbacks.append(lambda fase, info: fase == "start" and colecciones.append(info))
filas = [{"celdas": [{"texto": f"{i}-{j}"} for j in range(12)]} for i in range(100)]
plantilla.render({"filas": filas})
"""

PROGRAMA = (
    """
import gc, json, sys
import config.wsgi
congelados, rastreados = gc.get_freeze_count(), len(gc.get_objects())
"""
    + PAGINA
    + """
print(json.dumps({
    "congelados": congelados,
    "rastreados": rastreados,
    "urls": "config.urls" in sys.modules,
    "huella": sys.modules["config.claves_cache"].huella_del_codigo.cache_info().currsize,
    "colecciones": len(colecciones),
}))
"""
)


def _ultima_linea(*argumentos: str) -> str:
    """What a new Python process, started with these arguments, prints last."""
    salida = subprocess.run(
        [sys.executable, *argumentos],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": ""},
        timeout=120,
    )
    return salida.stdout.strip().splitlines()[-1]


def test_la_aplicacion_carga_el_sitio_y_lo_deja_fuera_del_recolector():
    datos = json.loads(_ultima_linea("-c", PROGRAMA))
    # The URLconf, and every view it names, imported at start, not on the first request.
    assert datos["urls"], datos
    # And the code's fingerprint that kept fragments' keys carry (config.claves_cache).
    assert datos["huella"] == 1, datos
    # What was loaded is frozen; the collector is left with almost nothing to walk.
    assert datos["congelados"] > 100 * datos["rastreados"], datos
    # A page's worth of new objects sets off no collection: the collector waits for 20,000.
    assert datos["colecciones"] == 0, datos


def test_un_comando_tampoco_recolecta_por_una_pagina_de_objetos():
    """manage.py (cron's commands, cargar_demo, the development server) paces the collector as
    the workers do (config.recolector)."""
    assert _ultima_linea("manage.py", "shell", "-c", PAGINA + "print(len(colecciones))") == "0"
