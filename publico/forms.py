"""A citizen uploads a dictamen's PDF to verify it."""

from django import forms
from django.utils.translation import gettext_lazy as _


class VerificarForm(forms.Form):
    pdf = forms.FileField(label=_("PDF del dictamen"))
