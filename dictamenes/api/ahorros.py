"""What the review saved, over HTTP (/api/v1/ahorros/, issue 36): the rows of the open data
set «ahorros», so anyone may read them, filtered by fiscal year."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from dictamenes.cifras.selectors import ahorros
from dictamenes.cifras.selectors.ahorros import DEFINICION_REFERENCIA
from dictamenes.models import Solicitud
from dictamenes.tramite.filtros import EnteroFilter, FiltroEstricto
from estandares import entradas
from estandares.api import exigir_sin_espacios


class AhorrosFilter(FiltroEstricto):
    ejercicio = EnteroFilter(label=_("Ejercicio"))

    class Meta:
        model = Solicitud
        fields = []


def _monto(ayuda: str):
    return serializers.DecimalField(max_digits=16, decimal_places=2, help_text=ayuda)


class AhorroSerializer(serializers.Serializer):
    # Mirrors publico.conjuntos.AHORROS, for the schema.
    ejercicio = serializers.IntegerField()
    ente_siglas = serializers.CharField()
    ente = serializers.CharField()
    categoria_clave = serializers.CharField(
        help_text="Clave de la categoría de los estándares (la misma en cada edición)."
    )
    categoria = serializers.CharField()
    solicitado = _monto("Suma de las partidas (cantidad × precio unitario), en pesos.")
    aprobado = _monto("Lo que los dictámenes aprobaron de esas partidas, en pesos.")
    contratado = _monto(
        "Contratos registrados bajo esos dictámenes, repartidos entre sus categorías en "
        "proporción a lo aprobado, en pesos."
    )
    ahorro = _monto("Solicitado menos aprobado, en pesos.")
    # Issue 62: against the state's reference prices, the consolidated purchases apart.
    partidas_aprobadas = serializers.IntegerField(
        help_text="Partidas aprobadas (completas o por menos) de compras de cada ente."
    )
    partidas_con_referencia = serializers.IntegerField(
        help_text="De ellas, las que tenían precio de referencia al decidirse: lo que cubre el "
        "ahorro frente a la referencia."
    )
    a_referencia = _monto(
        "Cantidad aprobada × precio de referencia de esas partidas con referencia, en pesos "
        "(informativo: el ahorro no es la resta de esta cifra y la siguiente)."
    )
    aprobado_con_referencia = _monto("Lo aprobado de esas partidas con referencia, en pesos.")
    ahorro_referencia = _monto(
        format_lazy("{} De las partidas con referencia, en pesos.", DEFINICION_REFERENCIA)
    )
    consolidada_partidas_aprobadas = serializers.IntegerField(
        help_text="Lo mismo que partidas_aprobadas, de las compras consolidadas."
    )
    consolidada_partidas_con_referencia = serializers.IntegerField(
        help_text="Lo mismo que partidas_con_referencia, de las compras consolidadas."
    )
    consolidada_a_referencia = _monto("Lo mismo que a_referencia, de las compras consolidadas.")
    consolidada_aprobado_con_referencia = _monto(
        "Lo mismo que aprobado_con_referencia, de las compras consolidadas."
    )
    consolidada_ahorro_referencia = _monto(
        "Lo mismo que ahorro_referencia, de las compras consolidadas."
    )
    # Issue 76: the whole the savings against the reference are a share of.
    sobre_referencia = _monto(
        "Lo solicitado por encima de la referencia de esas partidas: por cada una, lo que el "
        "precio unitario solicitado rebasaba la referencia (cero si no la rebasaba) por la "
        "cantidad aprobada, en pesos. El ahorro frente a la referencia es la parte que la "
        "revisión recortó de esto."
    )
    consolidada_sobre_referencia = _monto(
        "Lo mismo que sobre_referencia, de las compras consolidadas."
    )


class AhorrosView(generics.GenericAPIView):
    """Per fiscal year, agency and category: requested, approved, contracted and savings, over
    the requests with a dictamen in force. Open data: anyone may read it."""

    permission_classes = [AllowAny]
    serializer_class = AhorroSerializer
    # The year is read as strictly as the lists' filters (and so documented in the schema).
    filter_backends = [DjangoFilterBackend]
    filterset_class = AhorrosFilter
    pagination_class = None
    queryset = Solicitud.objects.none()

    @extend_schema(
        summary="Ahorro de la revisión por ejercicio, ente y categoría",
        description=(
            "Por ejercicio fiscal, ente y categoría de los estándares, sobre las solicitudes "
            "con dictamen vigente: lo solicitado, lo aprobado, lo contratado (repartido entre "
            "las categorías del dictamen en proporción a lo aprobado) y el ahorro (solicitado "
            "menos aprobado). Aparte, el ahorro frente a los precios de referencia del estado, "
            "con cuántas partidas aprobadas lo cubren, y el de las compras consolidadas en sus "
            "propias columnas. Son los datos abiertos de /datos-abiertos/ahorros.csv. "
            f"{DEFINICION_REFERENCIA}"
        ),
        responses={200: AhorroSerializer(many=True)},
    )
    def get(self, request):
        exigir_sin_espacios(request, {"ejercicio": entradas.ERROR_ENTERO})
        filtro = AhorrosFilter(request.query_params, queryset=self.get_queryset())
        if not filtro.is_valid():
            raise ValidationError(filtro.errors)
        filas = ahorros.por_ente_y_categoria(ejercicio=filtro.form.cleaned_data.get("ejercicio"))
        return Response(AhorroSerializer(filas, many=True).data)
