"""What every page prints about the institution: its name, from the current texts."""

from django.utils.functional import SimpleLazyObject

from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache


def institucion(request) -> dict:
    """«institucion_nombre»: the current texts' institution name, read from the cache (no
    query once it is warm), and only when the page prints it."""
    return {"institucion_nombre": SimpleLazyObject(lambda: textos_vigentes_en_cache().institucion)}
