from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from viewflow.contrib.auth import AuthViewset

from dictamenes.views import indicadores, inicio
from dictamenes.views.urls import planeacion_urls
from flujos.urls import site
from publico import tramite
from publico import views as views_publicas

admin.site.site_header = _("Dictámenes TIC · Administración")
admin.site.site_title = _("Dictámenes TIC")
admin.site.index_title = _("Catálogos y usuarios")

urlpatterns = [
    path("", inicio.inicio, name="inicio"),
    path("cuentas/", include("cuentas.urls")),
    path("cuentas/", AuthViewset(with_profile_view=False).urls),
    path("admin/", admin.site.urls),
    path("flujos/", site.urls),
    path("estandares/", include("estandares.urls")),
    path("solicitudes/", include("dictamenes.views.urls")),
    path("planeacion/", include(planeacion_urls)),
    path("indicadores/", indicadores.indicadores_view, name="indicadores"),
    path(
        "indicadores/exportar.<str:formato>",
        indicadores.indicadores_exportar,
        name="indicadores_exportar",
    ),
    path("tramite/", tramite.como, name="tramite"),
    path("registro/", views_publicas.registro, name="registro"),
    path("datos-abiertos/", views_publicas.datos_abiertos_indice, name="datos_abiertos"),
    path("datos-abiertos/dictamenes.csv", views_publicas.datos_abiertos_csv, name="datos_csv"),
    path("datos-abiertos/dictamenes.json", views_publicas.datos_abiertos_json, name="datos_json"),
    path("datos-abiertos/catalogo.jsonld", views_publicas.datos_abiertos_dcat, name="datos_dcat"),
    path("verificar/", views_publicas.verificar, name="verificar"),
    path("verificar/<path:folio>/", views_publicas.verificar_folio, name="verificar_folio"),
    path("api/v1/", include(("config.api", "api"))),
]
