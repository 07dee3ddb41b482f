"""`manage.py check --deploy` on what the site needs to hold together in production."""

from django.conf import settings
from django.core import checks

# Caches each process (or each server) keeps for itself.
CACHES_NO_COMPARTIDAS = {
    "django.core.cache.backends.locmem.LocMemCache": "en la memoria de cada proceso",
    "django.core.cache.backends.dummy.DummyCache": "que no guarda nada",
    "django.core.cache.backends.filebased.FileBasedCache": "en archivos de cada servidor",
}


def cache_compartida(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The limits per address (config.limites) and the lockouts count in the default cache: a
    cache of each worker gives every worker its own counters, and an attacker as many tries
    as there are workers. Production needs one cache all of them share."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in CACHES_NO_COMPARTIDAS:
        return []
    return [
        checks.Error(
            f"La caché predeterminada ({backend}) es una caché {CACHES_NO_COMPARTIDAS[backend]}: "
            "cada proceso llevaría sus propios contadores de los límites de peticiones, y "
            "quien abusa tendría tantos intentos como procesos.",
            hint="Defina DJANGO_CACHE_URL con una caché que compartan todos los procesos y "
            "servidores: redis://servidor:6379/1, pymemcache://servidor:11211 o "
            "dbcache://tabla_cache (tras manage.py createcachetable).",
            id="sitio.E001",
        )
    ]
