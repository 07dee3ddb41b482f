"""The sessions a backup leaves out and a restore ends (issue 93, item 1): nobody stays signed
in across a restore, whatever the backup holds and whatever the session engine keeps."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.cache import caches
from django.db import transaction


def modelos_de_sesion() -> list:
    """Every model that keeps sessions, Django's or an engine's own, whatever its app."""
    return [
        m for m in apps.get_models() if issubclass(m, AbstractBaseSession) and not m._meta.proxy
    ]


def claves_de_sesion() -> list[str]:
    """The keys under which the session rows are stored (Django's, or the huella of
    cuentas.sesiones): the cache keeps each session under its engine's prefix and this key."""
    return [
        clave
        for modelo in modelos_de_sesion()
        for clave in modelo._base_manager.values_list("session_key", flat=True).iterator()
    ]


def sesiones_terminar(*, claves: list[str]) -> int:
    """Every session row goes, those of the replaced installation (`claves`, read before the
    restore emptied their table) and any the backup brought, in the caller's transaction; once
    it commits, their copies in the cache (SESSION_ENGINE cached_db) go too, which would
    otherwise go on signing people in. Returns how many rows it deleted."""
    claves = [*claves, *claves_de_sesion()]
    borradas = sum(m._base_manager.all().delete()[0] for m in modelos_de_sesion())
    prefijo = getattr(import_module(settings.SESSION_ENGINE).SessionStore, "cache_key_prefix", "")
    if prefijo and claves:
        cache = caches[settings.SESSION_CACHE_ALIAS]
        transaction.on_commit(lambda: cache.delete_many([prefijo + c for c in claves]))
    return borradas
