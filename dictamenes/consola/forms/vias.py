"""The form of «Vías de revisión»: it reads what was typed; the rules (ranges, categories of the
edition in force, the fast track's standard within the full one's) live in
operacion.services.vias, whose errors land next to each field."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dictamenes.consola.forms.todos_los_campos import TodosLosCampos
from dictamenes.models import CentroLey, ConfiguracionVias, MetodoPrecio
from dictamenes.models.vias import VENTANA_MAXIMA, CriterioFraccion
from dictamenes.montos import MontoEscritoField
from dictamenes.operacion.services.vias import (
    CAMPOS,
    CAMPOS_DIAS,
    ERROR_FAMILIA_FORMATO,
    ERROR_LEY_CENTRO,
    ERROR_METODO,
    ERROR_METODO_DE_CATEGORIA,
    LEY_ARTICULO_MAXIMO,
    rango,
)
from dictamenes.operacion.services.vias_umbrales import ERROR_COBERTURA
from dictamenes.senales.catalogo import CATALOGO
from estandares.entradas import TextoCortoField
from estandares.motivos import MotivoCortoField

_campo = ConfiguracionVias._meta.get_field


def _etiqueta(nombre: str) -> str:
    return capfirst(str(_campo(nombre).verbose_name))


# One select per category of the edition in force (issue 76, item 4): its name is this prefix
# and the category's clave; empty, the category follows the general method.
METODO_DE = "metodo__"
METODO_GENERAL = _("El método general")


def _entero(nombre: str, ayuda) -> forms.IntegerField:
    """A whole number within the model's range (the service checks it), said in its help."""
    minimo, maximo = rango(nombre)
    return forms.IntegerField(
        label=_etiqueta(nombre),
        help_text=f"{ayuda} "
        + _("De %(minimo)s a %(maximo)s.") % {"minimo": minimo, "maximo": maximo},
        widget=forms.NumberInput(attrs={"min": minimo, "max": maximo}),
    )


def senales_que_leen(campo: str) -> str:
    """Which signs of the catalogue read a field, in one sentence (empty if none)."""
    nombres = [f"«{d.nombre}»" for d in CATALOGO.values() if campo in d.umbrales]
    if not nombres:
        return ""
    if len(nombres) == 1:
        return _("Lo lee la señal %(senal)s.") % {"senal": nombres[0]}
    return _("Lo leen las señales %(senales)s y %(ultima)s.") % {
        "senales": ", ".join(nombres[:-1]),
        "ultima": nombres[-1],
    }


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
    motivo = MotivoCortoField(
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
        self._campos_precio(categorias)
        self._campos_ley()
        self._campos_senales()
        self.fields["motivo"] = motivo
        # Issue 80: each threshold says which signs read it (dictamenes.senales.catalogo).
        for nombre, campo in self.fields.items():
            if leen := senales_que_leen(nombre):
                campo.help_text = f"{campo.help_text} {leen}"

    def _campos_precio(self, categorias: list[dict]) -> None:
        """The fieldset «Precios» (issues 62 and 76)."""
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
        self.fields["cotizacion_antiguedad_dias"] = _entero(
            "cotizacion_antiguedad_dias",
            _(
                "Una cotización de más días naturales que estos desde su fecha, o fechada "
                "después de hoy, no cuenta en el precio de mercado."
            ),
        )
        self.fields["precio_metodo"] = forms.ChoiceField(
            label=_etiqueta("precio_metodo"),
            choices=MetodoPrecio.choices,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": ERROR_METODO},
            help_text=_(
                "Sobre sus cotizaciones vigentes que no quedan fuera de línea, en cada "
                "categoría a la que abajo no se le elige otro."
            ),
        )
        self.fields["precio_cv_pct"] = _entero(
            "precio_cv_pct",
            _(
                "Con el método «según la dispersión», el precio de mercado es la media de las "
                "cotizaciones válidas si su coeficiente de variación (desviación estándar entre "
                "media) es de este por ciento o menos, y si no su mediana."
            ),
        )
        self.metodos = {}
        for categoria in categorias:
            nombre = METODO_DE + categoria["clave"]
            # Django formats invalid_choice with the value: a «%» of the name is kept as such.
            elija = ERROR_METODO_DE_CATEGORIA % {"categoria": categoria["nombre"]}
            self.fields[nombre] = forms.ChoiceField(
                label=categoria["nombre"],
                required=False,
                choices=[("", METODO_GENERAL), *MetodoPrecio.choices],
                error_messages={"invalid_choice": elija.replace("%", "%%")},
            )
            self.metodos[nombre] = categoria["clave"]
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

    def _campos_ley(self) -> None:
        """The fieldsets of the law's price tests and of contracts over the dictamen (issue
        76, items 2 and 5)."""
        self.fields["ley_centro"] = forms.ChoiceField(
            label=_etiqueta("ley_centro"),
            choices=CentroLey.choices,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": ERROR_LEY_CENTRO},
            help_text=_(
                "Las dos pruebas de precio de la ley comparan el precio de cada partida con "
                "este valor de sus cotizaciones válidas."
            ),
        )
        self.fields["ley_no_aceptable_pct"] = _entero(
            "ley_no_aceptable_pct",
            _(
                "Un precio más alto que el valor central en más de este por ciento es «no "
                "aceptable», y aprobarlo pide el motivo de esa partida."
            ),
        )
        self.fields["ley_no_conveniente_pct"] = _entero(
            "ley_no_conveniente_pct",
            _(
                "Un precio más bajo que el valor central en más de este por ciento es «no "
                "conveniente»."
            ),
        )
        # The length is the service's to check, with its own message; the browser stops at it.
        self.fields["ley_articulo"] = TextoCortoField(
            label=_etiqueta("ley_articulo"),
            max_length=None,
            required=False,
            widget=forms.TextInput(attrs={"maxlength": LEY_ARTICULO_MAXIMO}),
            help_text=_(
                "La ley y el artículo que se citan junto a las pruebas de precio, en la página y "
                "en el dictamen: un renglón de hasta %(maximo)s caracteres, sin datos personales."
            )
            % {"maximo": LEY_ARTICULO_MAXIMO},
        )
        self.fields["contrato_tolerancia_pct"] = _entero(
            "contrato_tolerancia_pct",
            _(
                "Un contrato cuyo total pasa lo aprobado en el dictamen en más de este por "
                "ciento espera la autorización de la revisión estratégica y, mientras, no entra "
                "en ninguna cifra."
            ),
        )
        self.fields["contrato_absurdo_veces"] = _entero(
            "contrato_absurdo_veces",
            _("Un contrato de más de estas veces el total aprobado en el dictamen se rechaza."),
        )

    def _campos_senales(self) -> None:
        """The fieldset «Señales» (issue 80): the thresholds only the signs read."""
        minimo, maximo = rango("senal_cobertura_pct")
        error = ERROR_COBERTURA % {"minimo": minimo, "maximo": maximo}
        self.fields["senal_cobertura_pct"] = forms.DecimalField(
            label=_etiqueta("senal_cobertura_pct"),
            help_text=_(
                "Dos cotizaciones de una partida cuyos precios difieren este por ciento o menos, "
                "o un proveedor que cotiza cada partida con la misma razón sobre otro dentro de "
                "este margen, parecen cotizaciones de cobertura. De %(minimo)s a %(maximo)s, con "
                "dos decimales a lo más (p. ej. 0.5)."
            )
            % {"minimo": minimo, "maximo": maximo},
            error_messages={"invalid": error},
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )
        self.fields["senal_cierre_dias"] = _entero(
            "senal_cierre_dias",
            _(
                "Una solicitud presentada en estos últimos días hábiles de su ejercicio fiscal "
                "se señala."
            ),
        )
        self.fields["senal_dominante_pct"] = _entero(
            "senal_dominante_pct",
            _(
                "Un proveedor con más de este por ciento de lo que un ente contrató en TIC en el "
                "año se señala en las solicitudes de ese ente y año."
            ),
        )
        self.fields["senal_dominante_contratos"] = _entero(
            "senal_dominante_contratos",
            _(
                "La concentración se mira solo en los entes con al menos estos contratos en el "
                "año: con menos, uno solo ya sería la mayor parte."
            ),
        )
        self.fields["senal_entrega_dias"] = _entero(
            "senal_entrega_dias",
            _(
                "Un contrato sin acta de entrega-recepción registrada estos días hábiles después "
                "de su término se señala."
            ),
        )

    @property
    def metodos_por_categoria(self) -> list:
        """The selects of the methods per category, for the template."""
        return [self[nombre] for nombre in self.metodos]

    def clean(self):
        datos = super().clean()
        # As the service reads it: only the categories given a method of their own.
        datos["precio_metodos_categoria"] = {
            clave: datos[nombre] for nombre, clave in self.metodos.items() if datos.get(nombre)
        }
        return datos

    @staticmethod
    def metodos_enviados(metodos: dict, categorias: list[dict]) -> dict:
        """The selects of the methods per category as the page sends them ({name: method or
        ""}), for the pages' tests and any client that fills the form."""
        return {METODO_DE + c["clave"]: (metodos or {}).get(c["clave"], "") for c in categorias}

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
        for clave, metodo in (config.precio_metodos_categoria or {}).items():
            inicial[METODO_DE + clave] = metodo
        return inicial
