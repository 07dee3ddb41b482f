"""The form of «Textos de la institución»: it reads what was typed; the rules (patterns, image,
limits) live in dictamenes.organizacion.services.textos, whose errors land next to each field."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from dictamenes.consola.forms.todos_los_campos import TodosLosCampos
from dictamenes.models import PlazoEtapa, TextosInstitucionales
from dictamenes.organizacion import imagenes
from dictamenes.organizacion.services.textos import CAMPOS
from estandares.motivos import MotivoCortoField

_campo = TextosInstitucionales._meta.get_field


def _etiqueta(nombre: str) -> str:
    return str(_campo(nombre).verbose_name).capitalize()


def _ayuda_imagen() -> str:
    """Said before the upload, with the limit in force (read when the page is drawn)."""
    return _(
        "Se imprime arriba a la izquierda de cada página; a lo más %(maximo)s píxeles por "
        "lado. Déjelo vacío para conservar la actual."
    ) % {"maximo": f"{imagenes.maximo_px():,}"}


def _articulo(nombre: str) -> forms.ChoiceField:
    campo = _campo(f"{nombre}_articulo")
    return forms.ChoiceField(
        label=_etiqueta(f"{nombre}_articulo"), choices=campo.choices, help_text=campo.help_text
    )


class TextosForm(TodosLosCampos, forms.Form):
    fundamentos = forms.CharField(
        label=_etiqueta("fundamentos"),
        help_text=_campo("fundamentos").help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    membrete = forms.CharField(
        label=_etiqueta("membrete"),
        help_text=_campo("membrete").help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    institucion = forms.CharField(
        label=_etiqueta("institucion"), help_text=_campo("institucion").help_text
    )
    institucion_articulo = _articulo("institucion")
    unidad_resuelve = forms.CharField(
        label=_etiqueta("unidad_resuelve"), help_text=_campo("unidad_resuelve").help_text
    )
    unidad_resuelve_articulo = _articulo("unidad_resuelve")
    unidad_firma = forms.CharField(
        label=_etiqueta("unidad_firma"), help_text=_campo("unidad_firma").help_text
    )
    unidad_firma_articulo = _articulo("unidad_firma")
    lugar = forms.CharField(label=_etiqueta("lugar"))
    membrete_imagen = forms.FileField(
        label=_("Imagen del membrete (PNG o JPEG)"),
        required=False,
        help_text=lazy(_ayuda_imagen, str)(),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    quitar_imagen = forms.BooleanField(label=_("Quitar la imagen del membrete"), required=False)
    folio_solicitud = forms.CharField(
        label=_etiqueta("folio_solicitud"),
        help_text=_(
            "Con {ejercicio} (el año) y {numero} (el consecutivo), p. ej. "
            "SOL-{ejercicio}-{numero:05d}."
        ),
    )
    folio_dictamen = forms.CharField(
        label=_etiqueta("folio_dictamen"),
        help_text=_(
            "Con {anio} (el año) y {numero} (el consecutivo), p. ej. SGD/DT/{anio}/{numero:04d}."
        ),
    )
    condicion_dias_habiles = forms.IntegerField(
        label=_etiqueta("condicion_dias_habiles"),
        help_text=_("De 1 a 120. Vale para los dictámenes que se emitan desde ahora."),
    )
    motivo = MotivoCortoField(label=_("Motivo del cambio"), max_length=300)

    @staticmethod
    def inicial(textos) -> dict:
        return {
            campo: getattr(textos, campo) for campo in CAMPOS if campo != "membrete_imagen_sha256"
        }


class PlazosForm(TodosLosCampos, forms.Form):
    """Every stage's deadline, in business days (the door checks 1 to 120)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for etapa in PlazoEtapa.Etapa:
            self.fields[etapa.value] = forms.IntegerField(
                label=etapa.label, min_value=1, max_value=120, help_text=_("Días hábiles.")
            )
        self.fields["motivo"] = MotivoCortoField(label=_("Motivo del cambio"), max_length=300)
