"""What an administrator fills in on the areas pages (issue 35). The rules are the service's
(dictamenes.organizacion.services.areas); these forms only read the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dictamenes.consola.forms.motivo import AYUDA_ORGANIZACION, campo_motivo
from estandares.entradas import TextoCortoField


class AreaNombreForm(forms.Form):
    """Adding an area, or renaming one: its name."""

    nombre = TextoCortoField(
        label=_("Nombre del área"),
        max_length=120,
        help_text=_("Como lo leen las personas en los pasos del trámite."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivo"] = campo_motivo(ayuda=AYUDA_ORGANIZACION)


class CategoriasAsignarForm(forms.Form):
    claves = forms.MultipleChoiceField(
        label=_("Categorías que pasan a esta área"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Cada una, en todas las ediciones de los estándares."),
    )

    def __init__(self, *args, categorias, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claves"].choices = [
            (c["clave"], f"{c['nombre']} (hoy: {c['area']})") for c in categorias
        ]
        self.fields["motivo"] = campo_motivo(ayuda=AYUDA_ORGANIZACION)


class AreaRetirarForm(forms.Form):
    destino = forms.ModelChoiceField(
        label=_("Área que recibe sus categorías y revisiones abiertas"),
        queryset=None,
        required=False,
        empty_label=_("Ninguna"),
        help_text=_(
            "Sin destino, el área se retira solo si no tiene categorías ni revisiones abiertas."
        ),
    )

    def __init__(self, *args, destinos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destino"].queryset = destinos
        self.fields["motivo"] = campo_motivo(ayuda=AYUDA_ORGANIZACION)
