"""OCDS over HTTP."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from publico.ocds.estandar import EXTENSION_LOCAL

_ARCHIVOS_DE_LA_EXTENSION = ("extension.json", "release-schema.json")


@require_safe
def extension(request, archivo):
    """The local extension's files, at the address the packages list."""
    if archivo not in _ARCHIVOS_DE_LA_EXTENSION:
        raise Http404
    return FileResponse(
        (EXTENSION_LOCAL / archivo).open("rb"), content_type="application/json; charset=utf-8"
    )
