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
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from dictamenes.avisos import services as avisos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.comun.fechas import fecha_larga
from dictamenes.models import Condicion, Contrato, Dictamen, Resultado
from dictamenes.organizacion.selectors.usuarios import (
    correos_con_permiso,
    correos_de_administradores,
)
from dictamenes.precios import services as precios
from dictamenes.seguimiento.selectors.contratos import tope_del_dictamen
from dictamenes.tramite.selectors import access
from estandares.entradas import texto_normalizar

ERROR_NO_FAVORABLE = _(
    "Solo se registran contratos bajo un dictamen favorable o favorable condicionado vigente "
    "o vencido, no cancelado."
)
ERROR_NUMERO_REPETIDO = _("El contrato %(numero)s ya está registrado bajo este dictamen.")
ERROR_MONTO = _("El monto contratado debe ser mayor que cero.")
ERROR_SIN_MOTIVO_EXCESO = _(
    "Con este contrato el total contratado bajo el dictamen (%(total)s) pasa de lo que aprobó "
    "(%(aprobado)s): escriba el motivo para contratar más de lo aprobado. No se guardó nada."
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
) -> Contrato:
    """Record a contract under the dictamen (its agency's requirentes only), with its signals
    worked out against the dictamen, and audit it. A contract that takes the running total
    over what the dictamen approved needs `motivo_exceso`; under it, none is kept."""
    solicitud = dictamen.solicitud
    access.exigir_requirente(usuario=usuario, solicitud=solicitud)
    # The dictamen's row is the lock: two contracts recorded at once add up in order.
    dictamen = Dictamen.objects.select_for_update().select_related("solicitud").get(pk=dictamen.pk)
    if dictamen.cancelado_en or dictamen.resultado == Resultado.NO_FAVORABLE:
        raise ValidationError(ERROR_NO_FAVORABLE)
    if monto is None or monto <= 0:
        raise ValidationError({"monto": ERROR_MONTO})
    numero = texto_normalizar(numero, multilinea=False).strip()
    if dictamen.contratos.filter(numero=numero).exists():
        raise ValidationError({"numero": ERROR_NUMERO_REPETIDO % {"numero": numero}})
    tope = tope_del_dictamen(dictamen=dictamen)
    total, autorizado = tope.contratado + monto, tope.aprobado
    excede = tope.excede(monto)
    motivo = texto_normalizar(motivo_exceso or "", multilinea=True).strip() if excede else ""
    if excede and not motivo:
        raise ValidationError(
            {
                "motivo_exceso": ValidationError(
                    ERROR_SIN_MOTIVO_EXCESO
                    % {"total": _pesos(total), "aprobado": _pesos(autorizado)},
                    code="sin_motivo_exceso",
                )
            }
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
        proveedor=texto_normalizar(proveedor, multilinea=False).strip(),
        fecha=fecha,
        monto=monto,
        excede_monto=excede,
        motivo_exceso=motivo,
        fuera_de_vigencia=fecha > dictamen.vigencia_hasta,
        antes_del_dictamen=fecha < emision,
        condicion_pendiente=bool(previas),
        registrado_por=usuario,
        registrado_en=timezone.now(),
    )
    contrato.full_clean()
    contrato.save()
    precios.observaciones_de_solicitud(solicitud_id=solicitud.pk)
    senales = [
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
        + (" por más de lo aprobado" if excede else ""),
        usuario=usuario,
        solicitud=solicitud,
        # The history (page and PDF) shows an event's motivo beside it.
        motivo=motivo,
        datos={
            "dictamen": dictamen.folio,
            "numero": numero,
            "proveedor": contrato.proveedor,
            "fecha": fecha.isoformat(),
            "monto": str(monto),
            "total_contratado": str(total),
            "monto_aprobado": str(autorizado),
            "motivo_exceso": motivo,
            "condiciones_previas_sin_cumplir": [c.numero for c in previas],
            "senales": [clave for clave in SENALES if getattr(contrato, clave)],
        },
    )
    if senales:
        avisos.aviso_encolar(
            asunto=f"Contrato señalado bajo el dictamen {dictamen.folio}",
            mensaje=(
                f"{solicitud.ente.siglas} registró el contrato {numero} con {contrato.proveedor} "
                f"por {_pesos(monto)}, del {fecha_larga(fecha)}: " + "; ".join(senales) + "."
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


def destinatarios_de_senales() -> list[str]:
    """Who hears of a signalled contract (issue 61): the strategic reviewers (they decide
    requests), the signers and the administrators."""
    return [
        *correos_con_permiso(codename="decidir_solicitud"),
        *correos_con_permiso(codename="firmar_dictamen"),
        *correos_de_administradores(),
    ]
