"""What a dictamen decided of each item, over the API (issue 61): the same reading as the
request page, the e-mail, /verificar/ and the register (tramite.selectors.decisiones), so
/api/v1/solicitudes/{id}/ and /api/v1/dictamenes/{id}/ give the same figures as they do.

A request is read under its dictamen in force (the newest one not cancelled, as the request
page reads it); a dictamen under its own result."""

from functools import cached_property

from django.db.models import Prefetch
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from dictamenes.api.spectacular import esquema_de_spectacular
from dictamenes.models import DecisionPartida, Dictamen, Partida
from dictamenes.tramite.selectors import decisiones
from dictamenes.tramite.selectors.decisiones import DecisionesDeSolicitud, decisiones_de_solicitud

# An item's specifications and the engine's evaluation: JSON a dictamen's decisions never
# show, which each row would decode for nothing.
JSON_DE_LA_PARTIDA = ("especificaciones", "evaluacion")


def partidas_con_decision(ruta: str = "partidas") -> Prefetch:
    """The items with what reading their decision needs: one query for a page of rows."""
    return Prefetch(
        ruta, queryset=Partida.objects.select_related("perfil__categoria", "decision__motivo")
    )


def partidas_decididas(ruta: str) -> Prefetch:
    """The items with only what a dictamen's decisions show of them (DecisionDePartida
    Serializer: no profile, no specifications nor evaluation, JSON that each row would
    decode for nothing): one query for a page of rows."""
    return Prefetch(
        ruta,
        queryset=Partida.objects.select_related("decision__motivo").defer(*JSON_DE_LA_PARTIDA),
    )


# The request's dictámenes not cancelled, newest first: the first is the one in force
# (tramite.selectors.decisiones.dictamen_en_vigor, for a whole page in one query).
DICTAMENES_EN_VIGOR = Prefetch(
    "dictamenes",
    queryset=Dictamen.objects.filter(cancelado_en__isnull=True).order_by("-emitido_en", "-id"),
    to_attr="en_vigor",
)

AYUDA_APROBADO = (
    "Lo que el dictamen aprobó de las partidas, en pesos: cada partida por lo que se decidió de "
    "ella (completa, por menos o nada); 0.00 si es no favorable. Nulo sin partidas (el "
    "histórico importado)"
)
# How the schema writes an amount that may be null (DRF writes amounts as strings).
MONTO_O_NULO = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        source="resultado",
        choices=DecisionPartida.Resultado.choices,
        help_text="Lo que el dictamen decidió de la partida: aprobada completa, aprobada por "
        "menor monto o cantidad, o no aprobada (todas, si el dictamen es no favorable).",
    )
    etiqueta = serializers.CharField(help_text="La decisión en palabras, como la dice la página.")
    cantidad_aprobada = serializers.IntegerField(
        min_value=0, help_text="Unidades aprobadas (0 si no se aprobó)."
    )
    monto_aprobado = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="Monto aprobado de la partida, en pesos (0.00 si no se aprobó).",
    )
    motivo = serializers.CharField(
        allow_blank=True,
        help_text="Motivo del catálogo por el que no se aprobó o se aprobó por menos; vacío si "
        "se aprobó completa.",
    )
    explicacion = serializers.CharField(
        source="texto",
        allow_blank=True,
        help_text="Lo que escribió quien decidió sobre la partida: la explicación del motivo, "
        "las cifras de una reducción a la referencia, o por qué se aprobó una partida con el "
        "precio señalado sobre la referencia o no aceptable según la ley (obligatorio en ese "
        "caso); vacío si nada.",
    )
    # Issue 62: the price basis the decision stood on, as the dictamen prints it.
    referencia_unitaria = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text="Precio de referencia del perfil al decidir, en la unidad de la partida, en "
        "pesos; nulo si no lo había (menos de tres compras de dos entes) o si la decisión es "
        "anterior a los precios de referencia.",
    )
    mercado_unitario = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text="Precio de mercado de la partida según sus cotizaciones válidas al decidir, "
        "en pesos; nulo sin cotizaciones válidas.",
    )
    base_precio = serializers.CharField(
        source="base_texto",
        allow_blank=True,
        help_text="La base del precio en palabras, como la imprime el dictamen; vacío si la "
        "decisión es anterior a los precios de referencia.",
    )


class DecisionDePartidaSerializer(DecisionSerializer):
    """A dictamen's decision on one item, with the item it decides."""

    partida = serializers.IntegerField(source="partida.pk", help_text="Id de la partida.")
    descripcion = serializers.CharField(source="partida.descripcion")
    cantidad_solicitada = serializers.IntegerField(source="partida.cantidad")
    monto_solicitado = serializers.DecimalField(
        source="partida.importe",
        max_digits=16,
        decimal_places=2,
        help_text="Cantidad por precio unitario de la partida, en pesos.",
    )


def dictamen_en_vigor(solicitud):
    """The request's dictamen in force: the prefetched one (DICTAMENES_EN_VIGOR) or a query."""
    if hasattr(solicitud, "en_vigor"):
        return solicitud.en_vigor[0] if solicitud.en_vigor else None
    return decisiones.dictamen_en_vigor(solicitud=solicitud)


def decisiones_bajo(*, solicitud, dictamen) -> DecisionesDeSolicitud | None:
    """The decisions of `dictamen` on the request's items (those the page prefetched, in
    their order: the same objects, each with its decision as `.dictaminada`). None without a
    dictamen or without items."""
    if dictamen is None:
        return None
    leidas = decisiones_de_solicitud(
        solicitud=solicitud, resultado=dictamen.resultado, partidas=list(solicitud.partidas.all())
    )
    for decision in leidas.partidas if leidas else ():
        decision.partida.dictaminada = decision
    return leidas


def total_aprobado(leidas: DecisionesDeSolicitud | None) -> str | None:
    return None if leidas is None else f"{leidas.total_aprobado:.2f}"


class DecisionEnVigor(serializers.Field):
    """An item's decision under its request's dictamen in force (decisiones_bajo set it as
    `.dictaminada`), or null."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    @cached_property
    def serializador(self) -> "DecisionSerializer":
        # One per field, not one per item: DRF deep-copies every declared field of each new
        # serializer, which once cost more than the rest of the row.
        return DecisionSerializer()

    def to_representation(self, partida):
        decision = getattr(partida, "dictaminada", None)
        return None if decision is None else self.serializador.to_representation(decision)


class DecisionEnVigorEsquema(OpenApiSerializerFieldExtension):
    target_class = DecisionEnVigor

    def map_serializer_field(self, auto_schema, direction):
        # drf-spectacular writes a nullable reference without a type, which OpenAPI 3.0
        # (and redocly's lint) wants beside `nullable`.
        esquema = esquema_de_spectacular(
            auto_schema, DecisionSerializer(allow_null=True), direction, sin_extension=False
        )
        return {**esquema, "type": "object"}


def de_dictamen(leidas: DecisionesDeSolicitud | None, serializador=None) -> list:
    """The decisions' list; `serializador`: a DecisionDePartidaSerializer(many=True) the
    caller keeps for every row (a new one per row deep-copies its twelve fields each time)."""
    if leidas is None:
        return []
    return (serializador or DecisionDePartidaSerializer(many=True)).to_representation(
        leidas.partidas
    )
