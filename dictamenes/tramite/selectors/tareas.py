"""A request's steps that people attend: which are open, who may be given one, and each
step's title as people read it."""

from django.contrib.auth import get_user_model
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dictamenes.comun import consultas
from dictamenes.flow_port import Nodo
from dictamenes.models import (
    Area,
    ProcesoDictamen,
)
from dictamenes.organizacion.selectors.usuarios import con_permiso, nombre_de_area
from dictamenes.tramite.selectors.areas import area_de_tarea, areas_de_tarea, es_revision_unica

ABIERTAS = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def candidatos_para(*, tarea):
    """The people of the task's role, to whom a chief may reassign it: for a fast-track
    request's single review, the reviewers of every area involved."""
    codename = tarea.owner_permission.split(".")[-1]
    if Nodo.es_revision_de_area(tarea.flow_task.name) and es_revision_unica(tarea=tarea):
        pks = set()
        for area in Area.objects.filter(pk__in=areas_de_tarea(tarea=tarea)):
            pks |= set(con_permiso(codename=codename, obj=area).values_list("pk", flat=True))
        personas = get_user_model().objects.filter(pk__in=pks)
    else:
        obj = tarea.flow_task.calc_owner_permission_obj(tarea.flow_task.activation_class(tarea))
        personas = con_permiso(codename=codename, obj=obj)
    return personas.order_by("first_name", "last_name")


# viewflow keeps a Join, Split, If, Function or End task open while it waits or runs; only the
# steps a person attends (View nodes, type HUMAN) are "open tasks" anywhere they are listed or
# acted on. Every such query starts here.
HUMANA = "HUMAN"


def tareas_humanas_abiertas():
    """Open steps a person attends, of every request: the one place that says what they are."""
    return Task.objects.filter(flow_task_type=HUMANA, status__in=ABIERTAS)


def tareas_humanas_de(*, solicitud) -> list:
    """The request's human steps, open and concluded, in one query, with who holds each and
    its process (and the area a re-review went back to): the request's page splits them into
    its open steps and its stepper, with no query per row. In no particular order. Compiled
    once (comun.consultas): five tables' columns, on every request's page."""
    return consultas.instancias(_humanas_de, solicitud.pk)


def _humanas_de(solicitud: int):
    return Task.objects.filter(
        flow_task_type=HUMANA,
        status__in=(*ABIERTAS, STATUS.DONE),
        process__procesodictamen__solicitud_id=solicitud,
    ).select_related("owner", "process__procesodictamen__area_devuelta")


def abiertas_de(humanas) -> list:
    """The open ones of a request's human steps (tareas_humanas_de), oldest first."""
    return sorted((t for t in humanas if t.status in ABIERTAS), key=lambda t: (t.created, t.pk))


def tareas_abiertas(*, solicitud):
    """The request's open human steps, oldest first."""
    proceso = getattr(solicitud, "proceso", None)
    if proceso is None:
        return Task.objects.none()
    return tareas_humanas_abiertas().filter(process_id=proceso.pk).order_by("created")


TITULO_UNICA = "Revisión técnica única (vía rápida)"


def titulo_de(*, tarea, proceso=None) -> str:
    """A step's title as people read it; a re-review also names the area it went back to.
    Lists pass the process they already loaded so no row costs a query; the area's name is
    the kept one (nombre_de_area), as for an area's review."""
    titulo = str(tarea.flow_task.task_title)
    if Nodo.es_revision_de_area(tarea.flow_task.name) and es_revision_unica(tarea=tarea):
        areas = ", ".join(sorted(nombre_de_area(pk=pk) for pk in areas_de_tarea(tarea=tarea)))
        titulo = f"{TITULO_UNICA}: {areas}"
    elif Nodo.es_revision_de_area(tarea.flow_task.name):
        titulo = f"{titulo}: {nombre_de_area(pk=area_de_tarea(tarea=tarea))}"
    elif tarea.flow_task.name == Nodo.RE_REVISION:
        if proceso is None:
            proceso = ProcesoDictamen.objects.only("area_devuelta").get(pk=tarea.process_id)
        if proceso.area_devuelta_id:
            titulo = f"{titulo}: {nombre_de_area(pk=proceso.area_devuelta_id)}"
    return titulo
