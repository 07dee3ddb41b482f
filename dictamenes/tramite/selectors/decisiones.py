"""What a dictamen decided of each item of its request (issues 36 and 47): the one reading of
the decisions that every reader uses, so the requester's page, the dictamen e-mail, the public
verification page, the register and the expediente's history say the same thing.

Each item has its decision, the quantity and amount approved, and the reason from the
catalogue with its text. Dictámenes issued before decisions per item existed approved every
item whole; a «no favorable» one approves nothing (the rule of tramite.selectors.vias
.monto_aprobado)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from dictamenes.models import DecisionPartida, Partida, Resultado
from dictamenes.precios.selectors.base import base_precio_texto

Decision = DecisionPartida.Resultado
ETIQUETAS = dict(Decision.choices)


@dataclass(frozen=True)
class DecisionDePartida:
    partida: object
    resultado: str  # Decision: aprobada, reducida or no_aprobada
    cantidad_aprobada: int
    monto_aprobado: Decimal
    motivo: str  # the catalogue's name of the reason; "" when approved whole
    texto: str  # what the strategic reviewer wrote about it
    # The stored decision (None for an item without one), whose price basis (issue 62) is
    # read only by who shows it: a list that loads the decisions with .only() of what it
    # shows does not pay a query per row for fields it never reads.
    decision: DecisionPartida | None = field(default=None, repr=False, compare=False)

    @property
    def base_precio(self) -> dict:
        """DecisionPartida.base_precio; {} for a decision made before it was kept."""
        return (self.decision.base_precio or {}) if self.decision is not None else {}

    @property
    def referencia_unitaria(self) -> Decimal | None:
        return self.decision.referencia_unitaria if self.decision is not None else None

    @property
    def mercado_unitario(self) -> Decimal | None:
        return self.decision.mercado_unitario if self.decision is not None else None

    @property
    def base_texto(self) -> str:
        """«Base del precio: …» as the dictamen prints it; "" without a kept basis."""
        return base_precio_texto(self.base_precio)

    @property
    def etiqueta(self) -> str:
        return str(ETIQUETAS[self.resultado])

    @property
    def aprobada(self) -> bool:
        return self.resultado == Decision.APROBADA

    @property
    def razon(self) -> str:
        """The reason and its text, as one sentence: for an item approved whole, only the text
        its flagged price asked for (issue 76, item 6); "" when there is none."""
        return ". ".join(t for t in (self.motivo, self.texto) if t)


@dataclass(frozen=True)
class DecisionesDeSolicitud:
    partidas: list[DecisionDePartida]
    total_solicitado: Decimal
    total_aprobado: Decimal
    # False: a dictamen issued before decisions per item, read by the rule above.
    registradas: bool

    @property
    def ahorro(self) -> Decimal:
        return self.total_solicitado - self.total_aprobado

    @property
    def parcial(self) -> bool:
        """Something asked was not approved (or approved for less)."""
        return any(not d.aprobada for d in self.partidas)

    def de(self, partida) -> DecisionDePartida | None:
        return next((d for d in self.partidas if d.partida.pk == partida.pk), None)


def _leida(partida, decision, resultado_dictamen: str) -> DecisionDePartida:
    if decision is not None and resultado_dictamen != Resultado.NO_FAVORABLE:
        return DecisionDePartida(
            partida=partida,
            resultado=decision.resultado,
            cantidad_aprobada=decision.cantidad_aprobada,
            monto_aprobado=decision.monto_aprobado,
            motivo=decision.motivo.nombre if decision.motivo_id else "",
            texto=decision.texto,
            decision=decision,
        )
    if resultado_dictamen == Resultado.NO_FAVORABLE:
        # A «no favorable» dictamen approves nothing, whatever the items' decisions said (a
        # rectification may have changed the result after them); their reasons still hold.
        return DecisionDePartida(
            partida=partida,
            resultado=Decision.NO_APROBADA,
            cantidad_aprobada=0,
            monto_aprobado=Decimal("0.00"),
            motivo=decision.motivo.nombre if decision is not None and decision.motivo_id else "",
            texto=decision.texto if decision is not None else "",
            decision=decision,
        )
    return DecisionDePartida(
        partida=partida,
        resultado=Decision.APROBADA,
        cantidad_aprobada=partida.cantidad,
        monto_aprobado=partida.importe,
        motivo="",
        texto="",
    )


def decisiones_de_solicitud(
    *, solicitud, resultado: str, partidas=None
) -> DecisionesDeSolicitud | None:
    """The decision on each of the request's items under a dictamen with this `resultado`, in
    the items' order. `partidas`: the items the page already loaded (in their order) with
    select_related("decision__motivo"): no query then; one without them. None when the
    request has no items (the imported history)."""
    if partidas is None:
        partidas = list(solicitud.partidas.select_related("decision__motivo").order_by("pk"))
    if not partidas:
        return None
    guardadas = {p.pk: getattr(p, "decision", None) for p in partidas}
    filas = [_leida(p, guardadas[p.pk], resultado) for p in partidas]
    return DecisionesDeSolicitud(
        partidas=filas,
        total_solicitado=sum((p.importe for p in partidas), Decimal(0)),
        total_aprobado=sum((d.monto_aprobado for d in filas), Decimal(0)),
        registradas=any(guardadas.values()),
    )


def tope_de_contratos(decisiones: DecisionesDeSolicitud | None, *, solicitud) -> Decimal:
    """What the contracts under a dictamen may add up to before they are signalled (the form
    says it, seguimiento.services.contratos checks it): what it approved of the items; the
    amount asked for a request without items (the imported history)."""
    return decisiones.total_aprobado if decisiones is not None else solicitud.monto_estimado


def dictamen_en_vigor(*, solicitud):
    """The request's dictamen in force, the one whose decisions it shows: the newest not
    cancelled (as the request page reads it, tramite.selectors.acciones); None before one is
    issued, or when every one was cancelled."""
    vigentes = solicitud.dictamenes.filter(cancelado_en__isnull=True)
    return vigentes.order_by("-emitido_en", "-id").first()


def decisiones_de(*, dictamen) -> DecisionesDeSolicitud | None:
    """The decisions a dictamen lists (its PDF and its public verification page): None for
    one issued before decisions per item existed, which lists none."""
    leidas = decisiones_de_solicitud(solicitud=dictamen.solicitud, resultado=dictamen.resultado)
    return leidas if leidas is not None and leidas.registradas else None


_IMPORTE = ExpressionWrapper(
    F("cantidad") * F("precio_unitario"), output_field=DecimalField(max_digits=20, decimal_places=2)
)


def aprobado_sql(solicitud="solicitud_id"):
    """The same rule in SQL, for lists: a subquery on the request whose id is the outer
    query's `solicitud` column, giving each item's decided amount, or the whole item when it
    has no decision, summed. None for a request without items. The caller makes it 0 for a
    «no favorable» dictamen (its result is a column of the row)."""
    return Subquery(
        Partida.objects.filter(solicitud_id=OuterRef(solicitud))
        .order_by()
        .values("solicitud_id")
        .annotate(total=Sum(Coalesce("decision__monto_aprobado", _IMPORTE)))
        .values("total")
    )
