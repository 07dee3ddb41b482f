"""Public, read-only API of the catalogue, plus the evaluation endpoint."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings

from estandares import cumplimiento, selectors
from estandares.entradas import ERROR_PAGINA, PaginaEstricta, TextoCortoField
from estandares.models import Categoria, Perfil, Requisito
from estandares.serializers import (
    CategoriaSerializer,
    EvaluacionSerializer,
    EvaluarSerializer,
    PerfilSerializer,
    PublicacionSerializer,
    RequisitoSerializer,
)

SOLO_JSON = [p for p in api_settings.DEFAULT_PARSER_CLASSES if p.media_type == "application/json"]


def exigir_sin_espacios(request, mensajes: dict) -> None:
    """A number of the API's query string as its schema writes it (an integer): no spaces
    or other blanks around it, which the pages' forms forgive. Empty still means no value."""
    errores = {
        nombre: [mensaje]
        for nombre, mensaje in mensajes.items()
        if (valor := request.query_params.get(nombre, "")) != valor.strip()
    }
    if errores:
        raise ValidationError(errores)


class Paginacion(PaginaEstricta, PageNumberPagination):
    """Pages of 50 (PAGE_SIZE); the page number read as strictly as the filters."""

    def get_page_number(self, request, paginator):
        exigir_sin_espacios(request, {self.page_query_param: ERROR_PAGINA})
        return super().get_page_number(request, paginator)


class _Publico:
    permission_classes = [AllowAny]
    pagination_class = Paginacion
    # Any path segment reaches the view, so a malformed id ("0.5") gets the API's JSON 404
    # and not Django's HTML page for an unknown address.
    lookup_value_regex = r"[^/]+"


class TextoFilter(django_filters.CharFilter):
    """A single-line value: no control or direction characters (estandares.entradas)."""

    field_class = TextoCortoField


def _de_la_edicion(campo: str) -> TextoFilter:
    return TextoFilter(
        field_name=campo,
        max_length=20,
        label=_("Solo los de esta edición de los estándares (p. ej. 2024.1)."),
    )


class CategoriaFilter(django_filters.FilterSet):
    """Checked before they reach the database (which refuses NUL): a value that cannot be
    read answers 400 with its Spanish message."""

    version = _de_la_edicion("publicacion__version")

    class Meta:
        model = Categoria
        fields = []


class PerfilFilter(django_filters.FilterSet):
    version = _de_la_edicion("categoria__publicacion__version")
    categoria = TextoFilter(
        field_name="categoria__clave",
        max_length=60,
        label=_("Solo los de la categoría con esta clave."),
    )

    class Meta:
        model = Perfil
        fields = []


@extend_schema_view(
    list=extend_schema(summary="Listar las ediciones publicadas de los estándares"),
    retrieve=extend_schema(summary="Consultar una edición de los estándares"),
)
class PublicacionViewSet(_Publico, viewsets.ReadOnlyModelViewSet):
    """Published editions of the standards (drafts are not public)."""

    serializer_class = PublicacionSerializer
    lookup_field = "version"

    def get_queryset(self):
        return selectors.publicaciones_publicadas()

    def get_object(self):
        # PostgreSQL refuses a NUL in a query: such a version cannot exist.
        if "\x00" in self.kwargs[self.lookup_field]:
            raise NotFound
        return super().get_object()


@extend_schema_view(
    list=extend_schema(summary="Listar las categorías de los estándares"),
    retrieve=extend_schema(summary="Consultar una categoría"),
)
class CategoriaViewSet(_Publico, viewsets.ReadOnlyModelViewSet):
    """Categories; filter by edition with ?version=2024.1."""

    serializer_class = CategoriaSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CategoriaFilter

    def get_queryset(self):
        return (
            Categoria.objects.filter(publicacion__in=selectors.publicaciones_publicadas())
            .select_related("publicacion", "area")
            .prefetch_related("perfiles")
            .order_by("publicacion__vigente_desde", "orden", "id")
        )


@extend_schema_view(
    list=extend_schema(summary="Listar los perfiles con sus requisitos"),
    retrieve=extend_schema(summary="Consultar un perfil con sus requisitos"),
)
class PerfilViewSet(_Publico, viewsets.ReadOnlyModelViewSet):
    """Profiles with their requisitos; filter with ?version= and ?categoria=."""

    serializer_class = PerfilSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PerfilFilter

    def get_queryset(self):
        return (
            Perfil.objects.filter(categoria__publicacion__in=selectors.publicaciones_publicadas())
            .select_related("categoria__publicacion")
            .prefetch_related(
                Prefetch("requisitos", queryset=Requisito.objects.order_by("orden", "id"))
            )
            .order_by("categoria__publicacion__vigente_desde", "categoria__orden", "orden", "id")
        )

    @extend_schema(
        summary="Evaluar especificaciones contra un perfil",
        request=EvaluarSerializer,
        responses=EvaluacionSerializer,
    )
    # A JSON object only (the project's JSON parser): `especificaciones` is a map that a form
    # body cannot carry.
    @action(detail=True, methods=["post"], parser_classes=SOLO_JSON)
    def evaluar(self, request, pk=None, format=None):  # noqa: A002 (DRF's .json suffix)
        """Evaluate specifications against this profile with the compliance engine."""
        perfil = self.get_object()
        entrada = EvaluarSerializer(data=request.data)
        entrada.is_valid(raise_exception=True)
        evaluacion = cumplimiento.evaluar(
            selectors.perfil_spec(perfil=perfil), entrada.validated_data["especificaciones"]
        )
        return Response(EvaluacionSerializer(evaluacion.as_dict()).data)


@extend_schema_view(
    list=extend_schema(summary="Listar los requisitos de los perfiles"),
    retrieve=extend_schema(summary="Consultar un requisito"),
)
class RequisitoViewSet(_Publico, viewsets.ReadOnlyModelViewSet):
    serializer_class = RequisitoSerializer

    def get_queryset(self):
        return Requisito.objects.filter(
            perfil__categoria__publicacion__in=selectors.publicaciones_publicadas()
        ).order_by("perfil_id", "orden", "id")
