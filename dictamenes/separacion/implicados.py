"""Who took part in a request's content: its technical reviewers and those who decided it,
whom separation of duties keeps from its later steps (access.impedimento)."""

from django.db.models import QuerySet

from dictamenes.models import (
    EventoAuditoria,
    RevisionArea,
)


def revisores_de(*, solicitud) -> set[int]:
    return set(
        RevisionArea.objects.filter(solicitud=solicitud).values_list("revisor_id", flat=True)
    )


# The events of those who decide a request's content: the strategic decision, a send-back
# to an area, and a proposed rectification of the dictamen.
DECISIONES = ("decision_estrategica", "devolucion_area", "propuesta_rectificacion")


def decisores_de(*, solicitud) -> set[int]:
    return set(
        EventoAuditoria.objects.filter(solicitud=solicitud, tipo__in=DECISIONES).values_list(
            "usuario_id", flat=True
        )
    )


def revisadas_por(*, usuario) -> QuerySet:
    """The ids of the requests the person reviewed (revisores_de from the other side), as a
    subquery: access.sin_impedimento's form of it."""
    return RevisionArea.objects.filter(revisor_id=usuario.pk).values("solicitud_id")


def decididas_por(*, usuario) -> QuerySet:
    """The ids of the requests whose content the person decided (decisores_de from the other
    side), as a subquery. An event with no request is left out: NOT IN over a NULL keeps
    nothing."""
    return EventoAuditoria.objects.filter(
        usuario_id=usuario.pk, tipo__in=DECISIONES, solicitud__isnull=False
    ).values("solicitud_id")


def decididas_entre(*, usuario, solicitudes) -> set[int]:
    """Which of these requests the person decided (decisores_de, for a list of them): one
    query, none for no requests."""
    if not solicitudes:
        return set()
    return set(
        EventoAuditoria.objects.filter(
            usuario_id=usuario.pk, tipo__in=DECISIONES, solicitud_id__in=set(solicitudes)
        ).values_list("solicitud_id", flat=True)
    )
