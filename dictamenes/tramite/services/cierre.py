"""Closing a request early, without a dictamen: the agency withdraws it (desistimiento) or the
Subsecretaría cancels it (cancelación), each with a reason in the chain.

Who cancels: the Dirección General (revisor estratégico), not the mesa de control. Cancelling
decides a request's fate as the result does, and that decision is the Dirección General's;
the mesa only checks completeness, and its way to close a request is the prevención, which
the deadline turns into a desechada. A closing power at the desk where agencies and officials
first meet would be the discretion the procedure removes (domain.md, PNA priority 23).

A draft is neither withdrawn nor cancelled: it has no folio, no deadline and no step under
way, the Subsecretaría has not received it, and no indicator counts it; the agency simply
does not present it.

The request moves through the one door (estados.solicitud_mover) and its viewflow process
ends in the same transaction, under the flow's lock: every open task (human steps, the join
of the reviews, the deadline's timer) is cancelled through viewflow's activations and the
process is marked cancelled, so nothing is left open in any inbox or queue."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from viewflow.workflow.exceptions import FlowRuntimeError

from dictamenes import exceptions
from dictamenes.avisos import services as avisos
from dictamenes.models import ProcesoDictamen, Solicitud
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.estados import EN_TRAMITE
from dictamenes.tramite.selectors.tareas import tareas_abiertas, titulo_de
from dictamenes.tramite.services import transiciones
from dictamenes.tramite.services.estados import solicitud_mover
from estandares.motivos import motivo_leer


def _motivo(motivo: str) -> str:
    return motivo_leer(motivo, vacio=exceptions.ERROR_CIERRE_SIN_MOTIVO)


def _exigir_en_tramite(solicitud) -> None:
    if solicitud.estado not in EN_TRAMITE:
        raise ValidationError(
            exceptions.ERROR_CIERRE_NO_DISPONIBLE,
            code="cierre_no_disponible",
            params={"estado": solicitud.get_estado_display()},
        )


def _proceso_terminar(solicitud) -> list:
    """Cancel every open task of the request's process and the process itself (viewflow's
    Flow.cancel, under the flow's lock, in the caller's transaction). Returns the human
    steps that were open, for the audit event and the notices."""
    # The flow's lock (the process row, as every step takes it) before reading its tasks.
    proceso = ProcesoDictamen.objects.select_for_update().get(pk=solicitud.proceso.pk)
    abiertas = list(tareas_abiertas(solicitud=solicitud).select_related("owner"))
    try:
        proceso.flow_class.instance.cancel(proceso)
    except FlowRuntimeError as exc:
        # A step is being executed right now (viewflow cannot cancel a started task): the
        # flow's lock makes that a moment; nothing was written.
        raise ValidationError(
            exceptions.ERROR_PASO_NO_DISPONIBLE,
            code="paso_en_curso",
            params={"estado": solicitud.get_estado_display()},
        ) from exc
    return abiertas


def _cerrar(*, solicitud, usuario, transicion, motivo: str) -> list:
    abiertas = _proceso_terminar(solicitud)
    pasos = [titulo_de(tarea=t) for t in abiertas]
    solicitud_mover(solicitud=solicitud, usuario=usuario, **transicion(motivo=motivo, pasos=pasos))
    return abiertas


@transaction.atomic
def solicitud_desistir(*, solicitud, usuario, motivo: str) -> Solicitud:
    """The agency withdraws its request, with its reason: it closes without a dictamen and the
    people who held its steps are told."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    access.exigir_requirente(usuario=usuario, solicitud=solicitud)
    _exigir_en_tramite(solicitud)
    motivo = _motivo(motivo)
    abiertas = _cerrar(
        solicitud=solicitud, usuario=usuario, transicion=transiciones.desistimiento, motivo=motivo
    )
    avisos.aviso_encolar(
        asunto=f"La dependencia desistió de la solicitud {solicitud.folio}",
        mensaje=f"{solicitud.ente} desistió de la solicitud {solicitud.folio} "
        f"«{solicitud.titulo}»; se cerró sin dictamen y sus pasos en curso se cancelaron."
        f"\n\nMotivo: {motivo}",
        destinatarios=sorted({t.owner.email for t in abiertas if t.owner_id and t.owner.email}),
        enlace=avisos.enlace_solicitud(solicitud=solicitud, ancla="t-historial"),
        accion="Ver la solicitud cerrada",
        motivo="Recibe este aviso porque tenía a su nombre un paso de esta solicitud.",
    )
    return solicitud


@transaction.atomic
def solicitud_cancelar(*, solicitud, usuario, motivo: str) -> Solicitud:
    """The Dirección General cancels a request, with its reason: it closes without a dictamen
    and the agency is told why."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    impedimento = access.impedimento(
        usuario=usuario, solicitud=solicitud, accion=access.CANCELAR_SOLICITUD
    )
    if impedimento:
        raise PermissionDenied(impedimento)
    _exigir_en_tramite(solicitud)
    motivo = _motivo(motivo)
    _cerrar(
        solicitud=solicitud, usuario=usuario, transicion=transiciones.cancelacion, motivo=motivo
    )
    avisos.aviso_encolar(
        asunto=f"Solicitud {solicitud.folio} cancelada",
        mensaje=f"{con_articulo(textos_vigentes().institucion_nombre, mayuscula=True)} canceló "
        f"la solicitud {solicitud.folio} "
        f"«{solicitud.titulo}»; se cerró sin dictamen.\n\nMotivo: {motivo}\n\nSi aún necesita "
        "la contratación, presente una nueva solicitud.",
        destinatarios=avisos.correos_requirentes(solicitud=solicitud),
        enlace=avisos.enlace_solicitud(solicitud=solicitud, ancla="t-historial"),
        accion="Ver la solicitud cancelada",
        motivo=avisos.motivo_requirente(solicitud=solicitud),
    )
    return solicitud
