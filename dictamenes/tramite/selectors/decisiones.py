"""The strategic decision on each item of a dictamen's request, as the public verification
page lists it (issue 36): no personal data, only the items, what was decided and why."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DecisionesDeDictamen:
    partidas: list  # the items, each with its .decision (select_related)
    total_solicitado: Decimal
    total_aprobado: Decimal


def decisiones_de(*, dictamen) -> DecisionesDeDictamen | None:
    """The request's items with their decisions, in the dictamen's order (one query); None for
    a dictamen issued before decisions per item existed."""
    partidas = list(dictamen.solicitud.partidas.select_related("decision__motivo").order_by("pk"))
    decisiones = [getattr(p, "decision", None) for p in partidas]
    if not any(decisiones):
        return None
    return DecisionesDeDictamen(
        partidas=partidas,
        total_solicitado=sum((p.importe for p in partidas), Decimal(0)),
        total_aprobado=sum((d.monto_aprobado for d in decisiones if d), Decimal(0)),
    )
