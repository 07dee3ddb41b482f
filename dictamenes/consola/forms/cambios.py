"""The form of «Cambios por aprobar»: a second administrator approves or rejects a change that
waits (issue 33); a rejection may say why. The rule is personas.services.control_dual's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dictamenes.consola.forms.motivo import MOTIVO_MAX
from estandares.motivos import MotivoField


class ResolverCambioForm(forms.Form):
    accion = forms.ChoiceField(
        choices=[("aprobar", _("Aprobar")), ("rechazar", _("Rechazar"))],
        widget=forms.HiddenInput,
    )
    motivo = MotivoField(
        label=_("Motivo del rechazo"),
        max_length=MOTIVO_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
