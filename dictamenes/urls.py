"""The addresses of the procedure's pages: /solicitudes/ (this module's urlpatterns, namespace
«solicitudes», with the request's page and its POSTs from dictamenes.expediente.urls) and
/planeacion/ (`planeacion_urls`, namespace «planeacion»)."""

from django.urls import path

from dictamenes.cotizaciones import views as cotizaciones
from dictamenes.emision import views as dictamenes
from dictamenes.expediente import urls as expediente
from dictamenes.planeacion import views as planeacion
from dictamenes.seguimiento.views import condiciones, contratos
from dictamenes.tramite.views import encuestas, partidas, precios, suplencias
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
    expediente.rutas["detalle"],
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
    expediente.rutas["partida_eliminar"],
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
    expediente.rutas["anexo_subir"],
    path("<int:pk>/anexos/<int:anexo_pk>/", partidas.anexo_descargar, name="anexo"),
    expediente.rutas["presentar"],
    expediente.rutas["admision"],
    expediente.rutas["via_completa"],
    expediente.rutas["subsanar"],
    expediente.rutas["revision_area"],
    expediente.rutas["pedir_informacion"],
    expediente.rutas["responder"],
    expediente.rutas["estrategica"],
    expediente.rutas["firma"],
    path("<int:pk>/firma/vista-previa.pdf", dictamenes.vista_previa, name="firma_vista_previa"),
    expediente.rutas["desistir"],
    path("<int:pk>/encuesta/", encuestas.encuesta, name="encuesta"),
    expediente.rutas["cancelar_solicitud"],
    expediente.rutas["tomar"],
    expediente.rutas["reasignar"],
    path("suplencias/", suplencias.suplencias, name="suplencias"),
    expediente.rutas["expediente"],
    expediente.rutas["historial_pdf"],
    path(
        "<int:pk>/dictamenes/<int:dictamen_pk>/pdf/", dictamenes.dictamen_pdf, name="dictamen_pdf"
    ),
    expediente.rutas["cancelar"],
    expediente.rutas["rectificar"],
    expediente.rutas["contrato"],
    path(
        "<int:pk>/dictamenes/<int:dictamen_pk>/contratos/revisar/",
        contratos.contrato_revisar,
        name="contrato_revisar",
    ),
    expediente.rutas["proponer_rectificacion"],
    # Conditions of a condicionado dictamen (issue 21, item 2).
    expediente.rutas["condicion_evidencia"],
    expediente.rutas["condicion_verificar"],
    path(
        "<int:pk>/condiciones/evidencias/<int:evidencia_pk>/",
        condiciones.evidencia_descargar,
        name="condicion_evidencia_descargar",
    ),
]
# An action the registry adds later has no place above: its route comes last.
urlpatterns += expediente.sin_lugar(urlpatterns)

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
        # Issue 93, item 6: the contract's document as the verification page shows it.
        path(
            "contratos/<int:contrato_pk>/documento/",
            contratos.documento,
            name="contrato_documento",
        ),
        path("condiciones/", condiciones.por_cumplir, name="condiciones"),
    ],
    "planeacion",
)
