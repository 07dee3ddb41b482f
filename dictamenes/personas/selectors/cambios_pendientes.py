"""Reads of the changes that wait for a second administrator (issue 33)."""

from django.db.models import QuerySet

from dictamenes.models import CambioPendiente


def _cambios(*, persona=None) -> QuerySet[CambioPendiente]:
    """With who asked, whose account and who resolved, in one query."""
    cambios = CambioPendiente.objects.select_related("persona", "pedido_por", "resuelto_por")
    return cambios if persona is None else cambios.filter(persona=persona)


def cambios_pendientes(*, persona=None) -> QuerySet[CambioPendiente]:
    """Oldest first: the one waiting longest is resolved first."""
    return (
        _cambios(persona=persona)
        .filter(estado=CambioPendiente.Estado.PENDIENTE)
        .order_by("pedido_en", "pk")
    )


def cambios_resueltos(*, persona=None) -> QuerySet[CambioPendiente]:
    return (
        _cambios(persona=persona)
        .exclude(estado=CambioPendiente.Estado.PENDIENTE)
        .order_by("-resuelto_en", "-pk")
    )
