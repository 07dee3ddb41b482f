"""The delivery under a contract, on the request's page (seguimiento.acciones; the rules are in
seguimiento.services.entregas): which contract, the acta's date and file, what was paid, and
the units received of each item the dictamen approved, one field per item."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Contrato
from dictamenes.montos import MontoEscritoField
from dictamenes.seguimiento.services.entregas import ERROR_PAGADO, aprobadas_del_dictamen

AYUDA_ACTA = _(
    "El acta de entrega-recepción firmada (PDF). Se guarda con los anexos de la solicitud; en "
    "los datos abiertos (OCDS) se publica su fecha y su huella SHA-256, no el archivo."
)
AYUDA_PAGADO = _(
    "Lo pagado al proveedor por esta entrega, en pesos: 0 si aún no se paga. Si lo pagado bajo "
    "el contrato pasa de su monto, la solicitud lo muestra como señal."
)
AYUDA_CANTIDAD = _("El dictamen aprobó %(aprobada)s. Escriba 0 si no llegó nada.")


class EntregaForm(forms.Form):
    """`dictamen`: the contracts under it that count, and the items it approved (`aprobadas`,
    seguimiento.services.entregas.aprobadas, when the page already read its decisions)."""

    contrato = forms.TypedChoiceField(label=_("contrato"), coerce=int)
    fecha = forms.DateField(
        label=_("fecha del acta de entrega-recepción"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    archivo = forms.FileField(label=_("acta de entrega-recepción"))
    monto_pagado = MontoEscritoField(
        label=_("monto pagado (MXN)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0, message=ERROR_PAGADO)],
    )

    def __init__(self, *args, dictamen=None, aprobadas=None, contratos=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["archivo"].help_text = AYUDA_ACTA
        self.fields["monto_pagado"].help_text = AYUDA_PAGADO
        self.fields["monto_pagado"].widget.attrs["min"] = 0
        if contratos is None:
            contratos = contratos_que_cuentan(dictamen) if dictamen is not None else []
        self.fields["contrato"].choices = [(c.pk, f"{c.numero} · {c.proveedor}") for c in contratos]
        if aprobadas is None:
            aprobadas = aprobadas_del_dictamen(dictamen) if dictamen is not None else []
        self.aprobadas = aprobadas
        for d in aprobadas:
            self.fields[f"cantidad_{d.partida.pk}"] = forms.IntegerField(
                label=_("recibidas de «%(partida)s»") % {"partida": d.partida.descripcion},
                min_value=0,
                help_text=AYUDA_CANTIDAD % {"aprobada": d.cantidad_aprobada},
            )

    def cantidades(self) -> dict[str, int]:
        """{"<partida id>": n} of the quantities typed (cleaned)."""
        return {
            campo.removeprefix("cantidad_"): valor
            for campo, valor in self.cleaned_data.items()
            if campo.startswith("cantidad_")
        }


def contratos_que_cuentan(dictamen) -> list[Contrato]:
    """The contracts under the dictamen a delivery is recorded under (Contrato.cuenta)."""
    return [c for c in dictamen.contratos.all() if c.cuenta]
