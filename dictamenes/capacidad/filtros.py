"""The what-if of «Capacidad para el cierre» (issue 50, item 3): what the query string asks to
try (a reinforcement, an earlier cut-off, another fast-track threshold), read into a Prueba.
A GET form: nothing it reads is saved. Its choices (areas, weeks) are the plan's own."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from dictamenes.capacidad.services.plan import Plan, Prueba
from dictamenes.comun.fechas import fecha_larga
from dictamenes.montos import MontoEscritoField, pesos
from dictamenes.planeacion.services.programa import fecha_corte
from dictamenes.tramite.services.vias import ERROR_UMBRAL_NEGATIVO

# Reviewer-days lent in one week: up to 50 people for a five-day week.
DIAS_MAXIMO = 250
_DIAS = re.compile(r"[0-9]{1,3}(?:\.[0-9]?)?|\.[0-9]")
ERROR_DIAS = _(
    "Escriba los días-revisor con dígitos del 0 al 9 y, si lleva fracción, un punto y una "
    "cifra (por ejemplo, 12.5)."
)
ERROR_DIAS_RANGO = _("Los días-revisor de una semana van de 0.5 a %(maximo)s.")
ERROR_FALTA_AREA = _("Para probar un refuerzo, elija el área que lo recibe.")
ERROR_FALTA_SEMANA = _("Para probar un refuerzo, elija la semana en que empieza.")
ERROR_FALTAN_DIAS = _("Para probar un refuerzo, escriba cuántos días-revisor por semana.")
ERROR_SEMANAS = _("Desde esa semana, el plan tiene %(n)s semanas hasta el cierre del año.")
ERROR_CORTE_VIGENTE = _(
    "Pruebe una fecha anterior al corte vigente (%(corte)s): uno más tarde no adelanta nada."
)
ERROR_CORTE_PASADO = _("El corte que pruebe no puede ser anterior a hoy (%(hoy)s).")
ERROR_CORTE_ANIO = _("El corte que pruebe debe caer en %(anio)s, el año del plan.")


class DiasRevisorField(forms.CharField):
    """Reviewer-days as typed: digits and at most one decimal (the plan counts half days)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if not _DIAS.fullmatch(value):
            raise forms.ValidationError(ERROR_DIAS, code="invalid")
        dias = float(value)
        if not 0.5 <= dias <= DIAS_MAXIMO:
            raise forms.ValidationError(
                ERROR_DIAS_RANGO, code="rango", params={"maximo": DIAS_MAXIMO}
            )
        return dias


class PruebaForm(forms.Form):
    """The trial: every field optional; an empty form tries nothing."""

    area = forms.TypedChoiceField(
        label=_("Área que recibe el refuerzo"), required=False, coerce=int
    )
    semana = forms.TypedChoiceField(
        label=_("Semana que empieza el lunes"),
        required=False,
        coerce=datetime.date.fromisoformat,
    )
    dias = DiasRevisorField(
        label=_("Días-revisor por semana"),
        required=False,
        help_text=_(
            "Una persona de tiempo completo son 5 días-revisor en una semana sin días inhábiles."
        ),
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "maxlength": 6}
        ),
    )
    semanas = forms.IntegerField(
        label=_("Durante cuántas semanas"),
        required=False,
        min_value=1,
        max_value=60,
        widget=forms.NumberInput(attrs={"min": 1, "size": 4}),
    )
    corte = forms.DateField(
        label=_("Fecha de corte más temprana"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    umbral = MontoEscritoField(
        miles=True,
        label=_("Umbral de la vía rápida (MXN)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    recomendado = forms.BooleanField(
        label=_("Sumar el refuerzo que recomienda el plan"), required=False
    )

    def __init__(self, *args, plan: Plan, umbral_vigente: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.lunes = [s.lunes for s in plan.total]
        self.fields["area"].choices = [("", _("— Ninguna —"))] + [
            (a.area.pk, a.area.nombre) for a in plan.areas
        ]
        self.fields["semana"].choices = [("", _("— Ninguna —"))] + [
            (lunes.isoformat(), formats.date_format(lunes, "j \\d\\e F").lower())
            for lunes in self.lunes
        ]
        self.fields["semanas"].help_text = _(
            "Semanas seguidas desde la elegida; 1 si se deja vacío."
        )
        self.corte_vigente = fecha_corte(anio=plan.anio)
        self.fields["corte"].help_text = (
            _("El corte vigente, el %(corte)s, ya pasó: no queda uno más temprano que probar.")
            if self.corte_vigente <= plan.hoy
            else _(
                "El corte vigente es el %(corte)s: después, una solicitud ya no se dictamina "
                "este año."
            )
        ) % {"corte": fecha_larga(self.corte_vigente)}
        self.fields["umbral"].help_text = _(
            "El configurado es %(umbral)s; se prueba sin guardarlo. En pesos, p. ej. 250,000.00."
        ) % {"umbral": pesos(umbral_vigente)}

    def clean_umbral(self):
        umbral = self.cleaned_data["umbral"]
        if umbral is not None and umbral < 0:
            raise forms.ValidationError(ERROR_UMBRAL_NEGATIVO, code="umbral")
        return umbral

    def clean_corte(self):
        corte = self.cleaned_data["corte"]
        if corte is None:
            return None
        if corte.year != self.plan.anio:
            raise forms.ValidationError(
                ERROR_CORTE_ANIO, code="corte_anio", params={"anio": self.plan.anio}
            )
        if corte >= self.corte_vigente:
            raise forms.ValidationError(
                ERROR_CORTE_VIGENTE,
                code="corte_vigente",
                params={"corte": fecha_larga(self.corte_vigente)},
            )
        if corte < self.plan.hoy:
            raise forms.ValidationError(
                ERROR_CORTE_PASADO, code="corte_pasado", params={"hoy": fecha_larga(self.plan.hoy)}
            )
        return corte

    def clean(self):
        datos = super().clean()
        dados = {c: datos.get(c) for c in ("area", "semana", "dias")}
        # A field refused above is absent from cleaned_data but was given: it asks for no more.
        if any(v not in (None, "") for v in dados.values()) or any(c in self.errors for c in dados):
            for campo, error in (
                ("area", ERROR_FALTA_AREA),
                ("semana", ERROR_FALTA_SEMANA),
                ("dias", ERROR_FALTAN_DIAS),
            ):
                if dados[campo] in (None, "") and campo not in self.errors:
                    self.add_error(campo, forms.ValidationError(error, code="falta"))
        semana, semanas = datos.get("semana"), datos.get("semanas") or 1
        if semana and "semanas" not in self.errors:
            quedan = len(self.lunes) - self.lunes.index(semana)
            if semanas > quedan:
                self.add_error(
                    "semanas",
                    forms.ValidationError(ERROR_SEMANAS, code="semanas", params={"n": quedan}),
                )
        return datos

    def prueba(self) -> Prueba | None:
        """The valid form's trial, or None when it asks nothing."""
        datos = self.cleaned_data
        refuerzos = []
        if datos.get("area") and datos.get("semana"):
            inicio = self.lunes.index(datos["semana"])
            refuerzos += [
                (datos["area"], lunes, datos["dias"])
                for lunes in self.lunes[inicio : inicio + (datos.get("semanas") or 1)]
            ]
        if datos.get("recomendado"):
            refuerzos += [
                (a.area.pk, s.lunes, s.refuerzo_dias)
                for a in self.plan.areas
                for s in a.semanas
                if s.refuerzo_dias > 0
            ]
        if not refuerzos and datos.get("corte") is None and datos.get("umbral") is None:
            return None
        return Prueba(
            refuerzos=tuple(refuerzos), corte=datos.get("corte"), umbral=datos.get("umbral")
        )
