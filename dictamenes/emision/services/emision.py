"""Issuing the signed dictamen. The firma step of the flow ends here: the e.firma is checked,
the cadena original sealed, the PDF rendered and signed with PAdES, stored with its SHA-256,
and the process closed, all in one transaction. The signing machinery is services.firma;
cancelling and rectifying an issued dictamen are in services.rectificacion, with the same."""

import dataclasses
import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dictamenes import exceptions, flow_port
from dictamenes.avisos import services as avisos
from dictamenes.emision.documentos import efirma
from dictamenes.emision.documentos.pdf import dictamen_pdf
from dictamenes.emision.services import firma
from dictamenes.emision.services.conservacion import constancia_obtener_al_emitir
from dictamenes.encuestas import services as encuestas
from dictamenes.flow_port import Nodo
from dictamenes.models import Dictamen
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.precios import services as precios
from dictamenes.seguimiento.services import condiciones as condiciones_servicio
from dictamenes.seguimiento.services.condiciones import condiciones_crear
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.decisiones import decisiones_de_solicitud
from dictamenes.tramite.selectors.resoluciones import decision_vigente
from dictamenes.tramite.services import estados, tareas, transiciones


def dictamen_emitir(*, solicitud, usuario, credencial: efirma.Credencial) -> Dictamen:
    """The firmante signs with their e.firma: the dictamen is issued and the process ends."""
    with firma.transaccion_con_archivos() as guardados:
        return _dictamen_emitir(
            solicitud=solicitud, usuario=usuario, credencial=credencial, guardados=guardados
        )


def _decision_de(solicitud) -> firma.Decision:
    """What the Dirección General decided, as the firmante signs it."""
    evento = decision_vigente(solicitud=solicitud)
    return firma.Decision(
        resultado=solicitud.resultado,
        condiciones=evento.datos.get("condiciones", ""),
        motivos=evento.motivo,
    )


def _exigir_puede_firmar(*, solicitud, usuario) -> None:
    """This request's dictamen is not yet signed, and the person may sign it as separation of
    duties says (access.impedimento). The role and the e.firma are checked
    apart."""
    if solicitud.dictamenes.exists():
        raise ValidationError(exceptions.ERROR_YA_FIRMADA, code="ya_firmada")
    impedimento = access.impedimento(usuario=usuario, solicitud=solicitud, accion=access.FIRMAR)
    if impedimento:
        raise PermissionDenied(impedimento)


def dictamen_vista_previa(*, solicitud, usuario) -> bytes:
    """The dictamen as the firmante would sign it now, rendered by the same code as the signed
    PDF from the same data, but without folio (none is taken), cadena, sello or signature, and
    marked «Vista previa · sin validez» on every page. Only for who may sign it now: the same
    checks as signing, short of the e.firma; the step is not taken. Writes nothing."""
    firma.exigir_rol_firmante(usuario)
    _exigir_puede_firmar(solicitud=solicitud, usuario=usuario)
    tareas.paso_disponible(solicitud=solicitud, usuario=usuario, nodos=[flow_port.nodo(Nodo.FIRMA)])
    momento = timezone.now()
    decision = _decision_de(solicitud)
    condiciones = firma.condiciones_del_dictamen(solicitud, decision)
    decision = dataclasses.replace(
        decision, condiciones=condiciones_servicio.condiciones_sin_area(texto=decision.condiciones)
    )
    partidas = firma.partidas_del_dictamen(solicitud)
    datos = firma.datos_pdf(
        solicitud=solicitud,
        partidas=partidas,
        folio="",
        momento=momento,
        decision=decision,
        vigencia_hasta=firma.vigencia_hasta_de(momento),
        firmante=usuario,
        cadena="",
        sello="",
        numero="",
        condiciones=condiciones,
        textos=textos_vigentes(),
        vista_previa=True,
    )
    return dictamen_pdf(datos)


def _dictamen_emitir(*, solicitud, usuario, credencial, guardados) -> Dictamen:
    solicitud = firma.solicitud_bloqueada(solicitud.pk)
    _exigir_puede_firmar(solicitud=solicitud, usuario=usuario)
    momento = timezone.now()
    contexto = firma.exigir_firmante(usuario, credencial, momento)
    tarea, activation = tareas.paso_tomar(
        solicitud=solicitud, usuario=usuario, nodos=[flow_port.nodo(Nodo.FIRMA)]
    )
    decision = _decision_de(solicitud)
    # The items with their decisions, read once: the sealed content and the PDF print them,
    # the prices observed under the dictamen are written from them, and the agency's notice
    # lists what the dictamen approved of each (nothing writes them in between: the request
    # is locked and issuing changes neither).
    partidas = firma.partidas_del_dictamen(solicitud)
    dictamen = firma.dictamen_sellar(
        solicitud=solicitud,
        usuario=usuario,
        credencial=credencial,
        decision=decision,
        momento=momento,
        guardados=guardados,
        contexto=contexto,
        partidas=partidas,
    )
    estados.solicitud_mover(
        solicitud=solicitud, usuario=usuario, **transiciones.dictamen_emitido(dictamen=dictamen)
    )
    condiciones = condiciones_crear(dictamen=dictamen, usuario=usuario, texto=decision.condiciones)
    precios.observaciones_de_solicitud(
        solicitud_id=solicitud.pk, emitido=dictamen, partidas=partidas
    )
    tareas.tarea_completar(activation=activation)
    avisos.dictamen_avisar(
        dictamen=dictamen,
        condiciones=condiciones,
        asunto=f"Dictamen {dictamen.folio} emitido para la solicitud {solicitud.folio}",
        parrafo=f"La solicitud {solicitud.folio} «{solicitud.titulo}» tiene dictamen "
        f"{dictamen.get_resultado_display().upper()}.",
        decisiones=decisiones_de_solicitud(
            solicitud=solicitud, resultado=dictamen.resultado, partidas=partidas
        ),
    )
    encuestas.encuesta_invitar(solicitud=solicitud)
    transaction.on_commit(functools.partial(constancia_obtener_al_emitir, dictamen_pk=dictamen.pk))
    return dictamen
