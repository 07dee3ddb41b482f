"""The query parameters of the API's lists in the schema, as strict as their forms read them.

drf-spectacular's django-filter extension types a parameter by its model field ("number" for
an amount, "integer" with no bounds for a year); the lists read them with the fields of
estandares.entradas, which refuse a sign, an exponent or a control character. This extension
keeps drf-spectacular's parameters and writes each one's real rule over its schema, so that a
value the schema allows is never refused (and one it forbids is). Every filter and the page
number may also come empty: an empty value filters nothing (``allowEmptyValue``).
"""

from django import forms
from drf_spectacular.contrib.django_filters import DjangoFilterExtension

from dictamenes.api.campos import BLANCOS, patron_texto_recortado
from estandares.entradas import MAYOR_ENTERO, EnteroField, MontoField, TextoCortoField


def _entre_blancos(patron: str) -> str:
    return f"^[{BLANCOS}]*(?:{patron})?[{BLANCOS}]*$"


def esquema_de_campo(campo: forms.Field) -> dict:
    """The JSON Schema of a query value read by this form field ({} when the default fits).

    A form strips the blanks around a text or an amount before it reads it, so their
    patterns allow blanks around the value, and a text's length is that of what is between.
    (An integer takes none: the API refuses them, see estandares.api.exigir_sin_espacios.)
    """
    if isinstance(campo, EnteroField):
        return {"type": "integer", "minimum": 0, "maximum": MAYOR_ENTERO}
    if isinstance(campo, MontoField):
        # Digits, and a point with up to two decimals (estandares.entradas.MontoField).
        return {"type": "string", "pattern": _entre_blancos(r"[0-9]{1,12}(?:\.[0-9]{0,2})?")}
    if isinstance(campo, TextoCortoField):
        return {"type": "string", "pattern": patron_texto_recortado(largo=campo.max_length)}
    if isinstance(campo, forms.CharField):
        # Django's CharField refuses NUL, and nothing else.
        cualquiera = r"[^\u0000]{0,%s}" % ("" if campo.max_length is None else campo.max_length)
        if campo.strip:
            return {"type": "string", "pattern": _entre_blancos(cualquiera)}
        return {"type": "string", "pattern": f"^{cualquiera}$"}
    return {}


class FiltrosEstrictos(DjangoFilterExtension):
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parametros = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        esquema = esquema_de_campo(filter_field.field)
        for parametro in parametros:
            parametro["allowEmptyValue"] = True
            if esquema:
                parametro["schema"] = {**esquema}
        return parametros
