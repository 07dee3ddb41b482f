"""Settings shared by every environment.

Every value can be overridden from the environment (``DJANGO_``-prefixed where it is ours);
the defaults are the local ones: SQLite, files under ``var/``, e-mail on the console and an
in-process cache.
"""

from datetime import timedelta
from pathlib import Path

import environ

from config.settings import identidad
from config.settings.storage import build_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))
# The default SQLite database and local files live here; create it so a bare checkout works.
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
# A .env file is optional; the process environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
# Covering indexes (Index.include) are PostgreSQL's, the database of production; on SQLite,
# the database of `make run` and its small demo, Django leaves them out and says so (W040).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

INSTALLED_APPS = [
    # Before django.contrib.auth: its createsuperuser is the one that runs, limited to setting
    # an installation up (issue 59; Django runs a command from the first app that has it).
    "cuentas.servidor.apps.ServidorConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "axes",
    "csp",
    "corsheaders",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Sign-in with the state's identity: allauth's OAuth2 and OpenID Connect machinery. Its
    # providers are ours (cuentas.provider); its own account pages are not served.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Before viewflow: Django runs a management command from the first app that has it, and
    # flujos' workflow_timers is viewflow's own behind a lock (one run at a time on every
    # server's cron).
    "flujos",
    "viewflow",
    "viewflow.workflow",
    "dictamenes",
    "estandares",
    "cuentas",
    "publico",
    # The site's own deploy checks (config.comprobaciones).
    "config.apps.SitioConfig",
]

MIDDLEWARE = [
    # Outermost: every answer (redirects and error pages too) gets its request id, its log
    # line and its place in the metrics (config.observacion).
    "config.observacion.ObservacionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost after security: every answer carries them, error pages included.
    "config.seguridad.PoliticaDePermisosMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Above the conditional GET: it compresses the answer that one lets through (a 304 has no
    # body), under the ETag that one gave it.
    "config.compresion.CompresionMiddleware",
    # After CORS, so a 304 carries its headers too; only open data and the public API.
    "config.condicional.GetCondicionalMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Its process_view runs before CSRF's, so a form over the limit is refused unread.
    "config.limites.LimiteDePeticionesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the second factor?
    "django_otp.middleware.OTPMiddleware",
    "cuentas.middleware.SegundoFactorMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.seguridad.PoliticaDeContenidoMiddleware",
    # Database or file storage down: a 503 page in Spanish instead of a stack trace.
    "config.fallas.ServicioNoDisponibleMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Our templates/ comes first so that it can override viewflow's login pages.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cuentas.contexto.contrasena",
                "dictamenes.contexto.institucion",
                "config.ayuda.ayuda",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite under var/ unless DATABASE_URL points elsewhere (postgres://... uses psycopg 3).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A connection is kept for a minute and checked before reuse, instead of opening one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    opciones = DATABASES["default"].setdefault("OPTIONS", {})
    # JIT compilation pays off for long analytic queries, not for pages: it added 400 ms to the
    # open-data export (make bench) while saving nothing measurable elsewhere.
    opciones["options"] = "-c jit=off"
    # Parameters sent apart from the query (psycopg 3's server-side binding), and a query a
    # connection runs five times prepared (psycopg's threshold), so that PostgreSQL stops
    # planning it on every page: Django turns preparing off unless OPTIONS names a threshold
    # (issue 64: planning was most of the time of the person's groups and permissions, 0.26
    # of 0.30 ms). Both off for a PgBouncer in transaction mode, which cannot keep prepared
    # statements.
    enlace_servidor = env.bool("DJANGO_DB_ENLACE_SERVIDOR", default=True)
    opciones["server_side_binding"] = enlace_servidor
    opciones["prepare_threshold"] = 5 if enlace_servidor else None
    # A server that drops packets instead of refusing them would hold each request (and
    # /salud/listo) for as long as the kernel retries: connecting gives up after this.
    opciones.setdefault("connect_timeout", env.int("DJANGO_DB_TIEMPO_CONEXION", default=5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Cache ----------------------------------------------------------------------------------
def cache_desde_entorno(defecto: str) -> dict:
    """The cache DJANGO_CACHE_URL names (or `defecto`). For Redis, a server that does not
    answer fails each operation after DJANGO_CACHE_TIEMPO_ESPERA seconds instead of holding
    the request (and /salud/listo) for ever. A template fragment's key carries the code's
    fingerprint, so a deploy's new code does not serve the old one's HTML (config.claves_cache)."""
    ajustes = env.cache("DJANGO_CACHE_URL", default=defecto)
    ajustes["KEY_FUNCTION"] = "config.claves_cache.clave"
    if ajustes["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        espera = env.float("DJANGO_CACHE_TIEMPO_ESPERA", default=2.0)
        ajustes.setdefault("OPTIONS", {}).update(
            socket_connect_timeout=espera, socket_timeout=espera
        )
    return ajustes


CACHES = {"default": cache_desde_entorno("locmemcache://")}

# --- Authentication -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses to even check the password of a locked-out username from that address.
    "axes.backends.AxesStandaloneBackend",
    # Django's password check, refused to everyone but the break-glass account when local
    # passwords are switched off.
    "cuentas.backends.ContrasenaLocalBackend",
    # Without guardian's backend every object-level check quietly returns False.
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inicio"
LOGOUT_REDIRECT_URL = "inicio"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None
# A working day; the session ends with it (firmantes sign with it).
SESSION_COOKIE_AGE = env.int("DJANGO_SESION_SEGUNDOS", default=8 * 3600)
# The database keeps an HMAC of each session key, never the key the cookie carries: a dump
# or a backup signs nobody in (cuentas.sesiones). Production may read them from its shared
# cache instead (cuentas.sesiones.cached_db, config/settings/production.py).
SESSION_ENGINE = "cuentas.sesiones.db"

# Sign-in with the state's identity (django-allauth; config/settings/identidad.py). Nobody gets
# an account by signing in: a provider's person is linked to an existing account by CURP or
# institutional e-mail, or waits for an administrator (cuentas.adaptadores).
SOCIALACCOUNT_PROVIDERS = identidad.desde_entorno(env)
SOCIALACCOUNT_ADAPTER = "cuentas.adaptadores.AdaptadorIdentidad"
ACCOUNT_ADAPTER = "cuentas.adaptadores.AdaptadorCuentas"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("DJANGO_IDENTIDAD_TIEMPO_ESPERA", default=10)
ACCOUNT_EMAIL_VERIFICATION = "none"
# Local passwords: on for the demo; in production they may be switched off, all but the named
# break-glass account's (for when the provider is down).
DICTAMENES_CONTRASENAS_LOCALES = env.bool("DJANGO_CONTRASENAS_LOCALES", default=True)
DICTAMENES_CUENTA_EMERGENCIA = env.str("DJANGO_CUENTA_EMERGENCIA", default="")
# Server commands that leave a name (issue 77): in production `loaddata`, `shell`, `dbshell`
# and the axes resets require --usuario and are audited, `loaddata` refuses people, roles and
# rules, and `flush` refuses (cuentas.servidor.con_nombre). Off here, so that development, the
# demo and the suite load and empty their databases as Django does.
DICTAMENES_COMANDOS_CON_NOMBRE = False


def operadores_desde_texto(texto: str) -> dict[str, tuple[str, ...]]:
    """DJANGO_OPERADORES, «login=usuario» separated by commas: which person of the system each
    login of the machine is (a login given twice may be either person)."""
    operadores: dict[str, tuple[str, ...]] = {}
    for par in filter(None, (p.strip() for p in texto.split(","))):
        login, _, usuario = (parte.strip() for parte in par.partition("="))
        if not login or not usuario:
            raise environ.ImproperlyConfigured(
                f"DJANGO_OPERADORES: «{par}» no es «usuario de la máquina=usuario del "
                "sistema» (p. ej. ana=ana.lopez,root=admin)."
            )
        operadores[login] = (*operadores.get(login, ()), usuario)
    return operadores


# The machine's logins and the people they are (issue 93, item 3): a command's --usuario must
# be a person of the login that runs it (dictamenes.management.administrador); with the switch
# above on, a login absent from the map names nobody.
DICTAMENES_OPERADORES = operadores_desde_texto(env.str("DJANGO_OPERADORES", default=""))

# Login throttling (django-axes): after DJANGO_INTENTOS_FALLIDOS failures a username is locked
# out from that address for DJANGO_BLOQUEO_MINUTOS, whatever password comes next. Username and
# address together, so that a stranger guessing cannot lock a firmante out of the whole office
# (behind the state's proxy, set DJANGO_PROXIES so that the address is the client's).
AXES_FAILURE_LIMIT = env.int("DJANGO_INTENTOS_FALLIDOS", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_BLOQUEO_MINUTOS", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cuentas.middleware.respuesta_bloqueo"
AXES_CLIENT_IP_CALLABLE = "cuentas.middleware.ip_del_cliente"
AXES_VERBOSE = False
DICTAMENES_PROXIES = env.int("DJANGO_PROXIES", default=0)

# Second factor (django-otp, TOTP): optional for firmantes and administrators.
OTP_TOTP_ISSUER = env.str("DJANGO_OTP_EMISOR", default="Dictámenes TIC")
# An administrator may remove a person's device (a lost phone), never read its secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Content Security Policy (django-csp). Every script and style comes from our own origin;
# nothing inline. viewflow's Material pages and the API docs carry inline style attributes,
# which PoliticaDeContenidoMiddleware allows there and nowhere else.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Permissions-Policy: config.seguridad.POLITICA_DE_PERMISOS, on every answer.

# CORS (django-cors-headers): browser-based tools of other sites may read the open data and
# the public API (register, standards, the savings, the OpenAPI schema), as anyone may without
# a session; nothing else, and never with cookies. Only anonymous reading: no Authorization
# header.
CORS_URLS_REGEX = r"^/(datos-abiertos/|api/v1/(registro|estandares|ahorros|esquema)[/.])"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS", "POST")
# A browser may ask again with what it kept (If-None-Match, If-Modified-Since) and read the
# ETag it got: open data and the public API answer 304 when nothing changed.
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "content-type",
    "if-none-match",
    "if-modified-since",
)
CORS_EXPOSE_HEADERS = ("Content-Disposition", "Retry-After", "ETag")

# Limits per client address on what an anonymous visitor may send (django-ratelimit's
# notation; enforced by config.limites on pages and on the API, answered with 429 and
# Retry-After). Counted in the default cache: Redis when there is more than one process.
# - verificar: each upload is read and its signature validated (the costliest public
#   request); a person checks a few PDFs, an office a stack at a person's pace.
# - password_reset: each one sends an e-mail.
# - the other forms: a whole office behind one address signs in at 8 a.m.; django-axes
#   still locks a username after 5 wrong passwords. The «Entrar con …» buttons of the
#   identity providers too: each one writes a session and asks the provider.
_FORMULARIO = ("30/m", "300/h")
DICTAMENES_LIMITES = {
    "verificar": ("10/m", "60/h"),
    "password_reset": ("5/m", "20/h"),
    "login": _FORMULARIO,
    "admin:login": _FORMULARIO,
    "openid_connect_login": _FORMULARIO,
    "llave_login": _FORMULARIO,
    "password_reset_confirm": _FORMULARIO,
    "estandares:autoevaluacion": _FORMULARIO,
    "api:perfil-evaluar": _FORMULARIO,
}
# The health probes and the metrics, in the same notation, counting every GET per address
# (config.limites.espera_de_sondeo): a load balancer asks every few seconds, Prometheus every
# 15; a flood is refused before the checks run.
DICTAMENES_LIMITES_SONDEOS = {
    "salud_vivo": ("120/m",),
    "salud_listo": ("60/m",),
    "metricas": ("60/m",),
}
# The client's address: REMOTE_ADDR, or behind DJANGO_PROXIES trusted proxies the address
# they saw (the same function django-axes uses). X-Forwarded-For is not trusted by default.
RATELIMIT_IP_META_KEY = "cuentas.middleware.ip_del_cliente"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)")]
# The state's time zone (IANA name): dates, deadlines and the dictamen's signing time.
TIME_ZONE = env.str("DJANGO_ZONA_HORARIA", default="America/Hermosillo")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Files ----------------------------------------------------------------------------------
# Uploads: form fields (everything but files) up to 2.5 MB; a file over 2.5 MB goes to a
# temporary file as it arrives, never whole into memory (anexos reach
# DICTAMENES_ANEXO_MAX_MB). The PDF uploaded to /verificar/ has its own, lower limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A signed dictamen of the demo weighs about 22 KB; 2 MB leaves room for the longest
# dictamen and refuses anything else before it is read (publico.subida).
DICTAMENES_VERIFICAR_MAX_KB = env.int("DJANGO_VERIFICAR_MAX_KB", default=2048)
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
# The manuals' site, served at /manual/ (config.manual) and built here, beside the data, by
# `manage.py manual_construir`: `make docs`, the installation and each update run it.
DICTAMENES_MANUAL_DIR = VAR_DIR / "manual"
MEDIA_URL = "/media/"
STORAGES = build_storages(env, media_root=MEDIA_ROOT)

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
# A mail server that hangs must not hold a request (avisos are sent after commit, in the
# request) or an outbox row lock for ever; the aviso stays pending and cron retries it.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Dictámenes TIC <no-responder@localhost>"
)

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # axes logs every attempt; pikepdf announces its logger bridge on first use; werkzeug (the
    # demo's trust services) logs every timestamp and CRL request.
    "loggers": {
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        # pyHanko narrates every CRL fetch and validation step, and logs with its traceback
        # every signature that a check does not settle (a dictamen signed before B-LTA has no
        # long-term data, and the verification then judges it as of today): the verdict is
        # ours to report, not a fault.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
        "werkzeug": {"level": "WARNING"},
        # One line per request and per business event (config.observacion): production's JSON
        # log writes them (config.settings.production); runserver already prints each request.
        "dictamenes.peticiones": {"level": "WARNING"},
        "dictamenes.eventos": {"level": "WARNING"},
    },
}

# --- Health and metrics (dictamenes.operacion, config.salud) -------------------------------------
# /metricas answers only the client addresses or networks listed here (the Prometheus server;
# the address is read as the limits read it, behind DJANGO_PROXIES), or a request that brings
# DJANGO_METRICAS_TOKEN as "Authorization: Bearer <token>". Neither set: nobody.
DICTAMENES_METRICAS_DIRECCIONES = env.list("DJANGO_METRICAS_DIRECCIONES", default=[])
DICTAMENES_METRICAS_TOKEN = env.str("DJANGO_METRICAS_TOKEN", default="")
# Seconds /salud/listo waits for the storage and the TSA before calling them down.
DICTAMENES_SALUD_TIEMPO_ESPERA = env.float("DJANGO_SALUD_TIEMPO_ESPERA", default=3.0)

# --- The dictamen office --------------------------------------------------------------------
DICTAMENES_INSTITUCION = env.str(
    "DJANGO_DICTAMENES_INSTITUCION", default="Subsecretaría de Gobierno Digital"
)
DICTAMENES_PERMITIR_DEMO = env.bool("DJANGO_PERMITIR_DEMO", default=False)
# The demo accounts' public password (the README prints it), given only where the demo is
# allowed: demo.usuarios and the demo reviewers a state's profile creates (issue 61: never in
# the profile, its pending change or an event). Empty: those reviewers get no usable password.
DICTAMENES_CONTRASENA_DEMO = "dictamen-demo-2026"

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Tokens for other systems, the session for people.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "EXCEPTION_HANDLER": "dictamenes.api.views.manejador_de_errores",
    # DRF's JSON parser answers in English, and a deeply nested body with a 500.
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParserEnEspanol",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Closed unless a view opens itself (the public catalogue does).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DICTAMENES_LIMITES on anonymous writes, once DRF knows who is asking.
    "DEFAULT_THROTTLE_CLASSES": ["config.limites.LimiteDeLaApi"],
    "DEFAULT_PAGINATION_CLASS": "dictamenes.comun.paginacion.PaginacionApi",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dictámenes TIC",
    "DESCRIPTION": "API del sistema de Dictámenes Técnicos y Estratégicos de TIC.",
    "VERSION": "1",
    # The project's licence (viewflow's AGPL asks for it), in `info`.
    "LICENSE": {
        "name": "AGPL-3.0-or-later",
        "url": "https://www.gnu.org/licenses/agpl-3.0.html",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    # A request body has its own component, where a required text is also non-blank
    # (minLength 1) and read-only fields are absent.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files come from the drf-spectacular-sidecar package: no CDN needed.
    "SWAGGER_UI_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ResultadoDictamenEnum": "dictamenes.models.Resultado",
        "ResultadoRequisitoEnum": ["cumple", "no_cumple", "no_aplica", "revision"],
        # What an item's unit price pays for (issue 62), apart from a requisito's unit.
        "UnidadPrecioEnum": "dictamenes.models.precios.UnidadPrecio",
    },
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # The error answers (400/401/403/404) too, so the schema tells the whole truth.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.documentar_errores",
        "config.api.documentar_servidor_y_paginas",
    ],
}
# Largest attachment accepted, in MB (checked by content in dictamenes/archivos.py).
DICTAMENES_ANEXO_MAX_MB = env.int("DJANGO_ANEXO_MAX_MB", default=20)
# What one request may carry in all (tramite.services.solicitudes.anexo_agregar, issue 59): an
# oficio, the technical annex, the justification and three quotes per line of a large request
# fit in 30 files; 100 MB is five files at the per-file limit, thirty to a hundred scanned
# documents of 1 to 3 MB each.
DICTAMENES_ANEXOS_MAX_POR_SOLICITUD = env.int("DJANGO_ANEXOS_MAX_POR_SOLICITUD", default=30)
DICTAMENES_ANEXOS_MAX_MB_POR_SOLICITUD = env.int("DJANGO_ANEXOS_MAX_MB_POR_SOLICITUD", default=100)
# The quotes of an item's market research (issue 62) are counted per item, not among the
# request's attachments: a ten-item request above the amount needs thirty of them.
DICTAMENES_COTIZACIONES_MAX_POR_PARTIDA = env.int("DJANGO_COTIZACIONES_MAX_POR_PARTIDA", default=6)
# Largest side, in pixels, of an image people upload (the letterhead;
# dictamenes.organizacion.imagenes says why 4,000), read from its header before anything decodes it.
DICTAMENES_IMAGEN_MAX_PX = env.int("DJANGO_IMAGEN_MAX_PX", default=4000)

# --- The dictamen document --------------------------------------------------------------------
DICTAMENES_FOLIO_DICTAMEN = env.str(
    "DJANGO_FOLIO_DICTAMEN", default="SGD/DGPDGT/DT/{anio}/{numero:04d}"
)
DICTAMENES_VIGENCIA_MESES = env.int("DJANGO_VIGENCIA_MESES", default=12)
# Printed in the QR code and the footer: where the public verifies a dictamen.
DICTAMENES_URL_PUBLICA = env.str("DJANGO_URL_PUBLICA", default="http://127.0.0.1:8000")
# OCDS: every request's contracting process is published under an ocid, this prefix + "-" +
# its folio. The real prefix ("ocds-" and six characters) is assigned by the Open Contracting
# Partnership to each publisher; "ocds-xxxxxx" is a placeholder for the demo and tests.
OCDS_PREFIJO_OCID = env.str("DJANGO_OCDS_PREFIJO_OCID", default="ocds-xxxxxx")  # check W161
# Conditions of a condicionado dictamen: business days to meet each one, and how many before
# its due date the traffic light turns amber (dictamenes.seguimiento.services.condiciones).
DICTAMENES_CONDICION_DIAS_HABILES = env.int("DJANGO_CONDICION_DIAS_HABILES", default=20)
DICTAMENES_CONDICION_DIAS_AVISO = env.int("DJANGO_CONDICION_DIAS_AVISO", default=5)
# Where people write about the open data (the catalogue's contact point).
DICTAMENES_CONTACTO_DATOS = env.str(
    "DJANGO_CONTACTO_DATOS_ABIERTOS", default="datos-abiertos@localhost"
)
# The open data package's name (/datos-abiertos/datapackage.json): how harvesters know it, so
# it stays what it was published as; another state names its own. A Frictionless name:
# lowercase letters, digits, "-", "_" and "." (publico.catalogo.comprobar_nombre, check E162).
DICTAMENES_DATOS_ABIERTOS_NOMBRE = env.str(
    "DJANGO_DATOS_ABIERTOS_NOMBRE", default="dictamenes-tic-sonora"
)
DICTAMENES_LUGAR = env.str("DJANGO_LUGAR_EMISION", default="Hermosillo, Sonora")
DICTAMENES_MEMBRETE = (
    "Gobierno del Estado de Sonora",
    "Oficialía Mayor",
    "Subsecretaría de Gobierno Digital",
    "Dirección General de Política Digital y Gobernanza Tecnológica",
)
# The legal basis printed on the dictamen. This, the letterhead above, DICTAMENES_INSTITUCION,
# DICTAMENES_LUGAR, DICTAMENES_FOLIO_DICTAMEN and DICTAMENES_CONDICION_DIAS_HABILES are only
# the first version of the institution's texts: after that the administrator edits them at
# /cuentas/institucion/ (dictamenes.models.TextosInstitucionales).
DICTAMENES_FUNDAMENTOS = (
    "Ley de Gobierno Digital para el Estado de Sonora (13 de junio de 2023).",
    "Lineamientos para la Gobernanza de las Tecnologías de la Información y "
    "Comunicación (27 de noviembre de 2023).",
)
# Trusted roots for e.firma certificates: SAT's certification authorities in production
# (DER or PEM files). Local and test settings trust only a generated test CA.
DICTAMENES_EFIRMA_RAICES = env.list("DJANGO_EFIRMA_RAICES", default=[])
# Trusted roots of the timestamping authority (DJANGO_TSA_URL), DER or PEM: trusted for
# timestamps only. A certificate they issue never signs a dictamen, whatever RFC it carries.
DICTAMENES_TSA_RAICES = env.list("DJANGO_TSA_RAICES", default=[])
DICTAMENES_EFIRMA_DEMO_DIR = VAR_DIR / "efirma"
# The only addresses asked for a certificate's status or its issuer (OCSP, CRL, AIA): URL
# prefixes, comma-separated (SAT's OCSP responder and CRLs, as its certificates name them).
# A certificate is the signer's to make; what it names elsewhere is refused unasked
# (dictamenes.emision.documentos.consultas). The configured TSA's own origin is allowed too.
DICTAMENES_EFIRMA_SERVICIOS = env.list("DJANGO_EFIRMA_SERVICIOS", default=[])
# The RFC 3161 timestamping authority that stamps every signature (PAdES B-T) and the archival
# document timestamps (B-LTA). Production refuses to sign without one; the demo and the tests
# run a local one for the test CA (demo.confianza_local), with its OCSP responder.
DICTAMENES_TSA = {
    "URL": env.str("DJANGO_TSA_URL", default=""),
    "USUARIO": env.str("DJANGO_TSA_USUARIO", default=""),
    "CONTRASENA": env.str("DJANGO_TSA_CONTRASENA", default=""),
    "TIEMPO_ESPERA": env.float("DJANGO_TSA_TIEMPO_ESPERA", default=10.0),
}
# Where the demo's trust services listen (timestamps, OCSP); empty outside the demo and tests.
DICTAMENES_CONFIANZA_LOCAL = ""
# NOM-151 "constancia de conservación" of each signed PDF, from an accredited provider: off
# unless a URL is given (dictamenes.emision.documentos.nom151).
DICTAMENES_NOM151 = {
    "URL": env.str("DJANGO_NOM151_URL", default=""),
    "USUARIO": env.str("DJANGO_NOM151_USUARIO", default=""),
    "CONTRASENA": env.str("DJANGO_NOM151_CONTRASENA", default=""),
    "TIEMPO_ESPERA": env.float("DJANGO_NOM151_TIEMPO_ESPERA", default=10.0),
    # The PSC's certificate (DER or PEM): its constancias must be signed by it.
    "CERTIFICADO_PSC": env.str("DJANGO_NOM151_CERTIFICADO_PSC", default=""),
}

# --- Planning against the year-end rush ----------------------------------------------------------
# After this day (MM-DD) a request may not be dictaminated within the fiscal year.
DICTAMENES_FECHA_CORTE = env.str("DJANGO_FECHA_CORTE", default="11-15")
DICTAMENES_VENTANA_CONSOLIDACION_DIAS = env.int("DJANGO_VENTANA_CONSOLIDACION", default=60)
DICTAMENES_RECORDATORIO_DIAS = env.int("DJANGO_RECORDATORIO_DIAS", default=15)
DICTAMENES_REVISIONES_POR_DIA = env.int("DJANGO_REVISIONES_POR_DIA", default=2)
DICTAMENES_ASIGNACION_AUTOMATICA = env.bool("DJANGO_ASIGNACION_AUTOMATICA", default=False)
# make bench only: mounts viewflow's unmodified inbox and queue beside ours, as a baseline.
DICTAMENES_MEDICION = False
