"""The steps of the procedure after presentation: admission or prevención, correction,
desechar, information requests, each area's technical review and the strategic decision.
Each one takes its task, checks its rules and moves the request through the one door."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dictamenes import exceptions
from dictamenes.avisos.services import (
    aviso_encolar,
    correos_requirentes,
    enlace_solicitud,
    motivo_requirente,
)
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.encuestas.services import encuesta_invitar
from dictamenes.flow_port import Nodo, nodo
from dictamenes.models import (
    Area,
    OpinionPartida,
    PeticionInformacion,
    PlazoEtapa,
    Resultado,
    RevisionArea,
    Solicitud,
    Via,
)
from dictamenes.organizacion.selectors import calendario
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.access import exigir_ajeno_al_ente, exigir_requirente
from dictamenes.tramite.selectors.areas import (
    area_de_tarea,
    areas_de,
    areas_de_tarea,
    areas_que_pregunta,
    areas_revisadas,
    es_revision_unica,
    es_tarea_de_peticion,
    partidas_de_revision,
)
from dictamenes.tramite.selectors.estados import EN_TRAMITE
from dictamenes.tramite.selectors.montos import monto_no_cuadra
from dictamenes.tramite.selectors.plazos import plazo_dias, vencimiento_de
from dictamenes.tramite.selectors.tareas import TITULO_UNICA, tareas_abiertas
from dictamenes.tramite.services import decisiones, transiciones
from dictamenes.tramite.services.estados import solicitud_mover
from dictamenes.tramite.services.solicitudes import faltan_cotizaciones, partidas_con_cotizaciones
from dictamenes.tramite.services.tareas import paso_tomar, tarea_completar
from dictamenes.tramite.services.vias import via_asignar
from estandares import cumplimiento
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.motivos import motivo_leer, motivo_recortado, visibles

Estado = Solicitud.Estado


@transaction.atomic
def admision_resolver(*, solicitud, usuario, admitir: bool, faltantes: str = "") -> Solicitud:
    """The mesa de control admits the request, or issues a prevención saying what is missing."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    exigir_ajeno_al_ente(usuario=usuario, solicitud=solicitud)
    tarea, activation = paso_tomar(
        solicitud=solicitud, usuario=usuario, nodos=[nodo(Nodo.ADMISION)]
    )
    # The activation's own process instance: the flow's gateways read it after execute().
    proceso = activation.process
    if admitir:
        proceso.admitida = True
        proceso.save(update_fields=["admitida"])
        solicitud_mover(
            solicitud=solicitud,
            usuario=usuario,
            **transiciones.admision(areas=areas_de(solicitud=solicitud)),
        )
        # The track again, as the items are now (a prevención may have changed them): the
        # flow's split reads it to make one review per area or a single one.
        via_asignar(solicitud=solicitud, usuario=usuario, al_admitir=True)
    else:
        # What is missing is the reason of the prevention: it says something.
        faltantes = motivo_leer(
            faltantes, vacio=exceptions.ERROR_FALTAN_FALTANTES, code="sin_faltantes"
        )
        vence = calendario.vencimiento(
            desde=timezone.now(), dias=plazo_dias(etapa=PlazoEtapa.Etapa.SUBSANAR)
        )
        proceso.admitida = False
        proceso.subsanar_vence = vence
        proceso.save(update_fields=["admitida", "subsanar_vence"])
        solicitud_mover(
            solicitud=solicitud,
            usuario=usuario,
            **transiciones.prevencion(vence=vence, faltantes=faltantes),
        )
        aviso_encolar(
            asunto=f"Prevención de la solicitud {solicitud.folio}",
            mensaje=(
                f"La solicitud {solicitud.folio} «{solicitud.titulo}» está incompleta.\n\n"
                f"Falta:\n{faltantes}\n\nSubsánela dentro del plazo de abajo; si no, se "
                "desechará sin dictamen."
            ),
            destinatarios=correos_requirentes(solicitud=solicitud),
            detalles=[("Plazo para subsanar", f"{timezone.localtime(vence):%d/%m/%Y}")],
            enlace=enlace_solicitud(solicitud=solicitud),
            accion="Subsanar la prevención",
            motivo=motivo_requirente(solicitud=solicitud),
        )
    tarea_completar(activation=activation)
    return solicitud


@transaction.atomic
def solicitud_subsanar(*, solicitud, usuario, respuesta: str) -> Solicitud:
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    exigir_requirente(usuario=usuario, solicitud=solicitud)
    if not (respuesta or "").strip():
        raise ValidationError(exceptions.ERROR_SIN_RESPUESTA, code="sin_respuesta")
    proceso = getattr(solicitud, "proceso", None)
    if proceso and proceso.subsanar_vence and timezone.now() > proceso.subsanar_vence:
        raise ValidationError(
            exceptions.ERROR_PLAZO_VENCIDO,
            code="plazo_vencido",
            params={"fecha": f"{timezone.localtime(proceso.subsanar_vence):%d/%m/%Y}"},
        )
    # Issue 59, item 5: returned corrected, its total must agree with its items, and its
    # track (with the split check) is given again by them.
    if no_cuadra := monto_no_cuadra(solicitud=solicitud):
        raise no_cuadra
    # Issue 62: above the office's amount, each item's three valid quotes or its reason.
    if faltan := faltan_cotizaciones(partidas=partidas_con_cotizaciones(solicitud=solicitud)):
        raise faltan[0]
    tarea, activation = paso_tomar(
        solicitud=solicitud, usuario=usuario, nodos=[nodo(Nodo.SUBSANAR)]
    )
    solicitud_mover(
        solicitud=solicitud,
        usuario=usuario,
        **transiciones.subsanacion(respuesta=respuesta.strip()),
    )
    via_asignar(solicitud=solicitud, usuario=usuario, al_corregir=True)
    tarea_completar(activation=activation)
    return solicitud


@transaction.atomic
def solicitud_desechar(*, solicitud) -> Solicitud:
    """Called by the flow's timer when the deadline to correct passes."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    vence = solicitud.proceso.subsanar_vence
    paso = transiciones.desechada(vence=vence)
    solicitud_mover(solicitud=solicitud, usuario=None, **paso)
    aviso_encolar(
        asunto=f"Solicitud {solicitud.folio} desechada",
        mensaje=f"La solicitud {solicitud.folio} «{solicitud.titulo}» se desechó sin dictamen. "
        f"{paso['motivo']}",
        destinatarios=correos_requirentes(solicitud=solicitud),
        enlace=enlace_solicitud(solicitud=solicitud, ancla="t-historial"),
        accion="Ver la solicitud y su historial",
        motivo=motivo_requirente(solicitud=solicitud),
    )
    encuesta_invitar(solicitud=solicitud)
    return solicitud


def tarea_de_area(*, solicitud, usuario, area: Area):
    nodos = [nodo(Nodo.REVISION_TECNICA)]
    if solicitud.proceso.area_devuelta_id == area.pk:
        nodos.append(nodo(Nodo.RE_REVISION))
    return paso_tomar(solicitud=solicitud, usuario=usuario, nodos=nodos, area=area)


def _area_de_la_revision(*, solicitud, area: Area) -> Area:
    """The area whose review task a question about `area` belongs to: on the fast track, the
    single review's own (lead) area when it covers `area` (issue 47); else `area` itself."""
    if solicitud.via != Via.RAPIDA:
        return area
    for tarea in tareas_abiertas(solicitud=solicitud).filter(flow_task=nodo(Nodo.REVISION_TECNICA)):
        if es_revision_unica(tarea=tarea) and area.pk in areas_de_tarea(tarea=tarea):
            return Area.objects.get(pk=area_de_tarea(tarea=tarea))
    return area


@transaction.atomic
def informacion_pedir(*, solicitud, usuario, area: Area, pregunta: str) -> PeticionInformacion:
    """Ask the agency for more; the review's task stays open and its clock stops. `area` is
    the area of what is asked (areas.areas_que_pregunta): on a fast-track single review,
    the asking reviewer's area among those it covers, not necessarily the review's own."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    exigir_ajeno_al_ente(usuario=usuario, solicitud=solicitud)
    if not (pregunta or "").strip():
        raise ValidationError(exceptions.ERROR_SIN_PREGUNTA, code="sin_pregunta")
    tarea, _activation = tarea_de_area(
        solicitud=solicitud,
        usuario=usuario,
        area=_area_de_la_revision(solicitud=solicitud, area=area),
    )
    suyas = areas_que_pregunta(tarea=tarea, usuario=usuario)
    if area.pk not in suyas:
        raise ValidationError(
            exceptions.ERROR_PREGUNTA_DE_OTRA_AREA,
            code="area_ajena",
            params={
                "area": area.nombre,
                "suya": Area.objects.get(pk=suyas[0]).nombre if suyas else area.nombre,
            },
        )
    peticion = PeticionInformacion.objects.create(
        solicitud=solicitud, area=area, pregunta=pregunta.strip(), pedida_por=usuario
    )
    evento_registrar(
        tipo="peticion_informacion",
        descripcion=f"{area}: pide información al requirente",
        usuario=usuario,
        solicitud=solicitud,
        motivo=peticion.pregunta,
        datos={"peticion": peticion.pk, "tarea": tarea.pk, "area": area.clave},
    )
    aviso_encolar(
        asunto=f"Se pide información sobre la solicitud {solicitud.folio}",
        mensaje=f"El área {area} pide, sobre la solicitud {solicitud.folio} «{solicitud.titulo}»:"
        f"\n\n{peticion.pregunta}\n\nResponda desde la solicitud; el plazo del área se detiene "
        "hasta su respuesta.",
        destinatarios=correos_requirentes(solicitud=solicitud),
        enlace=enlace_solicitud(solicitud=solicitud),
        accion="Responder la petición",
        motivo=motivo_requirente(solicitud=solicitud),
    )
    return peticion


@transaction.atomic
def informacion_responder(*, peticion, usuario, respuesta: str) -> PeticionInformacion:
    peticion = PeticionInformacion.objects.select_for_update().get(pk=peticion.pk)
    solicitud = peticion.solicitud
    exigir_requirente(usuario=usuario, solicitud=solicitud)
    # A request closed early leaves its questions unanswered: nobody waits for the answer.
    if not peticion.abierta or solicitud.estado not in EN_TRAMITE:
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
    esperan = {peticion.pedida_por.email}
    for tarea in tareas_abiertas(solicitud=solicitud).select_related("owner"):
        if not es_tarea_de_peticion(tarea=tarea, area_id=peticion.area_id):
            continue
        if tarea.owner_id:
            esperan.add(tarea.owner.email)
        if pausa:
            vence = vencimiento_de(tarea=tarea)
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
    # Who asked waits for the answer: the area's step (and its clock) goes on.
    aviso_encolar(
        asunto=f"Respondieron su petición de información · {solicitud.folio}",
        mensaje=f"{solicitud.ente} respondió la petición de {peticion.area} sobre la solicitud "
        f"{solicitud.folio} «{solicitud.titulo}».\n\nPregunta: {peticion.pregunta}\n\n"
        f"Respuesta: {peticion.respuesta}\n\nLa revisión del área puede seguir.",
        destinatarios=esperan,
        enlace=enlace_solicitud(solicitud=solicitud),
        accion=f"Seguir la revisión de {peticion.area}",
        motivo="Recibe este aviso porque usted pidió esta información o tiene la revisión del "
        "área a su nombre.",
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
    # Separation of duties, the one rule (issue 92, item 1), asked here: paso_tomar below
    # does not ask it, and the step may be the person's already (a chief's reassignment asks
    # only the agency's part).
    if negado := access.impedimento(usuario=usuario, solicitud=solicitud, accion=access.REVISAR):
        raise PermissionDenied(negado)
    tarea, activation = tarea_de_area(solicitud=solicitud, usuario=usuario, area=area)
    # A question of any area the review covers stops it (on the fast track, several).
    if PeticionInformacion.objects.filter(
        solicitud=solicitud,
        area__in=areas_de_tarea(tarea=tarea) if es_revision_unica(tarea=tarea) else [area.pk],
        respondida_en__isnull=True,
    ).exists():
        raise ValidationError(exceptions.ERROR_PETICION_ABIERTA, code="peticion_abierta")
    if opinion not in RevisionArea.Opinion.values:
        raise ValidationError(exceptions.ERROR_OPINION_SIN_ELEGIR, code="sin_opinion")
    # Its own items; on the fast track the single review covers every item of the request.
    propias = list(partidas_de_revision(solicitud=solicitud, area=area))
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
        # An opinion, not a reason: any visible text is one, but a filler (U+3164) is none.
        texto = motivo_recortado(datos.get("opinion") or "")
        if not visibles(texto):
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
            motivo = motivo_leer(
                ajuste.get("motivo"),
                vacio=exceptions.ERROR_AJUSTE_SIN_MOTIVO,
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
    datos = {"area": area.clave, "ronda": ronda, "ajustes": ajustados, "detalle": detalle}
    descripcion = f"Revisión técnica de {area} concluida ({revision.get_opinion_display()})"
    if es_revision_unica(tarea=tarea):
        datos["via"] = Via.RAPIDA
        datos["areas"] = sorted(areas_de(solicitud=solicitud))
        # Its opinion is every covered area's, not only the lead's (issue 61).
        cubiertas = list(Area.objects.filter(clave__in=datos["areas"]).order_by("nombre"))
        revision.cubre.set(cubiertas)
        descripcion = (
            f"{TITULO_UNICA} de {', '.join(a.nombre for a in cubiertas)} concluida, con "
            f"opinión de todas las partidas ({revision.get_opinion_display()})"
        )
    evento_registrar(
        tipo="revision_area",
        descripcion=descripcion,
        usuario=usuario,
        solicitud=solicitud,
        motivo=revision.observaciones,
        datos=datos,
    )
    tarea_completar(activation=activation)
    if (
        tareas_abiertas(solicitud=solicitud)
        .filter(flow_task=nodo(Nodo.REVISION_ESTRATEGICA))
        .exists()
    ):
        solicitud_mover(solicitud=solicitud, usuario=usuario, **transiciones.fin_revision_tecnica())
    return revision


def decision_exigir(*, resultado: str, motivos: str, condiciones: str) -> str:
    """A decision's content is whole: a result, its reasons (which say something:
    estandares.motivos), and its conditions when it is conditional. The strategic decision
    and a proposed rectification both ask it. Returns the reasons as kept."""
    if resultado not in Resultado.values:
        raise ValidationError(exceptions.ERROR_SIN_RESULTADO, code="sin_resultado")
    motivos = motivo_leer(motivos, vacio=exceptions.ERROR_MOTIVOS, code="sin_motivos")
    if resultado == Resultado.CONDICIONADO and not condiciones:
        raise ValidationError(exceptions.ERROR_CONDICIONES, code="sin_condiciones")
    # The conditions become the dictamen's obligations, which are published with it.
    SIN_DATOS_PERSONALES(condiciones)
    return motivos


@transaction.atomic
def solicitud_decidir(
    *,
    solicitud,
    usuario,
    partidas: dict | None = None,
    motivos: str = "",
    condiciones: str = "",
    devolver_a: Area | None = None,
) -> Solicitud:
    """Decide each item, hence the result (decisiones.REGLA_RESULTADO), or send the request
    back to one area for re-review. `partidas` = {partida_pk: {"resultado", "cantidad",
    "monto", "motivo", "texto"}} for every item (decisiones.decision_leer)."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    # The one rule, as for a review (issue 92, item 1).
    if negado := access.impedimento(usuario=usuario, solicitud=solicitud, accion=access.DECIDIR):
        raise PermissionDenied(negado)
    motivos = (motivos or "").strip()
    condiciones = (condiciones or "").strip()
    tarea, activation = paso_tomar(
        solicitud=solicitud, usuario=usuario, nodos=[nodo(Nodo.REVISION_ESTRATEGICA)]
    )
    # The activation's own process instance: the flow's gateways read it after execute().
    proceso = activation.process
    if devolver_a is not None:
        motivos = motivo_leer(motivos, vacio=exceptions.ERROR_DEVOLUCION_SIN_MOTIVO)
        if not areas_revisadas(solicitud=solicitud).filter(pk=devolver_a.pk).exists():
            raise ValidationError(
                exceptions.ERROR_AREA_NO_PARTICIPA,
                code="area_ajena",
                params={"area": devolver_a.nombre},
            )
        if not devolver_a.activa:
            raise ValidationError(
                exceptions.ERROR_DEVOLUCION_A_RETIRADA,
                code="area_retirada",
                params={"area": devolver_a.nombre},
            )
        paso = transiciones.devolucion(area=devolver_a, motivos=motivos)
    else:
        leidas = decisiones.decisiones_leer(solicitud=solicitud, datos=partidas or {})
        resultado = decisiones.resultado_de(
            resultados=[d.resultado for d in leidas], condiciones=condiciones
        )
        motivos = decision_exigir(resultado=resultado, motivos=motivos, condiciones=condiciones)
        paso = transiciones.decision(
            resultado=resultado,
            condiciones=condiciones,
            motivos=motivos,
            partidas=decisiones.decisiones_guardar(decisiones=leidas, usuario=usuario),
        )
    # The flow's gateway reads area_devuelta: re-review of that area, or on to the signature.
    proceso.area_devuelta = devolver_a
    proceso.save(update_fields=["area_devuelta"])
    solicitud_mover(solicitud=solicitud, usuario=usuario, **paso)
    tarea_completar(activation=activation)
    return solicitud
