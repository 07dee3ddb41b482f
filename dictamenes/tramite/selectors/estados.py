"""The request's states as the rules group them: editable, closed early, attended, in
procedure; and the order people work from (open first)."""

from django.db.models import QuerySet

from dictamenes.models import (
    Solicitud,
)

EDITABLE = (Solicitud.Estado.BORRADOR, Solicitud.Estado.PREVENIDA)


# Closed early, without a dictamen, with a reason in the chain: the agency withdrew it or the
# Subsecretaría cancelled it.
CERRADA_ANTES = (Solicitud.Estado.DESISTIDA, Solicitud.Estado.CANCELADA)


# A request is attended when its procedure ends: a dictamen issued, or closed without one
# (desechada, desistida, cancelada); like a desechada, a request withdrawn or cancelled is no
# longer pending, and the indicator counts it as attended.
ATENDIDA = (Solicitud.Estado.DICTAMINADA, Solicitud.Estado.DESECHADA, *CERRADA_ANTES)


# Presented and not yet concluded: what may still be withdrawn or cancelled.
EN_TRAMITE = (
    Solicitud.Estado.ADMISION,
    Solicitud.Estado.PREVENIDA,
    Solicitud.Estado.REVISION_TECNICA,
    Solicitud.Estado.REVISION_ESTRATEGICA,
    Solicitud.Estado.FIRMA,
)


def abiertas_primero(solicitudes: QuerySet) -> QuerySet:
    """The requests in the order people work from: the open ones first (drafts, prevenidas,
    in review…), then the concluded ones; newest first within each. The order of an index
    (solicitud_abiertas_primero_idx): a page of it reads 25 rows, not the whole history."""
    return solicitudes.order_by("concluida", "-creada_en", "-id")
