"""The requests, dictámenes, public register and indicators over HTTP (/api/v1/).

The same selectors as the pages decide what each person sees, and the same services do the
writing; errors come back as JSON in Spanish."""

from functools import cached_property

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.text import capfirst
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from dictamenes.api import (
    decisiones,
    esquema,  # noqa: F401 (registers the schema of the filters)
)
from dictamenes.api.campos import BooleanoApi, MontoApi, TextoApi
from dictamenes.cifras.selectors import indicadores
from dictamenes.comun import cache
from dictamenes.comun.enlaces import url_verificacion
from dictamenes.comun.paginacion import PaginacionApi
from dictamenes.emision.services import integridad
from dictamenes.models import Cotizacion, Dictamen, Partida, Resultado, Solicitud
from dictamenes.montos import ERROR_EJERCICIO, ejercicios_permitidos
from dictamenes.organizacion.selectors import usuarios
from dictamenes.tramite.filtros import SolicitudFilter
from dictamenes.tramite.selectors.access import solicitudes_visibles
from dictamenes.tramite.services import solicitudes
from estandares import entradas
from estandares.api import exigir_sin_espacios
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import PaginaEstricta

# Any path segment reaches the view, so a malformed id ("0.5") gets the API's JSON 404 and not
# Django's HTML page for an unknown address.
CUALQUIER_ID = r"[^/]+"


def manejador_de_errores(exc, context):
    """Django's own ValidationError and PermissionDenied from the services, as DRF errors."""
    if isinstance(exc, ValidationError):
        exc = DRFValidationError({"detalle": exc.messages})
    elif isinstance(exc, PermissionDenied):
        exc = DRFPermissionDenied(str(exc) or None)
    return exception_handler(exc, context)


class CotizacionSerializer(serializers.ModelSerializer):
    """A quote of the item's market research (issue 62), in the item's own unit; its file is
    an attachment of the request, which the API does not serve. Its supplier's address and phone
    (issue 80) and RFC (issue 88: to those who may see the request, as its page shows it; a
    person's is never in the open data) too; never the hash of whoever signs it."""

    class Meta:
        model = Cotizacion
        fields = [
            "proveedor",
            "proveedor_rfc",
            "domicilio",
            "telefono",
            "precio_unitario",
            "fecha",
            "vigencia",
        ]


class PartidaSerializer(serializers.ModelSerializer):
    perfil = serializers.CharField(source="perfil.__str__", read_only=True)
    cotizaciones = CotizacionSerializer(many=True, read_only=True)
    dictamen = decisiones.DecisionEnVigor(
        help_text="Lo que decidió de la partida el dictamen en vigor de la solicitud; nulo "
        "mientras no tenga uno."
    )

    class Meta:
        model = Partida
        fields = [
            "id",
            "descripcion",
            "perfil",
            "cantidad",
            "precio_unitario",
            "unidad",
            "meses",
            "capitulo",
            "partida_especifica",
            "veredicto",
            "dictamen",
            "cotizaciones",
        ]


class SolicitudSerializer(serializers.ModelSerializer):
    ente = serializers.SlugRelatedField(slug_field="siglas", read_only=True)
    # Blank until the request is decided: the schema must say so.
    resultado = serializers.ChoiceField(choices=Resultado.choices, allow_blank=True, read_only=True)
    partidas = PartidaSerializer(many=True, read_only=True)
    monto_aprobado = serializers.SerializerMethodField(
        help_text=f"{decisiones.AYUDA_APROBADO} o mientras no tenga dictamen en vigor."
    )

    class Meta:
        model = Solicitud
        fields = [
            "id",
            "folio",
            "ente",
            "ejercicio",
            "tipo_operacion",
            "titulo",
            "justificacion",
            "alineacion",
            "monto_estimado",
            "monto_aprobado",
            "compra_consolidada",
            "estado",
            "resultado",
            "presentada_en",
            "atendida_en",
            "partidas",
        ]
        read_only_fields = ["folio", "estado", "resultado", "presentada_en", "atendida_en"]

    def to_representation(self, instance):
        # Read once per request, before its fields: the total and each item's decision.
        instance.decisiones_api = decisiones.decisiones_bajo(
            solicitud=instance, dictamen=decisiones.dictamen_en_vigor(instance)
        )
        return super().to_representation(instance)

    @extend_schema_field(decisiones.MONTO_O_NULO)
    def get_monto_aprobado(self, obj) -> str | None:
        return decisiones.total_aprobado(obj.decisiones_api)


def _texto(
    campo: str, *, multilinea: bool = False, publico: bool = False, motivo: bool = False
) -> TextoApi:
    """publico: the text is published (open data), or written beside what is (the alignment,
    issue 88), so it refuses personal data, as the model's field and the page do, beside its
    own name. motivo: it is a reason, and says
    something (estandares.motivos), refused beside its name too."""
    modelo = Solicitud._meta.get_field(campo)
    return TextoApi(
        multilinea=multilinea,
        max_length=modelo.max_length,
        label=capfirst(modelo.verbose_name),
        help_text=modelo.help_text or None,
        motivo=motivo,
        validators=[SIN_DATOS_PERSONALES] if publico else [],
    )


class SolicitudNuevaSerializer(serializers.ModelSerializer):
    """Un borrador nuevo: lo que pide el formulario de la solicitud, con las reglas exactas
    del servidor."""

    titulo = _texto("titulo", publico=True)
    justificacion = _texto("justificacion", multilinea=True, publico=True, motivo=True)
    alineacion = _texto("alineacion", multilinea=True, publico=True)
    monto_estimado = MontoApi(
        label=capfirst(Solicitud._meta.get_field("monto_estimado").verbose_name)
    )
    compra_consolidada = BooleanoApi(
        required=False,
        default=False,
        label=capfirst(Solicitud._meta.get_field("compra_consolidada").verbose_name),
        help_text=Solicitud._meta.get_field("compra_consolidada").help_text,
    )

    class Meta:
        model = Solicitud
        fields = list(solicitudes.CAMPOS_SOLICITUD)

    def __init__(self, *args, **kwargs):
        # The current fiscal year or the next (issue 59), read today: the schema, generated
        # from this serializer, says exactly what the service accepts.
        super().__init__(*args, **kwargs)
        actual, siguiente = ejercicios_permitidos()
        self.fields["ejercicio"] = serializers.IntegerField(
            label=capfirst(Solicitud._meta.get_field("ejercicio").verbose_name),
            help_text="El ejercicio fiscal actual o el siguiente.",
            min_value=actual,
            max_value=siguiente,
            error_messages=dict.fromkeys(
                ("min_value", "max_value"),
                str(ERROR_EJERCICIO % {"actual": actual, "siguiente": siguiente}),
            ),
        )


class DireccionDeCadaFila(serializers.HyperlinkedIdentityField):
    """HyperlinkedIdentityField reversed once per page: reverse() with a marker number, then
    each row's id in its place (the same address, as comun.direcciones.molde_de_url does for the
    queue; a reverse() and an absolute address per row were a tenth of the list)."""

    MARCA = 9_876_543_210_123

    def get_url(self, obj, view_name, request, format):
        valor = getattr(obj, self.lookup_field)
        if type(valor) is not int:
            return super().get_url(obj, view_name, request, format)
        clave = (view_name, format, id(request))
        if self.__dict__.get("_clave") != clave:
            completa = self.reverse(
                view_name,
                kwargs={self.lookup_url_kwarg: self.MARCA},
                request=request,
                format=format,
            )
            molde = completa.replace("{", "{{").replace("}", "}}")
            self._molde, self._clave = molde.replace(str(self.MARCA), "{0}").format, clave
        return self._molde(valor)


class DictamenSerializer(serializers.ModelSerializer):
    solicitud = serializers.CharField(source="solicitud.folio", read_only=True)
    estado = serializers.ChoiceField(
        choices=list(Dictamen.ESTADOS.items()),
        read_only=True,
        help_text="Estado público del dictamen, el mismo de /verificar/ y del registro: un "
        "dictamen no favorable nunca está vigente; uno rectificado dice cuál lo sustituye.",
    )
    rectificado_por = serializers.CharField(
        source="sustituto_folio",
        read_only=True,
        allow_null=True,
        help_text="Folio del dictamen que lo rectificó (nulo si no fue rectificado).",
    )
    url_verificacion = serializers.SerializerMethodField()
    # The signed PDF of this dictamen, as an absolute address of the API.
    url_pdf = DireccionDeCadaFila(
        view_name="api:dictamen-pdf",
        help_text="El PDF firmado del dictamen (GET con la misma sesión o token).",
    )
    monto_solicitado = serializers.SerializerMethodField(
        help_text="Suma de las partidas de la solicitud (cantidad por precio unitario), en "
        "pesos; nulo sin partidas (el histórico importado)."
    )
    monto_aprobado = serializers.SerializerMethodField(help_text=f"{decisiones.AYUDA_APROBADO}.")
    partidas = serializers.SerializerMethodField(
        help_text="Lo que el dictamen decidió de cada partida de la solicitud, en su orden; "
        "vacía sin partidas."
    )

    class Meta:
        model = Dictamen
        fields = [
            "id",
            "folio",
            "solicitud",
            "resultado",
            "condiciones",
            "motivos",
            "emitido_en",
            "vigencia_hasta",
            "estado",
            "rectificado_por",
            "pdf_sha256",
            "url_verificacion",
            "url_pdf",
            "monto_solicitado",
            "monto_aprobado",
            "partidas",
        ]

    def to_representation(self, instance):
        instance.decisiones_api = decisiones.decisiones_bajo(
            solicitud=instance.solicitud, dictamen=instance
        )
        return super().to_representation(instance)

    @extend_schema_field(decisiones.MONTO_O_NULO)
    def get_monto_solicitado(self, obj) -> str | None:
        leidas = obj.decisiones_api
        return None if leidas is None else f"{leidas.total_solicitado:.2f}"

    @extend_schema_field(decisiones.MONTO_O_NULO)
    def get_monto_aprobado(self, obj) -> str | None:
        return decisiones.total_aprobado(obj.decisiones_api)

    @cached_property
    def _decisiones(self):
        # One for every row of the page (see decisiones.de_dictamen).
        return decisiones.DecisionDePartidaSerializer(many=True)

    @extend_schema_field(decisiones.DecisionDePartidaSerializer(many=True))
    def get_partidas(self, obj) -> list:
        return decisiones.de_dictamen(obj.decisiones_api, self._decisiones)

    def get_url_verificacion(self, obj) -> str:
        return url_verificacion(obj.folio)


class Paginacion(PaginacionApi):
    """The API's pages, with the page number read as strictly as the filters and as its
    schema (an integer, no blanks around it). (PaginaEstricta's reading taken explicitly,
    so that it still works once PaginacionApi itself is strict.)"""

    def get_page_number(self, request, paginator):
        exigir_sin_espacios(request, {self.page_query_param: entradas.ERROR_PAGINA})
        return PaginaEstricta.get_page_number(self, request, paginator)


# The whole numbers of the list's filters, read as the schema's integers.
ENTEROS_DEL_FILTRO = {
    nombre: entradas.ERROR_ENTERO
    for nombre, filtro in SolicitudFilter.base_filters.items()
    if issubclass(filtro.field_class, entradas.EnteroField)
}


class FilasPorVersion:
    """A list whose rows are the same for everyone who may see them: the page's ids come with
    the data's version (one query, with the person's visibility and the filters), and its rows
    are built once per version and day (comun.cache), since every change to what they show
    writes an event through its door; the key carries the host and the format, for the
    addresses in them. `clave_de_filas` names the list in the cache; `filas_de` builds the
    rows of some ids, in their order (the serializer's, unless a list says otherwise)."""

    clave_de_filas: str

    def filas_de(self, ids: list[int]) -> list:
        por_pk = {o.pk: o for o in self.get_queryset().filter(pk__in=ids)}
        return list(self.get_serializer([por_pk[pk] for pk in ids], many=True).data)

    def list(self, request, *args, **kwargs):
        pagina = self.paginate_queryset(
            self.filter_queryset(self.get_queryset())
            .annotate(version_datos=cache.version_en_sql())
            .values_list("pk", "version_datos")
        )
        ids = [pk for pk, _version in pagina]
        return self.get_paginated_response(
            cache.memorizar_en(
                pagina[0][1],
                self.clave_de_filas,
                request.build_absolute_uri("/"),
                self.format_kwarg,
                *ids,
                calcular=lambda: self.filas_de(ids),
            )
            if ids
            else []
        )


@extend_schema_view(
    list=extend_schema(summary="Listar las solicitudes visibles"),
    retrieve=extend_schema(summary="Consultar una solicitud"),
    create=extend_schema(
        summary="Crear un borrador de solicitud",
        request=SolicitudNuevaSerializer,
        responses={201: SolicitudSerializer},
    ),
)
class SolicitudViewSet(FilasPorVersion, viewsets.ReadOnlyModelViewSet):
    """Requests the person may see, with the list page's filters (ente, ejercicio, estado,
    tipo, q, resultado, area, monto_min, monto_max); a requirente creates drafts for its own
    agency."""

    clave_de_filas = "solicitudes-api"

    serializer_class = SolicitudSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = CUALQUIER_ID
    # A value a filter cannot read answers 400 with the Spanish message, as the page does.
    filter_backends = [DjangoFilterBackend]
    filterset_class = SolicitudFilter
    pagination_class = Paginacion

    def get_queryset(self):
        return (
            solicitudes_visibles(usuario=self.request.user)
            .select_related("ente")
            .prefetch_related(
                decisiones.partidas_con_decision(),
                "partidas__cotizaciones",
                decisiones.DICTAMENES_EN_VIGOR,
            )
            .order_by("-creada_en", "-id")
        )

    def filter_queryset(self, queryset):
        # The filters are the list's; a request's own address answers whatever they say.
        if self.action != "list":
            return queryset
        exigir_sin_espacios(self.request, ENTEROS_DEL_FILTRO)
        return super().filter_queryset(queryset)

    def create(self, request):
        entrada = SolicitudNuevaSerializer(data=request.data)
        entrada.is_valid(raise_exception=True)
        solicitud = solicitudes.solicitud_crear(usuario=request.user, datos=entrada.validated_data)
        return Response(self.get_serializer(solicitud).data, status=status.HTTP_201_CREATED)


# What a dictamen's row never shows (DictamenSerializer): the seal, the certificate and the
# NOM-151 record, kilobytes a row that the list read and decoded for nothing.
DEL_DICTAMEN_SIN_MOSTRAR = [
    "cadena_original",
    "sello",
    "certificado_pem",
    "certificado_numero",
    "certificado_rfc",
    "contenido_sha256",
    "constancia_nom151",
    "firmante_nombre",
    "firmante_cargo",
    "motivo_cancelacion",
]
DE_LA_SOLICITUD_SIN_FOLIO = [
    f"solicitud__{campo.name}"
    for campo in Solicitud._meta.concrete_fields
    if campo.name not in ("id", "folio")
]


@extend_schema_view(
    list=extend_schema(summary="Listar los dictámenes visibles, con su PDF"),
    retrieve=extend_schema(summary="Consultar un dictamen"),
)
class DictamenViewSet(FilasPorVersion, viewsets.ReadOnlyModelViewSet):
    """Dictámenes of the requests the person may see, with their signed PDF."""

    clave_de_filas = "dictamenes-api"

    serializer_class = DictamenSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = CUALQUIER_ID
    pagination_class = Paginacion

    def get_queryset(self):
        dictamenes = Dictamen.objects.all()
        if not usuarios.es_interno(usuario=self.request.user):
            visibles = solicitudes_visibles(usuario=self.request.user)
            dictamenes = dictamenes.filter(solicitud__in=visibles.values("pk"))
        return (
            dictamenes.select_related("solicitud")
            # Of the request, only its folio: the rest (texts, the track's JSON) each row
            # would build for nothing.
            .defer(*DE_LA_SOLICITUD_SIN_FOLIO, *DEL_DICTAMEN_SIN_MOSTRAR)
            .prefetch_related(decisiones.partidas_decididas("solicitud__partidas"))
            .annotate(sustituto_folio=Dictamen.sustituto_folio_sql())
            .order_by("-emitido_en", "-id")
        )

    @extend_schema(
        summary="Descargar el PDF firmado de un dictamen",
        responses={(200, "application/pdf"): bytes},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        dictamen = self.get_object()
        return HttpResponse(
            integridad.dictamen_pdf_leer(dictamen=dictamen), content_type="application/pdf"
        )


# DRF's error answer; config.api.documentar_errores adds it to every operation too.
class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class IndicadorSerializer(serializers.Serializer):
    ejercicio = serializers.IntegerField()
    recibidas = serializers.IntegerField()
    atendidas = serializers.IntegerField()
    indicador = serializers.FloatField()
    en_plazo = serializers.IntegerField()
    pct_en_plazo = serializers.FloatField()
    monto = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class IndicadoresView(APIView):
    """The annual indicator per fiscal year (internal staff and auditors)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Indicador anual por ejercicio fiscal",
        responses={
            200: IndicadorSerializer(many=True),
            404: OpenApiResponse(ErrorSerializer, description="Solo para personal interno."),
        },
    )
    def get(self, request):
        if not usuarios.es_interno(usuario=request.user):
            raise Http404
        return Response(
            IndicadorSerializer(indicadores.por_ejercicio(), many=True).data,
            status=status.HTTP_200_OK,
        )
