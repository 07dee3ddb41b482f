"""After the contract, to the delivery (issue 80, item 5): the agency records what it received
under a contract, the acta de entrega-recepción with its date and file, what it paid, and how
many units of each item the dictamen approved it received.

Only the requester of the request's agency records it (as the contract), and only under a
contract that counts (seguimiento.services.contratos: not one waiting for, or refused by, the
strategic reviewer). The acta is dated neither in the future nor before the contract; it is
checked by content and hashed as every attachment (an Anexo of type «Acta de entrega-
recepción»). What it paid is zero or more; the quantities are one whole number, zero or more,
for each item the dictamen approved (approved whole or for less), and nothing else. A delivery
may be partial: a contract may have several.

What this door does not judge, the signs do (dictamenes.senales, recomputed here in the same
transaction): paid over the contract, quantities that differ from what was approved, and no
delivery some business days after the contract's end."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from dictamenes.comun import archivos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Anexo, Contrato, Entrega
from dictamenes.seguimiento.services.contratos import evento_de_registro
from dictamenes.senales import services as senales
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.decisiones import decisiones_de_solicitud
from dictamenes.tramite.services.solicitudes import anexo_guardar
from estandares import identidad

ERROR_NO_CUENTA = _(
    "El contrato %(numero)s no cuenta como contratado (%(estado)s): no se registra su entrega."
)
ERROR_FECHA_FUTURA = _(
    "La fecha del acta (%(fecha)s) es posterior a hoy: registre la entrega cuando ocurra."
)
ERROR_FECHA_ANTES = _(
    "La fecha del acta (%(fecha)s) es anterior a la del contrato (%(contrato)s): revise la fecha."
)
ERROR_PAGADO = _("El monto pagado no puede ser negativo: escriba 0 si aún no se paga nada.")
ERROR_SIN_ACTA = _("Adjunte el acta de entrega-recepción firmada.")
ERROR_CANTIDAD = _("La cantidad recibida de «%(partida)s» debe ser un número entero, cero o mayor.")
ERROR_CANTIDAD_FALTA = _("Escriba la cantidad recibida de «%(partida)s» (0 si no llegó nada).")
ERROR_PARTIDA_AJENA = _(
    "La partida %(partida)s no es una de las que aprobó el dictamen: no se registra su cantidad."
)


def _fecha(valor: datetime.date) -> str:
    return valor.strftime("%d/%m/%Y")


def _pesos(valor: Decimal) -> str:
    return "$" + number_format(valor, decimal_pos=2, force_grouping=True)


def aprobadas(decisiones) -> list:
    """The items a dictamen approved, whole or for less, of its decisions
    (tramite.selectors.decisiones, the one reading of them), in the items' order: what a
    delivery counts units of."""
    return [d for d in (decisiones.partidas if decisiones else ()) if d.cantidad_aprobada > 0]


def aprobadas_del_dictamen(dictamen) -> list:
    return aprobadas(
        decisiones_de_solicitud(solicitud=dictamen.solicitud, resultado=dictamen.resultado)
    )


def _cantidades(cantidades, de_dictamen) -> tuple[dict[str, int], dict[str, str]]:
    """{"<partida id>": n} for every approved item, n a whole number ≥ 0, and what is wrong,
    by the form's field of each item (cantidad_<id>)."""
    cantidades = {str(k): v for k, v in (cantidades or {}).items()}
    ids = {str(d.partida.pk) for d in de_dictamen}
    errores = {
        f"cantidad_{clave}": ERROR_PARTIDA_AJENA % {"partida": clave}
        for clave in cantidades
        if clave not in ids
    }
    limpias = {}
    for d in de_dictamen:
        clave, descripcion = str(d.partida.pk), d.partida.descripcion
        valor = cantidades.get(clave)
        if valor is None or valor == "":
            errores[f"cantidad_{clave}"] = ERROR_CANTIDAD_FALTA % {"partida": descripcion}
        elif isinstance(valor, bool) or not isinstance(valor, int) or valor < 0:
            errores[f"cantidad_{clave}"] = ERROR_CANTIDAD % {"partida": descripcion}
        else:
            limpias[clave] = valor
    return limpias, errores


@transaction.atomic
def entrega_registrar(
    *,
    contrato: Contrato,
    usuario,
    fecha: datetime.date,
    archivo,
    monto_pagado: Decimal,
    cantidades: dict,
    hoy: datetime.date | None = None,
) -> Entrega:
    """Record a delivery under `contrato` (its agency's requirentes only): the acta's date and
    file, what was paid and the units received of each approved item ({"<partida id>": n});
    audited, and the request's signs recomputed, in one transaction. Nothing is kept if any of
    it is refused."""
    # The contract's row is the lock: two deliveries recorded at once are audited in order.
    contrato = (
        Contrato.objects.select_for_update(of=("self",))
        .select_related("dictamen__solicitud")
        .get(pk=contrato.pk)
    )
    solicitud = contrato.dictamen.solicitud
    access.exigir_requirente(usuario=usuario, solicitud=solicitud)
    if not contrato.cuenta:
        raise ValidationError(
            ERROR_NO_CUENTA
            % {"numero": contrato.numero, "estado": contrato.get_autorizacion_display()},
            code="no_cuenta",
        )
    hoy = hoy or timezone.localdate()
    errores = {}
    if fecha is None:
        errores["fecha"] = _("Escriba la fecha del acta de entrega-recepción.")
    elif fecha > hoy:
        errores["fecha"] = ERROR_FECHA_FUTURA % {"fecha": _fecha(fecha)}
    elif fecha < contrato.fecha:
        errores["fecha"] = ERROR_FECHA_ANTES % {
            "fecha": _fecha(fecha),
            "contrato": _fecha(contrato.fecha),
        }
    if monto_pagado is None or monto_pagado < 0:
        errores["monto_pagado"] = ERROR_PAGADO
    if archivo is None:
        errores["archivo"] = ERROR_SIN_ACTA
    partidas = aprobadas_del_dictamen(contrato.dictamen)
    limpias, de_cantidades = _cantidades(cantidades, partidas)
    errores |= de_cantidades
    if errores:
        raise ValidationError(
            {campo: ValidationError(str(texto), code="entrega") for campo, texto in errores.items()}
        )
    try:
        validado = archivos.validar_anexo(archivo)
    except ValidationError as exc:
        raise ValidationError({"archivo": exc.messages}) from exc
    entrega = Entrega(
        contrato=contrato,
        fecha=fecha,
        monto_pagado=monto_pagado,
        cantidades=limpias,
        registrada_por=usuario,
        registrada_en=timezone.now(),
    )
    entrega.full_clean(exclude=["anexo"])
    entrega.anexo = anexo_guardar(
        solicitud=solicitud,
        usuario=usuario,
        tipo=Anexo.Tipo.ENTREGA,
        archivo=archivo,
        validado=validado,
    )
    entrega.save()
    recibido = [
        {
            "partida": d.partida.pk,
            "descripcion": d.partida.descripcion,
            "cantidad": limpias[str(d.partida.pk)],
            "aprobada": d.cantidad_aprobada,
        }
        for d in partidas
    ]
    evento_registrar(
        tipo="entrega_registrada",
        descripcion=(
            f"Entrega del contrato {contrato.numero} bajo el dictamen {contrato.dictamen.folio} "
            f"registrada: acta de entrega-recepción del {_fecha(fecha)}, "
            f"pagado {_pesos(monto_pagado)}"
        )[:300],
        usuario=usuario,
        solicitud=solicitud,
        datos={
            "dictamen": contrato.dictamen.folio,
            "numero": contrato.numero,
            "proveedor": contrato.proveedor,
            # A company's only, as the contract's registration (contratos.contrato_registrar).
            "proveedor_rfc": identidad.rfc_publicable(contrato.proveedor_rfc),
            # The contract's registration event: its id in OCDS (publico.ocds.entregas).
            "evento_registro": evento_de_registro(contrato),
            "fecha": fecha.isoformat(),
            "monto_pagado": str(monto_pagado),
            "monto_contrato": str(contrato.monto),
            "recibido": recibido,
            "anexo": entrega.anexo.pk,
            "sha256": entrega.anexo.sha256,
            "formato": entrega.anexo.content_type,
        },
    )
    senales.senales_actualizar(solicitud)
    return entrega
