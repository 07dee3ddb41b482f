"""The specifications form, built from a profile's requisitos.

The autoevaluación page uses it, and the requests issue re-uses it for every item: the
form turns what a person typed into the `especificaciones` dict the engine judges.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from estandares import unidades
from estandares.cumplimiento import PerfilSpec
from estandares.models import Requisito

OTRA = "Otra"
SI_NO = [("si", _("Sí")), ("no", _("No")), ("", _("Sin indicar"))]


def _sufijo_unidad(clave: str) -> str:
    return f"{clave}__unidad"


class EspecificacionesForm(forms.Form):
    def __init__(self, *args, perfil: PerfilSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.perfil = perfil
        for req in perfil.requisitos:
            etiqueta = req.nombre + ("" if req.obligatorio else " " + str(_("(recomendado)")))
            ayuda = req.fundamento
            if req.tipo == Requisito.Tipo.NUMERO:
                self.fields[req.clave] = forms.DecimalField(
                    label=etiqueta,
                    required=False,
                    help_text=ayuda,
                    max_digits=14,
                    decimal_places=4,
                )
                opciones = unidades.compatibles(req.unidad)
                self.fields[_sufijo_unidad(req.clave)] = forms.ChoiceField(
                    label=_("Unidad de %(nombre)s") % {"nombre": req.nombre},
                    choices=[(u, u) for u in opciones],
                    initial=req.unidad,
                    required=False,
                )
            elif req.tipo == Requisito.Tipo.OPCION:
                self.fields[req.clave] = forms.ChoiceField(
                    label=etiqueta,
                    required=False,
                    help_text=ayuda,
                    choices=[("", _("— sin indicar —"))]
                    + [(o, o) for o in req.opciones]
                    + [(OTRA, _("Otra opción no listada"))],
                )
            elif req.tipo == Requisito.Tipo.BOOLEANO:
                self.fields[req.clave] = forms.ChoiceField(
                    label=etiqueta,
                    required=False,
                    help_text=ayuda,
                    choices=SI_NO,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[req.clave] = forms.CharField(
                    label=etiqueta,
                    required=False,
                    help_text=ayuda,
                    max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def filas(self) -> list[tuple]:
        """One row per requisito for templates: (requisito, value field, unit field or None)."""
        return [
            (
                req,
                self[req.clave],
                self[_sufijo_unidad(req.clave)] if req.tipo == Requisito.Tipo.NUMERO else None,
            )
            for req in self.perfil.requisitos
        ]

    def especificaciones(self) -> dict:
        """The cleaned values as the engine's input (JSON-serialisable)."""
        resultado = {}
        for req in self.perfil.requisitos:
            valor = self.cleaned_data.get(req.clave)
            if valor in (None, ""):
                continue
            if req.tipo == Requisito.Tipo.NUMERO:
                unidad = self.cleaned_data.get(_sufijo_unidad(req.clave)) or req.unidad
                resultado[req.clave] = {"valor": str(valor), "unidad": unidad}
            elif req.tipo == Requisito.Tipo.BOOLEANO:
                resultado[req.clave] = valor == "si"
            else:
                resultado[req.clave] = valor
        return resultado


class PublicarForm(forms.Form):
    vigente_desde = forms.DateField(
        label=_("Vigente desde"),
        help_text=_("La edición vigente hasta ese día queda derogada a partir de esa fecha."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class NuevaVersionForm(forms.Form):
    version = forms.CharField(label=_("Versión de la nueva edición"), max_length=20)
    titulo = forms.CharField(label=_("Título"), max_length=250, required=False)
