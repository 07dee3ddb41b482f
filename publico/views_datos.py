"""Open data over HTTP: the files, their Table Schemas, the data package and the DCAT catalogue.

Each answer carries an ETag (the SHA-256 of its bytes) and a Last-Modified (when those bytes
last changed), per address, from publico.huellas: a change that leaves a file's bytes alone
leaves both alone, and a conditional GET is answered 304 without generating the data again.
Anyone may read them from another site (CORS, in the settings)."""

import json

from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from publico import catalogo, huellas, precios
from publico.conjuntos import AGREGADOS, CONJUNTOS, DICTAMENES, POR_NOMBRE, RECURSOS
from publico.esquema import NOTA_FORMULAS
from publico.partidas import PARTIDAS
from publico.precios import PRECIOS

# What /datos-abiertos/catalogo answers by the Accept header (JSON-LD unless asked otherwise).
_NEGOCIABLES = {tipo: formato for formato, (_, tipo) in catalogo.FORMATOS_RDF.items()}

# Every open-data view (and the OCDS ones) is decorated with it: ETag and Last-Modified of
# the bytes served at that address.
condicional = huellas.condicional


def _formato_pedido(request) -> str:
    preferido = request.get_preferred_type(["application/ld+json", *_NEGOCIABLES])
    return _NEGOCIABLES.get(preferido, "jsonld")


def _descarga(nombre: str) -> str:
    return content_disposition_header(as_attachment=True, filename=nombre)


@require_safe
def indice(request):
    return render(
        request,
        "registro/datos_abiertos.html",
        {
            "conjuntos": [
                {
                    "conjunto": c,
                    "esquema": c.esquema(),
                    "url": catalogo.url_de(c, "csv", base=""),
                    "url_json": catalogo.url_de(c, "json", base="") if c.json else "",
                    # Its further files (issue 76), each with its own dictionary.
                    "recursos": [
                        {"conjunto": r, "url": catalogo.url_de(r, "csv", base="")}
                        for r in RECURSOS.get(c.nombre, ())
                    ],
                }
                for c in CONJUNTOS
            ],
            "nota_formulas": NOTA_FORMULAS,
        },
    )


def _en_flujo(conjunto, formato: str) -> StreamingHttpResponse:
    """A file read from the database as it is sent (the register and its items)."""
    if formato == "csv":
        return StreamingHttpResponse(
            huellas.archivo(conjunto, "csv"),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": _descarga(f"{conjunto.nombre}.csv")},
        )
    return StreamingHttpResponse(
        huellas.archivo(conjunto, "json"), content_type="application/json; charset=utf-8"
    )


@require_safe
@condicional
def dictamenes_csv(request):
    return _en_flujo(DICTAMENES, "csv")


@require_safe
@condicional
def dictamenes_json(request):
    return _en_flujo(DICTAMENES, "json")


@require_safe
@condicional
def partidas_csv(request):
    return _en_flujo(PARTIDAS, "csv")


@require_safe
@condicional
def partidas_json(request):
    return _en_flujo(PARTIDAS, "json")


@require_safe
@condicional
def precios_json(request):
    return HttpResponse(
        huellas.archivo(PRECIOS, "json"), content_type="application/json; charset=utf-8"
    )


@require_safe
@condicional
def conjunto_csv(request, nombre):
    if nombre in precios.EN_FLUJO:  # a further file of a dataset (issue 76), streamed
        return StreamingHttpResponse(
            precios.EN_FLUJO[nombre](),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": _descarga(f"{nombre}.csv")},
        )
    conjunto = AGREGADOS.get(nombre)
    if conjunto is None:
        raise Http404
    return HttpResponse(
        huellas.archivo(conjunto, "csv"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": _descarga(f"{nombre}.csv")},
    )


@require_safe
@condicional
def esquema(request, nombre):
    conjunto = POR_NOMBRE.get(nombre)
    if conjunto is None:
        raise Http404
    return JsonResponse(conjunto.esquema(), json_dumps_params={"ensure_ascii": False})


@require_safe
@condicional
def paquete(request):
    return HttpResponse(
        json.dumps(catalogo.paquete(), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )


def _catalogo(formato: str) -> HttpResponse:
    contenido, tipo = catalogo.serializar(formato)
    return HttpResponse(contenido, content_type=f"{tipo}; charset=utf-8")


@require_safe
@condicional(variante=_formato_pedido)
def catalogo_negociado(request):
    respuesta = _catalogo(_formato_pedido(request))
    patch_vary_headers(respuesta, ["Accept"])
    return respuesta


@require_safe
@condicional
def catalogo_en(request, formato="jsonld"):
    return _catalogo(formato)
