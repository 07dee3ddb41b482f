"""Reads for recording the areas' capacity (issue 50): who may be recorded as away or lent,
and the absences and reinforcements that are current or coming, each list in one query."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from dictamenes.models import Ausencia, CambioPendiente, Refuerzo
from dictamenes.roles import Rol

# The roles whose absence takes capacity from the procedure.
ROLES_DEL_TRAMITE = (Rol.MESA_CONTROL, Rol.REVISOR_TECNICO, Rol.REVISOR_ESTRATEGICO, Rol.FIRMANTE)
# What the page lists at most of each: the office has a few dozen people.
LIMITE = 200


def personal_del_tramite() -> QuerySet:
    """The Subsecretaría's active staff who hold a role of the procedure, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[str(r.label) for r in ROLES_DEL_TRAMITE])
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def ausencias_vigentes(*, hoy: datetime.date) -> list[Ausencia]:
    """Absences that have not ended: the current ones first, then the coming ones."""
    return list(
        Ausencia.objects.filter(hasta__gte=hoy)
        .select_related("persona", "registrada_por")
        .order_by("desde", "persona__username", "pk")[:LIMITE]
    )


def refuerzos_vigentes(*, hoy: datetime.date) -> list[Refuerzo]:
    """Reinforcements not yet concluded: current, coming, and past ones the daily command has
    not ended yet."""
    return list(
        Refuerzo.objects.filter(concluido_en__isnull=True)
        .select_related("persona", "area", "registrado_por")
        .order_by("desde", "area__nombre", "pk")[:LIMITE]
    )


def refuerzos_pendientes() -> list[CambioPendiente]:
    """Reinforcements asked that wait for a second administrator."""
    return list(
        CambioPendiente.objects.filter(
            tipo=CambioPendiente.Tipo.REFUERZO, estado=CambioPendiente.Estado.PENDIENTE
        )
        .select_related("persona", "pedido_por")
        .order_by("pedido_en", "pk")[:LIMITE]
    )


def refuerzos_por_concluir(*, hoy: datetime.date) -> QuerySet[Refuerzo]:
    """Reinforcements whose last day has passed and that still hold what they granted."""
    return Refuerzo.objects.filter(concluido_en__isnull=True, hasta__lt=hoy).order_by("hasta", "pk")
