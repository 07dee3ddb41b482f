"""Public, read-only API of the catalogue, plus the evaluation endpoint."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from estandares import cumplimiento, selectors
from estandares.models import Categoria, Perfil, Requisito
from estandares.serializers import (
    CategoriaSerializer,
    EvaluacionSerializer,
    EvaluarSerializer,
    PerfilSerializer,
    PublicacionSerializer,
    RequisitoSerializer,
)


class _Publico:
    permission_classes = [AllowAny]
    # Any path segment reaches the view, so a malformed id ("0.5") gets the API's JSON 404
    # and not Django's HTML page for an unknown address.
    lookup_value_regex = r"[^/]+"


class FiltrosSerializer(serializers.Serializer):
    """The list filters, checked before they reach the database (which refuses NUL)."""

    version = serializers.CharField(required=False, allow_blank=True)
    categoria = serializers.CharField(required=False, allow_blank=True)


def _filtros(request) -> dict:
    filtros = FiltrosSerializer(data=request.query_params)
    filtros.is_valid(raise_exception=True)
    return filtros.validated_data


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


VERSION = OpenApiParameter(
    "version", str, description="Solo las de esta edición de los estándares (p. ej. 2024.1)."
)
CATEGORIA = OpenApiParameter(
    "categoria", str, description="Solo los de la categoría con esta clave."
)


@extend_schema_view(list=extend_schema(parameters=[VERSION]))
class CategoriaViewSet(_Publico, viewsets.ReadOnlyModelViewSet):
    """Categories; filter by edition with ?version=2024.1."""

    serializer_class = CategoriaSerializer

    def get_queryset(self):
        qs = (
            Categoria.objects.filter(publicacion__in=selectors.publicaciones_publicadas())
            .select_related("publicacion", "area")
            .prefetch_related("perfiles")
            .order_by("publicacion__vigente_desde", "orden", "id")
        )
        version = _filtros(self.request).get("version")
        return qs.filter(publicacion__version=version) if version else qs


@extend_schema_view(list=extend_schema(parameters=[VERSION, CATEGORIA]))
class PerfilViewSet(_Publico, viewsets.ReadOnlyModelViewSet):
    """Profiles with their requisitos; filter with ?version= and ?categoria=."""

    serializer_class = PerfilSerializer

    def get_queryset(self):
        qs = (
            Perfil.objects.filter(categoria__publicacion__in=selectors.publicaciones_publicadas())
            .select_related("categoria__publicacion")
            .prefetch_related(
                Prefetch("requisitos", queryset=Requisito.objects.order_by("orden", "id"))
            )
            .order_by("categoria__publicacion__vigente_desde", "categoria__orden", "orden", "id")
        )
        params = _filtros(self.request)
        if params.get("version"):
            qs = qs.filter(categoria__publicacion__version=params["version"])
        if params.get("categoria"):
            qs = qs.filter(categoria__clave=params["categoria"])
        return qs

    @extend_schema(request=EvaluarSerializer, responses=EvaluacionSerializer)
    @action(detail=True, methods=["post"])
    def evaluar(self, request, pk=None):
        """Evaluate specifications against this profile with the compliance engine."""
        perfil = self.get_object()
        entrada = EvaluarSerializer(data=request.data)
        entrada.is_valid(raise_exception=True)
        evaluacion = cumplimiento.evaluar(
            selectors.perfil_spec(perfil=perfil), entrada.validated_data["especificaciones"]
        )
        return Response(EvaluacionSerializer(evaluacion.as_dict()).data)


class RequisitoViewSet(_Publico, viewsets.ReadOnlyModelViewSet):
    serializer_class = RequisitoSerializer

    def get_queryset(self):
        return Requisito.objects.filter(
            perfil__categoria__publicacion__in=selectors.publicaciones_publicadas()
        ).order_by("perfil_id", "orden", "id")
