"""Reading the institution's texts (models.textos): the version in force and their history."""

import base64
import hashlib

import filetype
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dictamenes.models import TextosInstitucionales
from dictamenes.organizacion import imagenes

ERROR_MEMBRETE_ALTERADO = _(
    "La imagen del membrete guardada no coincide con la que se registró; pida al "
    "administrador que la vuelva a subir en «Textos de la institución»."
)
ERROR_MEMBRETE_GRANDE = _(
    "La imagen del membrete guardada no se puede imprimir: %(motivo)s Pida al administrador "
    "que suba una más pequeña en «Textos de la institución»."
)


def textos_vigentes() -> TextosInstitucionales:
    """The latest version: what new folios, new dictámenes and new e-mails use. One query
    on the unique `version` index (version 1 is made from the settings if none exists).
    A dictamen already issued reads its own version (`dictamen.textos`), never this one."""
    return TextosInstitucionales.objects.vigentes()


# The current texts for every page's header (context processor dictamenes.contexto): kept in
# the project's cache so no page pays a query once it is warm; services.textos.textos_guardar
# forgets it when a new version commits.
CLAVE_CACHE = "textos_vigentes"
DURACION_CACHE = 24 * 60 * 60


def textos_vigentes_en_cache() -> TextosInstitucionales:
    """The current texts from the cache, read from the database (one query) when it is cold."""
    textos = cache.get(CLAVE_CACHE)
    if textos is None:
        textos = textos_vigentes()
        cache.set(CLAVE_CACHE, textos, DURACION_CACHE)
    return textos


def institucion_sin_base() -> str:
    """The institution's name for the pages shown when the database may be down: the cache
    only, and the environment's first-time default when the cache has nothing (or fails)."""
    try:
        textos = cache.get(CLAVE_CACHE)
    except Exception:  # noqa: BLE001 — the cache may be down too; the page must still show
        textos = None
    return textos.institucion if textos is not None else settings.DICTAMENES_INSTITUCION


def textos_versiones(*, limite: int = 50):
    """The history, newest first, with who saved each version: one query."""
    return TextosInstitucionales.objects.select_related("creado_por").order_by("-version")[:limite]


def membrete_imagen_leer(textos) -> bytes:
    """The letterhead image's bytes (b"" when there is none), checked against the digest
    taken when it was saved (a file changed in the storage is refused, not printed) and
    against the limit in pixels (organizacion.imagenes)."""
    if not textos.membrete_imagen:
        return b""
    with textos.membrete_imagen.open("rb") as archivo:
        contenido = archivo.read()
    if hashlib.sha256(contenido).hexdigest() != textos.membrete_imagen_sha256:
        raise ValidationError(ERROR_MEMBRETE_ALTERADO, code="membrete_alterado")
    # An image saved before the limit in pixels existed is measured, never decoded, here.
    try:
        imagenes.imagen_medir(contenido)
    except ValidationError as exc:
        raise ValidationError(
            ERROR_MEMBRETE_GRANDE, code="membrete_grande", params={"motivo": exc.messages[0]}
        ) from exc
    return contenido


def membrete_imagen_data_uri(textos) -> str:
    """The letterhead image inline (a data: URI, which the CSP allows), for the public
    verification page: no route of its own, and no file URL to the private storage. An image
    over the limit in pixels (saved before there was one) is left out: the public page still
    answers, and no visitor's browser decodes it."""
    try:
        contenido = membrete_imagen_leer(textos)
    except ValidationError as exc:
        if exc.code != "membrete_grande":
            raise
        return ""
    if not contenido:
        return ""
    tipo = filetype.guess(contenido[:8192])
    return f"data:{tipo.mime};base64,{base64.b64encode(contenido).decode('ascii')}"
