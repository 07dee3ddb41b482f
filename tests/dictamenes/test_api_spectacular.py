"""The one door into drf-spectacular's insides (dictamenes.api.spectacular): the private method
it calls is still there with the arguments it passes, and the schema built through it is
drf-spectacular's own with the project's rule written over it. A release that renames the
method, changes its arguments or stops honouring `bypass_extensions` fails here."""

import inspect

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema

from dictamenes.api.campos import PATRON_MONTO, patron_texto


def test_el_metodo_privado_sigue_con_los_argumentos_que_se_le_pasan():
    firma = inspect.signature(AutoSchema._map_serializer_field)
    assert list(firma.parameters) == ["self", "field", "direction", "bypass_extensions"]
    assert firma.parameters["bypass_extensions"].default is False


@pytest.fixture(scope="module")
def esquemas():
    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


def test_un_texto_y_un_monto_llevan_lo_de_drf_spectacular_y_su_regla(esquemas):
    nueva = esquemas["SolicitudNuevaRequest"]["properties"]
    # maxLength, minLength and the title are drf-spectacular's; the pattern is ours.
    assert nueva["titulo"] == {
        "type": "string",
        "minLength": 1,
        "title": "Título",
        "pattern": patron_texto(multilinea=False),
        "maxLength": 250,
    }
    assert nueva["monto_estimado"] == {
        "type": "string",
        "format": "decimal",
        "pattern": PATRON_MONTO,
        "title": "Monto total estimado (MXN)",
        "description": 'Monto en pesos, mayor que cero, p. ej. "150000.50".',
    }


def test_la_decision_en_vigor_es_una_referencia_nula_con_tipo(esquemas):
    dictamen = esquemas["Partida"]["properties"]["dictamen"]
    assert {clave: dictamen[clave] for clave in ("allOf", "nullable", "type")} == {
        "allOf": [{"$ref": "#/components/schemas/Decision"}],
        "nullable": True,
        "type": "object",
    }
