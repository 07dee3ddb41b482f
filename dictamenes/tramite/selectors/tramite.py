"""Reads of the procedure: open steps and who holds them, deadlines, the request's areas and
amounts, the reviewers and deciders of a request, and what each person may see."""

import datetime
import functools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models import QuerySet
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dictamenes import exceptions
from dictamenes.comun import cache, consultas
from dictamenes.flow_port import Nodo
from dictamenes.models import (
    Area,
    Ente,
    EventoAuditoria,
    Partida,
    PlazoEtapa,
    ProcesoDictamen,
    RevisionArea,
    Solicitud,
    Sustitucion,
)
from dictamenes.models.vias import ConfiguracionVias, Via
from dictamenes.montos import pesos
from dictamenes.organizacion.selectors import calendario
from dictamenes.organizacion.selectors.usuarios import con_permiso, es_interno, nombre_de_area

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


def vencimiento_de(*, tarea) -> datetime.datetime | None:
    valor = (tarea.data or {}).get("vence")
    return datetime.datetime.fromisoformat(valor) if valor else None


def plazo_de(*, tarea, ahora, calendario_) -> dict:
    """A task's due date, traffic light and business days left, as the pages show them.
    A finished task, or one without a deadline, has no light."""
    vence = vencimiento_de(tarea=tarea)
    if vence is None or tarea.finished:
        return {"vence": vence, "semaforo": "", "restantes": None}
    return {
        "vence": vence,
        "semaforo": calendario.semaforo(vence=vence, ahora=ahora, calendario=calendario_),
        "restantes": calendario.dias_restantes(vence=vence, ahora=ahora, calendario=calendario_),
    }


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


def titulares_suplidos(*, usuario) -> list[int]:
    """Ids of the people `usuario` stands in for today."""
    if usuario.pk is None:
        return []
    return [
        titular for (titular,) in consultas.filas(_suplidos_por, usuario.pk, timezone.localdate())
    ]


def _suplidos_por(suplente: int, hoy: datetime.date):
    return Sustitucion.objects.filter(
        suplente_id=suplente, desde__lte=hoy, hasta__gte=hoy
    ).values_list("titular_id")


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


def revisores_de(*, solicitud) -> set[int]:
    return set(
        RevisionArea.objects.filter(solicitud=solicitud).values_list("revisor_id", flat=True)
    )


# The events of those who decide a request's content: the strategic decision, a send-back
# to an area, and a proposed rectification of the dictamen.
DECISIONES = ("decision_estrategica", "devolucion_area", "propuesta_rectificacion")


def decisores_de(*, solicitud) -> set[int]:
    return set(
        EventoAuditoria.objects.filter(solicitud=solicitud, tipo__in=DECISIONES).values_list(
            "usuario_id", flat=True
        )
    )


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


PERMISO_REVISAR = "dictamenes.revisar_area"


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


def montos_de(*, solicitud, partidas=None) -> dict:
    """The declared total against the sum of the items (quantity × unit price), and the
    difference, so that a wrong total is seen before presenting and by the mesa de control.

    `partidas`: the request's items when the caller already loaded them (all of them); the
    sum is then made here, exactly, with no query."""
    if partidas is None:
        suma = Partida.objects.filter(solicitud=solicitud).aggregate(
            total=models.Sum(models.F("cantidad") * models.F("precio_unitario"))
        )["total"]
    else:
        suma = sum((p.cantidad * p.precio_unitario for p in partidas), Decimal(0))
    suma = (suma or Decimal(0)).quantize(Decimal("0.01"))
    declarado = solicitud.monto_estimado or Decimal(0)
    return {
        "declarado": declarado,
        "partidas": suma,
        "diferencia": declarado - suma,
        "hay_partidas": suma > 0,
    }


def monto_no_cuadra(*, solicitud, partidas=None) -> ValidationError | None:
    """The refusal when the declared total disagrees with the items (issue 59, item 5): the
    track and the split check read the items, so presenting a request, or returning it
    corrected from a prevención, with a total that says otherwise is refused; None when they
    agree or there is no item yet (ERROR_SIN_PARTIDAS says that)."""
    montos = montos_de(solicitud=solicitud, partidas=partidas)
    if not montos["hay_partidas"] or not montos["diferencia"]:
        return None
    return ValidationError(
        exceptions.ERROR_MONTO_NO_CUADRA,
        code="monto_no_cuadra",
        params={"declarado": pesos(montos["declarado"]), "partidas": pesos(montos["partidas"])},
    )


def decision_vigente(*, solicitud, eventos=None) -> EventoAuditoria | None:
    """The latest strategic decision. `eventos`: the request's events, if already loaded."""
    if eventos is not None:
        decisiones = [e for e in eventos if e.tipo == "decision_estrategica"]
        return max(decisiones, key=lambda e: (e.ocurrido_en, e.pk), default=None)
    return (
        EventoAuditoria.objects.filter(solicitud=solicitud, tipo="decision_estrategica")
        .order_by("-ocurrido_en", "-id")
        .first()
    )


def propuesta_pendiente(*, dictamen, eventos=None) -> EventoAuditoria | None:
    """The rectification of `dictamen` that the Dirección General proposed and no firmante has
    signed yet: the latest proposal for it, while it is in force (a rectification or a
    cancellation ends it). `eventos`: the request's events, if already loaded."""
    if dictamen is None or dictamen.cancelado_en is not None:
        return None
    if eventos is None:
        eventos = EventoAuditoria.objects.filter(
            solicitud_id=dictamen.solicitud_id, tipo="propuesta_rectificacion"
        )
    propuestas = [
        e
        for e in eventos
        if e.tipo == "propuesta_rectificacion" and (e.datos or {}).get("dictamen") == dictamen.pk
    ]
    return max(propuestas, key=lambda e: (e.ocurrido_en, e.pk), default=None)


CIERRES = ("desistimiento", "cancelacion_solicitud")


def cierre_de(*, solicitud, eventos=None) -> EventoAuditoria | None:
    """How a request closed early (desistimiento or cancelación), or None."""
    if solicitud.estado not in CERRADA_ANTES:
        return None
    if eventos is None:
        eventos = EventoAuditoria.objects.filter(solicitud=solicitud, tipo__in=CIERRES)
    return next((e for e in eventos if e.tipo in CIERRES), None)


def entes_visibles(*, usuario) -> list[int] | None:
    """The agencies whose requests the person may see: a requirente, its own agencies only;
    the Subsecretaría and auditors, every agency (None); nobody signed in, none."""
    if not usuario.is_authenticated:
        return []
    if es_interno(usuario=usuario):
        return None
    return entes_de_requirente(usuario=usuario)


def solicitudes_visibles(*, usuario) -> QuerySet:
    """Requests the person may see, scoped in SQL by agency (entes_visibles)."""
    entes = entes_visibles(usuario=usuario)
    if entes is None:
        return Solicitud.objects.all()
    # The agencies are read first: given as a subquery, PostgreSQL cannot tell that it yields
    # one agency and counts and sorts every request of every agency.
    return Solicitud.objects.filter(ente__in=entes) if entes else Solicitud.objects.none()


def entes_de_requirente(*, usuario, version: int | None = None) -> list[int]:
    """The agencies the person acts for as requirente (guardian's object permission, held by
    the agency's group), read once per request and user object; with `version` (the data's,
    already read by the page), kept per version: a role, an agency and its group change
    only through doors that write an event."""
    if not hasattr(usuario, "_entes_requirente"):
        usuario._entes_requirente = (
            _entes_requirente_leer(usuario)
            if version is None or not usuario.is_authenticated
            else cache.memorizar_en(
                version,
                "entes-requirente",
                usuario.pk,
                usuario.is_superuser,
                calcular=lambda: _entes_requirente_leer(usuario),
            )
        )
    return usuario._entes_requirente


PERMISO_REQUIRENTE = "actuar_como_requirente"


@functools.cache
def _consulta_entes_requirente(alias_bd: str) -> str:
    """Plain SQL (SQLite and PostgreSQL), built once from the models, for what guardian's
    get_objects_for_user(usuario, "dictamenes.actuar_como_requirente", klass=Ente,
    accept_global_perms=False) answers for a person who is not a superuser: the agencies on
    which the person, or one of their groups, holds the permission. guardian built that query
    anew on every requirente's page (1.4 ms of Python; the database answers in a tenth).
    Parameters: the person's id twice, the codename, Ente's content type."""
    q = connections[alias_bd].ops.quote_name
    usuario = get_user_model()
    m2m_grupos = usuario._meta.get_field("groups")
    ug, ug_usuario, ug_grupo = (
        m2m_grupos.m2m_db_table(),
        m2m_grupos.m2m_column_name(),
        m2m_grupos.m2m_reverse_name(),
    )
    ente_pk = q(Ente._meta.pk.column)

    def columna(modelo, campo):
        return q(modelo._meta.get_field(campo).column)

    def de(modelo, quien, unir=""):
        return (
            f"SELECT o.{columna(modelo, 'object_pk')} FROM {q(modelo._meta.db_table)} o "  # noqa: S608
            f"JOIN {q(Permission._meta.db_table)} p "
            f"ON p.{q(Permission._meta.pk.column)} = o.{columna(modelo, 'permission')} {unir}"
            f"WHERE {quien} = %s AND p.{columna(Permission, 'codename')} = %s "
            f"AND p.{columna(Permission, 'content_type')} = %s "
            f"AND o.{columna(modelo, 'content_type')} = %s"
        )

    return (
        f"SELECT e.{ente_pk} FROM {q(Ente._meta.db_table)} e "  # noqa: S608 (names from the models)
        f"WHERE CAST(e.{ente_pk} AS VARCHAR(40)) IN ("
        f"{de(UserObjectPermission, 'o.' + columna(UserObjectPermission, 'user'))} UNION "
        + de(
            GroupObjectPermission,
            f"ug.{q(ug_usuario)}",
            f"JOIN {q(ug)} ug ON ug.{q(ug_grupo)} = o.{columna(GroupObjectPermission, 'group')} ",
        )
        + f") ORDER BY e.{ente_pk}"
    )


def _entes_requirente_leer(usuario) -> list[int]:
    if usuario.is_superuser:
        # guardian's answer for a superuser: every agency.
        return list(Ente.objects.order_by("pk").values_list("pk", flat=True))
    if not usuario.is_authenticated:
        return []
    alias = router.db_for_read(Ente)
    tipo = ContentType.objects.db_manager(alias).get_for_model(Ente).pk
    de_cada = [PERMISO_REQUIRENTE, tipo, tipo]
    with connections[alias].cursor() as cursor:
        cursor.execute(
            _consulta_entes_requirente(alias), [usuario.pk, *de_cada, usuario.pk, *de_cada]
        )
        return [fila[0] for fila in cursor.fetchall()]


def dictamenes_publicos():
    """Every issued dictamen, for anyone, newest first. The rows shown are built by
    datos_abiertos.filas, which selects no personal data at all."""
    from dictamenes.models import Dictamen

    return Dictamen.objects.order_by("-emitido_en", "-id")


EDITABLE = (Solicitud.Estado.BORRADOR, Solicitud.Estado.PREVENIDA)


# Closed early, without a dictamen, with a reason in the chain: the agency withdrew it or the
# Subsecretaría cancelled it.
CERRADA_ANTES = (Solicitud.Estado.DESISTIDA, Solicitud.Estado.CANCELADA)

# A request is attended when its procedure ends: a dictamen issued, or closed without one
# (desechada, desistida, cancelada); like a desechada, a request withdrawn or cancelled is no
# longer pending, and the indicator counts it as attended.
ATENDIDA = (Solicitud.Estado.DICTAMINADA, Solicitud.Estado.DESECHADA, *CERRADA_ANTES)

# Presented and not yet concluded: what may still be withdrawn or cancelled.
EN_TRAMITE = (
    Solicitud.Estado.ADMISION,
    Solicitud.Estado.PREVENIDA,
    Solicitud.Estado.REVISION_TECNICA,
    Solicitud.Estado.REVISION_ESTRATEGICA,
    Solicitud.Estado.FIRMA,
)


def abiertas_primero(solicitudes: QuerySet) -> QuerySet:
    """The requests in the order people work from: the open ones first (drafts, prevenidas,
    in review…), then the concluded ones; newest first within each. The order of an index
    (solicitud_abiertas_primero_idx): a page of it reads 25 rows, not the whole history."""
    return solicitudes.order_by("concluida", "-creada_en", "-id")


PLAZOS_POR_OMISION = {
    PlazoEtapa.Etapa.ADMISION: 2,
    PlazoEtapa.Etapa.SUBSANAR: 5,
    PlazoEtapa.Etapa.REVISION_AREA: 5,
    PlazoEtapa.Etapa.REVISION_ESTRATEGICA: 3,
    PlazoEtapa.Etapa.FIRMA: 2,
}


ETAPA_DE_NODO = {
    "admision": PlazoEtapa.Etapa.ADMISION,
    "subsanar": PlazoEtapa.Etapa.SUBSANAR,
    "revision_estrategica": PlazoEtapa.Etapa.REVISION_ESTRATEGICA,
    "firma": PlazoEtapa.Etapa.FIRMA,
}


def plazo_de_via(*, tarea, etapa: str, solicitud) -> int | None:
    """The fast track's own deadline for the task, in business days, from the tracks' version
    that put the request on it: its single technical review and its strategic review. None
    where the stage's deadline applies (plazo_dias)."""
    if solicitud.via != Via.RAPIDA:
        return None
    config = solicitud.via_config or ConfiguracionVias.objects.vigentes()
    if etapa == PlazoEtapa.Etapa.REVISION_AREA and es_revision_unica(tarea=tarea):
        return config.dias_revision_rapida
    if etapa == PlazoEtapa.Etapa.REVISION_ESTRATEGICA:
        return config.dias_estrategica_rapida
    return None


def plazos_dias(*, etapas) -> dict[str, int]:
    """Each stage's deadline in business days: the one the office set, or the default. One
    query for all of them."""
    fijados = dict(PlazoEtapa.objects.filter(etapa__in=etapas).values_list("etapa", "dias_habiles"))
    return {etapa: fijados.get(etapa, PLAZOS_POR_OMISION[etapa]) for etapa in etapas}


def plazo_dias(*, etapa: str) -> int:
    return plazos_dias(etapas=[etapa])[etapa]


def etapa_de(*, tarea) -> str | None:
    nombre = tarea.flow_task.name
    if Nodo.es_revision_de_area(nombre) or nombre == Nodo.RE_REVISION:
        return PlazoEtapa.Etapa.REVISION_AREA
    return ETAPA_DE_NODO.get(nombre)
