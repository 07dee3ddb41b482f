"""Who may act on what. Predicates of separation of duties and of taking a step, and access
helpers that return the object or raise the same 404 for "missing" and "not yours"
(after Zulip's access_* helpers)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from viewflow.workflow.models import Task

from dictamenes import exceptions
from dictamenes.comun import consultas
from dictamenes.flow_port import Nodo
from dictamenes.models import (
    Solicitud,
)
from dictamenes.tramite.selectors.tramite import (
    decisores_de,
    entes_de_requirente,
    entes_visibles,
    revisores_de,
    titulares_suplidos,
)


def impedimento_de(*, usuario, tarea, solicitud, revisores=None, decisores=None) -> str | None:
    """Why separation of duties keeps the person from a task's step, as the services enforce
    it on execution; None when nothing does. `revisores` and `decisores`: the ids of the
    request's technical reviewers and of who decided its content, when the caller read them
    (revisores_de, decisores_de)."""
    if usuario.is_superuser:
        return exceptions.ERROR_SUPERUSUARIO
    nombre = tarea.flow_task.name
    if nombre == Nodo.SUBSANAR:
        return None  # the agency's own step
    if nombre == Nodo.FIRMA:
        return impedimento_del_firmante(usuario=usuario, solicitud=solicitud, accion=FIRMAR)
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.ente_id == solicitud.ente_id:
        return exceptions.ERROR_MISMO_ENTE
    if nombre == Nodo.REVISION_ESTRATEGICA and usuario.pk in (
        revisores_de(solicitud=solicitud) if revisores is None else revisores
    ):
        return exceptions.ERROR_REVISOR_Y_ESTRATEGICO
    es_revision = Nodo.es_revision_de_area(nombre)
    if (es_revision or nombre == Nodo.RE_REVISION) and usuario.pk in (
        decisores_de(solicitud=solicitud) if decisores is None else decisores
    ):
        return exceptions.ERROR_ESTRATEGICO_Y_REVISOR
    return None


def impedimento_de_la_direccion(*, usuario, solicitud, accion: str, revisores=None) -> str | None:
    """Why the person may not act for the Dirección General on this request (`accion`:
    "cancelar" the request or "proponer" a rectification of its dictamen): it takes the
    strategic reviewer's role, someone outside the request's agency, and not one of its
    technical reviewers, as deciding it does. None when nothing keeps them. `revisores`: the
    ids of its reviewers, when the caller has them."""
    rol, ente, revisor = {
        "cancelar": (
            exceptions.ERROR_NO_CANCELA,
            exceptions.ERROR_CANCELA_MISMO_ENTE,
            exceptions.ERROR_CANCELA_REVISOR,
        ),
        "proponer": (
            exceptions.ERROR_NO_PROPONE,
            exceptions.ERROR_MISMO_ENTE,
            exceptions.ERROR_PROPONE_REVISOR,
        ),
    }[accion]
    if usuario.is_superuser:
        return exceptions.ERROR_SUPERUSUARIO
    if not usuario.has_perm("dictamenes.decidir_solicitud"):
        return rol
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.ente_id == solicitud.ente_id:
        return ente
    if revisores is None:
        revisores = revisores_de(solicitud=solicitud)
    if usuario.pk in revisores:
        return revisor
    return None


# What a firmante does with a request's dictamen (impedimento_del_firmante's `accion`).
FIRMAR = "firmar"
CANCELAR = "cancelar"
RECTIFICAR = "rectificar"
_ERROR_IMPLICADO = {
    FIRMAR: exceptions.ERROR_FIRMA_REVISOR,
    CANCELAR: exceptions.ERROR_DICTAMEN_REVISOR,
    RECTIFICAR: exceptions.ERROR_DICTAMEN_REVISOR,
}


def impedimento_del_firmante(*, usuario, solicitud, accion: str, implicados=None) -> str | None:
    """THE separation of duties of whoever signs (`accion` FIRMAR), cancels (CANCELAR) or
    rectifies (RECTIFICAR) the request's dictamen, written once and called by every place that
    checks it (after saleor's Order.can_cancel): why the person may not, or None. Never a
    superuser (the account administers the server and takes no part in the procedure), nor
    anyone of the request's agency, nor one who reviewed or decided it. The three refuse the
    same people; only the words differ. The role, the e.firma and the dictamen's state (not
    yet signed, in force) are the services' to check. `implicados`: the ids of its reviewers
    and deciders, when the caller has them.

    Called by impedimento_de (the signing step, offered and taken), emision (signing and its
    preview), rectificacion (cancelling and rectifying) and acciones (offering those two)."""
    if usuario.is_superuser:
        return exceptions.ERROR_SUPERUSUARIO
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.ente_id == solicitud.ente_id:
        return exceptions.ERROR_MISMO_ENTE
    if implicados is None:
        implicados = revisores_de(solicitud=solicitud) | decisores_de(solicitud=solicitud)
    if usuario.pk in implicados:
        return _ERROR_IMPLICADO[accion]
    return None


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
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.ente_id == solicitud.ente_id:
        raise PermissionDenied(exceptions.ERROR_MISMO_ENTE)


def solicitud_para(*, usuario, pk: int):
    """The request, or 404 whether it does not exist or is not the person's to see
    (tramite.entes_visibles, the rule solicitudes_visibles scopes lists by). Read with a
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
