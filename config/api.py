"""The HTTP API, versioned under /api/v1/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from estandares import api as estandares_api

router = DefaultRouter()
router.register("estandares/publicaciones", estandares_api.PublicacionViewSet, "publicacion")
router.register("estandares/categorias", estandares_api.CategoriaViewSet, "categoria")
router.register("estandares/perfiles", estandares_api.PerfilViewSet, "perfil")
router.register("estandares/requisitos", estandares_api.RequisitoViewSet, "requisito")

urlpatterns = [
    path("", include(router.urls)),
    path("esquema/", SpectacularAPIView.as_view(), name="esquema"),
]
