"""OCDS over HTTP: the index page, the monthly release packages, each request's record
package and the local extension's files. The packages are cached by the data's version and
answered with the same conditional HTTP as the other open data."""

import json

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dictamenes.comun import cache
from dictamenes.comun.fechas import zona_local
from publico.huellas import condicional
from publico.ocds import paquetes, publicacion
from publico.ocds.estandar import EXTENSION_LOCAL, url_extension_local

_ARCHIVOS_DE_LA_EXTENSION = {
    "extension.json": "application/json; charset=utf-8",
    "release-schema.json": "application/json; charset=utf-8",
    "README.md": "text/markdown; charset=utf-8",
}
_JSON = "application/json; charset=utf-8"


def _json_o_404(contenido: bytes | None) -> HttpResponse:
    if contenido is None:
        raise Http404
    return HttpResponse(contenido, content_type=_JSON)


@require_safe
@cache.pagina_publica
def indice(request):
    meses = publicacion.meses()
    registros = publicacion.registros_por_mes()
    for mes in meses:
        mes["registros"] = registros.get(mes["mes"], [])
    return render(
        request,
        "registro/ocds.html",
        {
            "meses": meses,
            "prefijo": settings.OCDS_PREFIJO_OCID,
            "zona": zona_local(),
            "extensiones": publicacion.extensiones(),
            "patron": paquetes.url_del_registro(f"{settings.OCDS_PREFIJO_OCID}-FOLIO"),
        },
    )


@require_safe
@condicional(fecha_de=paquetes.publicado_el)
def entregas_del_mes(request, mes):
    return _json_o_404(paquetes.cuerpo_del_mes(mes))


@require_safe
@condicional
def registro(request, ocid):
    return _json_o_404(paquetes.cuerpo_del_registro(ocid))


@require_safe
def extension(request, archivo):
    """The local extension's files, at the address the packages list. Its extension.json
    points to its README here, by the site's public address."""
    if archivo not in _ARCHIVOS_DE_LA_EXTENSION:
        raise Http404
    if archivo == "extension.json":
        datos = json.loads((EXTENSION_LOCAL / archivo).read_text(encoding="utf-8"))
        documentacion = url_extension_local() + "README.md"
        datos["documentationUrl"] = {"es": documentacion, "en": documentacion}
        return JsonResponse(datos, json_dumps_params={"ensure_ascii": False, "indent": 2})
    return FileResponse(
        (EXTENSION_LOCAL / archivo).open("rb"), content_type=_ARCHIVOS_DE_LA_EXTENSION[archivo]
    )
