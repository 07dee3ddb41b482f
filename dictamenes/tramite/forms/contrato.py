"""The contract signed under a favourable dictamen, on the request's page (the rules are in
seguimiento.services.contratos)."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Contrato
from dictamenes.montos import ERROR_MONTO_POSITIVO, MONTO_MIN, MontoEscritoField

AYUDA_PROVEEDOR = _(
    "El nombre del proveedor se publica con el contrato en los datos abiertos (OCDS); su RFC, no."
)


class ContratoForm(forms.ModelForm):
    """The contract signed under a favourable dictamen
    (dictamenes.seguimiento.services.contratos)."""

    class Meta:
        model = Contrato
        fields = ["numero", "proveedor", "fecha", "monto"]
        field_classes = {"monto": MontoEscritoField}
        widgets = {"fecha": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        monto = self.fields["monto"]
        monto.validators.append(MinValueValidator(MONTO_MIN, message=ERROR_MONTO_POSITIVO))
        monto.widget.attrs["min"] = MONTO_MIN
        self.fields["proveedor"].help_text = AYUDA_PROVEEDOR
