"""Sessions whose stored key a copy cannot use (issue 93, item 1).

Django's session table keeps the session key as its primary key, so whoever read the
database, a backup of it or `dumpdata sessions` could paste a row's key as the session cookie
and act as that person. Here the cookie keeps the key and every place that stores it (the
`django_session` row and, with `cached_db`, the cache's key) keeps only its `huella`: an
HMAC-SHA256 of the key under a key derived from SECRET_KEY. A copy of the database or of the
cache holds no key that signs anyone in; changing SECRET_KEY ends every session.

Two engines for SESSION_ENGINE, Django's own with the key replaced where it is stored:
`cuentas.sesiones.db` and `cuentas.sesiones.cached_db` (config/settings). Django's Session
model and `clearsessions` stay as they are (expiry is by date, never by key).
"""

from django.utils.crypto import salted_hmac

# Its own salt: no other HMAC of the project, or of Django, shares this derived key.
SAL = "cuentas.sesiones.huella"
# Django's Session.session_key is varchar(40): 160 bits of the 256.
LARGO = 40


def huella(clave: str) -> str:
    """What the database and the cache keep in place of the session key `clave`."""
    return salted_hmac(SAL, clave, algorithm="sha256").hexdigest()[:LARGO]
