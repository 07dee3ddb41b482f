"""The query parameters of the lists, read strictly.

The filters of the request list are the same on the page (/solicitudes/) and in the API
(/api/v1/solicitudes/): same parameter names, same results. A value a filter cannot read is
an error, never silently ignored and never a 500: a number that is not written with the digits
0-9 ("NaN", "Infinity", "1e309", "-1", "١٢"), a number no column holds, a state that does not
exist, a page number that is not one. The page answers 400 and shows the Spanish message next
to the filters, with no rows (rows filtered by the other values only would mislead); the API
answers 400 with {"parameter": ["message"]}. A well-formed value that matches nothing (a year
with no requests) is an empty list, not an error. Empty values filter nothing.

The numbers are read by estandares.entradas, the same for every list.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Q, Value
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Dictamen, Solicitud
from estandares.entradas import (
    CORTO_MAX,
    EnteroField,
    MontoField,
    PaginaField,
    TextoCortoField,
    mensajes_de,
)
from estandares.models import Perfil as PerfilTecnico


class EnteroFilter(django_filters.NumberFilter):
    """A whole number, digits 0-9 only (estandares.entradas.EnteroField)."""

    field_class = EnteroField

    def get_max_validator(self):
        return None


class MontoFilter(django_filters.NumberFilter):
    """An amount in pesos: digits 0-9, a point and up to two decimals."""

    field_class = MontoField

    def get_max_validator(self):
        return None


class PaginaFilter(django_filters.Filter):
    """The page number of a list page: read with the filters, filters nothing."""

    field_class = PaginaField

    def filter(self, qs, value):
        return qs


class FiltroEstricto(django_filters.FilterSet):
    """A FilterSet whose invalid values give no rows and Spanish messages for the page."""

    @property
    def qs(self):
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    @property
    def estado_http(self) -> int:
        """What the page answers: 400 when a value could not be read."""
        return 400 if self.is_bound and not self.is_valid() else 200

    def mensajes(self) -> list[str]:
        """Each error as "Label: message", in the order the filters are declared."""
        return mensajes_de(self.form)


# Read without the spaces around them; the others, as they come.
SIN_ESPACIOS = ("q", "monto_min", "monto_max")


class SolicitudFilter(FiltroEstricto):
    # Declared in the order the list page writes them back into its links.
    ente = EnteroFilter(field_name="ente", label=_("Ente"))
    ejercicio = EnteroFilter(label=_("Ejercicio"))
    estado = django_filters.ChoiceFilter(choices=Solicitud.Estado.choices, label=_("Estado"))
    tipo = django_filters.CharFilter(
        field_name="tipo_operacion", strip=False, max_length=40, label=_("Tipo")
    )
    q = django_filters.CharFilter(
        method="filtrar_texto",
        max_length=CORTO_MAX,
        label=_("Folio o título"),
    )
    resultado = django_filters.CharFilter(strip=False, max_length=40, label=_("Resultado"))
    area = django_filters.CharFilter(
        method="filtrar_area", strip=False, max_length=40, label=_("Área")
    )
    monto_min = MontoFilter(field_name="monto_estimado", lookup_expr="gte", label=_("Monto desde"))
    monto_max = MontoFilter(field_name="monto_estimado", lookup_expr="lte", label=_("Monto hasta"))

    class Meta:
        model = Solicitud
        fields = []

    def filtrar_texto(self, queryset, name, value: str):
        # The title and the folio in capitals are kept on the row (Solicitud.titulo_busqueda,
        # .folio_busqueda): `icontains` is the same LIKE over UPPER() of each, computed on
        # every row of every search (10 of the 20.7 ms of SQL of the auditor's filtered
        # search at ten years). The typed text is put in capitals by the same UPPER().
        mayusculas = Upper(Value(value))
        condicion = Q(titulo_busqueda__contains=mayusculas) | Q(folio_busqueda__contains=mayusculas)
        # A dictamen's whole folio finds its request too (an auditor often starts from the
        # PDF): looked up first on the folio's unique index, as typed and in capitals, so the
        # list's own search keeps its plan (a LIKE over every dictamen's folio, OR-ed into
        # it, cost 100 ms of SQL at ten years of history).
        texto = value.strip()
        solicitudes = list(
            Dictamen.objects.filter(folio__in={texto, texto.upper()}).values_list(
                "solicitud_id", flat=True
            )
        )
        if solicitudes:
            condicion |= Q(pk__in=solicitudes)
        return queryset.filter(condicion)

    def filtrar_area(self, queryset, name, value: str):
        # The area's profiles first (a few ids), read on each request's own row: the
        # profiles of its items are kept there (Solicitud.perfiles_busqueda, by
        # tramite.services.busqueda), instead of probing its items for each request.
        perfiles = list(
            PerfilTecnico.objects.filter(categoria__area__clave=value).values_list("pk", flat=True)
        )
        if not perfiles:
            return queryset.none()
        return queryset.filter(perfiles_busqueda__has_any_keys=[str(p) for p in perfiles])

    def es_busqueda(self) -> bool:
        """Whether the person searched: a text or an area, predicates read on every matching
        row (comun.paginacion counts such a list with its page's rows)."""
        valores = self.valores()
        return bool(valores["q"] or valores["area"])

    def valores(self) -> dict[str, str]:
        """What the filter form shows back: what was typed (the text and the amounts without
        surrounding spaces). Only the filters: the page number is written by the links."""
        valores = {}
        for nombre in SolicitudFilter.base_filters:
            valor = self.data.get(nombre, "")
            if nombre in SIN_ESPACIOS:
                valor = valor.strip()
            valores[nombre] = valor
        return valores


class PaginaEstrictaDeLista:
    """For a Django ListView that has no FilterSet of ours (viewflow's dashboards): the page
    number read with PaginaField ("last" still means the last page, as Django reads it); when
    it is not one, the list is empty and the page answers 400 with the message."""

    errores_de_pagina: list[str] = []

    def paginate_queryset(self, queryset, page_size):
        valor = self.request.GET.get(self.page_kwarg, "")
        campo = PaginaField(label=_("Página"))
        try:
            numero = None if valor == "last" else campo.clean(valor)
        except forms.ValidationError as exc:
            self.errores_de_pagina = [f"{campo.label}: {m}" for m in exc.messages]
            numero, queryset = 1, queryset.none()
        paginador = self.get_paginator(queryset, page_size)
        pagina = paginador.get_page(paginador.num_pages if valor == "last" else numero or 1)
        return paginador, pagina, pagina.object_list, pagina.has_other_pages()

    def render_to_response(self, context, **response_kwargs):
        if self.errores_de_pagina:
            for mensaje in self.errores_de_pagina:
                messages.error(self.request, mensaje)
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class ListaSolicitudesFilter(SolicitudFilter):
    """The list page's: the API's filters and the page number `p`, read as strictly."""

    p = PaginaFilter(label=_("Página"))


class ParametrosIndicadores(forms.Form):
    """The query string of the indicators page."""

    ejercicio = EnteroField(label=_("Ejercicio"))


class ParametrosRegistro(ParametrosIndicadores):
    """The query string of the public register: the year, the folio and the page. The folio
    as a person types it (issue 78): the view finds it as the verification page does (spaces,
    case and separators as they come, on the unique index), never by a scan."""

    folio = TextoCortoField(label=_("Folio"), required=False, max_length=80)
    p = PaginaField(label=_("Página"))
