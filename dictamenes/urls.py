from django.urls import path

from dictamenes import views_solicitudes as v
from dictamenes.views_autoevaluacion import partida_evaluar

app_name = "solicitudes"

urlpatterns = [
    path("", v.lista, name="lista"),
    path("nueva/", v.nueva, name="nueva"),
    path("<int:pk>/", v.detalle, name="detalle"),
    path("<int:pk>/editar/", v.editar, name="editar"),
    path("<int:pk>/partidas/nueva/", v.partida, name="partida_nueva"),
    path("<int:pk>/partidas/<int:partida_pk>/", v.partida, name="partida"),
    path("<int:pk>/partidas/evaluar/", partida_evaluar, name="partida_evaluar"),
    path(
        "<int:pk>/partidas/<int:partida_pk>/eliminar/", v.partida_eliminar, name="partida_eliminar"
    ),
    path("<int:pk>/anexos/", v.anexo_subir, name="anexo_subir"),
    path("<int:pk>/anexos/<int:anexo_pk>/", v.anexo_descargar, name="anexo"),
    path("<int:pk>/presentar/", v.presentar, name="presentar"),
    path("<int:pk>/admision/", v.admision, name="admision"),
    path("<int:pk>/subsanar/", v.subsanar, name="subsanar"),
    path("<int:pk>/revision/<slug:area>/", v.revision_area, name="revision_area"),
    path("<int:pk>/informacion/<slug:area>/", v.pedir_informacion, name="pedir_informacion"),
    path("<int:pk>/peticiones/<int:peticion>/responder/", v.responder, name="responder"),
    path("<int:pk>/estrategica/", v.estrategica, name="estrategica"),
    path("<int:pk>/firma/", v.firma, name="firma"),
    path("<int:pk>/tareas/<int:tarea_pk>/tomar/", v.tomar, name="tomar"),
    path("<int:pk>/tareas/<int:tarea_pk>/reasignar/", v.reasignar, name="reasignar"),
    path("suplencias/", v.suplencias, name="suplencias"),
    path("<int:pk>/expediente.zip", v.expediente, name="expediente"),
    path("<int:pk>/dictamenes/<int:dictamen_pk>/pdf/", v.dictamen_pdf, name="dictamen_pdf"),
    path("<int:pk>/dictamenes/<int:dictamen_pk>/cancelar/", v.cancelar, name="cancelar"),
    path("<int:pk>/dictamenes/<int:dictamen_pk>/rectificar/", v.rectificar, name="rectificar"),
]
