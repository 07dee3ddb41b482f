"""Reading the institution's texts (models.textos): the version in force and their history."""

import base64
import hashlib

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dictamenes.models import TextosInstitucionales

ERROR_MEMBRETE_ALTERADO = _(
    "La imagen del membrete guardada no coincide con la que se registró; pida al "
    "administrador que la vuelva a subir en «Textos de la institución»."
)


def textos_vigentes() -> TextosInstitucionales:
    """The latest version: what new folios, new dictámenes and new e-mails use. One query
    on the unique `version` index (version 1 is made from the settings if none exists).
    A dictamen already issued reads its own version (`dictamen.textos`), never this one."""
    return TextosInstitucionales.objects.vigentes()


def textos_versiones(*, limite: int = 50):
    """The history, newest first, with who saved each version: one query."""
    return TextosInstitucionales.objects.select_related("creado_por").order_by("-version")[:limite]


def membrete_imagen_leer(textos) -> bytes:
    """The letterhead image's bytes (b"" when there is none), checked against the digest
    taken when it was saved: a file changed in the storage is refused, not printed."""
    if not textos.membrete_imagen:
        return b""
    with textos.membrete_imagen.open("rb") as archivo:
        contenido = archivo.read()
    if hashlib.sha256(contenido).hexdigest() != textos.membrete_imagen_sha256:
        raise ValidationError(ERROR_MEMBRETE_ALTERADO, code="membrete_alterado")
    return contenido


def membrete_imagen_data_uri(textos) -> str:
    """The letterhead image inline (a data: URI, which the CSP allows), for the public
    verification page: no route of its own, and no file URL to the private storage."""
    contenido = membrete_imagen_leer(textos)
    if not contenido:
        return ""
    tipo = filetype.guess(contenido[:8192])
    return f"data:{tipo.mime};base64,{base64.b64encode(contenido).decode('ascii')}"
