"""Local development: `make run`. Not for production."""

import socket

from config.settings.base import *  # noqa: F403
from config.settings.base import env

# Off, as a new user meets it: a mistyped address gets the project's own Spanish 404 (and 403,
# 500), not Django's English debug page listing every URL pattern. DJANGO_DEBUG=true brings
# the debug pages back for who develops.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="solo-local-no-usar-en-produccion-7c1e5a9b2f4d8e6a0b3c"
)

# Where `make run HOST=...` serves (runserver's addrport), passed as DJANGO_DIRECCION_LOCAL.
# The QR and the link printed on each dictamen lead there unless DJANGO_URL_PUBLICA (in the
# environment or in .env) says otherwise; production always requires DJANGO_URL_PUBLICA.
_EVERY_INTERFACE = {"0", "0.0.0.0", "::", "[::]"}  # noqa: S104 - recognised, not bound


def _lan_address() -> str:
    """The address other machines on the network reach this one at, for a server listening
    on every interface. Connecting a UDP socket sends nothing; it only picks the route."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never answered, never needed
            return s.getsockname()[0]
    except OSError:
        return "127.0.0.1"


def _served_at(addrport: str) -> tuple[str, str]:
    """(host, port) of runserver's addrport: "8000", "0.0.0.0:9000", "[::1]:8000"."""
    host, _, port = addrport.strip().rpartition(":")
    host = host or "127.0.0.1"
    if host in _EVERY_INTERFACE:
        host = _lan_address()
    return host, port or "8000"


_HOST, _PORT = _served_at(env.str("DJANGO_DIRECCION_LOCAL", default="127.0.0.1:8000"))
DICTAMENES_URL_PUBLICA = env.str("DJANGO_URL_PUBLICA", default=f"http://{_HOST}:{_PORT}")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=sorted({"127.0.0.1", "localhost", _HOST}))
DICTAMENES_PERMITIR_DEMO = True
# The demo trusts only the test CAs that `cargar_demo` creates (the e.firma's, and its TSA's
# own for timestamps only), never a production one.
DICTAMENES_EFIRMA_RAICES = [str(DICTAMENES_EFIRMA_DEMO_DIR / "ca-demo.cer")]  # noqa: F405
DICTAMENES_TSA_RAICES = [str(DICTAMENES_EFIRMA_DEMO_DIR / "ca-tsa-demo.cer")]  # noqa: F405
# The test CA's timestamping authority and OCSP responder (demo.confianza_local): `make run`
# starts them beside the web server, `cargar_demo` while it signs the demo's dictámenes.
# The address is chosen once per installation and kept in var/ (its e.firma certificates name
# the CRL there, and `make run`, `cargar_demo` and this process must agree on it): 8790 when
# free, else a free port, so that another checkout's `make run` holding 8790 does not make
# `make setup` fail (issue 47).
CONFIANZA_LOCAL_PUERTO = 8790


def _puerto_confianza() -> int:
    for puerto in (CONFIANZA_LOCAL_PUERTO, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", puerto))
            except OSError:
                continue
            return s.getsockname()[1]
    raise OSError("No hay un puerto libre en 127.0.0.1 para la TSA de demostración.")


def _direccion_confianza(var_dir) -> str:
    archivo = var_dir / "confianza_local"
    if archivo.exists() and archivo.read_text().strip():
        return archivo.read_text().strip()
    direccion = f"127.0.0.1:{_puerto_confianza()}"
    archivo.write_text(direccion + "\n")
    return direccion


DICTAMENES_CONFIANZA_LOCAL = env.str("DJANGO_CONFIANZA_LOCAL", default="") or (
    _direccion_confianza(VAR_DIR)  # noqa: F405
)
DICTAMENES_TSA = {  # noqa: F405
    **DICTAMENES_TSA,  # noqa: F405
    "URL": env.str("DJANGO_TSA_URL", default=f"http://{DICTAMENES_CONFIANZA_LOCAL}/tsa"),
}
# The test CA's revocation list is on that server too.
DICTAMENES_EFIRMA_SERVICIOS = env.list(
    "DJANGO_EFIRMA_SERVICIOS", default=[f"http://{DICTAMENES_CONFIANZA_LOCAL}/"]
)

# One cache for every process of the installation, in files under var/: `make run` serves
# while `manage.py cargar_perfil_estado`, `cargar_demo` or a shell change the institution's
# texts, areas or calendar in another process, and each of them forgets what it changed, in
# the cache the server reads (a cache in each process's memory kept the old texts in every
# page header for 24 hours). Files, not a version stamp in the database: a warm page still
# makes no query for them. Production shares its cache too (DJANGO_CACHE_URL, check --deploy).
CACHES = {"default": cache_desde_entorno(f"filecache://{VAR_DIR / 'cache'}")}  # noqa: F405
# Static files with DEBUG off, from the apps' and static/ folders as they are (no
# collectstatic), through WhiteNoise as in production: runserver serves them only with DEBUG.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Demo data, the history generator and the test CA: never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
