"""The purchase made: the agency records, under its favourable dictamen, the contract it signed.

The point of the dictamen is to stop duplicated and oversized ICT spending, so what was bought
is compared with what was allowed. A contract is signalled to the people who decide requests
(they get an e-mail, and /planeacion/contratos/ lists it) when:
- the total contracted under the dictamen exceeds what the dictamen approved: the sum of what
  it approved of each item (tramite.selectors.decisiones), not the amount the agency asked.
  Such a contract is not saved without the agency's reason (motivo_exceso), which is kept,
  audited and shown with it (issue 61);
- it is dated after the dictamen's validity;
- it is dated before the dictamen was issued (bought without a dictamen);
- a condition of the dictamen to be met before contracting is still unmet when it is
  recorded (seguimiento.services.condiciones.ANTES_DE_CONTRATAR).
The notice goes to whoever decides requests, whoever signs dictámenes and the administrators.

Prices no interested party can move (issue 76, items 1–2):
- a contract whose running total passes what the dictamen approved by more than the office's
  tolerance (ConfiguracionVias.contrato_tolerancia_pct) is not the requester's alone: it waits
  for the strategic reviewer (contrato_autorizar), is published as pending and enters no
  figure until authorised; one of more than `contrato_absurdo_veces` times the approved total
  is refused;
- a contract's price enters the reference (precios.services) only once someone who is not
  the requester (the mesa de control or a strategic reviewer, of another agency, not the one
  who recorded it) has checked it against its document (contrato_verificar).

Checking a contract is more than a click (issue 93, item 6): the verification page shows the
document itself, and the server records, as an audit event, each time it sends the document
to a person who may check it (contrato_documento_abierto, called by the document's view as it
answers); checking it asks for that record, and keeps when that person opened it. Whoever
decided the request (its items and their prices) may not check its contract: separation of
duties' table (access.VERIFICAR_CONTRATO), through the one predicate
(selectors.contratos.impedimento_para_verificar).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from dictamenes import exceptions
from dictamenes.avisos import services as avisos
from dictamenes.comun import archivos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.comun.fechas import fecha_larga
from dictamenes.models import Anexo, Condicion, Contrato, Dictamen, EventoAuditoria, Resultado
from dictamenes.models.contratos import pasa_la_tolerancia
from dictamenes.organizacion.selectors.usuarios import (
    correos_con_permiso,
    correos_de_administradores,
)
from dictamenes.precios import services as precios
from dictamenes.seguimiento.selectors.contratos import (
    ABIERTO,
    documento_abierto_en,
    impedimento_para_verificar,
    tope_del_dictamen,
)
from dictamenes.seguimiento.selectors.contratos import (
    # Said by the predicate; the tests and callers read it from here too.
    ERROR_VERIFICAR_SIN_PERMISO as ERROR_VERIFICAR_SIN_PERMISO,
)
from dictamenes.senales import services as senales
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.vias import vias_vigentes
from dictamenes.tramite.services.solicitudes import anexo_guardar
from estandares import identidad
from estandares.entradas import texto_normalizar
from estandares.motivos import motivo_leer

ERROR_NO_FAVORABLE = _(
    "Solo se registran contratos bajo un dictamen favorable o favorable condicionado vigente "
    "o vencido, no cancelado."
)
ERROR_NUMERO_REPETIDO = _("El contrato %(numero)s ya está registrado bajo este dictamen.")
ERROR_MONTO = _("El monto contratado debe ser mayor que cero.")
ERROR_TERMINO = _(
    "La fecha de término (%(termino)s) no puede ser anterior a la fecha del contrato (%(fecha)s)."
)
ERROR_SIN_MOTIVO_EXCESO = _(
    "Con este contrato el total contratado bajo el dictamen (%(total)s) pasa de lo que aprobó "
    "(%(aprobado)s): escriba el motivo para contratar más de lo aprobado. No se guardó nada."
)

ERROR_ABSURDO = _(
    "Con este contrato el total contratado bajo el dictamen (%(total)s) sería más de "
    "%(veces)s veces lo que aprobó (%(aprobado)s): revise el monto. Un contrato así pide un "
    "dictamen rectificado. No se guardó nada."
)
ERROR_YA_RESUELTO = _(
    "Ese contrato ya no espera la revisión estratégica: %(estado)s. No se cambió nada."
)
ERROR_AUTORIZAR_SIN_PERMISO = _(
    "Solo la revisión estratégica autoriza un contrato que pasa lo aprobado por más de la "
    "tolerancia."
)
ERROR_AUTORIZAR_SIN_MOTIVO = _("Escriba el motivo de su decisión sobre el contrato.")
ERROR_VERIFICAR_SIN_DOCUMENTO = _(
    "El contrato no tiene su documento adjunto: no hay contra qué verificarlo."
)
ERROR_YA_VERIFICADO = _("Ese contrato ya fue verificado por %(persona)s. No se cambió nada.")
ERROR_VERIFICAR_SIN_ABRIR = _(
    "Usted no ha abierto el documento del contrato: ábralo en la página de verificación y "
    "compárelo con los datos registrados antes de verificarlo. No se cambió nada."
)

SENALES = {
    "excede_monto": _(
        "el total contratado (%(total)s) excede lo que aprobó el dictamen (%(monto)s)"
    ),
    "fuera_de_vigencia": _("está fechado después de la vigencia del dictamen (%(vigencia)s)"),
    "antes_del_dictamen": _("está fechado antes de la emisión del dictamen (%(emision)s)"),
    "condicion_pendiente": _(
        "se registró sin cumplir lo que el dictamen pide antes de contratar (%(condiciones)s)"
    ),
}


def _pesos(valor: Decimal) -> str:
    return "$" + number_format(valor, decimal_pos=2, force_grouping=True)


@transaction.atomic
def contrato_registrar(
    *,
    dictamen: Dictamen,
    usuario,
    numero: str,
    proveedor: str,
    fecha: datetime.date,
    monto: Decimal,
    motivo_exceso: str = "",
    archivo=None,
    termino: datetime.date | None = None,
    proveedor_rfc: str = "",
) -> Contrato:
    """Record a contract under the dictamen (its agency's requirentes only), with its signals
    worked out against the dictamen, and audit it. A contract that takes the running total
    over what the dictamen approved needs `motivo_exceso`; under it, none is kept. Over the
    approved total by more than the office's tolerance it waits for the strategic reviewer;
    by more than `contrato_absurdo_veces` times, it is refused. `archivo`: the contract's
    document, which a person who is not the requester checks it against. `termino`: when the
    contract ends (the delivery is due by then; issue 80), never before its date."""
    solicitud = dictamen.solicitud
    access.exigir_requirente(usuario=usuario, solicitud=solicitud)
    # The dictamen's row is the lock: two contracts recorded at once add up in order.
    dictamen = Dictamen.objects.select_for_update().select_related("solicitud").get(pk=dictamen.pk)
    if dictamen.cancelado_en or dictamen.resultado == Resultado.NO_FAVORABLE:
        raise ValidationError(ERROR_NO_FAVORABLE)
    if monto is None or monto <= 0:
        raise ValidationError({"monto": ERROR_MONTO})
    if termino is not None and fecha is not None and termino < fecha:
        raise ValidationError(
            {
                "termino": ValidationError(
                    ERROR_TERMINO
                    % {"termino": f"{termino:%d/%m/%Y}", "fecha": f"{fecha:%d/%m/%Y}"},
                    code="termino_antes",
                )
            }
        )
    numero = texto_normalizar(numero, multilinea=False).strip()
    proveedor = texto_normalizar(proveedor, multilinea=False).strip()
    proveedor_rfc = identidad.proveedor_rfc_leer(proveedor=proveedor, proveedor_rfc=proveedor_rfc)
    if dictamen.contratos.filter(numero=numero).exists():
        raise ValidationError({"numero": ERROR_NUMERO_REPETIDO % {"numero": numero}})
    tope = tope_del_dictamen(dictamen=dictamen)
    total, autorizado = tope.contratado + monto, tope.aprobado
    config = vias_vigentes()
    if total > autorizado * config.contrato_absurdo_veces:
        raise ValidationError(
            {
                "monto": ValidationError(
                    ERROR_ABSURDO
                    % {
                        "total": _pesos(total),
                        "veces": config.contrato_absurdo_veces,
                        "aprobado": _pesos(autorizado),
                    },
                    code="absurdo",
                )
            }
        )
    excede = tope.excede(monto)
    pendiente = pasa_la_tolerancia(
        total=total, aprobado=autorizado, tolerancia_pct=config.contrato_tolerancia_pct
    )
    motivo = (
        motivo_leer(
            motivo_exceso,
            campo="motivo_exceso",
            vacio=ERROR_SIN_MOTIVO_EXCESO,
            code="sin_motivo_exceso",
            params={"total": _pesos(total), "aprobado": _pesos(autorizado)},
        )
        if excede
        else ""
    )
    previas = list(
        dictamen.obligaciones.filter(antes_de_contratar=True)
        .exclude(estado=Condicion.Estado.CUMPLIDA)
        .order_by("numero")
    )
    emision = timezone.localtime(dictamen.emitido_en).date()
    contrato = Contrato(
        dictamen=dictamen,
        numero=numero,
        proveedor=proveedor,
        proveedor_rfc=proveedor_rfc,
        fecha=fecha,
        termino=termino,
        monto=monto,
        excede_monto=excede,
        motivo_exceso=motivo,
        fuera_de_vigencia=fecha > dictamen.vigencia_hasta,
        antes_del_dictamen=fecha < emision,
        condicion_pendiente=bool(previas),
        autorizacion=Contrato.Autorizacion.PENDIENTE
        if pendiente
        else Contrato.Autorizacion.NO_REQUERIDA,
        registrado_por=usuario,
        registrado_en=timezone.now(),
    )
    contrato.full_clean(exclude=["anexo"])
    if archivo is not None:
        contrato.anexo = _documento_guardar(solicitud=solicitud, usuario=usuario, archivo=archivo)
    contrato.save()
    precios.observaciones_de_solicitud(solicitud_id=solicitud.pk)
    avisadas = [
        str(texto)
        % {
            "total": _pesos(total),
            "monto": _pesos(autorizado),
            "vigencia": fecha_larga(dictamen.vigencia_hasta),
            "emision": fecha_larga(emision),
            "condiciones": "; ".join(f"condición {c.numero}: {c.texto}" for c in previas),
        }
        for clave, texto in SENALES.items()
        if getattr(contrato, clave)
    ]
    evento_registrar(
        tipo="contrato_registrado",
        descripcion=f"Contrato {numero} registrado bajo el dictamen {dictamen.folio}"
        + (" por más de lo aprobado" if excede else "")
        + (": espera la revisión estratégica" if pendiente else ""),
        usuario=usuario,
        solicitud=solicitud,
        # The history (page and PDF) shows an event's motivo beside it.
        motivo=motivo,
        datos={
            "dictamen": dictamen.folio,
            "numero": numero,
            "proveedor": contrato.proveedor,
            # Issue 88: the OCDS party's identifier when it is a company's (publico.ocds). A
            # person's stays in the contract's row, where it can be corrected or removed, and
            # out of the chain, which is never changed and goes whole into the expediente.
            "proveedor_rfc": identidad.rfc_publicable(contrato.proveedor_rfc),
            "fecha": fecha.isoformat(),
            # When it ends (OCDS contracts[].period.endDate); "" when not told.
            "termino": termino.isoformat() if termino else "",
            "monto": str(monto),
            "total_contratado": str(total),
            "monto_aprobado": str(autorizado),
            "motivo_exceso": motivo,
            "condiciones_previas_sin_cumplir": [c.numero for c in previas],
            "senales": [clave for clave in SENALES if getattr(contrato, clave)],
            "autorizacion": contrato.autorizacion,
            "documento": contrato.anexo.sha256 if contrato.anexo else "",
        },
    )
    senales_del_contrato(contrato)
    if avisadas:
        avisos.aviso_encolar(
            asunto=f"Contrato señalado bajo el dictamen {dictamen.folio}"
            + (": espera su autorización" if pendiente else ""),
            mensaje=(
                f"{solicitud.ente.siglas} registró el contrato {numero} con {contrato.proveedor} "
                f"por {_pesos(monto)}, del {fecha_larga(fecha)}: " + "; ".join(avisadas) + "."
            ),
            destinatarios=destinatarios_de_senales(),
            enlace=avisos.enlace("planeacion:contratos"),
            accion="Revisar los contratos señalados",
            motivo="Recibe este aviso porque decide las solicitudes, firma los dictámenes o "
            "administra el sistema.",
            detalles=[("Motivo del ente para contratar más de lo aprobado", motivo)]
            if motivo
            else (),
        )
    return contrato


def _documento_guardar(*, solicitud, usuario, archivo) -> Anexo:
    """The contract's document, checked by content and hashed as every attachment, through
    the attachments' own door (the request is closed by now: not within a draft's limits)."""
    return anexo_guardar(
        solicitud=solicitud,
        usuario=usuario,
        tipo=Anexo.Tipo.CONTRATO,
        archivo=archivo,
        validado=archivos.validar_anexo(archivo),
    )


def _exigir_ajeno(*, usuario, solicitud) -> None:
    """Neither the server's administrator account nor anyone of the request's agency."""
    if usuario.is_superuser:
        raise PermissionDenied(exceptions.ERROR_SUPERUSUARIO)
    access.exigir_ajeno_al_ente(usuario=usuario, solicitud=solicitud)


def puede_autorizar(*, usuario, contrato) -> bool:
    return (
        contrato.autorizacion == Contrato.Autorizacion.PENDIENTE
        and not usuario.is_superuser
        and usuario.has_perm("dictamenes.decidir_solicitud")
        and getattr(getattr(usuario, "perfil", None), "ente_id", None)
        != contrato.dictamen.solicitud.ente_id
    )


def puede_verificar(*, usuario, contrato, roles=None, decisores=None) -> bool:
    """Whether the pages offer the check: a contract not yet checked, with its document, that
    the predicate lets this person check (its document opened or not: the page shows it)."""
    return (
        contrato.verificado_por_id is None
        and contrato.anexo_id is not None
        and impedimento_para_verificar(
            usuario=usuario, contrato=contrato, roles=roles, decisores=decisores
        )
        is None
    )


def evento_de_registro(contrato: Contrato) -> int | None:
    """The contract's registration event, whose number names it in OCDS."""
    return (
        EventoAuditoria.objects.filter(
            tipo="contrato_registrado",
            solicitud_id=contrato.dictamen.solicitud_id,
            datos__dictamen=contrato.dictamen.folio,
            datos__numero=contrato.numero,
        )
        .order_by("-numero")
        .values_list("numero", flat=True)
        .first()
    )


@transaction.atomic
def contrato_autorizar(*, contrato: Contrato, usuario, autorizar: bool, motivo: str) -> Contrato:
    """The strategic reviewer's word on a contract that waits (over the approved total by more
    than the tolerance): authorised, it counts as contracted (figures, OCDS, and the
    reference once checked against its document); refused, it never does, and the agency
    asks for a rectified dictamen. Audited, with its reason."""
    contrato = (
        Contrato.objects.select_for_update()
        .select_related("dictamen__solicitud")
        .get(pk=contrato.pk)
    )
    solicitud = contrato.dictamen.solicitud
    _exigir_ajeno(usuario=usuario, solicitud=solicitud)
    if not usuario.has_perm("dictamenes.decidir_solicitud"):
        raise PermissionDenied(ERROR_AUTORIZAR_SIN_PERMISO)
    if contrato.autorizacion != Contrato.Autorizacion.PENDIENTE:
        raise ValidationError(
            ERROR_YA_RESUELTO % {"estado": contrato.get_autorizacion_display()},
            code="ya_resuelto",
        )
    motivo = motivo_leer(motivo, campo="motivo", vacio=ERROR_AUTORIZAR_SIN_MOTIVO)
    contrato.autorizacion = (
        Contrato.Autorizacion.AUTORIZADA if autorizar else Contrato.Autorizacion.RECHAZADA
    )
    contrato.autorizado_por = usuario
    contrato.autorizado_en = timezone.now()
    contrato.motivo_autorizacion = motivo
    contrato.full_clean()
    contrato.save()
    precios.observaciones_de_solicitud(solicitud_id=solicitud.pk)
    evento_registrar(
        tipo="contrato_autorizado" if autorizar else "contrato_no_autorizado",
        descripcion=f"Contrato {contrato.numero} bajo el dictamen {contrato.dictamen.folio} "
        + ("autorizado" if autorizar else "no autorizado")
        + " por la revisión estratégica",
        usuario=usuario,
        solicitud=solicitud,
        motivo=motivo,
        datos={
            "dictamen": contrato.dictamen.folio,
            "numero": contrato.numero,
            "monto": str(contrato.monto),
            "autorizacion": contrato.autorizacion,
            # The registration's event, whose number names the contract in OCDS.
            "evento_registro": evento_de_registro(contrato),
        },
    )
    senales_del_contrato(contrato)
    return contrato


def senales_del_contrato(contrato: Contrato) -> None:
    """The signs (issue 80) a contract's record, word or delivery changes, in the caller's
    transaction: its request's, and its agency's concentration in the contract's year."""
    solicitud = contrato.dictamen.solicitud
    senales.senales_actualizar(solicitud)
    senales.senales_del_ente_actualizar(ente_id=solicitud.ente_id, ejercicio=contrato.fecha.year)


@transaction.atomic
def contrato_documento_abierto(*, contrato: Contrato, usuario) -> bool:
    """The server is sending the contract's document to this person (the document's view
    calls it as it answers): recorded as an audit event (who, when, which document) when the
    contract waits for its check and the person may make it (impedimento_para_verificar);
    nothing otherwise. Returns whether it was recorded. It says the document reached the
    person's browser from this server, not that they read it."""
    if contrato.verificado_por_id is not None or contrato.anexo_id is None:
        return False
    if impedimento_para_verificar(usuario=usuario, contrato=contrato) is not None:
        return False
    evento_registrar(
        tipo=ABIERTO,
        descripcion=f"Documento «{contrato.anexo.nombre}» del contrato {contrato.numero} bajo el "
        f"dictamen {contrato.dictamen.folio} abierto para verificarlo",
        usuario=usuario,
        solicitud=contrato.dictamen.solicitud,
        datos={
            "dictamen": contrato.dictamen.folio,
            "numero": contrato.numero,
            "contrato": contrato.pk,
            "documento": contrato.anexo.sha256,
        },
    )
    return True


@transaction.atomic
def contrato_verificar(*, contrato: Contrato, usuario) -> Contrato:
    """A person who is not the requester, nor decided the request, checked the contract
    against its document, which the server sent them before (contrato_documento_abierto):
    from now on, while it counts, its price enters the reference (precios.services). The
    contract keeps when that person first opened the document, and the event says it.

    Why opening is required, not only recorded: this check is what lets an agency's price
    into the state's reference, and the server cannot see anyone read; it can see that the
    document was sent to that person before the click. Without it, the check was a button on
    a list, pressed by someone who never had the document in front of them."""
    # The contract's row only: PostgreSQL locks no nullable side of an outer join.
    contrato = (
        Contrato.objects.select_for_update(of=("self",))
        .select_related("dictamen__solicitud", "anexo", "verificado_por")
        .get(pk=contrato.pk)
    )
    solicitud = contrato.dictamen.solicitud
    if (motivo := impedimento_para_verificar(usuario=usuario, contrato=contrato)) is not None:
        raise PermissionDenied(motivo)
    if contrato.verificado_por_id is not None:
        raise ValidationError(
            ERROR_YA_VERIFICADO
            % {
                "persona": contrato.verificado_por.get_full_name()
                or contrato.verificado_por.get_username()
            },
            code="ya_verificado",
        )
    if contrato.anexo_id is None:
        raise ValidationError(ERROR_VERIFICAR_SIN_DOCUMENTO, code="sin_documento")
    abierto = documento_abierto_en(contrato=contrato, usuario=usuario)
    if abierto is None:
        raise ValidationError(ERROR_VERIFICAR_SIN_ABRIR, code="sin_abrir")
    contrato.verificado_por = usuario
    contrato.verificado_en = timezone.now()
    contrato.documento_abierto_en = abierto
    contrato.save(update_fields=["verificado_por", "verificado_en", "documento_abierto_en"])
    precios.observaciones_de_solicitud(solicitud_id=solicitud.pk)
    evento_registrar(
        tipo="contrato_verificado",
        descripcion=f"Contrato {contrato.numero} bajo el dictamen {contrato.dictamen.folio} "
        f"verificado contra su documento «{contrato.anexo.nombre}», abierto por quien lo "
        f"verificó el {timezone.localtime(abierto):%d/%m/%Y %H:%M}",
        usuario=usuario,
        solicitud=solicitud,
        datos={
            "dictamen": contrato.dictamen.folio,
            "numero": contrato.numero,
            "monto": str(contrato.monto),
            "documento": contrato.anexo.sha256,
            "documento_abierto_en": abierto.isoformat(),
        },
    )
    return contrato


def destinatarios_de_senales() -> list[str]:
    """Who hears of a signalled contract (issue 61): the strategic reviewers (they decide
    requests), the signers and the administrators."""
    return [
        *correos_con_permiso(codename="decidir_solicitud"),
        *correos_con_permiso(codename="firmar_dictamen"),
        *correos_de_administradores(),
    ]
