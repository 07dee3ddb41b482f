"""The filters of the request list, the same on the page (/solicitudes/) and in the API
(/api/v1/solicitudes/): same parameter names, same results. A value that does not make sense
(a year that is not a number, a state that does not exist, an amount that is not one) is
ignored, not an error."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Partida, Solicitud
from estandares.models import Perfil as PerfilTecnico

# The largest whole number a database column holds (SQLite's and PostgreSQL's bigint).
MAYOR_ENTERO = 2**63 - 1


class _DigitosField(forms.CharField):
    """Digits only, read as a whole number; anything else (a sign, a point, spaces, a number
    no column holds) is not."""

    def __init__(self, **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            if value.isdigit() and int(value) <= MAYOR_ENTERO:
                return int(value)
        except ValueError:
            pass
        raise ValidationError(_("Escriba solo dígitos."), code="invalid")


class _EnteroFilter(django_filters.NumberFilter):
    field_class = _DigitosField

    def get_max_validator(self):
        return None


# Read without the spaces around them; the others, as they come.
SIN_ESPACIOS = ("q", "monto_min", "monto_max")


class SolicitudFilter(django_filters.FilterSet):
    # Declared in the order the list page writes them back into its links.
    ente = _EnteroFilter(field_name="ente", label=_("Ente"))
    ejercicio = _EnteroFilter(label=_("Ejercicio"))
    estado = django_filters.ChoiceFilter(choices=Solicitud.Estado.choices, label=_("Estado"))
    tipo = django_filters.CharFilter(field_name="tipo_operacion", strip=False, label=_("Tipo"))
    q = django_filters.CharFilter(method="filtrar_texto", label=_("Folio o título"))
    resultado = django_filters.CharFilter(strip=False, label=_("Resultado"))
    area = django_filters.CharFilter(method="filtrar_area", strip=False, label=_("Área"))
    monto_min = django_filters.NumberFilter(
        field_name="monto_estimado", lookup_expr="gte", label=_("Monto desde")
    )
    monto_max = django_filters.NumberFilter(
        field_name="monto_estimado", lookup_expr="lte", label=_("Monto hasta")
    )

    class Meta:
        model = Solicitud
        fields = []

    def filtrar_texto(self, queryset, name, value: str):
        return queryset.filter(Q(titulo__icontains=value) | Q(folio__icontains=value))

    def filtrar_area(self, queryset, name, value: str):
        # The area's profiles first (a few ids), so the search probes each request's items
        # by index instead of joining every item to its category and area.
        perfiles = list(
            PerfilTecnico.objects.filter(categoria__area__clave=value).values_list("pk", flat=True)
        )
        return queryset.filter(
            Exists(Partida.objects.filter(solicitud=OuterRef("pk"), perfil_id__in=perfiles))
        )

    def valores(self) -> dict[str, str]:
        """What the filter form shows back: what was typed (the text and the amounts without
        surrounding spaces), and an amount that is not a number, emptied."""
        errores = self.errors
        valores = {}
        for nombre in self.filters:
            valor = self.data.get(nombre, "")
            if nombre in SIN_ESPACIOS:
                valor = valor.strip()
            if nombre in errores and nombre.startswith("monto_"):
                valor = ""
            valores[nombre] = valor
        return valores
