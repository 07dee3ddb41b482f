"""Reads about the review areas the administrator keeps: the areas and their categories, the
open review tasks of an area, and the requests a move of categories would leave without items.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dictamenes.models import Area, Partida, Perfil, Solicitud
from dictamenes.models.vias import Via
from dictamenes.roles import Rol
from estandares.models import Categoria

PERMISO_REVISAR_AREA = "dictamenes.revisar_area"


def areas_activas() -> QuerySet[Area]:
    """The areas offered wherever people choose one (role grants, filters, new categories)."""
    return Area.objects.filter(activa=True).order_by("nombre")


def _revisores_del_area() -> Subquery:
    """How many active people hold the Revisor técnico role in the area (outer query's)."""
    revisores = (
        Perfil.objects.filter(
            areas=OuterRef("pk"),
            usuario__is_active=True,
            usuario__groups__name=str(Rol.REVISOR_TECNICO.label),
        )
        .order_by()
        .values("areas")
        .annotate(n=Count("usuario", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(revisores, output_field=IntegerField()), 0)


def areas_con_resumen() -> list[Area]:
    """Every area, active first, with how many category keys it holds, how many reviewers it
    has (issue 47: an active area with none has nobody to take its reviews) and how many open
    review tasks wait on it: the areas page, in two queries whatever their number."""
    areas = list(
        Area.objects.annotate(
            num_categorias=Count("categorias__clave", distinct=True),
            num_revisores=_revisores_del_area(),
        ).order_by("-activa", "nombre")
    )
    abiertas = dict(
        tareas_de_revision_abiertas()
        .order_by()
        .values_list("owner_permission_obj_pk")
        .annotate(n=Count("pk"))
    )
    for area in areas:
        area.num_tareas = abiertas.get(str(area.pk), 0)
    return areas


# Every status but done and cancelled, named rather than excluded: the index on the status
# then reads the open tasks, not the ten years of finished ones (issue 45).
SIN_TERMINAR = tuple(s for s in STATUS.values if s not in (STATUS.DONE, STATUS.CANCELED))


def tareas_de_revision_abiertas() -> QuerySet[Task]:
    """THE definition of the open technical-review tasks (reviews and re-reviews) of every
    area: viewflow stores the object a task's permission is checked on as (content type, pk as
    text), here an Area's with `revisar_area`. It holds before and after the flow's single
    review node; change it here, and area_tareas_abiertas and the areas page follow."""
    return Task.objects.filter(
        owner_permission=PERMISO_REVISAR_AREA,
        owner_permission_content_type=ContentType.objects.get_for_model(Area),
    ).filter(status__in=SIN_TERMINAR)


def revisiones_unicas_abiertas() -> QuerySet[Task]:
    """The open single reviews of fast-track requests (issue 36): each names its lead area as
    its owner permission object and, in its data, every area it is shared by."""
    return tareas_de_revision_abiertas().filter(data__via=Via.RAPIDA).order_by("process_id", "pk")


def areas_de_las_partidas(*, procesos) -> dict[int, list[int]]:
    """{process id: the areas of its request's items now, by name}: one query."""
    areas: dict[int, list[int]] = {}
    for proceso, area in (
        Partida.objects.filter(solicitud__proceso__in=procesos)
        .values_list("solicitud__proceso", "perfil__categoria__area_id")
        .distinct()
        .order_by("solicitud__proceso", "perfil__categoria__area__nombre")
    ):
        areas.setdefault(proceso, []).append(area)
    return areas


def area_tareas_abiertas(*, area: Area) -> QuerySet[Task]:
    """One area's open review tasks, by request."""
    return (
        tareas_de_revision_abiertas()
        .filter(owner_permission_obj_pk=str(area.pk))
        .order_by("process_id", "pk")
    )


def solicitudes_de_tareas(tareas) -> list[Solicitud]:
    """The requests of those tasks, once each, by folio."""
    return list(
        Solicitud.objects.filter(proceso__in=tareas.values("process_id")).order_by("folio", "pk")
    )


def categorias_por_clave(*, area: Area | None = None) -> list[dict]:
    """The standards' categories as people know them: one per key, whatever the number of
    editions that repeat it, with the name of its newest row and the area it belongs to. Only
    those of `area` when given. A key whose editions disagree on the area (set by hand in the
    Django admin) appears once per area."""
    filas = Categoria.objects.order_by("clave", "area__nombre", "-publicacion_id")
    if area is not None:
        filas = filas.filter(area=area)
    vistas = {}
    for clave, nombre, area_id, area_nombre, area_activa in filas.values_list(
        "clave", "nombre", "area_id", "area__nombre", "area__activa"
    ):
        vistas.setdefault(
            (clave, area_id),
            {
                "clave": clave,
                "nombre": nombre,
                "area_id": area_id,
                "area": area_nombre,
                "area_activa": area_activa,
            },
        )
    return sorted(vistas.values(), key=lambda c: (c["nombre"].casefold(), c["clave"]))


def solicitudes_en_revision_con(*, claves, area: Area) -> list[Solicitud]:
    """The requests with items in those categories whose review by `area` (their area now) is
    still open: moving the categories away would leave that review without its items."""
    tareas = area_tareas_abiertas(area=area).filter(
        Q(
            process__procesodictamen__solicitud__partidas__perfil__categoria__clave__in=list(
                claves
            ),
            process__procesodictamen__solicitud__partidas__perfil__categoria__area=area,
        )
    )
    return solicitudes_de_tareas(tareas)
