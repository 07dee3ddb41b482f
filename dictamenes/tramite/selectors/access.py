"""Who may see a request and who may act on it: taking a step (separation of duties for a
flow step, impedimento_de; the role; a substitution), the requests a person may see, and
access helpers that return the object or raise the same 404 for "missing" and "not yours"
(after Zulip's access_* helpers).

Separation of duties itself (the table SEPARACION, impedimento, sin_impedimento) and who acts
for an agency are dictamenes.separacion's, below senales, which asks the rule too: re-exported
here, the names the procedure's doors call them by (access.impedimento, access.FIRMAR)."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from viewflow.workflow.models import Task

from dictamenes import exceptions
from dictamenes.comun import consultas
from dictamenes.flow_port import Nodo
from dictamenes.models import Solicitud
from dictamenes.organizacion.selectors.usuarios import es_interno
from dictamenes.separacion.regla import (
    ADMITE,
    ATENDER,
    ATENDER_SENAL,
    CANCELAR,
    CANCELAR_SOLICITUD,
    DECIDE,
    DECIDIR,
    DECISORES,
    ERROR_VIA_SIN_PERMISO,
    FIRMAR,
    PASAR_A_COMPLETA,
    PROPONER,
    RECTIFICAR,
    REVISAR,
    REVISORES,
    SEPARACION,
    VERIFICAR,
    VERIFICAR_CONTRATO,
    Separacion,
    exigir_ajeno_al_ente,
    impedimento,
    sin_impedimento,
)
from dictamenes.separacion.requirentes import (
    PERMISO_REQUIRENTE,
    entes_de_requirente,
    es_requirente_de,
    exigir_requirente,
)
from dictamenes.suplencias.selectors import titulares_suplidos

# What the procedure's doors ask of separation of duties and of the requirentes, by the names
# they always called them (the rule is dictamenes.separacion's).
__all__ = [
    "ADMITE",
    "ATENDER",
    "ATENDER_SENAL",
    "CANCELAR",
    "CANCELAR_SOLICITUD",
    "DECIDE",
    "DECIDIR",
    "DECISORES",
    "ERROR_VIA_SIN_PERMISO",
    "FIRMAR",
    "PASAR_A_COMPLETA",
    "PROPONER",
    "RECTIFICAR",
    "REVISAR",
    "REVISORES",
    "SEPARACION",
    "VERIFICAR",
    "VERIFICAR_CONTRATO",
    "Separacion",
    "exigir_ajeno_al_ente",
    "impedimento",
    "sin_impedimento",
    "PERMISO_REQUIRENTE",
    "entes_de_requirente",
    "es_requirente_de",
    "exigir_requirente",
]


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


def dictamenes_publicos():
    """Every issued dictamen, for anyone, newest first. The rows shown are built by
    datos_abiertos.filas, which selects no personal data at all."""
    from dictamenes.models import Dictamen

    return Dictamen.objects.order_by("-emitido_en", "-id")
