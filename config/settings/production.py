"""Production: everything comes from the environment and nothing insecure is assumed."""

from django.core.exceptions import ImproperlyConfigured

from config.comprobaciones import CACHES_NO_COMPARTIDAS
from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Falta DJANGO_SECRET_KEY (al menos 50 caracteres aleatorios) para producción."
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Falta DJANGO_ALLOWED_HOSTS (nombres de host separados por comas) para producción."
    )
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Printed on every signed dictamen (QR and link): no default that would point elsewhere.
DICTAMENES_URL_PUBLICA = env.str("DJANGO_URL_PUBLICA", default="")
if not DICTAMENES_URL_PUBLICA.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "Falta DJANGO_URL_PUBLICA (p. ej. https://dictamenes.sonora.gob.mx): es la dirección "
        "pública que imprimen el QR y el enlace de verificación de cada dictamen."
    )

# Static files are served by the app itself (compressed, cache-busted), so any number of
# identical app servers can sit behind the load balancer without a shared static volume.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "config.estaticos.EstaticosComprimidos"
}

# One JSON line per log record (config.observacion.FormatoJson), with the request's id: one per
# request and one per business event at least, for the log collector to index.
LOGGING = {
    **LOGGING,  # noqa: F405
    "formatters": {"json": {"()": "config.observacion.FormatoJson"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        **LOGGING["loggers"],  # noqa: F405
        "dictamenes.peticiones": {"level": "INFO"},
        "dictamenes.eventos": {"level": "INFO"},
    },
}

# HTTPS everywhere. Behind the state's reverse proxy (DJANGO_PROXIES > 0), it terminates TLS
# and says so in X-Forwarded-Proto. Without a proxy the header is whatever the client sent:
# not trusted, or anyone could make a plain-HTTP request pass for HTTPS.
if DICTAMENES_PROXIES > 0:  # noqa: F405
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The load balancer's probes and Prometheus usually ask the app server itself, over plain HTTP
# on the private network: a redirect to HTTPS would read as a failure. Neither carries a
# session; /metricas has its own protection (addresses or token).
SECURE_REDIRECT_EXEMPT = [r"^salud/(vivo|listo)/?$", r"^metricas/?$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Cookies only over HTTPS, never read by scripts (the session), not sent on cross-site
# requests, and with the __Host- prefix: the browser refuses them unless they are Secure,
# for the whole site and set by this very host (no subdomain can plant one).
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "__Host-sesion"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "__Host-csrftoken"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Stateless app servers: sessions in the database, cache wherever DJANGO_CACHE_URL says.
# With the shared cache that check --deploy requires (config.comprobaciones), each request
# reads its session from the cache, and every write goes to the database too: a flushed or
# restarted cache costs one database read per session, and nobody is signed out. A cache
# each process keeps for itself would keep a session another process has ended (a logout):
# then the database alone (issue 64: the session's read was most of the middleware).
# Either way each session is stored under an HMAC of its key, in the cache too (cuentas.sesiones).
SESSION_ENGINE = (
    "cuentas.sesiones.db"
    if CACHES["default"]["BACKEND"] in CACHES_NO_COMPARTIDAS  # noqa: F405
    else "cuentas.sesiones.cached_db"
)
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
DICTAMENES_PERMITIR_DEMO = False
# Server commands leave a name (issue 77): see cuentas.servidor.con_nombre.
DICTAMENES_COMANDOS_CON_NOMBRE = True

# Local passwords switched off: someone must still be able to get in.
if not DICTAMENES_CONTRASENAS_LOCALES:  # noqa: F405
    if not any(p["APPS"] for p in SOCIALACCOUNT_PROVIDERS.values()):  # noqa: F405
        raise ImproperlyConfigured(
            "DJANGO_CONTRASENAS_LOCALES=false sin proveedor de identidad: configure "
            "DJANGO_OIDC_URL o DJANGO_LLAVE_AUTORIZACION (vea el manual de operación, «Entrar "
            "con la identidad del Estado»: docs/operacion/identidad.md)."
        )
    if not DICTAMENES_CUENTA_EMERGENCIA:  # noqa: F405
        raise ImproperlyConfigured(
            "DJANGO_CONTRASENAS_LOCALES=false requiere DJANGO_CUENTA_EMERGENCIA: el usuario "
            "de la cuenta que entra con contraseña si el proveedor de identidad no responde."
        )
