"""The declared días inhábiles (issue 59): every deadline reads them, so adding or removing one
is a change of the rules, asked by one administrator and applied here when a second approves
(operacion.services.cambios.tipos_calendario). Each write is audited in its transaction; the
pages' cache of the calendar is emptied by the model's signal (dictamenes.apps)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import DiaInhabil
from dictamenes.organizacion.selectors.usuarios import administra_roles

ERROR_SIN_PERMISO = _("Solo una persona administradora declara los días inhábiles.")
ERROR_YA_DECLARADO = _("El %(fecha)s ya está declarado inhábil: «%(descripcion)s».")
ERROR_NO_DECLARADO = _("El %(fecha)s no está declarado inhábil.")


def _fecha(fecha: datetime.date) -> str:
    return f"{fecha:%d/%m/%Y}"


def _exigir(*, por) -> None:
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_SIN_PERMISO)


@transaction.atomic
def dia_inhabil_agregar(*, fecha: datetime.date, descripcion: str, por, motivo: str) -> DiaInhabil:
    _exigir(por=por)
    previo = DiaInhabil.objects.filter(fecha=fecha).first()
    if previo is not None:
        raise ValidationError(
            ERROR_YA_DECLARADO,
            code="ya_declarado",
            params={"fecha": _fecha(fecha), "descripcion": previo.descripcion},
        )
    dia = DiaInhabil(fecha=fecha, descripcion=descripcion)
    dia.full_clean()
    dia.save()
    evento_registrar(
        tipo="dia_inhabil_declarado",
        descripcion=f"Día inhábil declarado: {_fecha(fecha)} · {dia.descripcion}",
        usuario=por,
        motivo=motivo,
        datos={"fecha": fecha.isoformat(), "descripcion": dia.descripcion},
    )
    return dia


@transaction.atomic
def dia_inhabil_quitar(*, fecha: datetime.date, por, motivo: str) -> None:
    _exigir(por=por)
    dia = DiaInhabil.objects.select_for_update().filter(fecha=fecha).first()
    if dia is None:
        raise ValidationError(
            ERROR_NO_DECLARADO, code="no_declarado", params={"fecha": _fecha(fecha)}
        )
    dia.delete()
    evento_registrar(
        tipo="dia_inhabil_retirado",
        descripcion=f"Día inhábil retirado: {_fecha(fecha)} · {dia.descripcion}",
        usuario=por,
        motivo=motivo,
        datos={"fecha": fecha.isoformat(), "descripcion": dia.descripcion},
    )
