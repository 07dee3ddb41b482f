"""The thresholds of the signs (issue 80) in the tracks' configuration: five fields of
ConfiguracionVias that only the signs read (dictamenes.senales.catalogo names which sign reads
which), kept, versioned and changed under dual control with the rest of the tracks through
their one door (operacion.services.vias.vias_guardar), which checks them here. The ranges are the
model's validators (rango)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from dictamenes.models import ConfiguracionVias

CAMPOS_SENALES = (
    "senal_cobertura_pct",
    "senal_cierre_dias",
    "senal_dominante_pct",
    "senal_dominante_contratos",
    "senal_entrega_dias",
)
# The one with decimals: near-identical quotes differ by half a percent, not by one.
DECIMALES = ("senal_cobertura_pct",)
ERROR_COBERTURA = _(
    "Escriba un por ciento de %(minimo)s a %(maximo)s, con dos decimales a lo más (p. ej. 0.5)."
)
ERROR_DIAS_HABILES = _("Escriba un número entero de días hábiles, de %(minimo)s a %(maximo)s.")
ERROR_PORCENTAJE_SENAL = _("Escriba un número entero de %(minimo)s a %(maximo)s por ciento.")
ERROR_CONTRATOS = _("Escriba un número entero de contratos, de %(minimo)s a %(maximo)s.")
ERRORES_SENALES = {
    "senal_cobertura_pct": ERROR_COBERTURA,
    "senal_cierre_dias": ERROR_DIAS_HABILES,
    "senal_dominante_pct": ERROR_PORCENTAJE_SENAL,
    "senal_dominante_contratos": ERROR_CONTRATOS,
    "senal_entrega_dias": ERROR_DIAS_HABILES,
}


def rango(campo: str) -> tuple[int, int]:
    """The numbers a field of a version allows, as its model validators say."""
    minimo, maximo = 0, None
    for validador in ConfiguracionVias._meta.get_field(campo).validators:
        if isinstance(validador, MinValueValidator):
            minimo = max(minimo, validador.limit_value)
        elif isinstance(validador, MaxValueValidator):
            maximo = min(maximo or validador.limit_value, validador.limit_value)
    return minimo, maximo


def _vale(campo: str, valor) -> bool:
    minimo, maximo = rango(campo)
    # True is an int to Python, not a number to a person.
    if isinstance(valor, bool):
        return False
    if campo in DECIMALES:
        return (
            isinstance(valor, Decimal | int)
            and Decimal(valor).is_finite()
            and Decimal(valor).as_tuple().exponent >= -2
            and minimo <= valor <= maximo
        )
    return isinstance(valor, int) and minimo <= valor <= maximo


def errores_senales(datos: dict) -> dict:
    """{field: error} of the signs' thresholds out of their range (or not a number)."""
    errores = {}
    for campo, mensaje in ERRORES_SENALES.items():
        if not _vale(campo, datos[campo]):
            minimo, maximo = rango(campo)
            errores[campo] = ValidationError(
                mensaje, code="rango", params={"minimo": minimo, "maximo": maximo}
            )
    return errores


def valores_senales(config: ConfiguracionVias) -> dict:
    """The thresholds as the audit event and a request of change keep them (JSON: the
    percentage with decimals as text)."""
    return {
        campo: (
            str(Decimal(getattr(config, campo)).quantize(Decimal("0.01")))
            if campo in DECIMALES
            else getattr(config, campo)
        )
        for campo in CAMPOS_SENALES
    }
