"""The specifications form, built from a profile's requisitos.

The autoevaluación page uses it, and the requests issue re-uses it for every item: the
form turns what a person typed into the `especificaciones` dict the engine judges.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from estandares import unidades
from estandares.cumplimiento import PerfilSpec, RequisitoSpec, Resultado, fmt
from estandares.entradas import EnteroField, TextoCortoField, TextoLargoField
from estandares.models import Requisito

OTRA = "Otra"
SI_NO = [("si", _("Sí")), ("no", _("No")), ("", _("Sin indicar"))]


def _sufijo_unidad(clave: str) -> str:
    return f"{clave}__unidad"


def requisito_texto(req: RequisitoSpec) -> str:
    """What the requisito asks, as the reviewer reads it and the engine judges it:
    "Mínimo 8 GB · obligatorio · …numeral 1.1.2", "Valores permitidos: SSD, NVMe · …"."""
    if req.tipo == Requisito.Tipo.NUMERO:
        limites = []
        if req.minimo is not None:
            limites.append(
                _("mínimo %(valor)s %(unidad)s") % {"valor": fmt(req.minimo), "unidad": req.unidad}
            )
        if req.maximo is not None:
            limites.append(
                _("máximo %(valor)s %(unidad)s") % {"valor": fmt(req.maximo), "unidad": req.unidad}
            )
        pide = " y ".join(limites)
        pide = pide[:1].upper() + pide[1:]
    elif req.tipo == Requisito.Tipo.OPCION:
        pide = _("Valores permitidos: %(opciones)s") % {"opciones": ", ".join(req.opciones)}
    elif req.tipo == Requisito.Tipo.BOOLEANO:
        pide = str(_("Debe cumplirse (responda «Sí»)"))
    else:
        pide = str(_("Declaración por escrito; la valora el área revisora"))
    nivel = _("obligatorio") if req.obligatorio else _("recomendado")
    return " · ".join(str(parte) for parte in (pide, nivel, req.fundamento) if parte)


class EspecificacionesForm(forms.Form):
    def __init__(self, *args, perfil: PerfilSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.perfil = perfil
        for req in perfil.requisitos:
            etiqueta = req.nombre + ("" if req.obligatorio else " " + str(_("(recomendado)")))
            ayuda = requisito_texto(req)
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
                self.fields[req.clave] = TextoLargoField(
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

    def filas_con_resultado(self, evaluacion: dict | None = None) -> list[tuple]:
        """filas() plus each requisito's stored result (a dict of the engine's
        ResultadoRequisito with its label), or None when it has not been judged."""
        por_clave = {}
        if not evaluacion or evaluacion.get("perfil_id") != self.perfil.perfil_id:
            evaluacion = {}
        for r in evaluacion.get("resultados", ()):
            if isinstance(r, dict) and r.get("resultado") in Resultado.values:
                por_clave[r.get("clave")] = r | {"etiqueta": Resultado(r["resultado"]).label}
        return [(*fila, por_clave.get(fila[0].clave)) for fila in self.filas()]

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
    version = TextoCortoField(label=_("Versión de la nueva edición"), max_length=20)
    titulo = TextoCortoField(label=_("Título"), max_length=250, required=False)


class ParametrosAutoevaluacion(forms.Form):
    """The autoevaluación's query string (and form): the chosen profile's number."""

    perfil = EnteroField(label=_("Perfil"))


class ParametrosComparar(forms.Form):
    """The editions compared, by version."""

    anterior = TextoCortoField(label=_("Edición anterior"), max_length=20, required=False)
    nueva = TextoCortoField(label=_("Edición nueva"), max_length=20, required=False)
