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
from dictamenes.montos import pesos
from dictamenes.planeacion.services.programa import fecha_corte
from estandares.entradas import EnteroField, MontoField

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
ERROR_SEMANAS = _(
    "Escriba un número de semanas de 1 a %(n)s: las que tiene el plan desde esa semana hasta "
    "el cierre del año."
)
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
    """The trial: every field optional; an empty form tries nothing. Numbers of the query
    string are read as on every page (estandares.entradas: the digits 0-9 only)."""

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
    semanas = EnteroField(
        label=_("Durante cuántas semanas"),
        help_text=_("Semanas seguidas desde la elegida; 1 si se deja vacío."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 2}
        ),
    )
    corte = forms.DateField(
        label=_("Fecha de corte más temprana"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    umbral = MontoField(
        label=_("Umbral de la vía rápida (MXN)"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    recomendado = forms.BooleanField(
        label=_("Sumar el refuerzo que recomienda el plan"), required=False
    )

    def __init__(
        self,
        *args,
        anio: int,
        hoy: datetime.date,
        areas: list,
        lunes: list[datetime.date],
        umbral_vigente: Decimal,
        plan: Plan | None = None,
        **kwargs,
    ):
        """`areas` and `lunes`: the plan's (what may be reinforced, and when)."""
        super().__init__(*args, **kwargs)
        self.anio, self.hoy, self.lunes, self.plan = anio, hoy, list(lunes), plan
        self.fields["area"].choices = [("", _("— Ninguna —"))] + [(a.pk, a.nombre) for a in areas]
        self.fields["semana"].choices = [("", _("— Ninguna —"))] + [
            (lunes.isoformat(), formats.date_format(lunes, "j \\d\\e F").lower())
            for lunes in self.lunes
        ]
        self.corte_vigente = fecha_corte(anio=anio)
        self.fields["corte"].help_text = (
            _("El corte vigente, el %(corte)s, ya pasó: no queda uno más temprano que probar.")
            if self.corte_vigente <= hoy
            else _(
                "El corte vigente es el %(corte)s: después, una solicitud ya no se dictamina "
                "este año."
            )
        ) % {"corte": fecha_larga(self.corte_vigente)}
        self.fields["umbral"].help_text = _(
            "El configurado es %(umbral)s; se prueba sin guardarlo. En pesos, solo con dígitos "
            "y, si lleva centavos, un punto: p. ej. 250000."
        ) % {"umbral": pesos(umbral_vigente)}

    def clean_corte(self):
        corte = self.cleaned_data["corte"]
        if corte is None:
            return None
        if corte.year != self.anio:
            raise forms.ValidationError(
                ERROR_CORTE_ANIO, code="corte_anio", params={"anio": self.anio}
            )
        if corte >= self.corte_vigente:
            raise forms.ValidationError(
                ERROR_CORTE_VIGENTE,
                code="corte_vigente",
                params={"corte": fecha_larga(self.corte_vigente)},
            )
        if corte < self.hoy:
            raise forms.ValidationError(
                ERROR_CORTE_PASADO, code="corte_pasado", params={"hoy": fecha_larga(self.hoy)}
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
        semanas = datos.get("semanas")
        if semanas is not None and "semanas" not in self.errors:
            semana = datos.get("semana")
            quedan = len(self.lunes) - self.lunes.index(semana) if semana else len(self.lunes)
            if not 1 <= semanas <= quedan:
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
        if datos.get("recomendado") and self.plan is not None:
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
