"""The steps of the flow a person holds or may take, as the inbox and the queue read them
(«Mis tareas», «Tareas por tomar»): viewflow's own queries, with the fast track's shared
reviews and the tasks of whom the person stands in for, each in one query. flujos.views lists
them, and «Pendientes» counts them."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, QuerySet
from guardian.models import GroupObjectPermission, UserObjectPermission
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dictamenes.comun import consultas
from dictamenes.flow_port import Nodo, flujo, nodo
from dictamenes.models import (
    Partida,
    Via,
)
from dictamenes.suplencias.selectors import titulares_suplidos
from dictamenes.tramite.selectors.tareas import HUMANA, tareas_humanas_abiertas

# Rows shown per group; the count says how many there are in all.
SOLICITUD = "process__procesodictamen__solicitud"


def permisos_por_objeto(usuario) -> set[str]:
    """The person's guardian object permissions (their own and their groups') as viewflow's
    queue compares them, "app.codename_pk", in one query (compiled once); viewflow's own
    reading costs two plus one per permission for its content type and codename."""
    return {
        f"{app}.{codename}_{pk}" for app, codename, pk in consultas.filas(_permisos_de, usuario.pk)
    }


def _permisos_de(usuario: int):
    campos = ("content_type__app_label", "permission__codename", "object_pk")
    return (
        UserObjectPermission.objects.filter(user_id=usuario)
        .values_list(*campos)
        .union(
            GroupObjectPermission.objects.filter(group__user=usuario).values_list(*campos),
            all=True,
        )
    )


def con_suplencias(usuario, propias, de_titular, suplidos=None):
    """A substitute also sees, as their own, the tasks of each person they stand in for today:
    their inbox holds what the titular holds, their queue what the titular may take.
    `suplidos`: the ids of those people (suplencias.titulares_suplidos), when already read."""
    if suplidos is None:
        suplidos = titulares_suplidos(usuario=usuario)
    if not suplidos:
        return propias
    titulares = get_user_model().objects.filter(pk__in=suplidos)
    if not titulares:
        return propias
    # One WHERE, each person's conditions OR'ed (QuerySet |), as in cola_de.
    alcance = propias
    for titular in titulares:
        alcance |= de_titular(titular)
    return alcance


def ordenadas(tareas) -> QuerySet:
    """Human steps only, with their request and agency, soonest due first."""
    return (
        tareas.filter(flow_task_type=HUMANA)
        .select_related(f"{SOLICITUD}__ente")
        .order_by(F("data__vence").asc(nulls_last=True), "created", "pk")
    )


def tareas_en_bandeja(*, usuario, suplidos=None) -> QuerySet:
    """«Mis tareas»: the steps the person holds, and those of whom they stand in for."""
    flujos = [flujo()]
    return ordenadas(
        con_suplencias(
            usuario,
            Task.objects.inbox(flujos, usuario),
            lambda titular: Task.objects.inbox(flujos, titular),
            suplidos,
        )
    )


# How viewflow's queue names an area's review permission held on one area: "<this><area pk>".
REVISAR_AREA = "dictamenes.revisar_area_"


def cola_de(flujos, usuario) -> QuerySet:
    """viewflow's queue of the person, and the fast-track reviews (issue 36) shared by an area
    of theirs: viewflow offers a task only to the holders of its one owner permission object
    (the lead area), while the single review of a fast-track request is for the reviewers of
    every area its items touch (as RevisionDeArea.can_assign says). In SQL: one query."""
    if not hasattr(usuario, "_viewflow_per_object_perm_cache"):
        usuario._viewflow_per_object_perm_cache = permisos_por_objeto(usuario)
    cola = Task.objects.queue(flujos, usuario)
    areas = [
        int(p.removeprefix(REVISAR_AREA))
        for p in usuario._viewflow_per_object_perm_cache
        if p.startswith(REVISAR_AREA)
    ]
    if not areas or not flujos:
        return cola
    compartidas = tareas_humanas_abiertas().filter(
        Exists(
            Partida.objects.filter(
                solicitud=OuterRef(SOLICITUD), perfil__categoria__area_id__in=areas
            )
        ),
        flow_task=nodo(Nodo.REVISION_TECNICA),
        status=STATUS.NEW,
        data__via=Via.RAPIDA,
    )
    # One WHERE with the two conditions OR'ed (QuerySet |), not two IN subqueries: PostgreSQL
    # takes their common part (a human step, NEW) to the index on the status, so the query
    # reads the open steps, not the whole history of the task table (issue 45).
    return cola | compartidas


def tareas_por_tomar(*, usuario, suplidos=None) -> QuerySet:
    """«Tareas por tomar»: the unowned steps of the person's roles (or of whom they stand in
    for). The agency's own step (subsanar) is answered, not taken: it is not here."""
    flujos = [flujo()]
    return ordenadas(
        con_suplencias(
            usuario,
            cola_de(flujos, usuario),
            lambda titular: cola_de(flujos, titular),
            suplidos,
        )
    ).exclude(flow_task=nodo(Nodo.SUBSANAR))
