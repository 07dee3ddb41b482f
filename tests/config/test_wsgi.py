"""The WSGI entry point loads the whole site before the first request and leaves what it
loaded out of the cyclic garbage collector's sight (gc.freeze): a full collection, which
lands on whatever request triggers it, then walks only what requests create."""

import json
import subprocess
import sys

from django.conf import settings

PROGRAMA = """
import gc, json, sys
import config.wsgi
print(json.dumps({
    "congelados": gc.get_freeze_count(),
    "rastreados": len(gc.get_objects()),
    "urls": "config.urls" in sys.modules,
}))
"""


def test_la_aplicacion_carga_el_sitio_y_lo_deja_fuera_del_recolector():
    salida = subprocess.run(
        [sys.executable, "-c", PROGRAMA],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": ""},
        timeout=120,
    )
    datos = json.loads(salida.stdout.strip().splitlines()[-1])
    # The URLconf, and every view it names, imported at start, not on the first request.
    assert datos["urls"], salida.stderr
    # What was loaded is frozen; the collector is left with almost nothing to walk.
    assert datos["congelados"] > 100 * datos["rastreados"], datos
