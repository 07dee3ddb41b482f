"""Settings of the test identity provider: django-oauth-toolkit in OpenID Connect mode.

Everything comes from the environment, set by tests.backends.proveedor_oidc:
  PROVEEDOR_OIDC_DIR     working directory (SQLite database, RSA key), required
  PROVEEDOR_OIDC_EMISOR  the issuer, e.g. http://127.0.0.1:PORT/o (otherwise from the request)
  PROVEEDOR_OIDC_CLAVE   PEM file of the RSA signing key (default DIR/clave.pem, made if absent)
  PROVEEDOR_OIDC_VIDA_TOKEN / PROVEEDOR_OIDC_VIDA_ID_TOKEN   lifetimes in seconds
Run from the repository root:
  DJANGO_SETTINGS_MODULE=tests.proveedor_oidc.ajustes python -m django <command>
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

try:
    CARPETA = Path(os.environ["PROVEEDOR_OIDC_DIR"])
except KeyError as exc:
    raise ImproperlyConfigured("falta PROVEEDOR_OIDC_DIR (carpeta del proveedor)") from exc
EMISOR = os.environ.get("PROVEEDOR_OIDC_EMISOR", "")


def _clave_rsa() -> str:
    """The signing key: the file the starter wrote, or a new one (a manual run)."""
    archivo = Path(os.environ.get("PROVEEDOR_OIDC_CLAVE", CARPETA / "clave.pem"))
    if not archivo.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        clave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        archivo.write_bytes(
            clave.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return archivo.read_text()


def _pkce_requerido(client_id: str) -> bool:
    """PKCE for every client except the Llave-style one (Llave MX knows nothing of PKCE)."""
    from oauth2_provider.models import get_application_model

    from tests.proveedor_oidc.validador import NOMBRE_LLAVE

    return not (
        get_application_model().objects.filter(client_id=client_id, name=NOMBRE_LLAVE).exists()
    )


SECRET_KEY = os.environ.get("PROVEEDOR_OIDC_SECRET_KEY") or secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "tests.proveedor_oidc.apps.ProveedorOidcConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "tests.proveedor_oidc.urls"
WSGI_APPLICATION = "tests.proveedor_oidc.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": CARPETA / "proveedor.sqlite3",
        # gunicorn's threads write sessions and tokens at once: wait for the lock.
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Test data only: a fast hasher for the passwords and the hashed client secrets.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "es-mx"
TIME_ZONE = "America/Hermosillo"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "sesion"

# Browsers do not keep cookies apart by port: the project under test on 127.0.0.1 (and
# another provider of an earlier test module) must not overwrite these.
_puerto = urlsplit(EMISOR).port or 0
SESSION_COOKIE_NAME = f"proveedor_sesion_{_puerto}"
CSRF_COOKIE_NAME = f"proveedor_csrf_{_puerto}"

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": EMISOR,
    "OIDC_RSA_PRIVATE_KEY": _clave_rsa(),
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # Log out without a confirmation page when the id_token_hint is the signed-in person's.
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OAUTH2_VALIDATOR_CLASS": "tests.proveedor_oidc.validador.ValidadorProveedor",
    "SCOPES": {
        "openid": "Identidad (OpenID Connect)",
        "profile": "Nombre",
        "email": "Correo electrónico",
        "curp": "CURP",
        "llave": "Datos de Llave (CURP, nombre y correo)",
    },
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": _pkce_requerido,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 120,
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("PROVEEDOR_OIDC_VIDA_TOKEN", "3600")),
    "ID_TOKEN_EXPIRE_SECONDS": int(os.environ.get("PROVEEDOR_OIDC_VIDA_ID_TOKEN", "3600")),
    # RFC 9700 now (DOT 4.0's defaults): S256 only, no implicit or password grant, no token in
    # a query string, tokens hashed at rest. The RFC 9207 `iss` in the authorization response
    # stays off, as with most providers the project will meet.
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"consola": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["consola"], "level": "WARNING"},
}
