"""Test settings: the suite's own PostgreSQL arrives through DATABASE_URL (tests/backends)."""

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="solo-pruebas-no-usar-en-produccion")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DICTAMENES_PERMITIR_DEMO = True

# Files written by the suite go to a throw-away directory, not the developer's var/, removed
# when the process that made it ends (a forked child leaves its parent's alone).
_TMP = Path(tempfile.mkdtemp(prefix="dictamenes-pruebas-"))
_DUENO = os.getpid()
atexit.register(lambda: os.getpid() == _DUENO and shutil.rmtree(_TMP, ignore_errors=True))
MEDIA_ROOT = _TMP / "media"
STORAGES["default"]["OPTIONS"]["location"] = str(MEDIA_ROOT)  # noqa: F405
DICTAMENES_EFIRMA_DEMO_DIR = _TMP / "efirma"
# A two-page stand-in for the built manuals, so that /manual/ answers the same whether or not
# `make docs` ran; tests/docs/test_ayuda.py builds the real site and points here to it.
DICTAMENES_MANUAL_DIR = BASE_DIR / "tests" / "docs" / "sitio_minimo"  # noqa: F405
# The test CA of the e.firma; the own CA of the test TSA (demo.confianza_local), trusted
# for timestamps only.
DICTAMENES_EFIRMA_RAICES = [str(DICTAMENES_EFIRMA_DEMO_DIR / "ca-demo.cer")]
DICTAMENES_TSA_RAICES = [str(DICTAMENES_EFIRMA_DEMO_DIR / "ca-tsa-demo.cer")]


# The test CA's timestamping authority and CRL, started by tests/conftest.py on a port of
# this process (a child pytest picks its own; servers the suite starts are given theirs).
# The port is held from the start, listening, and the server takes this very socket: a port
# only looked up here and bound when the session started was once taken in between by
# another process's connection, and every test of that worker failed. Fifty signatures at
# once queue on the services' threads: a generous wait.
DICTAMENES_CONFIANZA_LOCAL_SOCKET = socket.create_server(("127.0.0.1", 0), backlog=128)
DICTAMENES_CONFIANZA_LOCAL = f"127.0.0.1:{DICTAMENES_CONFIANZA_LOCAL_SOCKET.getsockname()[1]}"
DICTAMENES_TSA = {  # noqa: F405
    **DICTAMENES_TSA,  # noqa: F405
    "URL": f"http://{DICTAMENES_CONFIANZA_LOCAL}/tsa",
    "TIEMPO_ESPERA": 60.0,
}
# The test CA's revocation list is on that server too; nothing else is asked.
DICTAMENES_EFIRMA_SERVICIOS = [f"http://{DICTAMENES_CONFIANZA_LOCAL}/"]

# Demo data, the history generator and the test CA: never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
