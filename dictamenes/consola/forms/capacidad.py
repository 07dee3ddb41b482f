"""What an administrator fills in on «Ausencias y refuerzos» (issue 50). The rules are the
service's (dictamenes.capacidad.services.registro); these forms only read the fields."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from dictamenes.capacidad.selectors.registro import personal_del_tramite
from dictamenes.models import Ausencia
from dictamenes.organizacion.selectors.areas import areas_activas
from estandares.entradas import TextoCortoField
from estandares.motivos import MotivoField

SEMANAS_MAX = 12


def _fecha(etiqueta, ayuda="") -> forms.DateField:
    return forms.DateField(
        label=etiqueta,
        help_text=ayuda,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PersonaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.username})"


def _persona() -> PersonaChoiceField:
    return PersonaChoiceField(
        label=_("Persona"),
        queryset=personal_del_tramite(),
        empty_label=_("Elija a la persona"),
        help_text=_(
            "Quien tiene un rol del trámite: mesa de control, revisión técnica, revisión "
            "estratégica o firma."
        ),
    )


class AusenciaForm(forms.Form):
    persona = _persona()
    motivo = forms.ChoiceField(label=_("Motivo"), choices=Ausencia.Motivo.choices)
    desde = _fecha(_("Desde (primer día de ausencia)"))
    hasta = _fecha(_("Hasta (último día de ausencia)"))
    nota = TextoCortoField(
        label=_("Nota"),
        max_length=200,
        required=False,
        help_text=_("Opcional: el oficio o quién cubre. Queda en la auditoría."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = personal_del_tramite()


class RefuerzoForm(forms.Form):
    persona = _persona()
    area = forms.ModelChoiceField(
        label=_("Área que recibe el refuerzo"),
        queryset=None,
        empty_label=_("Elija el área"),
    )
    desde = _fecha(
        _("Desde la semana del"),
        _("Cualquier día de la semana: el préstamo empieza el lunes de esa semana."),
    )
    semanas = forms.IntegerField(
        label=_("Semanas"),
        min_value=1,
        max_value=SEMANAS_MAX,
        initial=1,
        help_text=_("Semanas completas, de lunes a domingo (máximo %(n)s).") % {"n": SEMANAS_MAX},
    )
    motivo = MotivoField(
        label=_("Motivo"),
        max_length=200,
        help_text=_("Por qué se presta (oficio, carga del cierre). Lo lee quien aprueba."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = personal_del_tramite()
        self.fields["area"].queryset = areas_activas()

    def hasta(self) -> datetime.date:
        """The Sunday of the last week asked (the service takes `desde` to its Monday)."""
        desde = self.cleaned_data["desde"]
        lunes = desde - datetime.timedelta(days=desde.weekday())
        return lunes + datetime.timedelta(weeks=self.cleaned_data["semanas"], days=-1)


class CancelarAusenciaForm(forms.Form):
    motivo = MotivoField(
        label=_("Motivo de la cancelación"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
