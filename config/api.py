"""The HTTP API, versioned under /api/v1/."""

import copy
import re

from django.conf import settings
from django.urls import Resolver404, include, path, resolve
from django.utils.http import content_disposition_header
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView, DefaultRouter

from dictamenes.api import ahorros as ahorros_api
from dictamenes.api import views as dictamenes_api
from estandares import api as estandares_api
from estandares.entradas import MAYOR_ENTERO
from publico import api as publico_api


class RaizAPI(APIRootView):
    """Las colecciones de la API de Dictámenes TIC, versión 1. Su esquema OpenAPI está en
    /api/v1/esquema/ y su documentación en /api/v1/docs/."""

    # DRF names the root after its class ("Api Root") and describes it with its docstring:
    # both are what a person reads at /api/v1/, so both are in Spanish.
    def get_view_name(self) -> str:
        return "API de Dictámenes TIC · versión 1"


class Enrutador(DefaultRouter):
    APIRootView = RaizAPI


router = Enrutador()
router.register("estandares/publicaciones", estandares_api.PublicacionViewSet, "publicacion")
router.register("estandares/categorias", estandares_api.CategoriaViewSet, "categoria")
router.register("estandares/perfiles", estandares_api.PerfilViewSet, "perfil")
router.register("estandares/requisitos", estandares_api.RequisitoViewSet, "requisito")
router.register("solicitudes", dictamenes_api.SolicitudViewSet, "solicitud")
router.register("dictamenes", dictamenes_api.DictamenViewSet, "dictamen")
router.register("registro", publico_api.RegistroViewSet, "registro")

# The error answers every operation may give, in the published schema: DRF writes them
# (``{"detail": ...}`` or one list of messages per field), the views do not declare them.
ERROR = {
    "type": "object",
    "description": "Un error: el motivo, en español.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
ERROR_DE_VALIDACION = {
    "type": "object",
    "description": "Datos rechazados: los mensajes de cada campo (o de `detalle`), en español.",
    "additionalProperties": {},
}
METODOS_QUE_ESCRIBEN = {"post", "put", "patch", "delete"}


def _respuesta(descripcion: str, componente: str) -> dict:
    return {
        "description": descripcion,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{componente}"}}},
    }


DEMASIADAS = {
    "description": "Demasiadas solicitudes desde su dirección: espere los segundos que dice "
    "Retry-After.",
    "headers": {
        "Retry-After": {
            "description": "Segundos por esperar antes de enviar otra.",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        }
    },
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _ruta_de(ruta: str) -> str:
    """The URL name of a schema path (its parameters filled in), or "" if none."""
    try:
        return resolve(re.sub(r"\{[^}/]+\}", "1", ruta)).view_name
    except Resolver404:
        return ""


def limitada(ruta: str, metodo: str) -> bool:
    """Whether an operation may answer 429: the limits per address (settings.DICTAMENES_LIMITES,
    config.limites) count the POSTs of the views they name, on the API as on the pages."""
    return metodo == "post" and _ruta_de(ruta) in settings.DICTAMENES_LIMITES


def documentar_errores(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the 400/401/403/404/429 answers to the schema.

    - 401: every operation accepts a token, and a wrong one is rejected before anything else;
    - 403: a write may be refused (the person's role, or the session's CSRF check);
    - 400: an operation with a body, with filters or with a ``page`` validates them;
    - 404: an object in the path may not exist (or not be visible), and so may a ``page``;
    - 429: an operation under a limit per address, read from the same table the limit is.
    """
    esquemas = result.setdefault("components", {}).setdefault("schemas", {})
    esquemas.setdefault("Error", ERROR)
    esquemas.setdefault("ErrorDeValidacion", ERROR_DE_VALIDACION)
    for ruta, operaciones in result.get("paths", {}).items():
        for metodo, operacion in operaciones.items():
            respuestas = operacion.setdefault("responses", {})
            parametros = operacion.get("parameters", [])
            en_consulta = {p["name"] for p in parametros if p.get("in") == "query"}
            en_ruta = any(p.get("in") == "path" for p in parametros)
            respuestas.setdefault("401", _respuesta("Credenciales inválidas.", "Error"))
            if metodo in METODOS_QUE_ESCRIBEN:
                respuestas.setdefault("403", _respuesta("Sin permiso para esta acción.", "Error"))
            if "requestBody" in operacion or en_consulta:
                respuestas.setdefault("400", _respuesta("Datos inválidos.", "ErrorDeValidacion"))
            if en_ruta or "page" in en_consulta:
                respuestas.setdefault("404", _respuesta("No encontrado.", "Error"))
            if limitada(ruta, metodo):
                respuestas.setdefault("429", copy.deepcopy(DEMASIADAS))
    return result


def documentar_servidor_y_paginas(result, generator, request, public):
    """drf-spectacular postprocessing hook: the server, and the pages' numbers.

    - ``servers``: the public address of this installation (DICTAMENES_URL_PUBLICA, read when
      the schema is made, as the dictamen's QR code does). The paths already start with
      /api/v1/, so the server is the bare address: the two together never say /api/v1 twice.
    - ``page``: what every list of the API accepts (estandares.entradas.PaginaField), from 1
      to the largest whole number a column holds (empty: the first); a page past the last
      answers 404.
    """
    result["servers"] = [
        {
            "url": settings.DICTAMENES_URL_PUBLICA.rstrip("/"),
            "description": "Esta instalación del sistema.",
        }
    ]
    for operaciones in result.get("paths", {}).values():
        for operacion in operaciones.values():
            for parametro in operacion.get("parameters", []):
                if parametro.get("in") == "query" and parametro["name"] == "page":
                    parametro["schema"].update(minimum=1, maximum=MAYOR_ENTERO)
                    # Empty is the first page.
                    parametro["allowEmptyValue"] = True
    return result


class EsquemaView(SpectacularAPIView):
    """The schema, with its file name as RFC 6266 says: drf-spectacular writes the title
    ("Dictámenes TIC") as raw bytes in a quoted ``filename``; here a name that is not plain
    ASCII goes as ``filename*=utf-8''...``, percent-encoded (Django's own helper)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if "Content-Disposition" in response:
            formato = request.accepted_renderer.format
            nombre = f"{settings.SPECTACULAR_SETTINGS['TITLE']}.{formato}"
            response["Content-Disposition"] = content_disposition_header(False, nombre)
        return response


urlpatterns = [
    path("", include(router.urls)),
    path("indicadores/", dictamenes_api.IndicadoresView.as_view(), name="indicadores"),
    path("ahorros/", ahorros_api.AhorrosView.as_view(), name="ahorros"),
    path("esquema/", EsquemaView.as_view(), name="esquema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:esquema"), name="docs"),
]
