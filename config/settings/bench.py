"""Benchmark (make bench): the production settings, served over loopback without TLS, with
server-side timing and a query count on every response."""

import os

os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("DJANGO_URL_PUBLICA", "http://127.0.0.1:8000")

from config.settings.production import *  # noqa: E402, F403

# Plain HTTP on 127.0.0.1: a Secure cookie would never come back.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"  # a __Host- cookie must be Secure
CSRF_COOKIE_NAME = "csrftoken"
MIDDLEWARE.insert(0, "config.medicion.TiemposServidorMiddleware")  # noqa: F405
# viewflow's own inbox and queue beside ours, over the same data, as the baseline.
DICTAMENES_MEDICION = True
# The benchmark runs on the demo people and their published demo passwords.
DICTAMENES_PERMITIR_DEMO = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each request pays for its log line as in production (config.observacion: the JSON line,
# formatted and written), into /dev/null instead of the terminal; nothing else is logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.observacion.FormatoJson"}},
    "handlers": {
        "peticiones": {"class": "logging.FileHandler", "filename": os.devnull, "formatter": "json"}
    },
    "loggers": {
        "dictamenes.peticiones": {"level": "INFO", "handlers": ["peticiones"], "propagate": False}
    },
}
# Pages are measured, not their assets: skip collecting and compressing static files.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# The test CA's timestamping authority and CRL (demo.confianza_local), where the benchmark
# and the two-server test run them; a TSA given in DJANGO_TSA_URL wins.
DICTAMENES_CONFIANZA_LOCAL = env.str("DJANGO_CONFIANZA_LOCAL", default="")  # noqa: F405
if DICTAMENES_CONFIANZA_LOCAL and not DICTAMENES_TSA["URL"]:  # noqa: F405
    DICTAMENES_TSA = {**DICTAMENES_TSA, "URL": f"http://{DICTAMENES_CONFIANZA_LOCAL}/tsa"}  # noqa: F405

# Demo data, the history generator and the test CA: never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
