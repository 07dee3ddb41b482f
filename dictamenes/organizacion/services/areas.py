"""The review areas, kept by the administrators (issue 35): add one, rename it, assign the
standards' categories to it, retire it. Each action is one door that checks who acts, changes
the rows and writes its audit event in the same transaction.

An area's items are found at query time (partida → perfil → categoría → área), and its review
tasks by the area stored in them (selectors.areas.area_tareas_abiertas). So a category moves
only when no review of its current area is under way on a request with items in it, and an
area retires with its open tasks only by moving them, with its categories, to another area.
A fast-track request's single review is shared by the areas of its items (issue 47): when
categories move or an area retires into another, the open ones follow the items' areas.
"""

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm
from viewflow.workflow.status import STATUS

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Area, PeticionInformacion, ProcesoDictamen
from dictamenes.organizacion.selectors.areas import (
    PERMISO_REVISAR_AREA,
    area_tareas_abiertas,
    areas_de_las_partidas,
    revisiones_unicas_abiertas,
    solicitudes_de_tareas,
    solicitudes_en_revision_con,
)
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.roles import nombre_grupo_area
from estandares.models import Categoria

ERROR_AREAS_SIN_PERMISO = _("Solo una persona administradora mantiene las áreas de revisión.")
ERROR_AREA_SIN_NOMBRE = _("Escriba el nombre del área.")
ERROR_AREA_DUPLICADA = _("Ya existe un área llamada «%(nombre)s»; elija otro nombre.")
ERROR_AREA_MISMO_NOMBRE = _("El área ya se llama «%(nombre)s».")
ERROR_AREA_RETIRADA = _("El área «%(area)s» está retirada: no recibe categorías ni revisiones.")
ERROR_SIN_CATEGORIAS = _("Elija al menos una categoría para asignar al área.")
ERROR_CATEGORIA_EN_REVISION = _(
    "No se movió ninguna categoría: %(area)s revisa ahora solicitudes con partidas de esas "
    "categorías (%(folios)s), y su revisión se quedaría sin ellas. Espere a que concluya."
)
ERROR_AREA_CON_CATEGORIAS = _(
    "«%(area)s» aún tiene categorías (%(n)s): asígnelas a otra área, o elija el área de "
    "destino que las recibe al retirarla."
)
ERROR_AREA_CON_TAREAS = _(
    "«%(area)s» tiene revisiones abiertas en estas solicitudes: %(folios)s. Espere a que "
    "concluyan, o elija el área de destino que las atenderá."
)
ERROR_DESTINO_MISMA_AREA = _("El área de destino debe ser otra, no la que se retira.")
ERROR_DESTINO_YA_REVISA = _(
    "«%(destino)s» ya revisa estas solicitudes: %(folios)s; no puede recibir una segunda "
    "revisión de cada una. Elija otra área de destino o espere a que concluyan."
)
ERROR_YA_RETIRADA = _("El área «%(area)s» ya está retirada.")

# Caches of the areas' names and of the inbox filter (selectors.usuarios, flujos.views).
CACHES_DE_AREAS = ("areas:nombres", "filtros:areas")


class SolicitudesImpiden(ValidationError):
    """A refusal because of requests under way: the page lists them, each with its link."""

    def __init__(self, mensaje, *, code, params, solicitudes):
        params = {**params, "folios": ", ".join(s.folio or f"#{s.pk}" for s in solicitudes)}
        super().__init__(mensaje, code=code, params=params)
        self.solicitudes = solicitudes


def area_crear(*, clave: str, nombre: str) -> Area:
    area = Area(clave=clave, nombre=nombre)
    area.full_clean()
    area.save()
    grupo_de_area(area)
    return area


def grupo_de_area(area: Area) -> Group:
    """The reviewers' group of an area (idempotent, as _grupo_de_ente)."""
    grupo, _creado = Group.objects.get_or_create(name=nombre_grupo_area(area.clave))
    assign_perm("dictamenes.revisar_area", grupo, area)
    return grupo


def _exigir_administrador(por) -> None:
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_AREAS_SIN_PERMISO)


def _nombre_valido(*, nombre: str, area: Area | None = None) -> str:
    nombre = " ".join((nombre or "").split())
    if not nombre:
        raise ValidationError(ERROR_AREA_SIN_NOMBRE, code="sin_nombre")
    otras = Area.objects.filter(nombre__iexact=nombre)
    if area is not None:
        otras = otras.exclude(pk=area.pk)
    if otras.exists():
        raise ValidationError(ERROR_AREA_DUPLICADA, code="duplicada", params={"nombre": nombre})
    return nombre


def _clave_nueva(nombre: str) -> str:
    """The name as a slug, made unique with a number: it never changes after (the reviewers'
    group is named after it)."""
    largo = Area._meta.get_field("clave").max_length
    base = slugify(nombre)[: largo - 4].strip("-") or "area"
    clave, n = base, 2
    while Area.objects.filter(clave=clave).exists():
        clave, n = f"{base}-{n}", n + 1
    return clave


def _olvidar_caches() -> None:
    transaction.on_commit(lambda: cache.delete_many(CACHES_DE_AREAS))


def _bloquear(area: Area) -> Area:
    return Area.objects.select_for_update().get(pk=area.pk)


@transaction.atomic
def area_agregar(*, nombre: str, por, motivo: str = "") -> Area:
    """A new active area, with its reviewers' group; reviewers are granted on it through the
    role service (personas.rol_otorgar) like on any other."""
    _exigir_administrador(por)
    nombre = _nombre_valido(nombre=nombre)
    area = area_crear(clave=_clave_nueva(nombre), nombre=nombre)
    evento_registrar(
        tipo="area_agregada",
        descripcion=f"Área de revisión «{area.nombre}» agregada",
        usuario=por,
        motivo=(motivo or "").strip(),
        datos={"area": area.pk, "clave": area.clave, "nombre": area.nombre},
    )
    _olvidar_caches()
    return area


@transaction.atomic
def area_renombrar(*, area: Area, nombre: str, por, motivo: str = "") -> Area:
    """A new name; the key stays, and every title that names the area reads the new one."""
    _exigir_administrador(por)
    area = _bloquear(area)
    nombre = _nombre_valido(nombre=nombre, area=area)
    if nombre == area.nombre:
        raise ValidationError(
            ERROR_AREA_MISMO_NOMBRE, code="mismo_nombre", params={"nombre": area.nombre}
        )
    anterior, area.nombre = area.nombre, nombre
    area.full_clean()
    area.save(update_fields=["nombre"])
    evento_registrar(
        tipo="area_renombrada",
        descripcion=f"Área de revisión «{anterior}» renombrada «{area.nombre}»",
        usuario=por,
        motivo=(motivo or "").strip(),
        datos={"area": area.pk, "clave": area.clave, "de": anterior, "a": area.nombre},
    )
    _olvidar_caches()
    return area


def _mover_categorias(*, claves, destino: Area) -> list[dict]:
    """Every edition's rows of those keys now belong to `destino`. A published edition refuses
    any save (estandares.models): its text is fixed. The area is not its text but who reviews
    it in this organisation, so the rows are updated in bulk, past that guard, on purpose."""
    movidas = list(
        Categoria.objects.filter(clave__in=claves)
        .exclude(area=destino)
        .values_list("clave", "area__clave")
        .distinct()
        .order_by("clave")
    )
    Categoria.objects.filter(clave__in=claves).exclude(area=destino).update(area=destino)
    return [{"clave": clave, "de": de} for clave, de in movidas]


@transaction.atomic
def categorias_asignar(*, area: Area, claves, por, motivo: str = "") -> list[dict]:
    """The categories of those keys, in every edition, become `area`'s. Refused, whole, when a
    review of a category's current area is open on a request with items in it: that review
    would lose the items and this area, already past that point or not yet there, would not
    review them. Returns what moved, {clave, de}."""
    _exigir_administrador(por)
    area = _bloquear(area)
    if not area.activa:
        raise ValidationError(ERROR_AREA_RETIRADA, code="area_retirada", params={"area": area})
    claves = sorted(set(claves))
    if not claves:
        raise ValidationError(ERROR_SIN_CATEGORIAS, code="sin_categorias")
    # PostgreSQL locks no rows of a DISTINCT query: the areas' ids first, then their rows.
    origenes = set(
        Categoria.objects.filter(clave__in=claves)
        .exclude(area=area)
        .values_list("area_id", flat=True)
    )
    for origen in Area.objects.filter(pk__in=origenes).select_for_update().order_by("pk"):
        if impiden := solicitudes_en_revision_con(claves=claves, area=origen):
            raise SolicitudesImpiden(
                ERROR_CATEGORIA_EN_REVISION,
                code="categoria_en_revision",
                params={"area": origen.nombre},
                solicitudes=impiden,
            )
    movidas = _mover_categorias(claves=claves, destino=area)
    if movidas:
        _revisiones_unicas_al_dia(por=por, motivo=(motivo or "").strip())
        evento_registrar(
            tipo="categorias_asignadas",
            descripcion=f"Categorías asignadas a «{area.nombre}»: "
            + ", ".join(m["clave"] for m in movidas),
            usuario=por,
            motivo=(motivo or "").strip(),
            datos={"area": area.pk, "clave": area.clave, "categorias": movidas},
        )
    return movidas


def _mover_revision(*, solicitud, tareas, origen: Area, destino: Area, por, motivo) -> None:
    """One request's open review of `origen` goes to `destino`: its tasks (whoever may not
    review the destination lets go of it) and its unanswered questions to the agency. One
    event. The process row is locked as every step of the request locks it."""
    ProcesoDictamen.objects.select_for_update().filter(pk=solicitud.proceso.pk).exists()
    liberadas = []
    for tarea in tareas:
        tarea.refresh_from_db()
        tarea.owner_permission_obj_pk = str(destino.pk)
        tarea.data = {**(tarea.data or {}), "area": destino.pk}
        tarea.save(update_fields=["owner_permission_obj_pk", "data"])
        if (
            tarea.owner_id
            and tarea.status == STATUS.ASSIGNED
            and not tarea.owner.has_perm(PERMISO_REVISAR_AREA, destino)
        ):
            liberadas.append(tarea.owner_id)
            tarea.flow_task.activation_class(tarea).unassign()
    preguntas = PeticionInformacion.objects.filter(
        solicitud=solicitud, area=origen, respondida_en__isnull=True
    ).update(area=destino)
    evento_registrar(
        tipo="revision_movida",
        descripcion=f"Revisión técnica de «{origen.nombre}» pasa a «{destino.nombre}»: el área "
        "se retira",
        usuario=por,
        solicitud=solicitud,
        motivo=motivo,
        datos={
            "de": origen.clave,
            "a": destino.clave,
            "tareas": [t.pk for t in tareas],
            "liberadas": liberadas,
            "preguntas": preguntas,
        },
    )


def _revisiones_unicas_al_dia(*, por, motivo: str, origen: Area | None = None, destino=None):
    """The open fast-track single reviews are shared by the areas of their request's items as
    they are now (issue 47): after categories moved, or an area retired into another, the
    destination's reviewers may take them and the origin's no longer. One event per request
    whose list changed. Whoever holds one and reviews none of its areas now lets go of it,
    and the retired `origen`'s unanswered questions go to `destino`, as in _mover_revision
    (which moves a review whose own area retires)."""
    tareas = list(revisiones_unicas_abiertas().select_related("owner"))
    ahora = areas_de_las_partidas(procesos=[t.process_id for t in tareas])
    claves = dict(Area.objects.values_list("pk", "clave"))
    for tarea in tareas:
        antes = [int(pk) for pk in tarea.data.get("areas") or []]
        nuevas = ahora.get(tarea.process_id, [])
        if not nuevas or sorted(nuevas) == sorted(antes):
            continue
        proceso = ProcesoDictamen.objects.select_for_update().get(pk=tarea.process_id)
        tarea.refresh_from_db()
        tarea.data = {**tarea.data, "areas": nuevas}
        tarea.save(update_fields=["data"])
        liberada = None
        if (
            tarea.owner_id
            and tarea.status == STATUS.ASSIGNED
            and not any(
                tarea.owner.has_perm(PERMISO_REVISAR_AREA, area)
                for area in Area.objects.filter(pk__in=nuevas)
            )
        ):
            liberada = tarea.owner_id
            tarea.flow_task.activation_class(tarea).unassign()
        preguntas = 0
        if origen is not None and destino is not None:
            preguntas = PeticionInformacion.objects.filter(
                solicitud=proceso.solicitud, area=origen, respondida_en__isnull=True
            ).update(area=destino)
        nombres = ", ".join(Area.objects.filter(pk__in=nuevas).values_list("nombre", flat=True))
        evento_registrar(
            tipo="revision_areas",
            descripcion=f"La revisión técnica única la comparten ahora: {nombres}",
            usuario=por,
            solicitud=proceso.solicitud,
            motivo=motivo,
            datos={
                "tarea": tarea.pk,
                "de": sorted(claves[pk] for pk in antes if pk in claves),
                "a": sorted(claves[pk] for pk in nuevas),
                "liberada": liberada,
                "preguntas": preguntas,
            },
        )


@transaction.atomic
def area_retirar(*, area: Area, por, motivo: str = "", destino: Area | None = None) -> Area:
    """The area stops receiving categories and reviews; its past reviews keep its name.

    Without `destino`, refused while it has categories or open review tasks (with the list of
    those requests). With `destino`, its categories, its open tasks (one event per request)
    and the devoluciones to it move there first, in this same transaction."""
    _exigir_administrador(por)
    area = _bloquear(area)
    motivo = (motivo or "").strip()
    if not area.activa:
        raise ValidationError(ERROR_YA_RETIRADA, code="ya_retirada", params={"area": area})
    tareas = list(area_tareas_abiertas(area=area).select_related("owner"))
    claves = sorted(set(area.categorias.values_list("clave", flat=True)))
    if destino is None:
        # The requests first: they say who waits, and their review holds the categories too.
        if tareas:
            raise SolicitudesImpiden(
                ERROR_AREA_CON_TAREAS,
                code="con_tareas",
                params={"area": area.nombre},
                solicitudes=solicitudes_de_tareas(area_tareas_abiertas(area=area)),
            )
        if claves:
            raise ValidationError(
                ERROR_AREA_CON_CATEGORIAS,
                code="con_categorias",
                params={"area": area.nombre, "n": len(claves)},
            )
    else:
        if destino.pk == area.pk:
            raise ValidationError(ERROR_DESTINO_MISMA_AREA, code="destino_misma")
        destino = _bloquear(destino)
        if not destino.activa:
            raise ValidationError(
                ERROR_AREA_RETIRADA, code="area_retirada", params={"area": destino}
            )
        ya_revisa = area_tareas_abiertas(area=destino).filter(
            process_id__in=[t.process_id for t in tareas]
        )
        if tareas and ya_revisa.exists():
            raise SolicitudesImpiden(
                ERROR_DESTINO_YA_REVISA,
                code="destino_ya_revisa",
                params={"destino": destino.nombre},
                solicitudes=solicitudes_de_tareas(ya_revisa),
            )
    movidas = _mover_categorias(claves=claves, destino=destino) if destino else []
    por_solicitud = {}
    for tarea in tareas:
        por_solicitud.setdefault(tarea.process_id, []).append(tarea)
    for solicitud in solicitudes_de_tareas(area_tareas_abiertas(area=area)):
        _mover_revision(
            solicitud=solicitud,
            tareas=por_solicitud[solicitud.proceso.pk],
            origen=area,
            destino=destino,
            por=por,
            motivo=motivo,
        )
    if destino is not None:
        # A request sent back to this area names it until the strategic decision (its
        # re-review open or concluded): the re-review, and its title, go to the destination.
        for proceso in (
            ProcesoDictamen.objects.select_for_update()
            .filter(area_devuelta=area)
            .exclude(status__in=(STATUS.DONE, STATUS.CANCELED))
        ):
            proceso.area_devuelta = destino
            proceso.save(update_fields=["area_devuelta"])
        _revisiones_unicas_al_dia(por=por, motivo=motivo, origen=area, destino=destino)
    area.activa = False
    area.save(update_fields=["activa"])
    evento_registrar(
        tipo="area_retirada",
        descripcion=f"Área de revisión «{area.nombre}» retirada"
        + (f"; sus categorías y revisiones pasan a «{destino.nombre}»" if destino else ""),
        usuario=por,
        motivo=motivo,
        datos={
            "area": area.pk,
            "clave": area.clave,
            "destino": destino.clave if destino else None,
            "categorias": movidas,
            "solicitudes": len(por_solicitud),
        },
    )
    _olvidar_caches()
    return area
