"""The forms of the procedure's pages: what each step asks for and how it checks it before the
service does the rest."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from dictamenes import exceptions
from dictamenes.documentos import archivos
from dictamenes.models import (
    Anexo,
    Contrato,
    DecisionPartida,
    MotivoRechazo,
    Partida,
    Resultado,
    RevisionArea,
    Solicitud,
)
from dictamenes.models.dictamenes import MOTIVOS_MAX
from dictamenes.services import decisiones
from estandares import selectors as estandares_selectors
from estandares.cumplimiento import Resultado as ResultadoRequisito
from estandares.entradas import TextoCortoField, TextoLargoField
from estandares.models import Perfil

# The fiscal years a new request or programme may name, and the smallest amount: the pages and
# the API (dictamenes.api.campos, whose schema says the same) refuse the same values.
EJERCICIO_MIN = 2020
EJERCICIO_MAX = 2100
MONTO_MIN = Decimal("0.01")
ERROR_MONTO_POSITIVO = _("El monto debe ser mayor que cero.")


def _campo_version():
    # The version the page was loaded from, sent back so the service refuses a stale edit.
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


# What these fields become: open data (publico.ocds), said where they are written.
AYUDA_JUSTIFICACION = _(
    "Se publica en los datos abiertos (OCDS) desde que la solicitud se presenta. No escriba "
    "nombres, correos ni teléfonos de personas."
)
AYUDA_PROVEEDOR = _(
    "El nombre del proveedor se publica con el contrato en los datos abiertos (OCDS); su RFC, no."
)


class SolicitudForm(forms.ModelForm):
    version = _campo_version()

    class Meta:
        model = Solicitud
        fields = [
            "tipo_operacion",
            "titulo",
            "ejercicio",
            "monto_estimado",
            "justificacion",
            "alineacion",
        ]
        widgets = {
            "justificacion": forms.Textarea(attrs={"rows": 4}),
            "alineacion": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ejercicio = self.fields["ejercicio"]
        ejercicio.initial = timezone.localdate().year
        ejercicio.validators += [MinValueValidator(EJERCICIO_MIN), MaxValueValidator(EJERCICIO_MAX)]
        ejercicio.widget.attrs.update(min=EJERCICIO_MIN, max=EJERCICIO_MAX)
        monto = self.fields["monto_estimado"]
        monto.validators.append(MinValueValidator(MONTO_MIN, message=ERROR_MONTO_POSITIVO))
        monto.widget.attrs["min"] = MONTO_MIN
        self.fields["justificacion"].help_text = AYUDA_JUSTIFICACION


class PartidaForm(forms.ModelForm):
    version = _campo_version()

    class Meta:
        model = Partida
        fields = [
            "perfil",
            "descripcion",
            "cantidad",
            "precio_unitario",
            "capitulo",
            "partida_especifica",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vigente = estandares_selectors.publicacion_vigente(fecha=timezone.localdate())
        perfiles = (
            estandares_selectors.perfiles_para_elegir(publicacion=vigente)
            if vigente
            else Perfil.objects.none()
        )
        self.fields["perfil"].queryset = perfiles
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["perfil"].label_from_instance = lambda p: f"{p.categoria.nombre} · {p.nombre}"
        self.fields["perfil"].help_text = _(
            "Perfil de la edición vigente de los estándares contra el que se evalúa la partida."
        )


class AnexoForm(forms.Form):
    tipo = forms.ChoiceField(label=_("Tipo de anexo"), choices=Anexo.Tipo.choices)
    archivo = forms.FileField(
        label=_("Archivo"),
        help_text=_("PDF o documento de oficina (Word, Excel, PowerPoint, OpenDocument)."),
    )


class AdmisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisión"),
        choices=[
            ("admitir", _("Admitir: la solicitud está completa")),
            ("prevenir", _("Prevenir: falta información")),
        ],
        widget=forms.RadioSelect,
    )
    faltantes = TextoLargoField(
        label=_("Qué falta (para la prevención)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TextoForm(forms.Form):
    texto = TextoLargoField(label=_("Texto"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, etiqueta=None, **kwargs):
        super().__init__(*args, **kwargs)
        if etiqueta:
            self.fields["texto"].label = etiqueta


ERROR_OPINION_SIN_ELEGIR = exceptions.ERROR_OPINION_SIN_ELEGIR

AJUSTES = [("", _("Confirmar el resultado del motor"))] + [
    (r.value, r.label) for r in ResultadoRequisito
]


class RevisionAreaForm(forms.Form):
    """One area's review: an opinion per item and, per requisito, confirm or override."""

    # No opinion is offered ready-made: the reviewer chooses one, whatever the engine said.
    opinion = forms.ChoiceField(
        label=_("Opinión del área"),
        choices=[("", _("Elija la opinión del área"))] + RevisionArea.Opinion.choices,
        error_messages={"required": ERROR_OPINION_SIN_ELEGIR},
    )
    observaciones = TextoLargoField(
        label=_("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, partidas, **kwargs):
        super().__init__(*args, **kwargs)
        self.partidas = partidas
        for partida in partidas:
            self.fields[f"p{partida.pk}_opinion"] = TextoLargoField(
                label=_("Opinión técnica de «%(p)s»") % {"p": partida.descripcion},
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "required": exceptions.ERROR_OPINION_FALTANTE % {"partida": partida.descripcion}
                },
            )
            for r in partida.evaluacion.get("resultados", []):
                self.fields[f"p{partida.pk}_{r['clave']}_resultado"] = forms.ChoiceField(
                    label=_("Resultado de «%(r)s»") % {"r": r["nombre"]},
                    choices=AJUSTES,
                    required=False,
                )
                self.fields[f"p{partida.pk}_{r['clave']}_motivo"] = TextoCortoField(
                    label=_("Motivo del cambio en «%(r)s»") % {"r": r["nombre"]},
                    required=False,
                    max_length=500,
                )

    def filas(self):
        """For templates: (partida, opinion field, [(resultado, override field, motivo field,
        the text the requester declared for that requisito or "")])."""
        filas = []
        for partida in self.partidas:
            declarado = estandares_selectors.declaraciones_por_clave(partida=partida)
            filas.append(
                (
                    partida,
                    self[f"p{partida.pk}_opinion"],
                    [
                        (
                            r,
                            self[f"p{partida.pk}_{r['clave']}_resultado"],
                            self[f"p{partida.pk}_{r['clave']}_motivo"],
                            declarado.get(r["clave"], ""),
                        )
                        for r in partida.evaluacion.get("resultados", [])
                    ],
                )
            )
        return filas

    def partidas_datos(self) -> dict:
        datos = {}
        for partida in self.partidas:
            ajustes = {}
            for r in partida.evaluacion.get("resultados", []):
                elegido = self.cleaned_data.get(f"p{partida.pk}_{r['clave']}_resultado")
                if elegido:
                    ajustes[r["clave"]] = {
                        "resultado": elegido,
                        "motivo": self.cleaned_data.get(f"p{partida.pk}_{r['clave']}_motivo", ""),
                    }
            datos[partida.pk] = {
                "opinion": self.cleaned_data.get(f"p{partida.pk}_opinion", ""),
                "ajustes": ajustes,
            }
        return datos


ERROR_SIN_AREA = _("Elija el área a la que devuelve.")

# Where the service's refusal of one item's decision is shown: beside that item's field.
CAMPO_DE_DECISION = {
    "sin_decision": "resultado",
    "cantidad_reducida": "cantidad",
    "monto_reducido": "monto",
    "sin_motivo_rechazo": "motivo",
    "otro_sin_texto": "texto",
}


class EstrategicaForm(forms.Form):
    """The strategic review: send back to an area, or decide each item (the result follows
    from them by decisiones.REGLA_RESULTADO), with the decision's grounds and conditions."""

    regla = decisiones.REGLA_RESULTADO  # stated on the page, above the items

    accion = forms.ChoiceField(
        label=_("Acción"),
        choices=[
            ("decidir", _("Decidir cada partida")),
            ("devolver", _("Devolver a un área para re-revisión")),
        ],
        widget=forms.RadioSelect,
        initial="decidir",
    )
    motivos = TextoLargoField(
        label=_("Motivos"), max_length=MOTIVOS_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    condiciones = TextoLargoField(
        label=_("Condiciones (si las hay, el dictamen es favorable condicionado)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Una condición por renglón; anteponga el área que la verificará, p. ej. «Redes: "
            "acreditar el enlace redundante». Cada una se sigue como obligación con su plazo."
        ),
    )
    area = forms.ModelChoiceField(
        label=_("Área a la que se devuelve"), queryset=None, required=False
    )

    def __init__(self, *args, areas, partidas=(), motivos_rechazo=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.partidas = list(partidas)
        # The active catalogue, read once: every item's select offers it.
        if motivos_rechazo is None:
            motivos_rechazo = MotivoRechazo.objects.filter(activo=True).order_by("orden", "nombre")
        self.motivos_rechazo = {m.clave: m for m in motivos_rechazo}
        opciones = [("", _("Elija un motivo del catálogo"))] + [
            (m.clave, m.nombre) for m in self.motivos_rechazo.values()
        ]
        for p in self.partidas:
            nombre = {"p": p.descripcion}
            self.fields[f"p{p.pk}_resultado"] = forms.ChoiceField(
                label=_("Decisión sobre «%(p)s»") % nombre,
                choices=DecisionPartida.Resultado.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"p{p.pk}_cantidad"] = forms.IntegerField(
                label=_("Cantidad aprobada de «%(p)s»") % nombre,
                required=False,
                min_value=1,
                help_text=_("De 1 a %(n)s.") % {"n": p.cantidad},
            )
            self.fields[f"p{p.pk}_monto"] = forms.DecimalField(
                label=_("Monto aprobado de «%(p)s» (MXN)") % nombre,
                required=False,
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0.01"),
                help_text=_(
                    "Menor que su importe. Si lo deja vacío y baja la cantidad, se calcula al "
                    "precio unitario."
                ),
            )
            self.fields[f"p{p.pk}_motivo"] = forms.ChoiceField(
                label=_("Motivo por el que no se aprueba «%(p)s»") % nombre,
                choices=opciones,
                required=False,
            )
            self.fields[f"p{p.pk}_texto"] = TextoLargoField(
                label=_("Explicación sobre «%(p)s»") % nombre,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Opcional; obligatoria si el motivo es «Otro motivo»."),
            )

    def filas(self):
        """For the template: (partida, {campo: bound field})."""
        return [
            (
                p,
                {
                    c: self[f"p{p.pk}_{c}"]
                    for c in ("resultado", "cantidad", "monto", "motivo", "texto")
                },
            )
            for p in self.partidas
        ]

    def partidas_datos(self) -> dict:
        """What the service reads: {partida pk: {resultado, cantidad, monto, motivo, texto}}."""
        datos = {}
        for p in self.partidas:
            leido = {
                c: self.cleaned_data.get(f"p{p.pk}_{c}")
                for c in ("resultado", "cantidad", "monto", "motivo", "texto")
            }
            datos[p.pk] = leido
        return datos

    def totales(self) -> dict:
        """Requested, and approved as far as a refused form's choices say (None until every
        item has a decision that can be read)."""
        solicitado = sum((p.importe for p in self.partidas), Decimal(0))
        aprobado = None
        if self.is_bound and hasattr(self, "cleaned_data"):
            aprobado = Decimal(0)
            for p in self.partidas:
                monto = self._aprobado(p)
                if monto is None:
                    aprobado = None
                    break
                aprobado += monto
        return {"solicitado": solicitado, "aprobado": aprobado}

    def _aprobado(self, partida):
        leido = self.partidas_datos()[partida.pk]
        if leido["resultado"] == "no_aprobada":
            return Decimal(0)
        try:
            return decisiones.decision_leer(partida=partida, datos=leido, motivos={}).monto
        except forms.ValidationError:
            return None

    def clean(self):
        # Each choice asks for what it uses, said beside that field; the service's rules
        # for each item (decisiones.decision_leer) are checked here to say so.
        datos = super().clean()
        if datos.get("accion") == "devolver" and not datos.get("area"):
            self.add_error("area", ERROR_SIN_AREA)
        if datos.get("accion") == "decidir":
            leidos = self.partidas_datos()
            for p in self.partidas:
                if any(self.has_error(f"p{p.pk}_{c}") for c in CAMPO_DE_DECISION.values()):
                    continue
                try:
                    decisiones.decision_leer(
                        partida=p, datos=leidos[p.pk], motivos=self.motivos_rechazo
                    )
                except forms.ValidationError as exc:
                    self.add_error(f"p{p.pk}_{CAMPO_DE_DECISION[exc.code]}", exc)
        return datos


class CierreForm(forms.Form):
    """Closing a request early (desistimiento or cancelación): the reason, and a confirmation,
    since it cannot be undone."""

    motivo = TextoLargoField(
        label=_("Motivo"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Queda en el historial de la solicitud y se comunica por correo."),
    )
    confirmar = forms.BooleanField(
        label=_("Entiendo que la solicitud se cierra sin dictamen y que no puede reabrirse."),
        error_messages={"required": _("Confirme que desea cerrar la solicitud.")},
    )


class SustitucionForm(forms.Form):
    suplente = forms.ModelChoiceField(label=_("Suplente"), queryset=None)
    desde = forms.DateField(label=_("Desde"), widget=forms.DateInput(attrs={"type": "date"}))
    hasta = forms.DateField(label=_("Hasta"), widget=forms.DateInput(attrs={"type": "date"}))
    motivo = TextoCortoField(label=_("Motivo"), max_length=200)

    def __init__(self, *args, titular, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        # Only people who share a role with the titular can stand in for them.
        self.fields["suplente"].queryset = (
            get_user_model()
            .objects.filter(groups__in=titular.groups.all(), is_active=True)
            .exclude(pk=titular.pk)
            .distinct()
            .order_by("first_name")
        )
        self.fields["suplente"].label_from_instance = lambda u: u.get_full_name() or u.username


class EfirmaForm(forms.Form):
    """The e.firma, uploaded for this one signature and never stored."""

    cer = forms.FileField(label=_("Certificado (.cer)"), required=False)
    key = forms.FileField(label=_("Llave privada (.key)"), required=False)
    p12 = forms.FileField(
        label=_("O bien, archivo PKCS#12 (.p12 o .pfx)"),
        required=False,
        help_text=_("Use el .p12 en lugar del par .cer y .key."),
    )
    contrasena = forms.CharField(
        label=_("Contraseña de la llave privada"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    MAXIMO = 64 * 1024  # an e.firma file is a few kilobytes

    def clean(self):
        datos = super().clean()
        for campo in ("cer", "key", "p12"):
            archivo = datos.get(campo)
            if archivo and archivo.size > self.MAXIMO:
                self.add_error(campo, _("Ese archivo es demasiado grande para ser una e.firma."))
        if not datos.get("p12") and not (datos.get("cer") and datos.get("key")):
            raise forms.ValidationError(
                _("Suba el .cer y el .key de su e.firma, o un archivo .p12.")
            )
        return datos

    def bytes_de(self, campo) -> bytes | None:
        archivo = self.cleaned_data.get(campo)
        return archivo.read() if archivo else None


class CancelacionForm(EfirmaForm):
    motivo = TextoLargoField(
        label=_("Motivo"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RectificacionForm(EfirmaForm):
    """The firmante signs the rectification the Dirección General proposed: the e.firma only,
    and which proposal they read (the content is not theirs to change)."""

    propuesta = forms.IntegerField(widget=forms.HiddenInput)


class PropuestaRectificacionForm(forms.Form):
    """The Dirección General's proposal: why the dictamen is rectified, and its new content."""

    motivo = TextoLargoField(
        label=_("Por qué se rectifica"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    resultado = forms.ChoiceField(label=_("Resultado"), choices=Resultado.choices)
    motivos = TextoLargoField(
        label=_("Motivos del dictamen rectificado"),
        max_length=MOTIVOS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    condiciones = TextoLargoField(
        label=_("Condiciones (si es favorable condicionado)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


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


class ContratoForm(forms.ModelForm):
    """The contract signed under a favourable dictamen (dictamenes.services.contratos)."""

    class Meta:
        model = Contrato
        fields = ["numero", "proveedor", "fecha", "monto"]
        widgets = {"fecha": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        monto = self.fields["monto"]
        monto.validators.append(MinValueValidator(MONTO_MIN, message=ERROR_MONTO_POSITIVO))
        monto.widget.attrs["min"] = MONTO_MIN
        self.fields["proveedor"].help_text = AYUDA_PROVEEDOR


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
