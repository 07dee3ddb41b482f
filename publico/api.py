"""The public register over HTTP (/api/v1/registro/): anyone may read it; no personal data."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from dictamenes.api.views import FilasPorVersion, Paginacion
from dictamenes.models import DecisionPartida, UnidadPrecio
from dictamenes.tramite.selectors.access import dictamenes_publicos
from publico import datos_abiertos
from publico.conjuntos import DICTAMENES
from publico.partidas import PARTIDAS


def _con_descripciones(conjunto, campos):
    """Each field described by its Table Schema description, so the API's schema and the
    data dictionary say the same."""
    for campo in conjunto.campos:
        if campo.nombre in campos:
            campos[campo.nombre].help_text = campo.descripcion
    return campos


class PartidaRegistroSerializer(serializers.Serializer):
    # The columns of the items' dataset (publico.partidas.PARTIDAS), the row's folio included.
    folio = serializers.CharField()
    partida = serializers.IntegerField(min_value=1)
    categoria_clave = serializers.CharField()
    categoria = serializers.CharField()
    descripcion = serializers.CharField()
    cantidad_solicitada = serializers.IntegerField(min_value=0)
    monto_solicitado_mxn = serializers.DecimalField(max_digits=16, decimal_places=2)
    decision = serializers.ChoiceField(choices=DecisionPartida.Resultado.choices)
    decision_etiqueta = serializers.CharField()
    cantidad_aprobada = serializers.IntegerField(min_value=0)
    monto_aprobado_mxn = serializers.DecimalField(max_digits=16, decimal_places=2)
    unidad = serializers.ChoiceField(choices=UnidadPrecio.choices)
    meses = serializers.IntegerField(min_value=1, allow_null=True)
    # None without a decision of its own (imported history, or approved whole before them).
    decidida_en = serializers.DateTimeField(allow_null=True)

    def get_fields(self):
        return _con_descripciones(PARTIDAS, super().get_fields())


class RegistroSerializer(serializers.Serializer):
    # The register's columns (publico.conjuntos.DICTAMENES), each described below by its
    # Table Schema description, so the API's schema and the data dictionary say the same.
    folio = serializers.CharField()
    fecha_emision = serializers.DateField()
    ejercicio = serializers.IntegerField()
    ente_siglas = serializers.CharField()
    ente = serializers.CharField()
    asunto = serializers.CharField()
    tipo_operacion = serializers.CharField()
    categorias = serializers.CharField()
    monto_estimado_mxn = serializers.DecimalField(max_digits=14, decimal_places=2)
    # What the dictamen approved of the items; empty for the imported history (no items).
    monto_aprobado_mxn = serializers.CharField(allow_blank=True)
    # Empty until the agency records a contract under the dictamen.
    monto_contratado_mxn = serializers.CharField(allow_blank=True)
    resultado = serializers.CharField()
    estado = serializers.CharField()
    # None for a no favorable dictamen: it authorises nothing and has no validity.
    vigente_hasta = serializers.DateField(allow_null=True)
    sha256_pdf = serializers.CharField()
    url_verificacion = serializers.URLField()
    # The instant itself (issue 93, item 6), as the files publish it.
    emitido_en = serializers.DateTimeField()
    partidas = PartidaRegistroSerializer(
        many=True,
        help_text="Lo que el dictamen decidió de cada partida de su solicitud, en su orden (las "
        "filas de dictamenes-partidas.csv con su folio); vacía en el histórico importado.",
    )

    def get_fields(self):
        return _con_descripciones(DICTAMENES, super().get_fields())


@extend_schema_view(list=extend_schema(summary="Listar el registro público de dictámenes"))
class RegistroViewSet(FilasPorVersion, viewsets.GenericViewSet):
    """The public register of issued dictámenes: no personal data. A page's rows are built once
    per version of the data and day, as the register's page is served (FilasPorVersion)."""

    permission_classes = [AllowAny]
    serializer_class = RegistroSerializer
    # The page number read as its schema says (the API's other lists do the same).
    pagination_class = Paginacion
    clave_de_filas = "registro-api"

    def get_queryset(self):
        return dictamenes_publicos()

    def filas_de(self, ids: list[int]) -> list:
        return datos_abiertos.filas(ids)
