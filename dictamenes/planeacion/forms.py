"""The forms of the annual programme: its file and each of its lines."""

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from dictamenes.comun import archivos
from dictamenes.models import (
    Partida,
)
from dictamenes.montos import EJERCICIO_MAX, EJERCICIO_MIN


class ProgramaForm(forms.Form):
    ejercicio = forms.IntegerField(
        label=_("Ejercicio fiscal"), min_value=EJERCICIO_MIN, max_value=EJERCICIO_MAX
    )
    archivo = forms.FileField(label=_("Archivo CSV o XLSX"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ejercicio"].initial = timezone.localdate().year

    def clean_archivo(self):
        # Refused by its size before the view reads it into memory.
        archivo = self.cleaned_data["archivo"]
        archivos.validar_tamano(archivo.size)
        return archivo


def _columna(etiqueta, ayuda="", attrs=None, choices=None):
    # Text the service judges; a choice list only offers values, it never refuses one.
    widget = forms.Select(choices=[("", "—"), *choices]) if choices else forms.TextInput(attrs)
    return forms.CharField(label=etiqueta, help_text=ayuda, required=False, widget=widget)


class LineaForm(forms.Form):
    """One line of the annual programme, in the columns of its file (planeacion.COLUMNAS).
    Every field is text the service checks with the import's own rules
    (planeacion.linea_validar), so the page and the file cannot disagree; the widgets only
    help to type it."""

    ejercicio = forms.IntegerField(
        label=_("Ejercicio fiscal"), min_value=EJERCICIO_MIN, max_value=EJERCICIO_MAX
    )
    categoria = _columna(_("Categoría"), choices=[("", "")])  # the current ones, in __init__
    perfil = _columna(
        _("Perfil (opcional)"),
        _("La clave de un perfil de la categoría; con él la solicitud se vincula mejor."),
        {"list": "perfiles", "autocomplete": "off"},
    )
    descripcion = _columna(_("Descripción"))
    cantidad = _columna(_("Cantidad"), attrs={"inputmode": "numeric"})
    monto_estimado = _columna(
        _("Monto estimado (MXN)"), _("Sin signos, p. ej. 150000.00"), {"inputmode": "decimal"}
    )
    capitulo = _columna(_("Capítulo"), choices=Partida.Capitulo.choices)
    partida_especifica = _columna(
        _("Partida específica"), _("4 o 5 dígitos"), {"inputmode": "numeric"}
    )
    mes = _columna(
        _("Mes en que se presentará la solicitud"),
        choices=[(str(m), nombre) for m, nombre in MONTHS.items()],
    )

    def __init__(self, *args, categorias=(), con_ejercicio=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categoria"].widget.choices = [
            ("", "—"),
            *((c.clave, c.nombre) for c in categorias),
        ]
        if con_ejercicio:
            self.fields["ejercicio"].initial = timezone.localdate().year
        else:  # a correction stays in its programme's year
            del self.fields["ejercicio"]
