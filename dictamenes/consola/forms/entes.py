"""What an administrator fills in on «Entes» to ask for a new agency name (issue 59). The rules
are the door's (organizacion.services.entes); these forms only read the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dictamenes.consola.forms.motivo import AYUDA_ORGANIZACION, campo_motivo
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
        self.fields["motivo"] = campo_motivo(ayuda=AYUDA_ORGANIZACION)
