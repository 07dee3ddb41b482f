"""The HTTP API, versioned under /api/v1/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from dictamenes import api as dictamenes_api
from estandares import api as estandares_api

router = DefaultRouter()
router.register("estandares/publicaciones", estandares_api.PublicacionViewSet, "publicacion")
router.register("estandares/categorias", estandares_api.CategoriaViewSet, "categoria")
router.register("estandares/perfiles", estandares_api.PerfilViewSet, "perfil")
router.register("estandares/requisitos", estandares_api.RequisitoViewSet, "requisito")
router.register("solicitudes", dictamenes_api.SolicitudViewSet, "solicitud")
router.register("dictamenes", dictamenes_api.DictamenViewSet, "dictamen")
router.register("registro", dictamenes_api.RegistroViewSet, "registro")

urlpatterns = [
    path("", include(router.urls)),
    path("indicadores/", dictamenes_api.IndicadoresView.as_view(), name="indicadores"),
    path("esquema/", SpectacularAPIView.as_view(), name="esquema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:esquema"), name="docs"),
]
