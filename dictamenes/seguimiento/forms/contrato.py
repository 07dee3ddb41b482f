"""The contract signed under a favourable dictamen, on the request's page
(seguimiento.acciones.en_la_pagina; the rules are in seguimiento.services.contratos)."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Contrato
from dictamenes.montos import ERROR_MONTO_POSITIVO, MONTO_MIN, MontoEscritoField
from estandares.identidad import nombre_sin_rfc, rfc_validado

AYUDA_PROVEEDOR = _(
    "La razón social del proveedor, sin su RFC: se publica con el contrato en los datos "
    "abiertos (OCDS)."
)
AYUDA_RFC = _(
    "Opcional. El de la empresa (12 caracteres) se publica como su identificador en los datos "
    "abiertos (OCDS); el de una persona (13), nunca. Aquí, no en el nombre."
)
AYUDA_DOCUMENTO = _(
    "El contrato firmado (PDF). Su precio entra al precio de referencia del estado solo cuando "
    "otra persona, de la mesa de control o de la revisión estratégica, lo verifica contra este "
    "documento."
)
AYUDA_TERMINO = _(
    "Cuándo termina el contrato: para entonces se espera el acta de entrega-recepción. Si la "
    "deja vacía, cuenta la fecha del contrato."
)
AYUDA_MOTIVO_EXCESO = _(
    "Solo si con este contrato el total contratado pasa de lo que aprobó el dictamen: entonces "
    "es obligatorio, y lo leen quienes deciden y firman los dictámenes. Sin datos personales."
)


class ContratoForm(forms.ModelForm):
    """The contract signed under a favourable dictamen
    (dictamenes.seguimiento.services.contratos). Whether the reason is required depends on
    what is already contracted under the dictamen: the service decides it, under its lock."""

    class Meta:
        model = Contrato
        fields = [
            "numero",
            "proveedor",
            "proveedor_rfc",
            "fecha",
            "termino",
            "monto",
            "motivo_exceso",
        ]
        field_classes = {"monto": MontoEscritoField}
        widgets = {
            "fecha": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "termino": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "motivo_exceso": forms.Textarea(attrs={"rows": 3}),
        }

    archivo = forms.FileField(label=_("documento del contrato"), required=False)
    # Typed with dashes or spaces as people write it («ABC-800101-XY1»); the door keeps it
    # compact (estandares.identidad.rfc_validado).
    proveedor_rfc = forms.CharField(label=_("RFC del proveedor"), required=False, max_length=20)

    def clean_proveedor_rfc(self) -> str:
        return rfc_validado(self.cleaned_data["proveedor_rfc"])

    def clean_proveedor(self) -> str:
        return nombre_sin_rfc(self.cleaned_data["proveedor"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["archivo"].help_text = AYUDA_DOCUMENTO
        monto = self.fields["monto"]
        monto.validators.append(MinValueValidator(MONTO_MIN, message=ERROR_MONTO_POSITIVO))
        monto.widget.attrs["min"] = MONTO_MIN
        self.fields["proveedor"].help_text = AYUDA_PROVEEDOR
        self.fields["proveedor_rfc"].help_text = AYUDA_RFC
        self.fields["proveedor_rfc"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["termino"].help_text = AYUDA_TERMINO
        self.fields["motivo_exceso"].help_text = AYUDA_MOTIVO_EXCESO
