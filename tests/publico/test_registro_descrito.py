"""Issue 61: the register's API describes each column as its Table Schema does (the approved
total among them), and the folio's description names no state's pattern."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from publico.conjuntos import DICTAMENES

pytestmark = pytest.mark.django_db


def test_la_api_del_registro_describe_cada_columna_como_el_diccionario(demo):
    componentes = SchemaGenerator().get_schema(request=None, public=True)["components"]
    propiedades = componentes["schemas"]["Registro"]["properties"]
    assert list(propiedades) == [c.nombre for c in DICTAMENES.campos]
    descripciones = {n: p.get("description") for n, p in propiedades.items()}
    assert descripciones == {c.nombre: str(c.descripcion) for c in DICTAMENES.campos}
    assert descripciones["monto_aprobado_mxn"].startswith(
        "Lo que el dictamen aprobó de las partidas de la solicitud, en pesos"
    )


def test_el_folio_se_describe_sin_el_patron_de_un_estado(demo, client):
    esquema = client.get(reverse("datos_esquema", args=["dictamenes"])).json()
    (folio,) = [c for c in esquema["fields"] if c["name"] == "folio"]
    assert folio["description"] == (
        "Folio único del dictamen, como lo imprime su PDF: el patrón de folios de la "
        "institución al emitirlo, con el año y un número consecutivo."
    )
