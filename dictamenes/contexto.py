"""What every page prints about the institution: its name, the unit that decides each request
and the one that signs the dictámenes, from the current texts."""

from django.utils.functional import SimpleLazyObject

from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache


def institucion(request) -> dict:
    """«institucion_nombre», «unidad_resuelve_nombre» and «unidad_firma_nombre»: the current
    texts' names, read from the cache (no query once it is warm), and only when the page
    prints one. Each knows its article: a sentence writes it with the `articulo` filter
    (templatetags.institucion), «{{ unidad_firma_nombre|articulo:"de" }}»."""
    return {
        "institucion_nombre": SimpleLazyObject(
            lambda: textos_vigentes_en_cache().institucion_nombre
        ),
        "unidad_resuelve_nombre": SimpleLazyObject(
            lambda: textos_vigentes_en_cache().unidad_resuelve_nombre
        ),
        "unidad_firma_nombre": SimpleLazyObject(
            lambda: textos_vigentes_en_cache().unidad_firma_nombre
        ),
    }
