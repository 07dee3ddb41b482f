"""The form of «Vías de revisión»: it reads what was typed; the rules (ranges, categories of the
edition in force, the fast track's standard within the full one's) live in
tramite.services.vias, whose errors land next to each field."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.formularios import TodosLosCampos
from dictamenes.models import ConfiguracionVias, MetodoPrecio
from dictamenes.models.vias import VENTANA_MAXIMA, CriterioFraccion
from dictamenes.montos import MontoEscritoField
from dictamenes.tramite.services.vias import CAMPOS, CAMPOS_DIAS, ERROR_FAMILIA_FORMATO
from estandares.entradas import TextoCortoField

_campo = ConfiguracionVias._meta.get_field


def _etiqueta(nombre: str) -> str:
    return capfirst(str(_campo(nombre).verbose_name))


class ViasForm(TodosLosCampos, forms.Form):
    rapida_activa = forms.BooleanField(
        label=_("La vía rápida está activa"),
        required=False,
        help_text=_("Sin ella, toda solicitud va a revisión completa."),
    )
    # As people in Mexico write it: «$500,000.00» reads as 500000.00 (the comma only groups
    # thousands in es-MX); only the digits 0-9 («５００» was saved as $500.00).
    umbral_monto = MontoEscritoField(
        miles=True,
        label=_etiqueta("umbral_monto"),
        decimal_places=2,
        help_text=_(
            "Una solicitud de monto menor a este puede seguir la vía rápida. En pesos, "
            "p. ej. 500,000.00."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    categorias_completas = forms.MultipleChoiceField(
        label=_etiqueta("categorias_completas"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Una solicitud con una partida de cualquiera de ellas va a revisión completa, "
            "por cada área, sea cual sea su monto."
        ),
    )
    motivo = TextoCortoField(
        label=_("Motivo del cambio"),
        max_length=300,
        help_text=_("Por qué cambia (oficio, acuerdo). Queda en la auditoría y en el historial."),
    )

    def __init__(self, *args, categorias: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categorias_completas"].choices = [
            (c["clave"], c["nombre"]) for c in categorias
        ]
        motivo = self.fields.pop("motivo")
        for campo in CAMPOS_DIAS:
            self.fields[campo] = forms.IntegerField(
                label=_etiqueta(campo),
                help_text=_("De 1 a 120."),
                widget=forms.NumberInput(attrs={"min": 1, "max": 120}),
            )
        self.fields["fraccion_activa"] = forms.BooleanField(
            label=_("Buscar posibles fraccionamientos"),
            required=False,
            help_text=_(
                "Al presentar y al admitir una solicitud, se buscan las demás del mismo ente y "
                "ejercicio fiscal (presentadas, en revisión o dictaminadas) que piden lo mismo; "
                "si con ellas suma el umbral o más, va a revisión completa y su página nombra "
                "los folios y la suma."
            ),
        )
        self.fields["fraccion_criterio"] = forms.ChoiceField(
            label=_("Son del mismo ente y piden"),
            choices=CriterioFraccion.choices,
            widget=forms.RadioSelect,
            help_text=_(
                "Un perfil técnico pertenece a una sola categoría: buscar por categoría "
                "incluye el mismo perfil."
            ),
        )
        self.fields["fraccion_ventana_dias"] = forms.IntegerField(
            label=_etiqueta("fraccion_ventana_dias"),
            help_text=_(
                "Cuántos días antes o después de su presentación, de cualquier ejercicio "
                "fiscal (la misma compra en diciembre y en enero); 0 es todo el ejercicio "
                "fiscal. De 0 a %(maximo)s."
            )
            % {"maximo": VENTANA_MAXIMA},
            widget=forms.NumberInput(attrs={"min": 0, "max": VENTANA_MAXIMA}),
        )
        claves = ", ".join(f"{c['clave']} ({c['nombre']})" for c in categorias)
        self.fields["fraccion_familias"] = forms.CharField(
            label=_etiqueta("fraccion_familias"),
            required=False,
            max_length=4_000,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_(
                "Una familia por renglón: «Nombre: clave, clave». Al buscar por categoría, sus "
                "categorías se comparan como una sola (p. ej. «Equipo de cómputo personal: "
                "computadora-escritorio, computadora-portatil»). Claves de la edición vigente: "
                "%(claves)s."
            )
            % {"claves": claves or "—"},
        )
        self._campos_precio()
        self.fields["motivo"] = motivo

    def _campos_precio(self) -> None:
        """The fieldset «Precios» (issue 62)."""
        self.fields["cotizaciones_umbral"] = MontoEscritoField(
            miles=True,
            label=_etiqueta("cotizaciones_umbral"),
            decimal_places=2,
            help_text=_(
                "Una solicitud de este monto o más lleva tres cotizaciones por partida, o la "
                "justificación de por qué hay menos. En pesos, p. ej. 500,000.00; 0: siempre."
            ),
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )
        self.fields["precio_metodo"] = forms.ChoiceField(
            label=_etiqueta("precio_metodo"),
            choices=MetodoPrecio.choices,
            widget=forms.RadioSelect,
            help_text=_("Sobre sus cotizaciones vigentes que no quedan fuera de línea."),
        )
        self.fields["precio_atipico_pct"] = forms.IntegerField(
            label=_etiqueta("precio_atipico_pct"),
            help_text=_(
                "Por ciento de distancia a la mediana de las cotizaciones vigentes de la "
                "partida; la que se aleja más no cuenta. De 1 a 1000."
            ),
            widget=forms.NumberInput(attrs={"min": 1, "max": 1000}),
        )
        self.fields["precio_senal_pct"] = forms.IntegerField(
            label=_etiqueta("precio_senal_pct"),
            help_text=_(
                "La revisión ve señalada la partida cuyo precio unitario pasa la mediana de "
                "su precio de referencia en más de este por ciento. De 1 a 1000."
            ),
            widget=forms.NumberInput(attrs={"min": 1, "max": 1000}),
        )

    def clean_fraccion_familias(self) -> list[dict]:
        """«Nombre: clave, clave» per line, as the service reads it; the service checks the
        names and the categories."""
        familias = []
        for renglon in self.cleaned_data["fraccion_familias"].splitlines():
            if not renglon.strip():
                continue
            nombre, dos_puntos, claves = renglon.partition(":")
            if not dos_puntos:
                raise forms.ValidationError(ERROR_FAMILIA_FORMATO, code="familia_formato")
            familias.append(
                {"nombre": nombre.strip(), "categorias": [c.strip() for c in claves.split(",")]}
            )
        return familias

    @staticmethod
    def familias_texto(familias) -> str:
        """The families as the field shows them, one per line."""
        return "\n".join(f"{f['nombre']}: {', '.join(f['categorias'])}" for f in familias or [])

    @staticmethod
    def inicial(config) -> dict:
        inicial = {campo: getattr(config, campo) for campo in CAMPOS}
        inicial["fraccion_familias"] = ViasForm.familias_texto(config.fraccion_familias)
        # As people write amounts in Mexico (the field reads the commas back).
        inicial["umbral_monto"] = f"{config.umbral_monto:,.2f}"
        inicial["cotizaciones_umbral"] = f"{config.cotizaciones_umbral:,.2f}"
        return inicial
