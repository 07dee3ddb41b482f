"""What whoever decides on a request records about one of its signs, on the request's page
(senales.acciones; the rule of who may, and its event, are senales.services.senal_atender)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dictamenes.comun import widgets
from dictamenes.models import Senal
from dictamenes.senales import services
from estandares.motivos import MotivoField

ERROR_SIN_ATENCION = services.ERROR_ATENCION


class SenalAtencionForm(forms.Form):
    atencion = forms.ChoiceField(
        label=_("Qué se hizo con la señal"),
        choices=Senal.Atencion.choices,
        widget=widgets.RadioSelect,
        error_messages={
            "required": ERROR_SIN_ATENCION,
            "invalid_choice": ERROR_SIN_ATENCION,
        },
    )
    # Named as the sign's field: the door's refusal of it (services.ERROR_NOTA) goes beside it.
    atencion_nota = Senal._meta.get_field("atencion_nota").formfield(
        form_class=MotivoField,
        label=_("Nota"),
        required=True,
        help_text=_("Qué revisó y por qué decidió así. Sin datos personales."),
        error_messages={"required": services.ERROR_NOTA},
        widget=widgets.Textarea(attrs={"rows": 2}),
    )
