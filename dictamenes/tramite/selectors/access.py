"""Who may see a request and who may act on it: separation of duties (one rule, impedimento,
with its query form), taking a step, the requests a person may see, and access helpers that
return the object or raise the same 404 for "missing" and "not yours" (after Zulip's access_*
helpers)."""

import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermission, UserObjectPermission
from viewflow.workflow.models import Task

from dictamenes import exceptions
from dictamenes.comun import cache, consultas
from dictamenes.flow_port import Nodo
from dictamenes.models import (
    Ente,
    Solicitud,
)
from dictamenes.organizacion.selectors.usuarios import es_interno
from dictamenes.suplencias.selectors import titulares_suplidos
from dictamenes.tramite.selectors.implicados import (
    decididas_por,
    decisores_de,
    revisadas_por,
    revisores_de,
)

# --- Separation of duties: one rule, the action as a parameter ------------------------------
# Who may not act on a request, whatever the action: a superuser (the account administers the
# server and takes no part in the procedure), anyone of the request's agency (nobody judges
# their own), and, for some actions, whoever took part earlier in its content (who reviews
# does not decide, who decides does not review, neither signs). Each action says only its
# words, the role it needs when the rule itself checks one, and which earlier part bars it.
# docs/desarrollo/separacion.md states the rule; tests/dictamenes/tramite/test_separacion.py
# holds its table of cases, checked against impedimento and its query form alike.

ATENDER = "atender"  # a step of the Subsecretaría's with no earlier part barred (admission)
REVISAR = "revisar"  # an area's technical review, or a re-review
DECIDIR = "decidir"  # the strategic review
FIRMAR = "firmar"  # sign the dictamen
CANCELAR = "cancelar"  # cancel the dictamen in force
RECTIFICAR = "rectificar"  # sign a rectification of it
PROPONER = "proponer"  # the Dirección General proposes a rectification
CANCELAR_SOLICITUD = "cancelar_solicitud"  # the Dirección General cancels the request
VERIFICAR = "verificar"  # verify the evidence of a dictamen's condition
# Check a contract recorded under the dictamen against its document (issue 76): from then on
# its price enters the reference. Never whoever decided the request's items, their price
# among them (issue 93, item 6): they would confirm the price they approved.
VERIFICAR_CONTRATO = "verificar_contrato"
# The mesa de control moves a fast-track request to the full track (issue 36): not a flow
# step, so the rule checks its role (issue 92, item 1).
PASAR_A_COMPLETA = "pasar_a_completa"

REVISORES, DECISORES = "revisores", "decisores"
DECIDE = "dictamenes.decidir_solicitud"
ADMITE = "dictamenes.admitir_solicitud"
# What the door (tramite.services.vias.via_pasar_a_completa) and the page say.
ERROR_VIA_SIN_PERMISO = _("Solo la mesa de control pasa una solicitud a la vía completa.")


@dataclass(frozen=True)
class Separacion:
    """What keeps a person from one action: the words for someone of the request's agency;
    which earlier part bars it (REVISORES, DECISORES) and the words for them; and the role
    the rule checks itself (`permiso`, with its words), when the action is not a flow step
    whose role viewflow checks."""

    mismo_ente: str
    implicados: frozenset = frozenset()
    implicado: str | None = None
    permiso: str | None = None
    sin_permiso: str | None = None


SEPARACION = {
    ATENDER: Separacion(exceptions.ERROR_MISMO_ENTE),
    REVISAR: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({DECISORES}),
        exceptions.ERROR_ESTRATEGICO_Y_REVISOR,
    ),
    DECIDIR: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({REVISORES}),
        exceptions.ERROR_REVISOR_Y_ESTRATEGICO,
    ),
    FIRMAR: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({REVISORES, DECISORES}),
        exceptions.ERROR_FIRMA_REVISOR,
    ),
    CANCELAR: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({REVISORES, DECISORES}),
        exceptions.ERROR_DICTAMEN_REVISOR,
    ),
    RECTIFICAR: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({REVISORES, DECISORES}),
        exceptions.ERROR_DICTAMEN_REVISOR,
    ),
    PROPONER: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({REVISORES}),
        exceptions.ERROR_PROPONE_REVISOR,
        DECIDE,
        exceptions.ERROR_NO_PROPONE,
    ),
    CANCELAR_SOLICITUD: Separacion(
        exceptions.ERROR_CANCELA_MISMO_ENTE,
        frozenset({REVISORES}),
        exceptions.ERROR_CANCELA_REVISOR,
        DECIDE,
        exceptions.ERROR_NO_CANCELA,
    ),
    VERIFICAR: Separacion(exceptions.ERROR_MISMO_ENTE),
    VERIFICAR_CONTRATO: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({DECISORES}),
        exceptions.ERROR_CONTRATO_DECIDIDO,
    ),
    PASAR_A_COMPLETA: Separacion(
        exceptions.ERROR_MISMO_ENTE, permiso=ADMITE, sin_permiso=ERROR_VIA_SIN_PERMISO
    ),
}


def _del_ente(usuario, ente_id) -> bool:
    perfil = getattr(usuario, "perfil", None)
    return perfil is not None and perfil.ente_id is not None and perfil.ente_id == ente_id


def impedimento(*, usuario, solicitud, accion: str, revisores=None, decisores=None) -> str | None:
    """THE separation of duties, written once and called by every place that checks it (after
    saleor's Order.can_cancel): why the person may not take `accion` on the request, or None.
    In this order: a superuser never; without the action's role (when SEPARACION names one),
    not; anyone of the request's agency, never; then whoever took the earlier part the action
    names. The dictamen's or the condition's state, the e.firma and the flow step's role are
    the callers' to check. `revisores`, `decisores`: the ids of the request's technical
    reviewers and of who decided its content, when the caller read them (implicados)."""
    regla = SEPARACION[accion]
    if usuario.is_superuser:
        return exceptions.ERROR_SUPERUSUARIO
    if regla.permiso and not usuario.has_perm(regla.permiso):
        return regla.sin_permiso
    if _del_ente(usuario, solicitud.ente_id):
        return regla.mismo_ente
    if REVISORES in regla.implicados and usuario.pk in (
        revisores_de(solicitud=solicitud) if revisores is None else revisores
    ):
        return regla.implicado
    if DECISORES in regla.implicados and usuario.pk in (
        decisores_de(solicitud=solicitud) if decisores is None else decisores
    ):
        return regla.implicado
    return None


def sin_impedimento(*, usuario, accion: str, solicitud: str = "") -> Q:
    """impedimento as a query: the condition that keeps exactly the requests on which the
    person may take `accion`, for a list that shows only those (pendientes). `solicitud`: the
    lookup from the listed model to its request ("dictamen__solicitud"), "" for Solicitud
    itself. The table of cases (tests/dictamenes/tramite/test_separacion.py) checks both
    forms on every case."""
    regla = SEPARACION[accion]
    if usuario.is_superuser or (regla.permiso and not usuario.has_perm(regla.permiso)):
        return Q(pk__in=[])
    prefijo = f"{solicitud}__" if solicitud else ""
    condicion = Q()
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.ente_id is not None:
        condicion &= ~Q(**{f"{prefijo}ente_id": perfil.ente_id})
    if REVISORES in regla.implicados:
        condicion &= ~Q(**{f"{prefijo}pk__in": revisadas_por(usuario=usuario)})
    if DECISORES in regla.implicados:
        condicion &= ~Q(**{f"{prefijo}pk__in": decididas_por(usuario=usuario)})
    return condicion


def impedimento_de(*, usuario, tarea, solicitud, revisores=None, decisores=None) -> str | None:
    """Why separation of duties keeps the person from a task's step, as the services enforce
    it on execution; None when nothing does: impedimento, with the step's action
    (accion_de_paso). The agency's own step (subsanar) is theirs: only a superuser is kept
    from it."""
    accion = accion_de_paso(tarea.flow_task.name)
    if accion is None:
        return exceptions.ERROR_SUPERUSUARIO if usuario.is_superuser else None
    return impedimento(
        usuario=usuario,
        solicitud=solicitud,
        accion=accion,
        revisores=revisores,
        decisores=decisores,
    )


def accion_de_paso(nombre: str) -> str | None:
    """The action a flow step is, for separation of duties; None for the agency's own step."""
    if nombre == Nodo.SUBSANAR:
        return None
    if nombre == Nodo.FIRMA:
        return FIRMAR
    if nombre == Nodo.REVISION_ESTRATEGICA:
        return DECIDIR
    if Nodo.es_revision_de_area(nombre) or nombre == Nodo.RE_REVISION:
        return REVISAR
    return ATENDER


def puede_atender(*, usuario, tarea, solicitud, revisores=None, decisores=None) -> bool:
    return (
        impedimento_de(
            usuario=usuario,
            tarea=tarea,
            solicitud=solicitud,
            revisores=revisores,
            decisores=decisores,
        )
        is None
    )


def tiene_rol_de(*, usuario, tarea) -> bool:
    """Whether the person holds the role that attends the task, whoever owns it now."""
    # can_assign refuses any task that already has an owner; ask about an unowned copy.
    libre = Task(
        owner_permission=tarea.owner_permission,
        process=tarea.process,
        flow_task=tarea.flow_task,
        data=tarea.data,
    )
    return tarea.flow_task.can_assign(usuario, libre)


def puede_tomar(*, usuario, tarea) -> bool:
    """The person holds the task's role, or stands in today for someone who does. Never a
    superuser, whom Django would let take any task."""
    if usuario.is_superuser:
        return False
    if tarea.flow_task.can_assign(usuario, tarea):
        return True
    User = get_user_model()
    return any(
        tarea.flow_task.can_assign(titular, tarea)
        for titular in User.objects.filter(pk__in=titulares_suplidos(usuario=usuario))
    )


def es_requirente_de(*, usuario, solicitud, version: int | None = None) -> bool:
    # The same guardian permission as has_perm on the agency, from the list the request's
    # scoping already read (one query per request, not one per check; kept per `version`).
    return (
        usuario.is_authenticated
        and usuario.is_active
        and solicitud.ente_id in entes_de_requirente(usuario=usuario, version=version)
    )


def exigir_requirente(*, usuario, solicitud) -> None:
    if not es_requirente_de(usuario=usuario, solicitud=solicitud):
        raise PermissionDenied(exceptions.ERROR_NO_ES_DE_SU_ENTE)


def exigir_ajeno_al_ente(*, usuario, solicitud) -> None:
    """The agency's part of separation of duties alone (impedimento's second test), for the
    doors whose other checks come apart: admission, the track, a reassignment, a contract."""
    if _del_ente(usuario, solicitud.ente_id):
        raise PermissionDenied(exceptions.ERROR_MISMO_ENTE)


def solicitud_para(*, usuario, pk: int):
    """The request, or 404 whether it does not exist or is not the person's to see
    (entes_visibles, the rule solicitudes_visibles scopes lists by). Read with a
    query compiled once (comun.consultas): every request's page and action reads it."""
    from django.http import Http404

    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    entes = entes_visibles(usuario=usuario)
    leidas = consultas.instancias(_con_ente_y_autor, pk) if entes != [] else []
    if not leidas or (entes is not None and leidas[0].ente_id not in entes):
        raise Http404
    return leidas[0]


def _con_ente_y_autor(pk: int):
    return Solicitud.objects.filter(pk=pk).select_related("ente", "creada_por")


# --- Visibility: the requests a person may see ---------------------------------------------


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
