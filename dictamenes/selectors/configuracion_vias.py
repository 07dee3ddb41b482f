"""Reads for the tracks' page and /tramite/ (issue 36): the saved versions of the tracks and the
standards categories the administrator may mark as «always full review», by name."""

from django.utils import timezone

from dictamenes.models import ConfiguracionVias
from estandares.models import Categoria, Publicacion
from estandares.selectors import publicacion_vigente


def vias_versiones(*, limite: int):
    """The newest versions first, with who saved each: one query."""
    return ConfiguracionVias.objects.select_related("creado_por").order_by("-version")[:limite]


def categorias_vigentes() -> list[dict]:
    """The categories of the edition of the standards in force today, in its order, as
    {"clave", "nombre"}; none when no edition is in force. Two queries."""
    edicion = publicacion_vigente(fecha=timezone.localdate())
    if edicion is None:
        return []
    return list(edicion.categorias.order_by("orden", "nombre").values("clave", "nombre"))


def nombres_de_categorias(*, claves) -> dict[str, str]:
    """{clave: name} as the latest edition in force by today names each category (a clave
    survives editions; its name may change). A clave no published edition has is absent.
    One query."""
    claves = set(claves)
    if not claves:
        return {}
    filas = (
        Categoria.objects.filter(
            clave__in=claves, publicacion__vigente_desde__lte=timezone.localdate()
        )
        .exclude(publicacion__estado=Publicacion.Estado.BORRADOR)
        .order_by("clave", "-publicacion__vigente_desde")
        .values_list("clave", "nombre")
    )
    nombres: dict[str, str] = {}
    for clave, nombre in filas:
        nombres.setdefault(clave, nombre)
    return nombres
