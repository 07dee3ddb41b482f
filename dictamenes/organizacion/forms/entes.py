"""What an administrator fills in to ask for a new agency name or a new cargo (issue 59). The
rules are the doors' (organizacion.services.entes, personas.services.cargos); these forms only
read the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dictamenes.organizacion.forms.areas import _motivo
from estandares.entradas import EnteroField, TextoCortoField


class ParametrosEntes(forms.Form):
    """The query string of «Entes»: the agency the admin's link names, preselected."""

    ente = EnteroField(label=_("Ente"), required=False)


class EnteNombreForm(forms.Form):
    ente = forms.ModelChoiceField(label=_("Ente"), queryset=None, empty_label=_("Elija un ente"))
    nombre = TextoCortoField(
        label=_("Nuevo nombre"),
        max_length=200,
        help_text=_(
            "Como lo publica el Boletín Oficial. Los datos abiertos de los ejercicios pasados "
            "conservan el nombre que tenían."
        ),
    )

    correccion = forms.BooleanField(
        label=_("Es una corrección"),
        required=False,
        help_text=_(
            "Márquelo solo si el nombre vigente está mal escrito o tiene datos que no son un "
            "nombre (un correo, un teléfono, un RFC): entonces los ejercicios pasados también "
            "se publican con el nombre corregido. Sin marcar, conservan el nombre que tenían."
        ),
    )

    def __init__(self, *args, entes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ente"].queryset = entes
        self.fields["motivo"] = _motivo()


class CargoForm(forms.Form):
    cargo = TextoCortoField(
        label=_("Cargo"),
        max_length=200,
        required=False,
        help_text=_("El que imprime el próximo dictamen que firme la persona."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivo"] = _motivo()
