"""OCDS over HTTP: the index page, the monthly release packages, each request's record
package and the local extension's files. The packages are cached by the data's version and
answered with the same conditional HTTP as the other open data."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dictamenes import cache
from publico.ocds import paquetes, publicacion
from publico.ocds.estandar import EXTENSION_LOCAL
from publico.views_datos import condicional

_ARCHIVOS_DE_LA_EXTENSION = ("extension.json", "release-schema.json")
_JSON = "application/json; charset=utf-8"


def _json_o_404(contenido: bytes | None) -> HttpResponse:
    if contenido is None:
        raise Http404
    return HttpResponse(contenido, content_type=_JSON)


def _memorizado(*partes, calcular) -> bytes | None:
    def contenido() -> bytes:
        # Nothing to publish is kept as b"": the cache does not tell None from a miss.
        paquete = calcular()
        return b"" if paquete is None else paquetes.json_de(paquete)

    return cache.memorizar("ocds", *partes, calcular=contenido) or None


@require_safe
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
            "extensiones": publicacion.extensiones(),
            "patron": paquetes.url_del_registro(f"{settings.OCDS_PREFIJO_OCID}-FOLIO"),
        },
    )


@require_safe
@condicional
def entregas_del_mes(request, mes):
    return _json_o_404(_memorizado("entregas", mes, calcular=lambda: paquetes.paquete_del_mes(mes)))


@require_safe
@condicional
def registro(request, ocid):
    return _json_o_404(
        _memorizado("registro", ocid, calcular=lambda: paquetes.paquete_de_registro(ocid))
    )


@require_safe
def extension(request, archivo):
    """The local extension's files, at the address the packages list."""
    if archivo not in _ARCHIVOS_DE_LA_EXTENSION:
        raise Http404
    return FileResponse(
        (EXTENSION_LOCAL / archivo).open("rb"), content_type="application/json; charset=utf-8"
    )
