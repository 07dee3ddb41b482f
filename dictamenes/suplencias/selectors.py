"""Reads of substitutions (issue 59): the areas a person reviews, what a substitute would be
lent by standing in for a titular (areas they do not review, roles they do not hold), and the
substitutions a titular asked that still wait for a second person's approval."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from dictamenes.comun import consultas
from dictamenes.models import (
    Area,
    CambioPendiente,
    Sustitucion,
)
from dictamenes.organizacion.selectors.usuarios import (
    roles_de,
)
from dictamenes.roles import Rol

PERMISO_REVISAR = "dictamenes.revisar_area"


def areas_que_revisa(*, usuario) -> QuerySet[Area]:
    """The active areas whose reviews the person may take: those they hold `revisar_area` on
    (guardian, through their area's group), the permission a review task's owner permission
    and RevisionDeArea.can_assign check."""
    return get_objects_for_user(
        usuario, PERMISO_REVISAR, klass=Area.objects.filter(activa=True)
    ).order_by("nombre")


def areas_que_faltan(*, titular, suplente) -> list[Area]:
    """The titular's areas that the substitute does not review: standing in for the titular
    would lend them these (by name). Empty when the substitute reviews every one of them, or
    when the titular reviews none (mesa de control, strategic review, signing)."""
    suyas = set(areas_que_revisa(usuario=suplente).values_list("pk", flat=True))
    return [a for a in areas_que_revisa(usuario=titular) if a.pk not in suyas]


# The roles whose steps a substitute attends in the titular's stead (services.exigir_rol_con_tareas
# keeps the page of substitutions to them).
ROLES_QUE_SE_SUPLEN = (
    Rol.MESA_CONTROL,
    Rol.REVISOR_TECNICO,
    Rol.REVISOR_ESTRATEGICO,
    Rol.FIRMANTE,
)


def roles_que_faltan(*, titular, suplente) -> list[Rol]:
    """The titular's roles with steps that the substitute does not hold: standing in would
    lend them the steps of those roles (access.puede_tomar asks the titular's permission)."""
    suyos = set(roles_de(usuario=suplente))
    return [r for r in roles_de(usuario=titular) if r in ROLES_QUE_SE_SUPLEN and r not in suyos]


def suplencias_por_aprobar(*, titular) -> QuerySet[CambioPendiente]:
    """The substitutions the titular asked that wait for an administrator, oldest first."""
    return (
        CambioPendiente.objects.filter(
            tipo=CambioPendiente.Tipo.SUSTITUCION,
            estado=CambioPendiente.Estado.PENDIENTE,
            pedido_por=titular,
        )
        .select_related("persona")
        .order_by("pedido_en", "pk")
    )


def titulares_suplidos(*, usuario) -> list[int]:
    """Ids of the people `usuario` stands in for today."""
    if usuario.pk is None:
        return []
    return [
        titular for (titular,) in consultas.filas(_suplidos_por, usuario.pk, timezone.localdate())
    ]


def _suplidos_por(suplente: int, hoy: datetime.date):
    return Sustitucion.objects.filter(
        suplente_id=suplente, desde__lte=hoy, hasta__gte=hoy
    ).values_list("titular_id")
