"""Which areas review a request and which a task is for: the reviews admission creates (one
per area, or the fast track's single one), the areas a review covers, asks as and may be
sent back to, and the items each review judges."""

from django.db import models
from django.db.models import QuerySet

from dictamenes.flow_port import Nodo
from dictamenes.models import (
    Area,
    Partida,
    RevisionArea,
    Solicitud,
)
from dictamenes.models.vias import Via
from dictamenes.suplencias.selectors import PERMISO_REVISAR


def areas_a_revisar(*, solicitud) -> list[int]:
    """The areas whose technical review the request needs: those its items' categories belong
    to, in the order of their names (the order their tasks are made and listed)."""
    filas = (
        Partida.objects.filter(solicitud=solicitud)
        .values_list("perfil__categoria__area_id", "perfil__categoria__area__nombre")
        .distinct()
        .order_by("perfil__categoria__area__nombre")
    )
    return [pk for pk, _nombre in filas]


def areas_revisadas(*, solicitud) -> QuerySet[Area]:
    """The areas the strategic reviewer may send the request back to: those that reviewed it
    and, on the fast track, every area of its items, which its single review covered (issue
    47; the review is recorded under its lead area only). Retired ones included: the
    decision refuses them with its own message."""
    revisaron = models.Q(pk__in=RevisionArea.objects.filter(solicitud=solicitud).values("area"))
    if solicitud.via == Via.RAPIDA:
        revisaron |= models.Q(
            pk__in=Partida.objects.filter(solicitud=solicitud).values("perfil__categoria__area")
        )
    return Area.objects.filter(revisaron).order_by("nombre")


def area_principal(*, solicitud) -> int | None:
    """The area with the largest amount of the request's items (by name on a tie): the one
    a fast-track request's single review is made for."""
    fila = (
        Partida.objects.filter(solicitud=solicitud)
        .values("perfil__categoria__area_id", "perfil__categoria__area__nombre")
        .annotate(monto=models.Sum(models.F("cantidad") * models.F("precio_unitario")))
        .order_by("-monto", "perfil__categoria__area__nombre")
        .first()
    )
    return fila["perfil__categoria__area_id"] if fila else None


def revisiones_a_crear(*, solicitud) -> list[dict]:
    """The technical review tasks the request gets when admitted, as their data: one per
    area on the full track; on the fast track (issue 36) a single one for the lead area,
    offered to the reviewers of every area involved. The track is read from the database:
    admission has just set it."""
    areas = areas_a_revisar(solicitud=solicitud)
    via = Solicitud.objects.filter(pk=solicitud.pk).values_list("via", flat=True).first()
    if via == Via.RAPIDA and areas:
        return [{"area": area_principal(solicitud=solicitud), "areas": areas, "via": via}]
    return [{"area": pk} for pk in areas]


def cubiertas_de(*, solicitud) -> models.Prefetch:
    """How to load the areas its reviews covered (RevisionArea.cubre, issue 61) with them:
    only a fast-track request's single review covers several, so any other reads none and
    costs no query."""
    areas = Area.objects.all() if solicitud.via == Via.RAPIDA else Area.objects.none()
    return models.Prefetch("cubre", queryset=areas)


def cubiertas_cargar(revisiones, *, solicitud) -> None:
    """Load on these reviews of `solicitud` the areas each covered (cubiertas_de). Off the
    fast track none covers any: each is marked as covering none without building the
    prefetch's query for every review (0.75 ms a page of four reviews, to read nothing)."""
    if solicitud.via == Via.RAPIDA:
        models.prefetch_related_objects(revisiones, cubiertas_de(solicitud=solicitud))
        return
    ninguna = Area.objects.none()
    for revision in revisiones:
        # What prefetch_related leaves on each instance: RevisionArea.cubre.all() reads it.
        revision._prefetched_objects_cache = {
            **getattr(revision, "_prefetched_objects_cache", {}),
            "cubre": ninguna,
        }


def es_revision_unica(*, tarea) -> bool:
    """The task is a fast-track request's single technical review."""
    return (tarea.data or {}).get("via") == Via.RAPIDA


def areas_de_tarea(*, tarea) -> list[int]:
    """The areas whose reviewers may take a technical review: the fast track's single review
    is shared by every area involved; otherwise, its own area."""
    datos = tarea.data or {}
    if datos.get("via") == Via.RAPIDA and datos.get("areas"):
        return [int(pk) for pk in datos["areas"]]
    area = area_de_tarea(tarea=tarea)
    return [] if area is None else [area]


def areas_que_pregunta(*, tarea, usuario) -> list[int]:
    """The areas a person may ask the agency for information as, on a technical review: the
    area of what is asked. On an area's own review, that area. On a fast-track request's
    single review, which covers the items of several areas (issue 47), the area of the
    reviewer who asks: each area the review covers that the person reviews, the review's own
    (lead) area first, then the others by name. A reviewer asks about what their area is
    qualified to judge, so the agency reads who asks, the e-mail and the dictamen's
    antecedentes name that area, and the strategic reviewer may send it back there. Someone
    who reviews none of them (standing in for a reviewer) asks as the review's own area. The
    first is the one the page offers."""
    propia = area_de_tarea(tarea=tarea)
    if propia is None and tarea.owner_permission_obj_pk:  # a re-review names it only there
        propia = int(tarea.owner_permission_obj_pk)
    if not es_revision_unica(tarea=tarea):
        return [] if propia is None else [propia]
    cubiertas = sorted(areas_de_tarea(tarea=tarea), key=lambda pk: pk != propia)
    por_pk = Area.objects.in_bulk(cubiertas)
    suyas = [
        pk for pk in cubiertas if pk in por_pk and usuario.has_perm(PERMISO_REVISAR, por_pk[pk])
    ]
    return suyas or ([] if propia is None else [propia])


def es_tarea_de_peticion(*, tarea, area_id: int) -> bool:
    """The open review a question to the agency of that area stops: the area's review or
    re-review, or the fast-track single review that covers the area."""
    nombre = tarea.flow_task.name
    if nombre not in (Nodo.REVISION_TECNICA, Nodo.RE_REVISION):
        return False
    if tarea.owner_permission_obj_pk == str(area_id):
        return True
    return es_revision_unica(tarea=tarea) and area_id in areas_de_tarea(tarea=tarea)


def partidas_de_revision(*, solicitud, area):
    """The items an area's review gives an opinion on: its own, or every item of a
    fast-track request (its single review covers them all)."""
    partidas = solicitud.partidas.all()
    if solicitud.via != Via.RAPIDA:
        partidas = partidas.filter(perfil__categoria__area=area)
    return partidas.order_by("id")


def area_de_tarea(*, tarea) -> int | None:
    """The area a technical review task is for: its flow node puts it in the task's data
    (flujos.nodos). In queries, the same area is the task's owner permission object."""
    valor = (tarea.data or {}).get("area")
    return int(valor) if valor is not None else None


def areas_de(*, solicitud) -> set[str]:
    return set(
        Partida.objects.filter(solicitud=solicitud)
        .values_list("perfil__categoria__area__clave", flat=True)
        .distinct()
    )
