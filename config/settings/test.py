"""Test settings: the suite's own PostgreSQL arrives through DATABASE_URL (tests/backends)."""

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

# Files written by the suite go to a throw-away directory, not the developer's var/.
_TMP = Path(tempfile.mkdtemp(prefix="dictamenes-pruebas-"))
MEDIA_ROOT = _TMP / "media"
STORAGES["default"]["OPTIONS"]["location"] = str(MEDIA_ROOT)  # noqa: F405
DICTAMENES_EFIRMA_DEMO_DIR = _TMP / "efirma"
DICTAMENES_EFIRMA_RAICES = [str(DICTAMENES_EFIRMA_DEMO_DIR / "ca-demo.cer")]

# Demo data, the history generator and the test CA: never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
