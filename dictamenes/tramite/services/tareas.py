"""The people side of the flow's tasks: deadlines and automatic assignment when a task is
created, taking a task (with substitutions), completing it, reassigning it, and the deadline
reminders. Naming a substitute: suplencias.services."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dictamenes import exceptions
from dictamenes.avisos.services import (
    aviso_encolar,
    correos_requirentes,
    enlace_solicitud,
    motivo_requirente,
)
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.flow_port import Nodo
from dictamenes.models import (
    PlazoEtapa,
    ProcesoDictamen,
    Sustitucion,
)
from dictamenes.organizacion.selectors import calendario
from dictamenes.organizacion.selectors.usuarios import correos_con_permiso
from dictamenes.suplencias.selectors import titulares_suplidos
from dictamenes.tramite.selectors.access import (
    exigir_ajeno_al_ente,
    impedimento_de,
    puede_atender,
    puede_tomar,
    tiene_rol_de,
)
from dictamenes.tramite.selectors.areas import es_revision_unica
from dictamenes.tramite.selectors.plazos import etapa_de, plazo_de_via, plazo_dias, vencimiento_de
from dictamenes.tramite.selectors.tareas import (
    ABIERTAS,
    candidatos_para,
    tareas_abiertas,
    tareas_humanas_abiertas,
    titulo_de,
)


def tarea_programar(*, tarea) -> None:
    """Give a new task its due date and tell the people who can take it."""
    etapa = etapa_de(tarea=tarea)
    if etapa is None:
        return
    proceso = tarea.process
    if etapa == PlazoEtapa.Etapa.SUBSANAR:
        vence = proceso.subsanar_vence
    else:
        # The fast track's shorter deadlines (issue 36) where they apply, else the stage's.
        dias = plazo_de_via(tarea=tarea, etapa=etapa, solicitud=proceso.solicitud)
        vence = calendario.vencimiento(
            desde=tarea.created or timezone.now(), dias=dias or plazo_dias(etapa=etapa)
        )
    tarea.data = {**(tarea.data or {}), "etapa": str(etapa), "vence": vence.isoformat()}
    tarea.save(update_fields=["data"])
    solicitud = proceso.solicitud
    if settings.DICTAMENES_ASIGNACION_AUTOMATICA and etapa != PlazoEtapa.Etapa.SUBSANAR:
        elegido = asignacion_elegir(tarea=tarea, solicitud=solicitud)
        if elegido is not None:
            tarea.flow_task.activation_class(tarea).assign(elegido)
            evento_registrar(
                tipo="asignacion_automatica",
                descripcion=f"{titulo_de(tarea=tarea)} asignada a {elegido.get_full_name()} "
                "por carga de trabajo",
                solicitud=solicitud,
                datos={"tarea": tarea.pk, "a": elegido.pk},
            )
    if etapa == PlazoEtapa.Etapa.SUBSANAR:
        return  # the prevención notice already told the requirente
    titulo = titulo_de(tarea=tarea)
    if tarea.owner_id:  # assigned by workload: it is that person's, nobody else's
        destinatarios = [tarea.owner.email]
        motivo = f"Recibe este aviso porque «{titulo}» se le asignó por carga de trabajo."
    else:
        destinatarios = correos_de_quienes_pueden_tomarla(tarea=tarea)
        motivo = (
            f"Recibe este aviso porque su rol en Dictámenes TIC puede atender «{titulo}»; el "
            "paso queda a nombre de quien lo tome primero."
        )
    aviso_encolar(
        asunto=f"Nueva tarea: {titulo} · {solicitud.folio}",
        mensaje=(
            f"La solicitud {solicitud.folio} «{solicitud.titulo}» de {solicitud.ente} espera "
            f"«{titulo}». Vence el {timezone.localtime(vence):%d/%m/%Y}."
        ),
        destinatarios=destinatarios,
        enlace=enlace_solicitud(solicitud=solicitud),
        accion=f"Atender «{titulo}»",
        motivo=motivo,
    )


def correos_de_quienes_pueden_tomarla(*, tarea) -> list[str]:
    """Where the notices of an unowned step go: the people of its role (on its area, for a
    technical review); for a fast-track request's single review, the reviewers of every area
    involved, who share its queue (issue 36)."""
    if es_revision_unica(tarea=tarea):
        return list(candidatos_para(tarea=tarea).values_list("email", flat=True))
    obj = tarea.flow_task.calc_owner_permission_obj(tarea.flow_task.activation_class(tarea))
    return correos_con_permiso(codename=tarea.owner_permission.split(".")[-1], obj=obj)


def asignacion_elegir(*, tarea, solicitud):
    """Load-weighted round robin: the eligible person of the task's role with the fewest open
    tasks. Someone on leave is replaced by their substitute; duties stay separated."""
    hoy = timezone.localdate()
    suplencias = dict(
        Sustitucion.objects.filter(desde__lte=hoy, hasta__gte=hoy).values_list(
            "titular_id", "suplente_id"
        )
    )
    User = get_user_model()
    candidatos = {}
    for persona in candidatos_para(tarea=tarea):
        if persona.pk in suplencias:
            persona = User.objects.get(pk=suplencias[persona.pk])
        if puede_atender(usuario=persona, tarea=tarea, solicitud=solicitud):
            candidatos[persona.pk] = persona
    if not candidatos:
        return None
    carga = dict(
        tareas_humanas_abiertas()
        .filter(owner_id__in=candidatos)
        .values("owner_id")
        .annotate(n=models.Count("id"))
        .values_list("owner_id", "n")
    )
    return min(candidatos.values(), key=lambda p: (carga.get(p.pk, 0), p.pk))


def _de_area(area) -> dict:
    """The tasks of one area, when `area` is given: its review and re-review name it as their
    owner permission object (flujos.nodos)."""
    return {} if area is None else {"owner_permission_obj_pk": str(area.pk)}


def exigir_no_concluido(*, solicitud, nodos, area=None) -> None:
    """The step was there and someone concluded it first (two people sending the same step at
    once, or from a page left open): say who and when, as a conflict, not as a skipped step.
    `area`: only that area's task of those nodes."""
    ultima = (
        Task.objects.filter(process_id=solicitud.proceso.pk, **_de_area(area))
        .filter(Q.create([("flow_task", nodo) for nodo in nodos], connector=Q.OR))
        .select_related("owner")
        .order_by("-created", "-id")
        .first()
    )
    if ultima is None or ultima.status != STATUS.DONE or ultima.owner is None:
        return
    raise exceptions.Conflicto(
        exceptions.ERROR_PASO_YA_CONCLUIDO,
        code="paso_concluido",
        params={
            "persona": ultima.owner.get_full_name() or ultima.owner.username,
            "cuando": f"{timezone.localtime(ultima.finished):%d/%m/%Y a las %H:%M}",
            "estado": solicitud.get_estado_display(),
        },
    )


def paso_disponible(*, solicitud, usuario, nodos, area=None, _bloquear=False) -> tuple:
    """The open task of one of `nodos` (and of `area`, if given) that the user may act on, and
    how: "suya" (theirs), "suplir" (held by someone they stand in for) or "tomar" (nobody's, and
    theirs to take). Raises, in Spanish, when there is none. Reads only: paso_tomar acts on the
    answer."""
    if not hasattr(solicitud, "proceso"):
        raise ValidationError(
            exceptions.ERROR_PASO_NO_DISPONIBLE,
            code="paso_no_disponible",
            params={"estado": solicitud.get_estado_display()},
        )
    if _bloquear:
        # The same row lock viewflow's select_for_update_lock takes, held until commit.
        type(solicitud.proceso).objects.select_for_update().filter(pk=solicitud.proceso.pk).exists()
    tareas = list(
        tareas_abiertas(solicitud=solicitud).filter(**_de_area(area)).select_related("owner")
    )
    candidatas = [t for t in tareas if t.flow_task in nodos]
    if not candidatas:
        solicitud.refresh_from_db(fields=["estado"])
        exigir_no_concluido(solicitud=solicitud, nodos=nodos, area=area)
        raise ValidationError(
            exceptions.ERROR_PASO_NO_DISPONIBLE,
            code="paso_no_disponible",
            params={"estado": solicitud.get_estado_display()},
        )
    for tarea in candidatas:
        if tarea.owner_id == usuario.pk:
            return tarea, "suya"
        if tarea.owner_id and tarea.owner_id in titulares_suplidos(usuario=usuario):
            return tarea, "suplir"
        if tarea.owner_id is None and puede_tomar(usuario=usuario, tarea=tarea):
            return tarea, "tomar"
    tarea = candidatas[0]
    if tarea.owner_id:
        raise PermissionDenied(
            exceptions.ERROR_TAREA_DE_OTRO % {"persona": tarea.owner.get_full_name()}
        )
    raise PermissionDenied(exceptions.ERROR_SIN_PERMISO_PASO)


def paso_tomar(*, solicitud, usuario, nodos, area=None) -> tuple:
    """Lock the process, find the open task of one of `nodos` (of `area`, if given) and make it
    the user's."""
    tarea, como = paso_disponible(
        solicitud=solicitud, usuario=usuario, nodos=nodos, area=area, _bloquear=True
    )
    activation = tarea.flow_task.activation_class(tarea)
    if como == "suplir":
        activation.reassign(user=usuario)
    elif como == "tomar":
        activation.assign(usuario)
    return tarea, activation


@transaction.atomic
def tarea_tomar(*, tarea, usuario):
    """A person takes a step nobody holds yet (or one held by someone they stand in for): it
    moves to their inbox with them as its owner. Audited; duties stay separated. Taking a step
    one already holds changes nothing (a double click)."""
    # The same lock as every step of the request; then the task as it is now.
    proceso = ProcesoDictamen.objects.select_for_update().get(pk=tarea.process_id)
    solicitud = proceso.solicitud
    abierta = tareas_humanas_abiertas().select_related("owner").filter(pk=tarea.pk).first()
    if abierta is None:
        exigir_no_concluido(solicitud=solicitud, nodos=[tarea.flow_task])
        raise ValidationError(
            exceptions.ERROR_PASO_NO_DISPONIBLE,
            code="paso_no_disponible",
            params={"estado": solicitud.get_estado_display()},
        )
    tarea = abierta
    if tarea.flow_task.name == Nodo.SUBSANAR:
        raise ValidationError(exceptions.ERROR_SUBSANAR_NO_SE_TOMA, code="subsanar_no_se_toma")
    if tarea.owner_id == usuario.pk:
        return tarea
    suple = tarea.owner_id is not None and tarea.owner_id in titulares_suplidos(usuario=usuario)
    if tarea.owner_id and not suple:
        raise PermissionDenied(
            exceptions.ERROR_TAREA_DE_OTRO % {"persona": tarea.owner.get_full_name()}
        )
    impedimento = impedimento_de(usuario=usuario, tarea=tarea, solicitud=solicitud)
    if impedimento == exceptions.ERROR_SUPERUSUARIO:
        raise PermissionDenied(impedimento)
    if not suple and not puede_tomar(usuario=usuario, tarea=tarea):
        raise PermissionDenied(exceptions.ERROR_SIN_PERMISO_PASO)
    if impedimento:
        raise PermissionDenied(impedimento)
    activation = tarea.flow_task.activation_class(tarea)
    anterior = tarea.owner
    if suple:
        activation.reassign(user=usuario)
    else:
        activation.assign(usuario)
    titulo = titulo_de(tarea=tarea)
    evento_registrar(
        tipo="toma",
        descripcion=f"{usuario.get_full_name()} toma «{titulo}»"
        + (f" en suplencia de {anterior.get_full_name()}" if suple else ""),
        usuario=usuario,
        solicitud=solicitud,
        datos={"tarea": tarea.pk, "de": getattr(anterior, "pk", None)},
    )
    return tarea


def tarea_completar(*, activation) -> None:
    if activation.task.status == STATUS.ASSIGNED:
        activation.start(None)
    activation.execute()


@transaction.atomic
def tarea_reasignar(*, tarea, usuario, nuevo, motivo: str = "") -> None:
    """A chief moves a task to another person of the same role."""
    perfil = getattr(usuario, "perfil", None)
    if perfil is None or not perfil.es_jefe or not tiene_rol_de(usuario=usuario, tarea=tarea):
        raise PermissionDenied(exceptions.ERROR_NO_JEFE)
    if not tiene_rol_de(usuario=nuevo, tarea=tarea):
        raise ValidationError(
            exceptions.ERROR_REASIGNAR_SIN_PERMISO,
            code="sin_rol",
            params={"persona": nuevo.get_full_name()},
        )
    # The same lock as every step of the request; then the task as it is now, not as the
    # chief's page saw it: its owner may have concluded it meanwhile.
    proceso = ProcesoDictamen.objects.select_for_update().get(pk=tarea.process_id)
    solicitud = proceso.solicitud
    tarea.refresh_from_db()
    if tarea.status not in ABIERTAS:
        raise exceptions.Conflicto(
            exceptions.ERROR_PASO_YA_CONCLUIDO,
            code="paso_concluido",
            params={
                "persona": tarea.owner.get_full_name() if tarea.owner else "alguien más",
                "cuando": f"{timezone.localtime(tarea.finished):%d/%m/%Y a las %H:%M}",
                "estado": solicitud.get_estado_display(),
            },
        )
    exigir_ajeno_al_ente(usuario=nuevo, solicitud=solicitud)
    activation = tarea.flow_task.activation_class(tarea)
    anterior = tarea.owner
    if tarea.owner_id:
        activation.reassign(user=nuevo)
    else:
        activation.assign(nuevo)
    evento_registrar(
        tipo="reasignacion",
        descripcion=f"{titulo_de(tarea=tarea)} reasignada a {nuevo.get_full_name()}",
        usuario=usuario,
        solicitud=solicitud,
        motivo=motivo,
        datos={"tarea": tarea.pk, "de": getattr(anterior, "pk", None), "a": nuevo.pk},
    )
    titulo, vence = titulo_de(tarea=tarea), vencimiento_de(tarea=tarea)
    aviso_encolar(
        asunto=f"Tarea asignada: {titulo} · {solicitud.folio}",
        mensaje=f"{usuario.get_full_name()} le asignó «{titulo}» de la solicitud {solicitud.folio} "
        f"«{solicitud.titulo}» de {solicitud.ente}."
        + (f" Vence el {timezone.localtime(vence):%d/%m/%Y}." if vence else "")
        + (f"\n\nMotivo: {motivo}" if motivo else ""),
        destinatarios=[nuevo.email],
        enlace=enlace_solicitud(solicitud=solicitud),
        accion=f"Atender «{titulo}»",
        motivo="Recibe este aviso porque el paso quedó a su nombre.",
    )


def tareas_liberar(*, usuario, por, motivo: str = "") -> list:
    """The steps a person held and can no longer attend (a role taken away) go back to the
    queue of their role, each with its event: no request waits on someone who cannot act.
    Called by personas.rol_retirar, inside its transaction. Returns the tasks released."""
    liberadas = []
    retenidas = (
        tareas_humanas_abiertas()
        .filter(owner=usuario, status=STATUS.ASSIGNED)
        .select_related("process")
        .order_by("pk")
    )
    for tarea in retenidas:
        if tiene_rol_de(usuario=usuario, tarea=tarea):
            continue  # another role of theirs still attends it
        # The same lock as every step of the request; then the task as it is now.
        proceso = ProcesoDictamen.objects.select_for_update().get(pk=tarea.process_id)
        tarea.refresh_from_db()
        if tarea.owner_id != usuario.pk or tarea.status != STATUS.ASSIGNED:
            continue
        tarea.flow_task.activation_class(tarea).unassign()
        evento_registrar(
            tipo="tarea_liberada",
            descripcion=f"{titulo_de(tarea=tarea)} vuelve a la bandeja de su rol: "
            f"{usuario.get_full_name() or usuario.username} ya no tiene el rol que la atiende",
            usuario=por,
            solicitud=proceso.solicitud,
            motivo=motivo,
            datos={"tarea": tarea.pk, "de": usuario.pk},
        )
        # Back in the queue, it needs someone of the role to take it.
        solicitud, titulo = proceso.solicitud, titulo_de(tarea=tarea)
        aviso_encolar(
            asunto=f"Tarea sin responsable: {titulo} · {solicitud.folio}",
            mensaje=f"«{titulo}» de la solicitud {solicitud.folio} «{solicitud.titulo}» de "
            f"{solicitud.ente} volvió a la bandeja de su rol: quien la tenía ya no tiene el rol "
            "que la atiende.",
            # The role was taken away first: the person who had it is not among them.
            destinatarios=correos_de_quienes_pueden_tomarla(tarea=tarea),
            enlace=enlace_solicitud(solicitud=solicitud),
            accion=f"Atender «{titulo}»",
            motivo=f"Recibe este aviso porque su rol en Dictámenes TIC puede atender «{titulo}»; "
            "el paso queda a nombre de quien lo tome primero.",
        )
        liberadas.append(tarea)
    return liberadas


def avisos_de_vencimiento_enviar(*, ahora: datetime.datetime | None = None) -> int:
    """Warn whoever holds (or may take) each open task once it turns amber (due the next
    business day or today: calendario.semaforo), once per due date. Run daily from cron:
    `manage.py avisar_vencimientos`."""
    ahora = ahora or timezone.now()
    hoy = timezone.localdate(ahora)
    cal = calendario.Calendario.cargar(hoy, hoy)
    avisadas = 0
    tareas = (
        tareas_humanas_abiertas()
        .filter(data__vence__isnull=False)
        .select_related("owner", "process__procesodictamen__solicitud__ente")
    )
    for tarea in tareas:
        vence = vencimiento_de(tarea=tarea)
        if tarea.data.get("avisado") == tarea.data["vence"]:
            continue
        if calendario.semaforo(vence=vence, ahora=ahora, calendario=cal) != "amarillo":
            continue
        solicitud = tarea.process.procesodictamen.solicitud
        motivo = "Recibe este aviso porque el paso está a su nombre."
        if tarea.owner_id:
            destinatarios = [tarea.owner.email]
        elif tarea.flow_task.name == Nodo.SUBSANAR:
            destinatarios = correos_requirentes(solicitud=solicitud)
            motivo = motivo_requirente(solicitud=solicitud)
        else:
            motivo = "Recibe este aviso porque su rol en Dictámenes TIC atiende este paso."
            destinatarios = correos_de_quienes_pueden_tomarla(tarea=tarea)
        with transaction.atomic():
            tarea.data = {**tarea.data, "avisado": tarea.data["vence"]}
            tarea.save(update_fields=["data"])
            aviso_encolar(
                asunto=f"Vence pronto: {titulo_de(tarea=tarea)} · {solicitud.folio}",
                mensaje=(
                    f"«{titulo_de(tarea=tarea)}» de la solicitud {solicitud.folio} "
                    f"«{solicitud.titulo}» vence el {timezone.localtime(vence):%d/%m/%Y}."
                ),
                destinatarios=destinatarios,
                enlace=enlace_solicitud(solicitud=solicitud),
                accion=f"Atender «{titulo_de(tarea=tarea)}»",
                motivo=motivo,
            )
        avisadas += 1
    return avisadas
