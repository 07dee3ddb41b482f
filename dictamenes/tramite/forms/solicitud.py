"""The request and its items as the requirente writes them, and the attachments."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from dictamenes.models import (
    Anexo,
    Partida,
    Solicitud,
)
from dictamenes.montos import (
    ERROR_EJERCICIO,
    ERROR_MONTO_POSITIVO,
    MONTO_MIN,
    MontoEscritoField,
    ejercicios_permitidos,
)
from estandares import selectors as estandares_selectors
from estandares.models import Perfil


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
        ]
        field_classes = {"monto_estimado": MontoEscritoField}
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
        field_classes = {"precio_unitario": MontoEscritoField}

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
