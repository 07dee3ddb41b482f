"""The addresses of the procedure's pages: /solicitudes/ (this module's urlpatterns, namespace
«solicitudes», with the request's page and its POSTs from dictamenes.expediente.urls) and
/planeacion/ (`planeacion_urls`, namespace «planeacion»)."""

from django.urls import path

from dictamenes.emision import views as dictamenes
from dictamenes.expediente import urls as expediente
from dictamenes.planeacion import views as planeacion
from dictamenes.seguimiento.views import condiciones, contratos
from dictamenes.tramite.views import cotizaciones, encuestas, partidas, precios, suplencias
from dictamenes.tramite.views import solicitudes as v
from dictamenes.tramite.views.autoevaluacion import (
    partida_evaluar,
    partida_precio_en_vivo,
    via_prevista,
)

app_name = "solicitudes"

urlpatterns = [
    path("", v.lista, name="lista"),
    path("nueva/", v.nueva, name="nueva"),
    path("<int:pk>/editar/", v.editar, name="editar"),
    path("<int:pk>/partidas/nueva/", partidas.partida, name="partida_nueva"),
    path("<int:pk>/partidas/<int:partida_pk>/", partidas.partida, name="partida"),
    path("<int:pk>/partidas/evaluar/", partida_evaluar, name="partida_evaluar"),
    # The reviewer's page of one item's price (issue 62).
    path(
        "<int:pk>/partidas/<int:partida_pk>/precio/",
        precios.partida_precio,
        name="partida_precio",
    ),
    path("<int:pk>/via-prevista/", via_prevista, name="via_prevista"),
    # The item's price while it is written, and its quotes (issue 62, helper A).
    path(
        "<int:pk>/partidas/precio-en-vivo/",
        partida_precio_en_vivo,
        name="partida_precio_en_vivo",
    ),
    path(
        "<int:pk>/partidas/<int:partida_pk>/cotizaciones/",
        cotizaciones.cotizacion_agregar,
        name="partida_cotizacion_agregar",
    ),
    path(
        "<int:pk>/partidas/<int:partida_pk>/cotizaciones/quitar/",
        cotizaciones.cotizacion_quitar,
        name="partida_cotizacion_quitar",
    ),
    path("<int:pk>/anexos/<int:anexo_pk>/", partidas.anexo_descargar, name="anexo"),
    path("<int:pk>/firma/vista-previa.pdf", dictamenes.vista_previa, name="firma_vista_previa"),
    path("<int:pk>/encuesta/", encuestas.encuesta, name="encuesta"),
    path("suplencias/", suplencias.suplencias, name="suplencias"),
    path(
        "<int:pk>/dictamenes/<int:dictamen_pk>/pdf/", dictamenes.dictamen_pdf, name="dictamen_pdf"
    ),
    path(
        "<int:pk>/dictamenes/<int:dictamen_pk>/contratos/revisar/",
        contratos.contrato_revisar,
        name="contrato_revisar",
    ),
    path(
        "<int:pk>/condiciones/evidencias/<int:evidencia_pk>/",
        condiciones.evidencia_descargar,
        name="condicion_evidencia_descargar",
    ),
    # The request's page and every POST on it (dictamenes.expediente).
    *expediente.rutas,
]

planeacion_urls = (
    [
        path("programa/", planeacion.programa, name="programa"),
        path("programa/lineas/nueva/", planeacion.linea_nueva, name="linea_nueva"),
        path("programa/lineas/<int:pk>/", planeacion.linea, name="linea"),
        path("programa/lineas/<int:pk>/retirar/", planeacion.linea_retirar, name="linea_retirar"),
        path("consolidacion/", planeacion.consolidacion, name="consolidacion"),
        path("pronostico/", planeacion.pronostico, name="pronostico"),
        path("contratos/", contratos.senalados, name="contratos"),
        # Issue 76: the strategic reviewer's word on a contract over the tolerance, and the
        # check of a contract against its document by someone who is not the requester.
        path(
            "contratos/<int:contrato_pk>/autorizar/",
            contratos.autorizar,
            name="contrato_autorizar",
        ),
        path(
            "contratos/<int:contrato_pk>/verificar/",
            contratos.verificar,
            name="contrato_verificar",
        ),
        path("condiciones/", condiciones.por_cumplir, name="condiciones"),
    ],
    "planeacion",
)
