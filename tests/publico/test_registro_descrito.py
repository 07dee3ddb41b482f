"""Issue 61: the register's API describes each column as its Table Schema does (the approved
total among them), and the folio's description names no state's pattern."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from publico.conjuntos import DICTAMENES
from publico.partidas import PARTIDAS

pytestmark = pytest.mark.django_db


def test_la_api_del_registro_describe_cada_columna_como_el_diccionario(demo):
    componentes = SchemaGenerator().get_schema(request=None, public=True)["components"]
    propiedades = componentes["schemas"]["Registro"]["properties"]
    # The register's columns, then its items (issue 61).
    assert list(propiedades) == [c.nombre for c in DICTAMENES.campos] + ["partidas"]
    descripciones = {n: p.get("description") for n, p in propiedades.items()}
    assert descripciones == {c.nombre: str(c.descripcion) for c in DICTAMENES.campos} | {
        "partidas": descripciones["partidas"]
    }
    assert descripciones["monto_aprobado_mxn"].startswith(
        "Lo que el dictamen aprobó de las partidas de la solicitud, en pesos"
    )


def test_las_partidas_del_registro_se_describen_como_su_conjunto(demo):
    """Each item of /api/v1/registro/ has the columns of dictamenes-partidas.csv, each
    described as its Table Schema describes it."""
    esquemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    partidas = esquemas["Registro"]["properties"]["partidas"]
    assert partidas["type"] == "array"
    nombre = partidas["items"]["$ref"].rsplit("/", 1)[1]
    propiedades = esquemas[nombre]["properties"]
    # drf-spectacular adds the list of codes after a choice's description.
    descripciones = {
        n: (p.get("description") or "").split("\n\n*")[0] for n, p in propiedades.items()
    }
    assert descripciones == {c.nombre: str(c.descripcion) for c in PARTIDAS.campos}
    (enum,) = propiedades["decision"]["allOf"]
    assert esquemas[enum["$ref"].rsplit("/", 1)[1]]["enum"] == [
        "aprobada",
        "reducida",
        "no_aprobada",
    ]
    assert set(esquemas[nombre]["required"]) == {c.nombre for c in PARTIDAS.campos}


def test_el_folio_se_describe_sin_el_patron_de_un_estado(demo, client):
    esquema = client.get(reverse("datos_esquema", args=["dictamenes"])).json()
    (folio,) = [c for c in esquema["fields"] if c["name"] == "folio"]
    assert folio["description"] == (
        "Folio único del dictamen, como lo imprime su PDF: el patrón de folios de la "
        "institución al emitirlo, con el año y un número consecutivo."
    )
