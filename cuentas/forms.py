"""The second factor's code."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodigoForm(forms.Form):
    codigo = forms.CharField(
        label=_("Código de verificación"),
        max_length=8,
        help_text=_("Los 6 dígitos que muestra ahora su aplicación de autenticación."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
