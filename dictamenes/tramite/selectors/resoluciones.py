"""What stands decided on a request, read from its events: the strategic decision in force,
the rectification proposed and not yet signed, and how it closed early."""

from dictamenes.models import (
    EventoAuditoria,
)
from dictamenes.tramite.selectors.estados import CERRADA_ANTES


def decision_vigente(*, solicitud, eventos=None) -> EventoAuditoria | None:
    """The latest strategic decision. `eventos`: the request's events, if already loaded."""
    if eventos is not None:
        decisiones = [e for e in eventos if e.tipo == "decision_estrategica"]
        return max(decisiones, key=lambda e: (e.ocurrido_en, e.pk), default=None)
    return (
        EventoAuditoria.objects.filter(solicitud=solicitud, tipo="decision_estrategica")
        .order_by("-ocurrido_en", "-id")
        .first()
    )


def propuesta_pendiente(*, dictamen, eventos=None) -> EventoAuditoria | None:
    """The rectification of `dictamen` that the Dirección General proposed and no firmante has
    signed yet: the latest proposal for it, while it is in force (a rectification or a
    cancellation ends it). `eventos`: the request's events, if already loaded."""
    if dictamen is None or dictamen.cancelado_en is not None:
        return None
    if eventos is None:
        eventos = EventoAuditoria.objects.filter(
            solicitud_id=dictamen.solicitud_id, tipo="propuesta_rectificacion"
        )
    propuestas = [
        e
        for e in eventos
        if e.tipo == "propuesta_rectificacion" and (e.datos or {}).get("dictamen") == dictamen.pk
    ]
    return max(propuestas, key=lambda e: (e.ocurrido_en, e.pk), default=None)


CIERRES = ("desistimiento", "cancelacion_solicitud")


def cierre_de(*, solicitud, eventos=None) -> EventoAuditoria | None:
    """How a request closed early (desistimiento or cancelación), or None."""
    if solicitud.estado not in CERRADA_ANTES:
        return None
    if eventos is None:
        eventos = EventoAuditoria.objects.filter(solicitud=solicitud, tipo__in=CIERRES)
    return next((e for e in eventos if e.tipo in CIERRES), None)
