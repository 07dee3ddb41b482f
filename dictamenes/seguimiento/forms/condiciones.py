"""The forms of a condition's evidence on the request's page: the agency's upload, and the
area's verification or rejection of it."""

from django import forms
from django.utils.translation import gettext_lazy

from dictamenes.seguimiento.services import condiciones
from estandares.entradas import TextoLargoField
from estandares.motivos import MotivoField


class EvidenciaForm(forms.Form):
    archivo = forms.FileField(
        label=gettext_lazy("Evidencia"),
        help_text=gettext_lazy(
            "PDF o documento de oficina (Word, Excel, PowerPoint, OpenDocument)."
        ),
        error_messages={"required": condiciones.ERROR_SIN_ARCHIVO},
    )
    nota = TextoLargoField(
        label=gettext_lazy("Nota para el área (opcional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VerificacionForm(forms.Form):
    accion = forms.ChoiceField(
        label=gettext_lazy("Decisión"),
        choices=[
            ("verificar", gettext_lazy("La evidencia acredita la condición: cumplida")),
            ("rechazar", gettext_lazy("Rechazar la evidencia, con su motivo")),
        ],
        widget=forms.RadioSelect,
    )
    motivo = MotivoField(
        label=gettext_lazy("Motivo del rechazo"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
