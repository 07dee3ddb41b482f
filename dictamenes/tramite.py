"""The procedure of a request, step by step. Every change of state goes through mover(),
which writes the audit event in the same transaction; the flow (flujos/flows.py) only routes.
"""

import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from guardian.shortcuts import get_users_with_perms
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dictamenes import archivos, calendario, exceptions, folios
from dictamenes.auditoria import evento_registrar
from dictamenes.models import (
    Anexo,
    Area,
    Aviso,
    EventoAuditoria,
    OpinionPartida,
    Partida,
    PeticionInformacion,
    PlazoEtapa,
    ProcesoDictamen,
    Resultado,
    RevisionArea,
    Solicitud,
    Sustitucion,
)
from dictamenes.roles import Rol
from estandares import cumplimiento
from estandares import selectors as estandares_selectors

logger = logging.getLogger(__name__)
Estado = Solicitud.Estado
ABIERTAS = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
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
EDITABLE = (Estado.BORRADOR, Estado.PREVENIDA)


def flujo():
    # flujos.flows imports this module; import it lazily.
    from flujos.flows import DictamenFlow

    return DictamenFlow


# --- The one door ------------------------------------------------------------------------------


ATENDIDA = (Estado.DICTAMINADA, Estado.DESECHADA)


def dias_de_atencion(solicitud, *, hasta: datetime.datetime) -> int:
    """Business days from presentation to `hasta`, less the days the request waited on the
    requirente (prevenciones and information requests): that time is not the Subsecretaría's."""
    total = calendario.dias_habiles_entre(
        inicio=timezone.localdate(solicitud.presentada_en), fin=timezone.localdate(hasta)
    )
    eventos = list(
        solicitud.eventos.filter(
            tipo__in=["prevencion", "subsanacion", "respuesta_informacion"]
        ).order_by("numero")
    )
    espera = sum(e.datos.get("dias_en_pausa", 0) for e in eventos)
    prevenida = None
    for evento in eventos:
        if evento.tipo == "prevencion":
            prevenida = evento.ocurrido_en
        elif evento.tipo == "subsanacion" and prevenida:
            espera += calendario.dias_habiles_entre(
                inicio=timezone.localdate(prevenida), fin=timezone.localdate(evento.ocurrido_en)
            )
            prevenida = None
    if prevenida:  # closed while waiting for the correction (desechada)
        espera += calendario.dias_habiles_entre(
            inicio=timezone.localdate(prevenida), fin=timezone.localdate(hasta)
        )
    return max(total - espera, 0)


def mover(*, solicitud, estado, usuario, tipo, descripcion, motivo="", datos=None):
    anterior = solicitud.estado
    solicitud.estado = estado
    campos = ["estado", "actualizada_en"]
    if estado in ATENDIDA and solicitud.atendida_en is None:
        solicitud.atendida_en = timezone.now()
        solicitud.dias_habiles_atencion = dias_de_atencion(solicitud, hasta=solicitud.atendida_en)
        campos += ["atendida_en", "dias_habiles_atencion"]
    solicitud.save(update_fields=campos)
    evento_registrar(
        tipo=tipo,
        descripcion=descripcion,
        usuario=usuario,
        solicitud=solicitud,
        motivo=motivo,
        datos={"de": anterior, "a": estado, **(datos or {})},
    )


# --- Notifications -----------------------------------------------------------------------------


PREFIJO_ASUNTO = "[Dictámenes TIC] "
# Past this many failed attempts an aviso stays pending for a person to look at (admin),
# instead of hammering a mail server that refuses it.
AVISO_INTENTOS_MAXIMOS = 10


def notificar(*, asunto: str, mensaje: str, destinatarios: Iterable[str]) -> None:
    """Put the notice in the outbox (table Aviso) in the caller's transaction and send it
    after commit. A mail failure is logged, never undoes the decision, and leaves the aviso
    pending for `manage.py enviar_avisos` to retry."""
    destinatarios = sorted({d for d in destinatarios if d})
    if not destinatarios:
        return
    aviso = Aviso.objects.create(destinatarios=destinatarios, asunto=asunto[:300], mensaje=mensaje)
    # robust: whatever goes wrong while sending (even the database) is logged and never turns
    # the already committed decision into an error page; the aviso stays pending.
    transaction.on_commit(lambda: aviso_enviar(aviso_id=aviso.pk), robust=True)


def aviso_enviar(*, aviso_id: int) -> bool:
    """Send one pending aviso; True if it went out now. The row is locked while sending (and
    skipped if another worker holds it), so the after-commit send and the cron retry never
    send the same aviso twice."""
    with transaction.atomic():
        aviso = (
            Aviso.objects.select_for_update(skip_locked=True)
            .filter(pk=aviso_id, enviado_en__isnull=True)
            .first()
        )
        if aviso is None:
            return False
        aviso.intentos += 1
        try:
            send_mail(
                PREFIJO_ASUNTO + aviso.asunto,
                aviso.mensaje,
                settings.DEFAULT_FROM_EMAIL,
                aviso.destinatarios,
            )
        except Exception as exc:
            aviso.ultimo_error = f"{type(exc).__name__}: {exc}"[:2000]
            aviso.save(update_fields=["intentos", "ultimo_error"])
            logger.warning(
                "No se pudo enviar el aviso #%s «%s» (intento %s): %s. Queda pendiente; "
                "manage.py enviar_avisos lo reintentará.",
                aviso.pk,
                aviso.asunto,
                aviso.intentos,
                aviso.ultimo_error,
            )
            return False
        aviso.enviado_en = timezone.now()
        aviso.ultimo_error = ""
        aviso.save(update_fields=["intentos", "ultimo_error", "enviado_en"])
        return True


def avisos_pendientes_enviar(
    *, limite: int = 200, intentos_maximos: int = AVISO_INTENTOS_MAXIMOS
) -> tuple[int, int]:
    """Retry the pending avisos, oldest first: (sent, still pending among those tried)."""
    pendientes = list(
        Aviso.objects.filter(enviado_en__isnull=True, intentos__lt=intentos_maximos)
        .order_by("creado_en", "id")
        .values_list("pk", flat=True)[:limite]
    )
    enviados = sum(aviso_enviar(aviso_id=pk) for pk in pendientes)
    return enviados, len(pendientes) - enviados


def correos_requirentes(solicitud) -> list[str]:
    return list(
        get_users_with_perms(
            solicitud.ente, only_with_perms_in=["actuar_como_requirente"], with_group_users=True
        ).values_list("email", flat=True)
    )


def _con_permiso(codename: str, obj=None):
    """Active people who hold a permission, globally or on `obj` (guardian), in SQL."""
    if obj is not None:
        usuarios = get_users_with_perms(obj, only_with_perms_in=[codename], with_group_users=True)
        return usuarios.filter(is_active=True)
    permiso = Permission.objects.get(content_type__app_label="dictamenes", codename=codename)
    return (
        get_user_model()
        .objects.filter(
            Q(groups__permissions=permiso) | Q(user_permissions=permiso), is_active=True
        )
        .distinct()
    )


def _correos_con_permiso(codename: str, obj=None) -> list[str]:
    return list(_con_permiso(codename, obj).values_list("email", flat=True).distinct())


def candidatos_para(tarea):
    """The people of the task's role, to whom a chief may reassign it."""
    obj = tarea.flow_task.calc_owner_permission_obj(tarea.flow_task.activation_class(tarea))
    return _con_permiso(tarea.owner_permission.split(".")[-1], obj).order_by(
        "first_name", "last_name"
    )


# --- Deadlines ---------------------------------------------------------------------------------


def plazo_dias(etapa: str) -> int:
    fila = PlazoEtapa.objects.filter(etapa=etapa).first()
    return fila.dias_habiles if fila else PLAZOS_POR_OMISION[etapa]


def _etapa(tarea) -> str | None:
    nombre = tarea.flow_task.name
    if (
        nombre.startswith("revision_")
        and nombre != "revision_estrategica"
        or nombre == "re_revision"
    ):
        return PlazoEtapa.Etapa.REVISION_AREA
    return ETAPA_DE_NODO.get(nombre)


def tarea_programar(*, tarea) -> None:
    """Give a new task its due date and tell the people who can take it."""
    etapa = _etapa(tarea)
    if etapa is None:
        return
    proceso = tarea.process
    if etapa == PlazoEtapa.Etapa.SUBSANAR:
        vence = proceso.subsanar_vence
    else:
        vence = calendario.vencimiento(
            desde=tarea.created or timezone.now(), dias=plazo_dias(etapa)
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
                descripcion=f"{titulo_de(tarea)} asignada a {elegido.get_full_name()} "
                "por carga de trabajo",
                solicitud=solicitud,
                datos={"tarea": tarea.pk, "a": elegido.pk},
            )
    if etapa == PlazoEtapa.Etapa.SUBSANAR:
        return  # the prevención notice already told the requirente
    obj = tarea.flow_task.calc_owner_permission_obj(tarea.flow_task.activation_class(tarea))
    codename = tarea.owner_permission.split(".")[-1]
    notificar(
        asunto=f"Nueva tarea: {titulo_de(tarea)} · {solicitud.folio}",
        mensaje=(
            f"La solicitud {solicitud.folio} «{solicitud.titulo}» de {solicitud.ente} espera "
            f"«{titulo_de(tarea)}». Vence el {timezone.localtime(vence):%d/%m/%Y}."
        ),
        destinatarios=_correos_con_permiso(codename, obj),
    )


def _impedimento(usuario, tarea, solicitud) -> str | None:
    """Why separation of duties keeps the person from a task's step, as the services enforce
    it on execution; None when nothing does."""
    nombre = tarea.flow_task.name
    if nombre == "subsanar":
        return None  # the agency's own step
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.ente_id == solicitud.ente_id:
        return exceptions.ERROR_MISMO_ENTE
    if nombre == "revision_estrategica" and usuario.pk in revisores_de(solicitud):
        return exceptions.ERROR_REVISOR_Y_ESTRATEGICO
    if nombre == "firma" and usuario.pk in revisores_de(solicitud) | decisores_de(solicitud):
        return exceptions.ERROR_FIRMA_REVISOR
    es_revision = nombre.startswith("revision_") and nombre != "revision_estrategica"
    if (es_revision or nombre == "re_revision") and usuario.pk in decisores_de(solicitud):
        return exceptions.ERROR_ESTRATEGICO_Y_REVISOR
    return None


def puede_atender(usuario, tarea, solicitud) -> bool:
    return _impedimento(usuario, tarea, solicitud) is None


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
    for persona in candidatos_para(tarea):
        if persona.pk in suplencias:
            persona = User.objects.get(pk=suplencias[persona.pk])
        if puede_atender(persona, tarea, solicitud):
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


def vencimiento_de(tarea) -> datetime.datetime | None:
    valor = (tarea.data or {}).get("vence")
    return datetime.datetime.fromisoformat(valor) if valor else None


def plazo_de(tarea, *, ahora, calendario_) -> dict:
    """A task's due date, traffic light and business days left, as the pages show them.
    A finished task, or one without a deadline, has no light."""
    vence = vencimiento_de(tarea)
    if vence is None or tarea.finished:
        return {"vence": vence, "semaforo": "", "restantes": None}
    return {
        "vence": vence,
        "semaforo": calendario.semaforo(vence=vence, ahora=ahora, calendario=calendario_),
        "restantes": calendario.dias_restantes(vence=vence, ahora=ahora, calendario=calendario_),
    }


# --- Tasks -------------------------------------------------------------------------------------


# viewflow keeps a Join, Split, If, Function or End task open while it waits or runs; only the
# steps a person attends (View nodes, type HUMAN) are "open tasks" anywhere they are listed or
# acted on. Every such query starts here.
HUMANA = "HUMAN"


def tareas_humanas_abiertas():
    """Open steps a person attends, of every request: the one place that says what they are."""
    return Task.objects.filter(flow_task_type=HUMANA, status__in=ABIERTAS)


def tareas_abiertas(*, solicitud):
    """The request's open human steps, oldest first."""
    proceso = getattr(solicitud, "proceso", None)
    if proceso is None:
        return Task.objects.none()
    return tareas_humanas_abiertas().filter(process_id=proceso.pk).order_by("created")


def titulares_suplidos(*, usuario) -> list[int]:
    """Ids of the people `usuario` stands in for today."""
    hoy = timezone.localdate()
    return list(
        Sustitucion.objects.filter(suplente=usuario, desde__lte=hoy, hasta__gte=hoy).values_list(
            "titular_id", flat=True
        )
    )


def tiene_rol_de(usuario, tarea) -> bool:
    """Whether the person holds the role that attends the task, whoever owns it now."""
    # can_assign refuses any task that already has an owner; ask about an unowned copy.
    libre = Task(
        owner_permission=tarea.owner_permission, process=tarea.process, flow_task=tarea.flow_task
    )
    return tarea.flow_task.can_assign(usuario, libre)


def titulo_de(tarea, *, proceso=None) -> str:
    """A step's title as people read it; a re-review also names the area it went back to.
    Lists pass the process they already loaded (with its area) so no row costs a query."""
    titulo = str(tarea.flow_task.task_title)
    if tarea.flow_task.name == "re_revision":
        if proceso is None:
            proceso = ProcesoDictamen.objects.select_related("area_devuelta").get(
                pk=tarea.process_id
            )
        if proceso.area_devuelta_id:
            titulo = f"{titulo}: {proceso.area_devuelta.nombre}"
    return titulo


def puede_tomar(usuario, tarea) -> bool:
    """The person holds the task's role, or stands in today for someone who does."""
    if tarea.flow_task.can_assign(usuario, tarea):
        return True
    User = get_user_model()
    return any(
        tarea.flow_task.can_assign(titular, tarea)
        for titular in User.objects.filter(pk__in=titulares_suplidos(usuario=usuario))
    )


def _exigir_no_concluido(solicitud, nodos) -> None:
    """The step was there and someone concluded it first (two people sending the same step at
    once, or from a page left open): say who and when, as a conflict, not as a skipped step."""
    ultima = (
        Task.objects.filter(process_id=solicitud.proceso.pk)
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


def tomar(*, solicitud, usuario, nodos) -> tuple:
    """Lock the process, find the open task of one of `nodos` and make it the user's."""
    if not hasattr(solicitud, "proceso"):
        raise ValidationError(
            exceptions.ERROR_PASO_NO_DISPONIBLE,
            code="paso_no_disponible",
            params={"estado": solicitud.get_estado_display()},
        )
    # The same row lock viewflow's select_for_update_lock takes, held until commit.
    type(solicitud.proceso).objects.select_for_update().filter(pk=solicitud.proceso.pk).exists()
    tareas = list(tareas_abiertas(solicitud=solicitud).select_related("owner"))
    candidatas = [t for t in tareas if t.flow_task in nodos]
    if not candidatas:
        solicitud.refresh_from_db(fields=["estado"])
        _exigir_no_concluido(solicitud, nodos)
        raise ValidationError(
            exceptions.ERROR_PASO_NO_DISPONIBLE,
            code="paso_no_disponible",
            params={"estado": solicitud.get_estado_display()},
        )
    for tarea in candidatas:
        activation = tarea.flow_task.activation_class(tarea)
        if tarea.owner_id == usuario.pk:
            return tarea, activation
        if tarea.owner_id and tarea.owner_id in titulares_suplidos(usuario=usuario):
            activation.reassign(user=usuario)
            return tarea, activation
        if tarea.owner_id is None and puede_tomar(usuario, tarea):
            activation.assign(usuario)
            return tarea, activation
    tarea = candidatas[0]
    if tarea.owner_id:
        raise PermissionDenied(
            exceptions.ERROR_TAREA_DE_OTRO % {"persona": tarea.owner.get_full_name()}
        )
    raise PermissionDenied(exceptions.ERROR_SIN_PERMISO_PASO)


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
        _exigir_no_concluido(solicitud, [tarea.flow_task])
        raise ValidationError(
            exceptions.ERROR_PASO_NO_DISPONIBLE,
            code="paso_no_disponible",
            params={"estado": solicitud.get_estado_display()},
        )
    tarea = abierta
    if tarea.flow_task.name == "subsanar":
        raise ValidationError(exceptions.ERROR_SUBSANAR_NO_SE_TOMA, code="subsanar_no_se_toma")
    if tarea.owner_id == usuario.pk:
        return tarea
    suple = tarea.owner_id is not None and tarea.owner_id in titulares_suplidos(usuario=usuario)
    if tarea.owner_id and not suple:
        raise PermissionDenied(
            exceptions.ERROR_TAREA_DE_OTRO % {"persona": tarea.owner.get_full_name()}
        )
    if not suple and not puede_tomar(usuario, tarea):
        raise PermissionDenied(exceptions.ERROR_SIN_PERMISO_PASO)
    impedimento = _impedimento(usuario, tarea, solicitud)
    if impedimento:
        raise PermissionDenied(impedimento)
    activation = tarea.flow_task.activation_class(tarea)
    anterior = tarea.owner
    if suple:
        activation.reassign(user=usuario)
    else:
        activation.assign(usuario)
    titulo = titulo_de(tarea)
    evento_registrar(
        tipo="toma",
        descripcion=f"{usuario.get_full_name()} toma «{titulo}»"
        + (f" en suplencia de {anterior.get_full_name()}" if suple else ""),
        usuario=usuario,
        solicitud=solicitud,
        datos={"tarea": tarea.pk, "de": getattr(anterior, "pk", None)},
    )
    return tarea


def completar(activation) -> None:
    if activation.task.status == STATUS.ASSIGNED:
        activation.start(None)
    activation.execute()


# --- Access --------------------------------------------------------------------------------------


def es_requirente_de(usuario, solicitud) -> bool:
    return usuario.is_authenticated and usuario.has_perm(
        "dictamenes.actuar_como_requirente", solicitud.ente
    )


def _exigir_requirente(usuario, solicitud) -> None:
    if not es_requirente_de(usuario, solicitud):
        raise PermissionDenied(exceptions.ERROR_NO_ES_DE_SU_ENTE)


def exigir_ajeno_al_ente(usuario, solicitud) -> None:
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.ente_id == solicitud.ente_id:
        raise PermissionDenied(exceptions.ERROR_MISMO_ENTE)


def revisores_de(solicitud) -> set[int]:
    return set(
        RevisionArea.objects.filter(solicitud=solicitud).values_list("revisor_id", flat=True)
    )


def decisores_de(solicitud) -> set[int]:
    return set(
        EventoAuditoria.objects.filter(
            solicitud=solicitud, tipo__in=["decision_estrategica", "devolucion_area"]
        ).values_list("usuario_id", flat=True)
    )


# --- Drafts ------------------------------------------------------------------------------------


CAMPOS_SOLICITUD = (
    "tipo_operacion",
    "titulo",
    "justificacion",
    "alineacion",
    "monto_estimado",
    "ejercicio",
)


@transaction.atomic
def solicitud_crear(*, usuario, ente, datos: dict) -> Solicitud:
    solicitud = Solicitud(ente=ente, creada_por=usuario, **{k: datos[k] for k in CAMPOS_SOLICITUD})
    _exigir_requirente(usuario, solicitud)
    solicitud.full_clean()
    solicitud.save()
    evento_registrar(
        tipo="creacion", descripcion="Borrador creado", usuario=usuario, solicitud=solicitud
    )
    return solicitud


def _leer_estado_bloqueando(solicitud) -> None:
    """Lock the request's row and read its state as it is now: presenting it holds the same
    lock, so an item or file saved at that moment waits and then sees the new state."""
    solicitud.estado = (
        Solicitud.objects.select_for_update().values_list("estado", flat=True).get(pk=solicitud.pk)
    )


def _exigir_editable(usuario, solicitud) -> None:
    _exigir_requirente(usuario, solicitud)
    _leer_estado_bloqueando(solicitud)
    if solicitud.estado not in EDITABLE:
        raise ValidationError(exceptions.ERROR_NO_EDITABLE, code="no_editable")


def _personas(eventos) -> str:
    nombres = []
    for evento in eventos:
        nombre = evento.usuario.get_full_name() if evento.usuario else "el sistema"
        if nombre not in nombres:
            nombres.append(nombre)
    return ", ".join(nombres) or "otra persona"


def _exigir_version_solicitud(solicitud, version: int | None) -> None:
    """Optimistic locking: the form carries the version it was loaded from; any edit saved
    since then (under the row lock the caller holds) makes this one a conflict."""
    if version is None or version == solicitud.version:
        return
    ediciones = list(
        solicitud.eventos.filter(tipo="edicion", datos__version__gt=version)
        .select_related("usuario")
        .order_by("numero")
    )
    campos = sorted({c for e in ediciones for c in e.datos.get("campos", [])})
    raise exceptions.Conflicto(
        exceptions.ERROR_EDICION_CONCURRENTE,
        code="edicion_concurrente",
        params={
            "personas": _personas(ediciones),
            "campos": ", ".join(str(Solicitud._meta.get_field(c).verbose_name) for c in campos)
            or "datos generales",
        },
    )


@transaction.atomic
def solicitud_actualizar(
    *, solicitud, usuario, datos: dict, version: int | None = None
) -> Solicitud:
    """Change a draft's general data. `version` is the one the form was loaded from: if
    someone saved since, nothing is written and Conflicto says who and what."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    _exigir_editable(usuario, solicitud)
    _exigir_version_solicitud(solicitud, version)
    cambios = {}
    for campo in CAMPOS_SOLICITUD:
        if campo in datos and getattr(solicitud, campo) != datos[campo]:
            cambios[campo] = str(datos[campo])[:200]
            setattr(solicitud, campo, datos[campo])
    if cambios:
        solicitud.version += 1
    solicitud.full_clean()
    solicitud.save()
    if cambios:
        evento_registrar(
            tipo="edicion",
            descripcion="Datos generales modificados",
            usuario=usuario,
            solicitud=solicitud,
            datos={"campos": sorted(cambios), "version": solicitud.version},
        )
    return solicitud


def _evaluar(partida) -> None:
    perfil = estandares_selectors.perfil_con_requisitos(perfil_id=partida.perfil_id)
    evaluacion = cumplimiento.evaluar(
        estandares_selectors.perfil_spec(perfil), partida.especificaciones
    )
    partida.evaluacion = evaluacion.as_dict()
    partida.veredicto = evaluacion.veredicto


def _partida_bloquear(partida: Partida, version: int | None) -> Partida:
    """Lock the stored item and check it is still the version the form was loaded from."""
    actual = Partida.objects.select_for_update().filter(pk=partida.pk).first()
    if actual is None:
        raise exceptions.Conflicto(exceptions.ERROR_PARTIDA_ELIMINADA, code="partida_eliminada")
    if version is not None and version != actual.version:
        ediciones = list(
            EventoAuditoria.objects.filter(
                solicitud_id=actual.solicitud_id,
                tipo="partida",
                datos__partida=actual.pk,
                datos__version__gt=version,
            )
            .select_related("usuario")
            .order_by("numero")
        )
        raise exceptions.Conflicto(
            exceptions.ERROR_PARTIDA_CONCURRENTE,
            code="partida_concurrente",
            params={"personas": _personas(ediciones)},
        )
    return actual


@transaction.atomic
def partida_guardar(
    *,
    solicitud,
    usuario,
    datos: dict,
    partida: Partida | None = None,
    version: int | None = None,
) -> Partida:
    """Add or change an item; the engine judges it right away and the result is stored.
    `version` is the item's version the form was loaded from (optimistic locking)."""
    _exigir_editable(usuario, solicitud)
    if partida is not None and partida.pk is not None:
        partida = _partida_bloquear(partida, version)
        partida.version += 1
    partida = partida or Partida(solicitud=solicitud)
    if partida.solicitud_id != solicitud.pk:
        raise PermissionDenied(exceptions.ERROR_NO_ES_DE_SU_ENTE)
    for campo in (
        "perfil",
        "descripcion",
        "cantidad",
        "precio_unitario",
        "capitulo",
        "partida_especifica",
        "especificaciones",
    ):
        setattr(partida, campo, datos[campo])
    partida.full_clean()
    _evaluar(partida)
    nueva = partida.pk is None
    partida.save()
    evento_registrar(
        tipo="partida",
        descripcion=f"Partida {'agregada' if nueva else 'modificada'}: {partida.descripcion}",
        usuario=usuario,
        solicitud=solicitud,
        datos={"partida": partida.pk, "veredicto": partida.veredicto, "version": partida.version},
    )
    return partida


@transaction.atomic
def partida_eliminar(*, partida, usuario) -> None:
    _exigir_editable(usuario, partida.solicitud)
    partida = _partida_bloquear(partida, None)  # a double click deletes, and audits, once
    evento_registrar(
        tipo="partida",
        descripcion=f"Partida eliminada: {partida.descripcion}",
        usuario=usuario,
        solicitud=partida.solicitud,
        datos={"partida": partida.pk},
    )
    partida.delete()


@transaction.atomic
def anexo_agregar(*, solicitud, usuario, tipo: str, archivo) -> Anexo:
    """Validate by content, hash and store an attachment. Nothing is kept if it fails."""
    _exigir_requirente(usuario, solicitud)
    _leer_estado_bloqueando(solicitud)
    if (
        solicitud.estado not in EDITABLE
        and not PeticionInformacion.objects.filter(
            solicitud=solicitud, respondida_en__isnull=True
        ).exists()
    ):
        raise ValidationError(exceptions.ERROR_NO_EDITABLE, code="no_editable")
    validado = archivos.validar_anexo(archivo)
    anexo = Anexo(
        solicitud=solicitud,
        tipo=tipo,
        nombre=validado.nombre,
        content_type=validado.content_type,
        tamano=validado.tamano,
        sha256=validado.sha256,
        advertencias=list(validado.advertencias),
        subido_por=usuario,
    )
    anexo.archivo.save(validado.nombre, archivo, save=False)
    try:
        anexo.full_clean()
        anexo.save()
        evento_registrar(
            tipo="anexo",
            descripcion=f"Anexo agregado: {anexo.get_tipo_display()} «{anexo.nombre}»",
            usuario=usuario,
            solicitud=solicitud,
            datos={
                "anexo": anexo.pk,
                "sha256": anexo.sha256,
                "ruta": anexo.archivo.name,
                "advertencias": anexo.advertencias,
            },
        )
    except Exception:
        anexo.archivo.delete(save=False)
        raise
    return anexo


# --- Presentation and admission ------------------------------------------------------------------


def areas_de(*, solicitud) -> set[str]:
    return set(
        Partida.objects.filter(solicitud=solicitud)
        .values_list("perfil__categoria__area__clave", flat=True)
        .distinct()
    )


def montos_de(*, solicitud) -> dict:
    """The declared total against the sum of the items (quantity × unit price), and the
    difference, so that a wrong total is seen before presenting and by the mesa de control."""
    suma = Partida.objects.filter(solicitud=solicitud).aggregate(
        total=models.Sum(models.F("cantidad") * models.F("precio_unitario"))
    )["total"]
    suma = (suma or Decimal(0)).quantize(Decimal("0.01"))
    declarado = solicitud.monto_estimado or Decimal(0)
    return {
        "declarado": declarado,
        "partidas": suma,
        "diferencia": declarado - suma,
        "hay_partidas": suma > 0,
    }


def _validar_para_presentar(solicitud) -> None:
    partidas = list(solicitud.partidas.select_related("perfil__categoria__publicacion"))
    if not partidas:
        raise ValidationError(exceptions.ERROR_SIN_PARTIDAS, code="sin_partidas")
    if not solicitud.anexos.filter(tipo=Anexo.Tipo.OFICIO).exists():
        raise ValidationError(exceptions.ERROR_SIN_OFICIO, code="sin_oficio")
    vigente = estandares_selectors.publicacion_vigente(fecha=timezone.localdate())
    if vigente is None:
        raise ValidationError(exceptions.ERROR_SIN_EDICION_VIGENTE, code="sin_edicion")
    for partida in partidas:
        if partida.perfil.categoria.publicacion_id != vigente.pk:
            raise ValidationError(
                exceptions.ERROR_PERFIL_NO_VIGENTE,
                code="perfil_no_vigente",
                params={
                    "partida": partida.descripcion,
                    "version": partida.perfil.categoria.publicacion.version,
                },
            )


@transaction.atomic
def solicitud_presentar(*, solicitud, usuario) -> Solicitud:
    """Present a draft: re-judge every item, give it its folio and start the procedure."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    _exigir_requirente(usuario, solicitud)
    if solicitud.estado != Estado.BORRADOR:
        raise ValidationError(
            exceptions.ERROR_PASO_NO_DISPONIBLE,
            code="paso_no_disponible",
            params={"estado": solicitud.get_estado_display()},
        )
    _validar_para_presentar(solicitud)
    for partida in solicitud.partidas.all():
        _evaluar(partida)
        partida.save(update_fields=["evaluacion", "veredicto"])
    solicitud.folio = folios.folio_solicitud(ejercicio=solicitud.ejercicio)
    solicitud.presentada_en = timezone.now()
    solicitud.save(update_fields=["folio", "presentada_en"])
    from dictamenes.planeacion import linea_vincular

    linea = linea_vincular(solicitud=solicitud)
    montos = montos_de(solicitud=solicitud)
    mover(
        solicitud=solicitud,
        estado=Estado.ADMISION,
        usuario=usuario,
        tipo="presentacion",
        descripcion=f"Solicitud presentada con folio {solicitud.folio}"
        + ("" if linea else " (no estaba en el programa anual)")
        + (
            f" (el monto declarado difiere en ${abs(montos['diferencia']):,.2f} de la suma de "
            "las partidas)"
            if montos["diferencia"]
            else ""
        ),
        datos={
            "linea_programa": linea.pk if linea else None,
            "monto_declarado": str(montos["declarado"]),
            "monto_partidas": str(montos["partidas"]),
        },
    )
    flujo().presentar.run(solicitud=solicitud)
    return solicitud


@transaction.atomic
def admision_resolver(*, solicitud, usuario, admitir: bool, faltantes: str = "") -> Solicitud:
    """The mesa de control admits the request, or issues a prevención saying what is missing."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    exigir_ajeno_al_ente(usuario, solicitud)
    tarea, activation = tomar(solicitud=solicitud, usuario=usuario, nodos=[flujo().admision])
    # The activation's own process instance: the flow's gateways read it after execute().
    proceso = activation.process
    if admitir:
        proceso.admitida = True
        proceso.save(update_fields=["admitida"])
        mover(
            solicitud=solicitud,
            estado=Estado.REVISION_TECNICA,
            usuario=usuario,
            tipo="admision",
            descripcion="Solicitud admitida; pasa a revisión técnica",
            datos={"areas": sorted(areas_de(solicitud=solicitud))},
        )
    else:
        faltantes = (faltantes or "").strip()
        if not faltantes:
            raise ValidationError(exceptions.ERROR_FALTAN_FALTANTES, code="sin_faltantes")
        vence = calendario.vencimiento(
            desde=timezone.now(), dias=plazo_dias(PlazoEtapa.Etapa.SUBSANAR)
        )
        proceso.admitida = False
        proceso.subsanar_vence = vence
        proceso.save(update_fields=["admitida", "subsanar_vence"])
        mover(
            solicitud=solicitud,
            estado=Estado.PREVENIDA,
            usuario=usuario,
            tipo="prevencion",
            descripcion=f"Prevención emitida; plazo para subsanar hasta el "
            f"{timezone.localtime(vence):%d/%m/%Y}",
            motivo=faltantes,
            datos={"vence": vence.isoformat()},
        )
        notificar(
            asunto=f"Prevención de la solicitud {solicitud.folio}",
            mensaje=(
                f"La solicitud {solicitud.folio} «{solicitud.titulo}» está incompleta.\n\n"
                f"Falta:\n{faltantes}\n\nTiene hasta el {timezone.localtime(vence):%d/%m/%Y} "
                "para subsanarla; si no, se desechará sin dictamen."
            ),
            destinatarios=correos_requirentes(solicitud),
        )
    completar(activation)
    return solicitud


@transaction.atomic
def solicitud_subsanar(*, solicitud, usuario, respuesta: str) -> Solicitud:
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    _exigir_requirente(usuario, solicitud)
    if not (respuesta or "").strip():
        raise ValidationError(exceptions.ERROR_SIN_RESPUESTA, code="sin_respuesta")
    proceso = getattr(solicitud, "proceso", None)
    if proceso and proceso.subsanar_vence and timezone.now() > proceso.subsanar_vence:
        raise ValidationError(
            exceptions.ERROR_PLAZO_VENCIDO,
            code="plazo_vencido",
            params={"fecha": f"{timezone.localtime(proceso.subsanar_vence):%d/%m/%Y}"},
        )
    tarea, activation = tomar(solicitud=solicitud, usuario=usuario, nodos=[flujo().subsanar])
    mover(
        solicitud=solicitud,
        estado=Estado.ADMISION,
        usuario=usuario,
        tipo="subsanacion",
        descripcion="Prevención atendida; vuelve a admisión",
        motivo=respuesta.strip(),
    )
    completar(activation)
    return solicitud


@transaction.atomic
def solicitud_desechar(*, solicitud) -> Solicitud:
    """Called by the flow's timer when the deadline to correct passes."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    vence = solicitud.proceso.subsanar_vence
    motivo = (
        f"No se subsanó la prevención dentro del plazo, que venció el "
        f"{timezone.localtime(vence):%d/%m/%Y}."
    )
    mover(
        solicitud=solicitud,
        estado=Estado.DESECHADA,
        usuario=None,
        tipo="desechada",
        descripcion="Solicitud desechada por vencimiento del plazo para subsanar",
        motivo=motivo,
    )
    notificar(
        asunto=f"Solicitud {solicitud.folio} desechada",
        mensaje=f"La solicitud {solicitud.folio} «{solicitud.titulo}» se desechó sin dictamen. "
        f"{motivo}",
        destinatarios=correos_requirentes(solicitud),
    )
    return solicitud


# --- Technical review by area ------------------------------------------------------------------


def _nodos_de_area(area: Area) -> list:
    dictamen_flow = flujo()
    return [getattr(dictamen_flow, f"revision_{area.clave}"), dictamen_flow.re_revision]


def _tarea_de_area(*, solicitud, usuario, area: Area):
    dictamen_flow = flujo()
    nodos = [getattr(dictamen_flow, f"revision_{area.clave}")]
    if solicitud.proceso.area_devuelta_id == area.pk:
        nodos.append(dictamen_flow.re_revision)
    return tomar(solicitud=solicitud, usuario=usuario, nodos=nodos)


@transaction.atomic
def informacion_pedir(*, solicitud, usuario, area: Area, pregunta: str) -> PeticionInformacion:
    """Ask the agency for more; the area's task stays open and its clock stops."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    exigir_ajeno_al_ente(usuario, solicitud)
    if not (pregunta or "").strip():
        raise ValidationError(exceptions.ERROR_SIN_PREGUNTA, code="sin_pregunta")
    tarea, _activation = _tarea_de_area(solicitud=solicitud, usuario=usuario, area=area)
    peticion = PeticionInformacion.objects.create(
        solicitud=solicitud, area=area, pregunta=pregunta.strip(), pedida_por=usuario
    )
    evento_registrar(
        tipo="peticion_informacion",
        descripcion=f"{area}: pide información al requirente",
        usuario=usuario,
        solicitud=solicitud,
        motivo=peticion.pregunta,
        datos={"peticion": peticion.pk, "tarea": tarea.pk},
    )
    notificar(
        asunto=f"Se pide información sobre la solicitud {solicitud.folio}",
        mensaje=f"El área {area} pide:\n\n{peticion.pregunta}\n\nResponda desde la solicitud; "
        "el plazo del área se detiene hasta su respuesta.",
        destinatarios=correos_requirentes(solicitud),
    )
    return peticion


@transaction.atomic
def informacion_responder(*, peticion, usuario, respuesta: str) -> PeticionInformacion:
    peticion = PeticionInformacion.objects.select_for_update().get(pk=peticion.pk)
    solicitud = peticion.solicitud
    _exigir_requirente(usuario, solicitud)
    if not peticion.abierta:
        raise ValidationError(
            exceptions.ERROR_PASO_NO_DISPONIBLE,
            code="paso_no_disponible",
            params={"estado": solicitud.get_estado_display()},
        )
    if not (respuesta or "").strip():
        raise ValidationError(exceptions.ERROR_SIN_RESPUESTA, code="sin_respuesta")
    ahora = timezone.now()
    peticion.respuesta = respuesta.strip()
    peticion.respondida_por = usuario
    peticion.respondida_en = ahora
    peticion.save()
    # Time with the requirente does not count against the Subsecretaría: move the due date.
    pausa = max(
        calendario.dias_habiles_entre(
            inicio=timezone.localdate(peticion.pedida_en), fin=timezone.localdate(ahora)
        ),
        0,
    )
    for tarea in tareas_abiertas(solicitud=solicitud):
        if tarea.flow_task in _nodos_de_area(peticion.area) and pausa:
            vence = vencimiento_de(tarea)
            nuevo = calendario.sumar_dias_habiles(desde=timezone.localdate(vence), dias=pausa)
            vence = vence + datetime.timedelta(days=(nuevo - timezone.localdate(vence)).days)
            tarea.data = {**tarea.data, "vence": vence.isoformat()}
            tarea.save(update_fields=["data"])
    evento_registrar(
        tipo="respuesta_informacion",
        descripcion=f"Respuesta a la petición de {peticion.area}",
        usuario=usuario,
        solicitud=solicitud,
        motivo=peticion.respuesta,
        datos={"peticion": peticion.pk, "dias_en_pausa": pausa},
    )
    return peticion


RESULTADOS_REQUISITO = {c.value for c in cumplimiento.Resultado}


@transaction.atomic
def revision_area_concluir(
    *, solicitud, usuario, area: Area, opinion: str, observaciones: str, partidas: dict
) -> RevisionArea:
    """Record an area's review: an opinion per item, overrides with reasons, an overall view.

    `partidas` = {partida_id: {"opinion": str, "ajustes": {clave: {"resultado", "motivo"}}}}
    for every item of the area.
    """
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    exigir_ajeno_al_ente(usuario, solicitud)
    if usuario.pk in decisores_de(solicitud):
        raise PermissionDenied(exceptions.ERROR_ESTRATEGICO_Y_REVISOR)
    tarea, activation = _tarea_de_area(solicitud=solicitud, usuario=usuario, area=area)
    if PeticionInformacion.objects.filter(
        solicitud=solicitud, area=area, respondida_en__isnull=True
    ).exists():
        raise ValidationError(exceptions.ERROR_PETICION_ABIERTA, code="peticion_abierta")
    if opinion not in RevisionArea.Opinion.values:
        raise ValidationError(exceptions.ERROR_MOTIVOS, code="sin_opinion")
    propias = list(solicitud.partidas.filter(perfil__categoria__area=area).order_by("id"))
    ronda = RevisionArea.objects.filter(solicitud=solicitud, area=area).count() + 1
    revision = RevisionArea.objects.create(
        solicitud=solicitud,
        area=area,
        ronda=ronda,
        revisor=usuario,
        opinion=opinion,
        observaciones=(observaciones or "").strip(),
    )
    ajustados = 0
    detalle = []
    for partida in propias:
        datos = partidas.get(partida.pk) or partidas.get(str(partida.pk)) or {}
        texto = (datos.get("opinion") or "").strip()
        if not texto:
            raise ValidationError(
                exceptions.ERROR_OPINION_FALTANTE,
                code="sin_opinion_partida",
                params={"partida": partida.descripcion},
            )
        motor = {r["clave"]: r for r in partida.evaluacion.get("resultados", [])}
        ajustes = {}
        for clave, ajuste in (datos.get("ajustes") or {}).items():
            if clave not in motor or ajuste.get("resultado") not in RESULTADOS_REQUISITO:
                continue
            if ajuste["resultado"] == motor[clave]["resultado"]:
                continue  # confirmed, not overridden
            motivo = (ajuste.get("motivo") or "").strip()
            if not motivo:
                raise ValidationError(
                    exceptions.ERROR_AJUSTE_SIN_MOTIVO,
                    code="ajuste_sin_motivo",
                    params={"requisito": motor[clave]["nombre"]},
                )
            ajustes[clave] = {
                "resultado": ajuste["resultado"],
                "motivo": motivo,
                "motor": motor[clave]["resultado"],
            }
        ajustados += len(ajustes)
        detalle += [
            {"partida": partida.descripcion, "requisito": motor[c]["nombre"]} | a
            for c, a in ajustes.items()
        ]
        OpinionPartida.objects.create(
            revision=revision, partida=partida, opinion=texto, ajustes=ajustes
        )
    evento_registrar(
        tipo="revision_area",
        descripcion=f"Revisión técnica de {area} concluida ({revision.get_opinion_display()})",
        usuario=usuario,
        solicitud=solicitud,
        motivo=revision.observaciones,
        datos={"area": area.clave, "ronda": ronda, "ajustes": ajustados, "detalle": detalle},
    )
    completar(activation)
    if tareas_abiertas(solicitud=solicitud).filter(flow_task=flujo().revision_estrategica).exists():
        mover(
            solicitud=solicitud,
            estado=Estado.REVISION_ESTRATEGICA,
            usuario=usuario,
            tipo="fin_revision_tecnica",
            descripcion="Todas las áreas concluyeron; pasa a revisión estratégica",
        )
    return revision


# --- Strategic review and signature -----------------------------------------------------------


@transaction.atomic
def decision_estrategica(
    *,
    solicitud,
    usuario,
    resultado: str = "",
    motivos: str = "",
    condiciones: str = "",
    devolver_a: Area | None = None,
) -> Solicitud:
    """Decide the result, or send the request back to one area for re-review."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    exigir_ajeno_al_ente(usuario, solicitud)
    if usuario.pk in revisores_de(solicitud):
        raise PermissionDenied(exceptions.ERROR_REVISOR_Y_ESTRATEGICO)
    motivos = (motivos or "").strip()
    condiciones = (condiciones or "").strip()
    tarea, activation = tomar(
        solicitud=solicitud, usuario=usuario, nodos=[flujo().revision_estrategica]
    )
    # The activation's own process instance: the flow's gateways read it after execute().
    proceso = activation.process
    if devolver_a is not None:
        if not motivos:
            raise ValidationError(exceptions.ERROR_DEVOLUCION_SIN_MOTIVO, code="sin_motivo")
        if not RevisionArea.objects.filter(solicitud=solicitud, area=devolver_a).exists():
            raise ValidationError(
                exceptions.ERROR_AREA_NO_PARTICIPA,
                code="area_ajena",
                params={"area": devolver_a.nombre},
            )
        proceso.area_devuelta = devolver_a
        proceso.save(update_fields=["area_devuelta"])
        mover(
            solicitud=solicitud,
            estado=Estado.REVISION_TECNICA,
            usuario=usuario,
            tipo="devolucion_area",
            descripcion=f"Devuelta a {devolver_a} para re-revisión",
            motivo=motivos,
            datos={"area": devolver_a.clave},
        )
    else:
        if resultado not in Resultado.values:
            raise ValidationError(exceptions.ERROR_MOTIVOS, code="sin_resultado")
        if not motivos:
            raise ValidationError(exceptions.ERROR_MOTIVOS, code="sin_motivos")
        if resultado == Resultado.CONDICIONADO and not condiciones:
            raise ValidationError(exceptions.ERROR_CONDICIONES, code="sin_condiciones")
        proceso.area_devuelta = None
        proceso.save(update_fields=["area_devuelta"])
        solicitud.resultado = resultado
        solicitud.save(update_fields=["resultado"])
        mover(
            solicitud=solicitud,
            estado=Estado.FIRMA,
            usuario=usuario,
            tipo="decision_estrategica",
            descripcion=f"Decisión estratégica: {Resultado(resultado).label}",
            motivo=motivos,
            datos={"resultado": resultado, "condiciones": condiciones},
        )
    completar(activation)
    return solicitud


def decision_vigente(solicitud) -> EventoAuditoria | None:
    return (
        EventoAuditoria.objects.filter(solicitud=solicitud, tipo="decision_estrategica")
        .order_by("-ocurrido_en", "-id")
        .first()
    )


# --- Reassignment and substitution ---------------------------------------------------------------


@transaction.atomic
def tarea_reasignar(*, tarea, usuario, nuevo, motivo: str = "") -> None:
    """A chief moves a task to another person of the same role."""
    perfil = getattr(usuario, "perfil", None)
    if perfil is None or not perfil.es_jefe or not tiene_rol_de(usuario, tarea):
        raise PermissionDenied(exceptions.ERROR_NO_JEFE)
    if not tiene_rol_de(nuevo, tarea):
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
    exigir_ajeno_al_ente(nuevo, solicitud)
    activation = tarea.flow_task.activation_class(tarea)
    anterior = tarea.owner
    if tarea.owner_id:
        activation.reassign(user=nuevo)
    else:
        activation.assign(nuevo)
    evento_registrar(
        tipo="reasignacion",
        descripcion=f"{titulo_de(tarea)} reasignada a {nuevo.get_full_name()}",
        usuario=usuario,
        solicitud=solicitud,
        motivo=motivo,
        datos={"tarea": tarea.pk, "de": getattr(anterior, "pk", None), "a": nuevo.pk},
    )


ROLES_CON_TAREAS = {
    Rol.MESA_CONTROL,
    Rol.REVISOR_TECNICO,
    Rol.REVISOR_ESTRATEGICO,
    Rol.FIRMANTE,
}


def exigir_rol_con_tareas(usuario) -> None:
    """Substitutions are for people who attend steps; auditors and agencies change nothing."""
    from dictamenes.selectors import roles_de

    if not set(roles_de(usuario=usuario)) & ROLES_CON_TAREAS:
        raise PermissionDenied(exceptions.ERROR_SUPLENCIA_SIN_TAREAS)


@transaction.atomic
def sustitucion_crear(
    *, titular, suplente, desde: datetime.date, hasta: datetime.date, motivo: str
) -> Sustitucion:
    exigir_rol_con_tareas(titular)
    if hasta < desde:
        raise ValidationError(exceptions.ERROR_FECHAS, code="fechas")
    if not set(titular.groups.values_list("name", flat=True)) & set(
        suplente.groups.values_list("name", flat=True)
    ):
        raise ValidationError(exceptions.ERROR_SUPLENTE, code="suplente_sin_rol")
    sustitucion = Sustitucion(
        titular=titular, suplente=suplente, desde=desde, hasta=hasta, motivo=motivo
    )
    sustitucion.full_clean()
    sustitucion.save()
    evento_registrar(
        tipo="sustitucion",
        descripcion=f"{suplente.get_full_name()} suple a {titular.get_full_name()} del "
        f"{desde:%d/%m/%Y} al {hasta:%d/%m/%Y}",
        usuario=titular,
        motivo=motivo,
        datos={"sustitucion": sustitucion.pk},
    )
    return sustitucion


# --- Deadline reminders ---------------------------------------------------------------------


def avisos_de_vencimiento_enviar(*, ahora: datetime.datetime | None = None) -> int:
    """Warn whoever holds (or may take) each open task due within two business days, once per
    due date. Run daily from cron: `manage.py avisar_vencimientos`."""
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
        vence = vencimiento_de(tarea)
        if tarea.data.get("avisado") == tarea.data["vence"]:
            continue
        if calendario.semaforo(vence=vence, ahora=ahora, calendario=cal) != "amarillo":
            continue
        solicitud = tarea.process.procesodictamen.solicitud
        if tarea.owner_id:
            destinatarios = [tarea.owner.email]
        elif tarea.flow_task.name == "subsanar":
            destinatarios = correos_requirentes(solicitud)
        else:
            obj = tarea.flow_task.calc_owner_permission_obj(tarea.flow_task.activation_class(tarea))
            destinatarios = _correos_con_permiso(tarea.owner_permission.split(".")[-1], obj)
        with transaction.atomic():
            tarea.data = {**tarea.data, "avisado": tarea.data["vence"]}
            tarea.save(update_fields=["data"])
            notificar(
                asunto=f"Vence pronto: {titulo_de(tarea)} · {solicitud.folio}",
                mensaje=(
                    f"«{titulo_de(tarea)}» de la solicitud {solicitud.folio} "
                    f"«{solicitud.titulo}» vence el {timezone.localtime(vence):%d/%m/%Y}."
                ),
                destinatarios=destinatarios,
            )
        avisadas += 1
    return avisadas
