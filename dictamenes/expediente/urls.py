"""The addresses of the request's page and of every POST on it, under /solicitudes/ (namespace
«solicitudes»), by their URL name: the names and paths they always had, plus one route per
action the registry declares (registro.ACCIONES); each route written here is in
registro.SIN_REGISTRO with the reason it is not an action of the registry, or this module
refuses to load (issue 92, item 2). dictamenes.urls puts each where it always
was among the procedure's addresses (the access table lists them in that order), and the
ones it does not name yet (`sin_lugar`) last."""

from django.core.exceptions import ImproperlyConfigured
from django.urls import path

from dictamenes.expediente import registro
from dictamenes.expediente.views import dictamen, pasos, solicitud, vias

# The routes the registry's shape does not fit, each with its reason in registro.SIN_REGISTRO.
a_mano = {
    ruta.name: ruta
    for ruta in [
        path("<int:pk>/", solicitud.detalle, name="detalle"),
        path(
            "<int:pk>/partidas/<int:partida_pk>/eliminar/",
            solicitud.partida_eliminar,
            name="partida_eliminar",
        ),
        path("<int:pk>/anexos/", solicitud.anexo_subir, name="anexo_subir"),
        path("<int:pk>/presentar/", pasos.presentar, name="presentar"),
        path("<int:pk>/admision/", pasos.admision, name="admision"),
        path("<int:pk>/via-completa/", vias.pasar_a_completa, name="via_completa"),
        path("<int:pk>/subsanar/", pasos.subsanar, name="subsanar"),
        path("<int:pk>/revision/<slug:area>/", pasos.revision_area, name="revision_area"),
        path(
            "<int:pk>/informacion/<slug:area>/", pasos.pedir_informacion, name="pedir_informacion"
        ),
        path("<int:pk>/peticiones/<int:peticion>/responder/", pasos.responder, name="responder"),
        path("<int:pk>/estrategica/", pasos.estrategica, name="estrategica"),
        path("<int:pk>/firma/", dictamen.firma, name="firma"),
        path("<int:pk>/desistir/", pasos.desistir, name="desistir"),
        path("<int:pk>/cancelar/", pasos.cancelar_solicitud, name="cancelar_solicitud"),
        path("<int:pk>/tareas/<int:tarea_pk>/tomar/", pasos.tomar, name="tomar"),
        path("<int:pk>/tareas/<int:tarea_pk>/reasignar/", pasos.reasignar, name="reasignar"),
        path("<int:pk>/expediente.zip", dictamen.expediente, name="expediente"),
        path("<int:pk>/historial.pdf", dictamen.historial_pdf, name="historial_pdf"),
        path("<int:pk>/dictamenes/<int:dictamen_pk>/cancelar/", dictamen.cancelar, name="cancelar"),
        path(
            "<int:pk>/dictamenes/<int:dictamen_pk>/rectificar/",
            dictamen.rectificar,
            name="rectificar",
        ),
    ]
}
if sin_razon := sorted(set(a_mano) ^ set(registro.SIN_REGISTRO)):
    raise ImproperlyConfigured(
        f"Routes of the request's page neither registered nor in registro.SIN_REGISTRO with "
        f"their reason (or listed there without a route): {', '.join(sin_razon)}."
    )

rutas = a_mano | {
    accion.nombre: path(accion.ruta, dictamen.registrada, {"accion": accion}, name=accion.nombre)
    for accion in registro.ACCIONES
}


def sin_lugar(puestas) -> list:
    """The page's routes not among `puestas` (an action registered since): added last."""
    return [ruta for ruta in rutas.values() if ruta not in puestas]
