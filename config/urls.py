"""The site's addresses: every app's URLs mounted in one place, with the admin and the API."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from viewflow.contrib.auth import AuthViewset

from config import manual, medicion, salud
from cuentas import urls as cuentas_urls
from dictamenes.cifras import views as indicadores
from dictamenes.consola import urls as consola_urls
from dictamenes.pendientes import views as inicio
from dictamenes.urls import planeacion_urls
from flujos.urls import site
from publico import tramite, views_datos
from publico import views as views_publicas

datos_urls = [
    path("", views_datos.indice, name="datos_abiertos"),
    path("dictamenes.csv", views_datos.dictamenes_csv, name="datos_csv"),
    path("dictamenes.json", views_datos.dictamenes_json, name="datos_json"),
    path("dictamenes-partidas.csv", views_datos.partidas_csv, name="datos_partidas_csv"),
    path("dictamenes-partidas.json", views_datos.partidas_json, name="datos_partidas_json"),
    path("precios-referencia.json", views_datos.precios_json, name="datos_precios_json"),
    path("<slug:nombre>.csv", views_datos.conjunto_csv, name="datos_conjunto"),
    path("esquemas/<slug:nombre>.json", views_datos.esquema, name="datos_esquema"),
    path("datapackage.json", views_datos.paquete, name="datos_paquete"),
    path("catalogo", views_datos.catalogo_negociado, name="datos_catalogo"),
    path("catalogo.jsonld", views_datos.catalogo_en, name="datos_dcat"),
    path("catalogo.ttl", views_datos.catalogo_en, {"formato": "ttl"}, name="datos_dcat_ttl"),
    path("catalogo.rdf", views_datos.catalogo_en, {"formato": "rdf"}, name="datos_dcat_rdf"),
    path("ocds/", include("publico.ocds.urls")),
]

admin.site.site_header = _("Dictámenes TIC · Administración")
admin.site.site_title = _("Dictámenes TIC")
admin.site.index_title = _("Catálogos y usuarios")

urlpatterns = [
    path("", inicio.inicio, name="inicio"),
    # One namespace, «cuentas», for the account's pages and the configuration console's, whose
    # names and paths did not change when the console left cuentas (issue 63).
    path(
        "cuentas/",
        include(([*cuentas_urls.urlpatterns, *consola_urls.urlpatterns], "cuentas")),
    ),
    # Before viewflow's: our login (the state's identity) and logout (the provider's too).
    path("cuentas/", include("cuentas.urls_identidad")),
    path("cuentas/", AuthViewset(with_profile_view=False).urls),
    path("admin/", admin.site.urls),
    path("flujos/", site.urls),
    path("estandares/", include("estandares.urls")),
    path("solicitudes/", include("dictamenes.urls")),
    path("planeacion/", include(planeacion_urls)),
    path("capacidad/", include("dictamenes.capacidad.urls")),
    # The signs that a request deserves a second look (issue 80), for the Subsecretaría and
    # the auditors.
    path("senales/", include("dictamenes.senales.urls")),
    path("indicadores/", indicadores.indicadores_view, name="indicadores"),
    path(
        "indicadores/exportar.<str:formato>",
        indicadores.indicadores_exportar,
        name="indicadores_exportar",
    ),
    path("tramite/", tramite.como, name="tramite"),
    path("registro/", views_publicas.registro, name="registro"),
    path("datos-abiertos/", include(datos_urls)),
    path("verificar/", views_publicas.verificar, name="verificar"),
    path("verificar/<path:folio>/", views_publicas.verificar_folio, name="verificar_folio"),
    path("api/v1/", include(("config.api", "api"))),
    # The manuals, built by `make docs` (config.manual); «Ayuda» on each page links here.
    path("manual/", manual.manual, name="manual"),
    path("manual/<path:ruta>", manual.manual, name="manual_pagina"),
    # For the load balancer and Prometheus (config.salud): no session, no personal data. With
    # or without the final slash, as whoever writes the probe types it (one name: one limit;
    # reverse() gives the last one, without it).
    *(
        path(ruta + barra, vista, name=nombre)
        for ruta, vista, nombre in (
            ("salud/vivo", salud.vivo, "salud_vivo"),
            ("salud/listo", salud.listo, "salud_listo"),
            ("metricas", salud.metricas_view, "metricas"),
        )
        for barra in ("/", "")
    ),
]
if settings.DICTAMENES_MEDICION:
    # make bench's ceiling: a view that does nothing, through the same middleware and server.
    urlpatterns.append(path("medicion/techo/", medicion.techo))

# The 403 page says the service's reason when the refusal is ours (config.denegado).
handler403 = "config.denegado.acceso_denegado"
