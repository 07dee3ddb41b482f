"""The query string of the auditor's list of signs (/senales/) and of its CSV, read strictly
as every list's (dictamenes.tramite.filtros): a value that cannot be read is a 400 with its
Spanish message next to the filters and no rows, never ignored; an empty value filters
nothing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dictamenes.models import CodigoSenal
from dictamenes.senales import selectors
from estandares.entradas import EnteroField, PaginaField, TextoCortoField

TODAS = [("", _("Todas"))]


class ParametrosSenales(forms.Form):
    # Declared in the order the page writes them back into its links.
    codigo = forms.ChoiceField(
        label=_("Señal"), required=False, choices=TODAS + CodigoSenal.choices
    )
    ente = EnteroField(label=_("Ente"), required=False)
    proveedor = TextoCortoField(label=_("Proveedor"), required=False, max_length=200)
    ejercicio = EnteroField(label=_("Ejercicio"), required=False)
    vigencia = forms.ChoiceField(
        label=_("Vigencia"),
        required=False,
        choices=[
            ("", _("Todas")),
            (selectors.VIGENTES, _("Vigentes")),
            (selectors.RETIRADAS, _("Ya no se cumplen")),
        ],
    )
    atencion = forms.ChoiceField(
        label=_("Atención"),
        required=False,
        choices=[
            ("", _("Todas")),
            (selectors.SIN_ATENDER, _("Sin atender")),
            (selectors.ATENDIDAS, _("Atendidas")),
        ],
    )
    orden = forms.ChoiceField(
        label=_("Ordenar por"),
        required=False,
        choices=[(clave, etiqueta) for clave, (etiqueta, _orden) in selectors.ORDENES.items()],
    )
    p = PaginaField(label=_("Página"), required=False)

    FILTROS = ("codigo", "ente", "proveedor", "ejercicio", "vigencia", "atencion", "orden")

    def valores(self) -> dict[str, str]:
        """What the form shows back, as typed (without surrounding spaces): the filters and
        the order, not the page (the links write it)."""
        return {nombre: (self.data.get(nombre) or "").strip() for nombre in self.FILTROS}

    def filtros(self) -> dict:
        """The selector's arguments (senales_filtradas), from the values read."""
        datos = self.cleaned_data
        return {
            "codigo": datos.get("codigo") or None,
            "ente": datos.get("ente"),
            "proveedor": datos.get("proveedor") or None,
            "ejercicio": datos.get("ejercicio"),
            "vigencia": datos.get("vigencia") or None,
            "atencion": datos.get("atencion") or None,
            "orden": datos.get("orden") or selectors.ORDEN_INICIAL,
        }
