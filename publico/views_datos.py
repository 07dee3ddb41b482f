"""Open data over HTTP: the files, their Table Schemas, the data package and the DCAT catalogue.

Each answer carries an ETag and a Last-Modified worked out from the data's version before the
view runs (Django's ``condition``), so a conditional GET is answered 304 without reading or
sending the data again. Anyone may read them from another site (CORS, in the settings)."""

import datetime
import hashlib
import json

from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import condition, require_safe

from dictamenes import cache
from dictamenes.models import EventoAuditoria
from publico import catalogo, datos_abiertos
from publico.conjuntos import AGREGADOS, CONJUNTOS, NOTA_FORMULAS, POR_NOMBRE

# What /datos-abiertos/catalogo answers by the Accept header (JSON-LD unless asked otherwise).
_NEGOCIABLES = {tipo: formato for formato, (_, tipo) in catalogo.FORMATOS_RDF.items()}


def _formato_pedido(request) -> str:
    preferido = request.get_preferred_type(["application/ld+json", *_NEGOCIABLES])
    return _NEGOCIABLES.get(preferido, "jsonld")


def _ultimo_cambio(request) -> tuple[int, datetime.datetime]:
    """The data's version (the last audited change's number) and the time it last changed
    (that change, or midnight: a dictamen's status may change then), read once per request."""
    if not hasattr(request, "_datos_abiertos_cambio"):
        numero, ocurrido = EventoAuditoria.objects.order_by("-numero").values_list(
            "numero", "ocurrido_en"
        ).first() or (0, None)
        medianoche = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        request._datos_abiertos_cambio = (numero, max(ocurrido or medianoche, medianoche))
    return request._datos_abiertos_cambio


def _etag(request, *args, **kwargs) -> str:
    """Changes with any audited change, at midnight, and with the address and the format
    asked for."""
    numero, modificado = _ultimo_cambio(request)
    texto = "|".join(
        (str(numero), modificado.isoformat(), request.path, request.headers.get("Accept", ""))
    )
    return hashlib.sha256(texto.encode()).hexdigest()[:32]


def _modificado(request, *args, **kwargs):
    return _ultimo_cambio(request)[1]


condicional = condition(etag_func=_etag, last_modified_func=_modificado)


def _descarga(nombre: str) -> str:
    return content_disposition_header(as_attachment=True, filename=nombre)


@require_safe
def indice(request):
    return render(
        request,
        "registro/datos_abiertos.html",
        {
            "conjuntos": [
                {"conjunto": c, "esquema": c.esquema(), "url": catalogo.url_de(c, "csv", base="")}
                for c in CONJUNTOS
            ],
            "nota_formulas": NOTA_FORMULAS,
        },
    )


@require_safe
@condicional
def dictamenes_csv(request):
    return StreamingHttpResponse(
        datos_abiertos.csv_lineas(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": _descarga("dictamenes.csv")},
    )


@require_safe
@condicional
def dictamenes_json(request):
    return StreamingHttpResponse(
        datos_abiertos.json_trozos(), content_type="application/json; charset=utf-8"
    )


@require_safe
@condicional
def conjunto_csv(request, nombre):
    conjunto = AGREGADOS.get(nombre)
    if conjunto is None:
        raise Http404
    return HttpResponse(
        cache.memorizar("datos-abiertos", nombre, calcular=conjunto.csv),
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
@condicional
def catalogo_negociado(request):
    respuesta = _catalogo(_formato_pedido(request))
    patch_vary_headers(respuesta, ["Accept"])
    return respuesta


@require_safe
@condicional
def catalogo_en(request, formato="jsonld"):
    return _catalogo(formato)
