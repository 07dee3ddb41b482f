"""The HTTP API, versioned under /api/v1/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from dictamenes.api import views as dictamenes_api
from estandares import api as estandares_api
from publico import api as publico_api

router = DefaultRouter()
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


def documentar_errores(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the 400/401/403/404 answers to the schema.

    - 401: every operation accepts a token, and a wrong one is rejected before anything else;
    - 403: a write may be refused (the person's role, or the session's CSRF check);
    - 400: an operation with a body, with filters or with a ``page`` validates them;
    - 404: an object in the path may not exist (or not be visible), and so may a ``page``.
    """
    esquemas = result.setdefault("components", {}).setdefault("schemas", {})
    esquemas.setdefault("Error", ERROR)
    esquemas.setdefault("ErrorDeValidacion", ERROR_DE_VALIDACION)
    for operaciones in result.get("paths", {}).values():
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
    return result


urlpatterns = [
    path("", include(router.urls)),
    path("indicadores/", dictamenes_api.IndicadoresView.as_view(), name="indicadores"),
    path("esquema/", SpectacularAPIView.as_view(), name="esquema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:esquema"), name="docs"),
]
