"""Public, read-only API of the catalogue, plus the evaluation endpoint."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
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


class PublicacionViewSet(_Publico, viewsets.ReadOnlyModelViewSet):
    """Published editions of the standards (drafts are not public)."""

    serializer_class = PublicacionSerializer
    lookup_field = "version"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        return selectors.publicaciones_publicadas()


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
        version = self.request.query_params.get("version")
        return qs.filter(publicacion__version=version) if version else qs


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
        params = self.request.query_params
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
            selectors.perfil_spec(perfil), entrada.validated_data["especificaciones"]
        )
        return Response(EvaluacionSerializer(evaluacion.as_dict()).data)


class RequisitoViewSet(_Publico, viewsets.ReadOnlyModelViewSet):
    serializer_class = RequisitoSerializer

    def get_queryset(self):
        return Requisito.objects.filter(
            perfil__categoria__publicacion__in=selectors.publicaciones_publicadas()
        ).order_by("perfil_id", "orden", "id")
