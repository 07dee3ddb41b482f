"""The reason of a change that waits for a second administrator (dual control, issue 33): one
field for every console form that asks for it; each page says in its help what a reason is
there. The door refuses one that says nothing (personas.services.control_dual.ERROR_SIN_MOTIVO,
estandares.motivos); the field says so beside itself first."""

from django import forms
from django.utils.translation import gettext_lazy as _

from estandares.motivos import MotivoField

MOTIVO_MAX = 500

# What a reason is on the pages of people and roles, and on those of the organisation.
AYUDA_PERSONAS = _("Por qué cambia (oficio, alta, baja, cambio de puesto). Queda en la auditoría.")
AYUDA_ORGANIZACION = _(
    "Por qué cambia (oficio, reorganización). Lo lee quien aprueba y queda en la auditoría."
)


def campo_motivo(*, ayuda, renglones: int = 2) -> forms.CharField:
    """A new field each call: a form class must not share one field instance with another."""
    return MotivoField(
        label=_("Motivo"),
        max_length=MOTIVO_MAX,
        help_text=ayuda,
        widget=forms.Textarea(attrs={"rows": renglones}),
    )
