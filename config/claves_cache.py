"""The cache's keys. A template fragment kept with {% cache %} is HTML that this code made:
after a deploy that changes a template, a form or a template tag, a cache that outlives the
processes (Redis, which the servers share) would go on serving the old HTML, old field names
included, for up to an hour. So a fragment's key also carries the fingerprint of the code
that renders it: the contents of the project's templates and Python and of the pinned
dependencies (Django's own widget templates among them), the same on every server that runs
the same code, whatever the files' dates. Every other key is Django's, unchanged."""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

# Django's {% cache %} keys (django.core.cache.utils.make_template_fragment_key).
FRAGMENTO = "template.cache."
# What renders a page: the templates, the apps' Python (forms, tags, views) and the lock.
CARPETAS = ("templates", "config", "cuentas", "dictamenes", "estandares", "flujos", "publico")
SUFIJOS = (".html", ".py", ".txt", ".json")


def huella_de(raiz: Path, carpetas=CARPETAS, archivos=("requirements.lock",)) -> str:
    """The fingerprint of the contents (and relative paths) of those files under `raiz`."""
    rutas = [raiz / a for a in archivos if (raiz / a).is_file()]
    for carpeta in carpetas:
        rutas += [r for r in (raiz / carpeta).rglob("*") if r.suffix in SUFIJOS and r.is_file()]
    suma = hashlib.sha256()
    for ruta in sorted(rutas):
        suma.update(str(ruta.relative_to(raiz)).encode() + b"\0" + ruta.read_bytes() + b"\0")
    return suma.hexdigest()[:16]


@functools.cache
def huella_del_codigo() -> str:
    """This process's code, read once, at the first fragment it keeps or looks up."""
    return huella_de(Path(settings.BASE_DIR))


def clave(key: str, key_prefix: str, version: int) -> str:
    """Django's default key (KEY_FUNCTION), with the code's fingerprint in a fragment's."""
    if key.startswith(FRAGMENTO):
        key = f"{huella_del_codigo()}:{key}"
    return f"{key_prefix}:{version}:{key}"
