"""After a dictamen is issued: cancelling it, and rectifying it.

Both keep the separation of duties that signing has, one predicate for the three
(access.impedimento): the firmante is not a superuser, not from the request's
agency, and did not review or decide it. A rectification's new content (result, reasons,
conditions, and why it is rectified) is the Dirección General's: a strategic reviewer, kept
apart from the request as deciding it requires, proposes it (recorded as an audit event, as the
strategic decision is), and then a firmante signs it as proposed, with nothing of their own. The
proposer is any strategic reviewer, not necessarily the one who decided: the Dirección General
decides as an office, and that person may have left; what matters is that the content is neither
the signer's nor a reviewer's, and proposing it makes its author one of the request's deciders,
whom signing excludes."""

import functools
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes import exceptions
from dictamenes.avisos import services as avisos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.comun.enlaces import url_verificacion
from dictamenes.emision.documentos import efirma
from dictamenes.emision.services.conservacion import constancia_obtener_al_emitir
from dictamenes.emision.services.firma import (
    Decision,
    dictamen_sellar,
    exigir_firmante,
    exigir_rol_firmante,
    solicitud_bloqueada,
    transaccion_con_archivos,
)
from dictamenes.models import Dictamen, EventoAuditoria, Resultado
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.selectors.usuarios import correos_con_permiso
from dictamenes.precios import services as precios
from dictamenes.seguimiento.services.condiciones import condiciones_crear
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.decisiones import decisiones_de_solicitud
from dictamenes.tramite.selectors.resoluciones import propuesta_pendiente
from dictamenes.tramite.services.estados import resultado_corregir
from dictamenes.tramite.services.etapas import decision_exigir
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import texto_normalizar
from estandares.motivos import motivo_leer

ERROR_YA_CANCELADO = _("El dictamen %(folio)s ya está cancelado.")
ERROR_MOTIVO_CANCELACION = _("Escriba el motivo de la cancelación.")


def _exigir_separacion(*, usuario, solicitud, accion) -> None:
    impedimento = access.impedimento(usuario=usuario, solicitud=solicitud, accion=accion)
    if impedimento:
        raise PermissionDenied(impedimento)


def _exigir_vigente(dictamen) -> None:
    if dictamen.cancelado_en:
        raise ValidationError(
            ERROR_YA_CANCELADO, code="ya_cancelado", params={"folio": dictamen.folio}
        )


def _cancelar(*, dictamen, usuario, credencial, motivo, momento) -> None:
    # Sealed as it is stored: the text people read back is the text the seal covers.
    motivo = texto_normalizar(motivo, multilinea=True)
    cadena = (
        "||"
        + "|".join(
            [
                "CANCELACION",
                dictamen.folio,
                momento.isoformat(timespec="seconds"),
                hashlib.sha256(motivo.encode()).hexdigest(),
                credencial.rfc,
                credencial.numero,
            ]
        )
        + "||"
    )
    dictamen.cancelado_en = momento
    dictamen.cancelado_por = usuario
    dictamen.motivo_cancelacion = motivo
    dictamen.cadena_cancelacion = cadena
    dictamen.sello_cancelacion = efirma.sellar(credencial=credencial, cadena=cadena)
    dictamen.save(
        update_fields=[
            "cancelado_en",
            "cancelado_por",
            "motivo_cancelacion",
            "cadena_cancelacion",
            "sello_cancelacion",
        ]
    )


@transaction.atomic
def dictamen_cancelar(*, dictamen, usuario, credencial, motivo: str) -> Dictamen:
    """Cancel an issued dictamen with a reason and a new seal; it stays verifiable."""
    exigir_rol_firmante(usuario)
    dictamen = Dictamen.objects.select_for_update().get(pk=dictamen.pk)
    solicitud = solicitud_bloqueada(dictamen.solicitud_id)
    _exigir_separacion(usuario=usuario, solicitud=solicitud, accion=access.CANCELAR)
    _exigir_vigente(dictamen)
    motivo = motivo_leer(motivo, vacio=ERROR_MOTIVO_CANCELACION)
    # Shown on the public verification page and the register: no personal data.
    SIN_DATOS_PERSONALES(motivo)
    momento = timezone.now()
    # A cancellation seals the cadena with the e.firma; no PDF is signed, no TSA is asked.
    exigir_firmante(usuario, credencial, momento, con_pdf=False)
    _cancelar(
        dictamen=dictamen, usuario=usuario, credencial=credencial, motivo=motivo, momento=momento
    )
    precios.observaciones_de_solicitud(solicitud_id=solicitud.pk)
    evento_registrar(
        tipo="cancelacion",
        descripcion=f"Dictamen {dictamen.folio} cancelado",
        usuario=usuario,
        solicitud=solicitud,
        motivo=motivo,
        datos={"dictamen": dictamen.pk, "sello": dictamen.sello_cancelacion[:32]},
    )
    avisos.aviso_encolar(
        asunto=f"Dictamen {dictamen.folio} cancelado",
        mensaje=f"{con_articulo(dictamen.textos.institucion_nombre, mayuscula=True)} canceló "
        f"el dictamen {dictamen.folio} de "
        f"la solicitud {solicitud.folio} «{solicitud.titulo}»: ya no ampara la contratación."
        f"\n\nMotivo: {dictamen.motivo_cancelacion}",
        destinatarios=avisos.correos_requirentes(solicitud=solicitud),
        enlace=avisos.enlace_solicitud(solicitud=solicitud, ancla="t-dictamen"),
        accion="Ver la solicitud y el dictamen cancelado",
        motivo=avisos.motivo_requirente(solicitud=solicitud),
        otros_enlaces=[("Verificación pública del dictamen", url_verificacion(dictamen.folio))],
    )
    return dictamen


@transaction.atomic
def rectificacion_proponer(
    *,
    dictamen,
    usuario,
    motivo: str,
    motivos: str,
    condiciones: str = "",
    resultado: str | None = None,
) -> EventoAuditoria:
    """The Dirección General proposes the content of a rectified dictamen: why it is
    rectified, and its result, reasons and conditions. A later proposal replaces an unsigned
    one. The firmantes are told that it waits for their signature."""
    dictamen = Dictamen.objects.select_for_update().get(pk=dictamen.pk)
    solicitud = solicitud_bloqueada(dictamen.solicitud_id)
    impedimento = access.impedimento(usuario=usuario, solicitud=solicitud, accion=access.PROPONER)
    if impedimento:
        raise PermissionDenied(impedimento)
    _exigir_vigente(dictamen)
    condiciones = (condiciones or "").strip()
    resultado = resultado or dictamen.resultado
    motivo = motivo_leer(motivo, vacio=exceptions.ERROR_PROPUESTA_SIN_MOTIVO)
    # It becomes the rectified dictamen's public reason (the verification page shows it).
    SIN_DATOS_PERSONALES(motivo)
    motivos = decision_exigir(resultado=resultado, motivos=motivos, condiciones=condiciones)
    evento = evento_registrar(
        tipo="propuesta_rectificacion",
        descripcion=f"Rectificación del dictamen {dictamen.folio} propuesta: "
        f"{Resultado(resultado).label}",
        usuario=usuario,
        solicitud=solicitud,
        motivo=motivo,
        datos={
            "dictamen": dictamen.pk,
            "folio": dictamen.folio,
            "resultado": resultado,
            "motivos": motivos,
            "condiciones": condiciones,
        },
    )
    avisos.aviso_encolar(
        asunto=f"Rectificación por firmar: dictamen {dictamen.folio}",
        mensaje=f"{con_articulo(textos_vigentes().unidad_resuelve_nombre, mayuscula=True)} propone "
        "rectificar el dictamen "
        f"{dictamen.folio} de la "
        f"solicitud {solicitud.folio} «{solicitud.titulo}».\n\nMotivo: {motivo}\n\nFírmela "
        "desde la página de la solicitud.",
        destinatarios=correos_con_permiso(codename="firmar_dictamen"),
        enlace=avisos.enlace_solicitud(solicitud=solicitud, ancla="propuesta-rectificacion"),
        accion="Revisar y firmar la rectificación",
        motivo="Recibe este aviso porque firma dictámenes en Dictámenes TIC.",
    )
    return evento


def dictamen_rectificar(*, dictamen, usuario, credencial, propuesta: int | None = None) -> Dictamen:
    """A firmante signs the pending proposal of the Dirección General: a new dictamen with its
    content replaces (and cancels) `dictamen`. `propuesta`: the proposal the firmante read
    (its event's id); if another replaced it meanwhile, nothing is signed."""
    with transaccion_con_archivos() as guardados:
        return _dictamen_rectificar(
            dictamen=dictamen,
            usuario=usuario,
            credencial=credencial,
            propuesta=propuesta,
            guardados=guardados,
        )


def _dictamen_rectificar(*, dictamen, usuario, credencial, propuesta, guardados) -> Dictamen:
    exigir_rol_firmante(usuario)
    dictamen = Dictamen.objects.select_for_update().get(pk=dictamen.pk)
    solicitud = solicitud_bloqueada(dictamen.solicitud_id)
    _exigir_separacion(usuario=usuario, solicitud=solicitud, accion=access.RECTIFICAR)
    _exigir_vigente(dictamen)
    pendiente = propuesta_pendiente(dictamen=dictamen)
    if pendiente is None:
        raise ValidationError(
            exceptions.ERROR_SIN_PROPUESTA, code="sin_propuesta", params={"folio": dictamen.folio}
        )
    if propuesta is not None and pendiente.pk != propuesta:
        raise exceptions.Conflicto(exceptions.ERROR_PROPUESTA_CAMBIO, code="propuesta_cambio")
    momento = timezone.now()
    contexto = exigir_firmante(usuario, credencial, momento)
    datos = pendiente.datos
    _cancelar(
        dictamen=dictamen,
        usuario=usuario,
        credencial=credencial,
        motivo=f"Rectificación: {pendiente.motivo}",
        momento=momento,
    )
    nuevo = dictamen_sellar(
        solicitud=solicitud,
        usuario=usuario,
        credencial=credencial,
        decision=Decision(
            resultado=datos["resultado"],
            condiciones=datos.get("condiciones", ""),
            motivos=datos["motivos"],
        ),
        momento=momento,
        guardados=guardados,
        contexto=contexto,
        sustituye=dictamen,
    )
    precios.observaciones_de_solicitud(solicitud_id=solicitud.pk)
    resultado_corregir(
        solicitud=solicitud,
        resultado=datos["resultado"],
        tipo="rectificacion",
        descripcion=f"Dictamen {dictamen.folio} rectificado por {nuevo.folio}",
        usuario=usuario,
        motivo=pendiente.motivo,
        datos={
            "anterior": dictamen.pk,
            "nuevo": nuevo.pk,
            "pdf_sha256": nuevo.pdf_sha256,
            "propuesta": pendiente.pk,
            "propuesta_por": pendiente.usuario_id,
        },
    )
    # The rectified dictamen's conditions are obligations of their own, from its issue date.
    condiciones = condiciones_crear(
        dictamen=nuevo, usuario=usuario, texto=datos.get("condiciones", "")
    )
    avisos.dictamen_avisar(
        dictamen=nuevo,
        condiciones=condiciones,
        asunto=f"Dictamen {dictamen.folio} rectificado por el {nuevo.folio}",
        parrafo=f"El dictamen {dictamen.folio} de la solicitud {solicitud.folio} "
        f"«{solicitud.titulo}» quedó cancelado y lo sustituye el {nuevo.folio}, con resultado "
        f"{nuevo.get_resultado_display().upper()}.\n\nMotivo: {pendiente.motivo}",
        decisiones=decisiones_de_solicitud(solicitud=solicitud, resultado=nuevo.resultado),
    )
    transaction.on_commit(functools.partial(constancia_obtener_al_emitir, dictamen_pk=nuevo.pk))
    return nuevo
