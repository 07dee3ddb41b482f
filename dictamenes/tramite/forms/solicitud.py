"""The request and its items as the requirente writes them, and the attachments."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from dictamenes.models import (
    Anexo,
    Cotizacion,
    Partida,
    Solicitud,
)
from dictamenes.models.precios import MESES_MAXIMO, UnidadPrecio
from dictamenes.montos import (
    ERROR_EJERCICIO,
    ERROR_MONTO_POSITIVO,
    MONTO_MIN,
    MontoEscritoField,
    ejercicios_permitidos,
)
from dictamenes.tramite.services import solicitudes
from estandares import selectors as estandares_selectors
from estandares.entradas import TextoCortoField
from estandares.identidad import nombre_sin_rfc, rfc_validado
from estandares.models import Perfil
from estandares.motivos import MOTIVO

FIRMANTE_MAXIMO = 200


def _campo_version():
    # The version the page was loaded from, sent back so the service refuses a stale edit.
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


# What these fields become: open data (publico.ocds), said where they are written.
AYUDA_JUSTIFICACION = _(
    "Se publica en los datos abiertos (OCDS) desde que la solicitud se presenta. No escriba "
    "nombres, correos ni teléfonos de personas."
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
            "compra_consolidada",
        ]
        field_classes = {"monto_estimado": MontoEscritoField}
        labels = {"compra_consolidada": _("Compra consolidada: compra para varios entes")}
        widgets = {
            "justificacion": forms.Textarea(attrs={"rows": 4}),
            "alineacion": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ejercicio = self.fields["ejercicio"]
        # The current fiscal year or the next (issue 59): the service says so too, for the API.
        actual, siguiente = ejercicios_permitidos()
        ejercicio.initial = actual
        error = str(ERROR_EJERCICIO % {"actual": actual, "siguiente": siguiente})
        ejercicio.validators += [
            MinValueValidator(actual, message=error),
            MaxValueValidator(siguiente, message=error),
        ]
        ejercicio.widget.attrs.update(min=actual, max=siguiente)
        monto = self.fields["monto_estimado"]
        monto.validators.append(MinValueValidator(MONTO_MIN, message=ERROR_MONTO_POSITIVO))
        monto.widget.attrs["min"] = MONTO_MIN
        self.fields["justificacion"].help_text = AYUDA_JUSTIFICACION
        # A justification says something (issue 93, item 4): refused beside it, as the
        # service refuses it (solicitudes._justificacion_leer).
        self.fields["justificacion"].validators.append(MOTIVO)


class PartidaForm(forms.ModelForm):
    version = _campo_version()

    class Meta:
        model = Partida
        fields = [
            "perfil",
            "descripcion",
            "cantidad",
            "precio_unitario",
            "unidad",
            "meses",
            "capitulo",
            "partida_especifica",
            "justificacion_cotizaciones",
        ]
        field_classes = {"precio_unitario": MontoEscritoField}
        widgets = {"justificacion_cotizaciones": forms.Textarea(attrs={"rows": 3})}

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
        # Not sent (a form of before issue 62, a test's client): by piece, the model's default.
        self.fields["unidad"].required = False
        # The live note beside the price says where it stands (issue 76, item 8).
        self.fields["precio_unitario"].widget.attrs["aria-describedby"] = "precio-en-vivo"
        self.fields["meses"].help_text = _(
            "Solo para un precio por servicio o por licencia: los meses que cubre, de 1 a "
            "%(maximo)s."
        ) % {"maximo": MESES_MAXIMO}
        self.fields["meses"].widget.attrs.update(min=1, max=MESES_MAXIMO)
        self.fields["justificacion_cotizaciones"].help_text = _(
            "Si la partida tiene menos de tres cotizaciones vigentes (proveedor único, por "
            "ejemplo), diga por qué. Se exige cuando la solicitud pasa del monto que fija la "
            "oficina."
        )
        self.fields["justificacion_cotizaciones"].validators.append(MOTIVO)

    def clean(self):
        datos = super().clean()
        if "unidad" not in self.errors:
            datos["unidad"] = datos.get("unidad") or UnidadPrecio.PIEZA
        unidad = datos.get("unidad")
        error = (
            solicitudes.error_de_meses(unidad=unidad, meses=datos.get("meses"))
            if unidad and "meses" not in self.errors
            else None
        )
        if error:
            self.add_error("meses", error)
        return datos


class CotizacionForm(forms.ModelForm):
    """A quote of the item's market research, with its file (added as an attachment). Its
    fields are prefixed: the item's own form is on the same page. The name of whoever signs
    the quote is read, never stored: the service keeps only its keyed hash (issue 80)."""

    prefix = "cot"
    firmante = TextoCortoField(
        label=_("Nombre de quien firma la cotización"),
        required=False,
        max_length=FIRMANTE_MAXIMO,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "Opcional. El nombre no se guarda ni se muestra: se guarda solo una huella cifrada "
            "que dice si dos cotizaciones las firma la misma persona."
        ),
    )
    # Typed with dashes or spaces as people write it («ABC-800101-XY1»); the door keeps it
    # compact (estandares.identidad.rfc_validado).
    proveedor_rfc = forms.CharField(
        label=_("RFC del proveedor"),
        required=False,
        max_length=20,
        help_text=_(
            "Opcional. El de la empresa (12 caracteres) se publica como su identificador en "
            "los datos abiertos; el de una persona (13), nunca. Dos cotizaciones con el mismo "
            "RFC, o con el mismo nombre, son de un proveedor y cuentan una vez."
        ),
    )

    def clean_proveedor_rfc(self) -> str:
        return rfc_validado(self.cleaned_data["proveedor_rfc"])

    def clean_proveedor(self) -> str:
        return nombre_sin_rfc(self.cleaned_data["proveedor"])

    archivo = forms.FileField(
        label=_("Archivo de la cotización"), help_text=lazy(lambda: _ayuda_anexo(), str)()
    )

    class Meta:
        model = Cotizacion
        fields = [
            "proveedor",
            "proveedor_rfc",
            "domicilio",
            "telefono",
            "firmante",
            "precio_unitario",
            "fecha",
            "vigencia",
        ]
        field_classes = {"precio_unitario": MontoEscritoField}
        widgets = {
            "domicilio": forms.TextInput(attrs={"autocomplete": "off"}),
            "telefono": forms.TextInput(
                attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}
            ),
            "fecha": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "vigencia": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "proveedor": _(
                "Razón social de la empresa, p. ej. «Proveedora Tecnológica del "
                "Noroeste, S.A. de C.V.»; no el nombre de una persona, ni su RFC."
            ),
            "domicilio": _(
                "Opcional. El domicilio fiscal de la empresa, como dice la cotización, p. ej. "
                "«Av. Juárez 120, piso 3, Col. Centro, C.P. 06000, Ciudad de México»."
            ),
            "telefono": _("Opcional. El de la empresa, con sus 10 dígitos, p. ej. 55 1234 5678."),
            "precio_unitario": _("En la misma unidad que el precio unitario de la partida."),
        }


def _ayuda_anexo() -> str:
    """Said before the upload, with the limits in force (read when the page is drawn)."""
    return _(
        "PDF o documento de oficina (Word, Excel, PowerPoint, OpenDocument), de %(archivo)s MB "
        "a lo más; la solicitud lleva hasta %(cuantos)s anexos y %(total)s MB en total."
    ) % {
        "archivo": settings.DICTAMENES_ANEXO_MAX_MB,
        "cuantos": settings.DICTAMENES_ANEXOS_MAX_POR_SOLICITUD,
        "total": settings.DICTAMENES_ANEXOS_MAX_MB_POR_SOLICITUD,
    }


class AnexoForm(forms.Form):
    tipo = forms.ChoiceField(label=_("Tipo de anexo"), choices=Anexo.Tipo.choices)
    archivo = forms.FileField(
        label=_("Archivo"),
        help_text=lazy(_ayuda_anexo, str)(),
    )
