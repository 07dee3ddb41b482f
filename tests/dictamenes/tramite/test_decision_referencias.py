"""The references of the decision's items are read in one query by one IN per column (issue 92,
item 6: an OR of each item's three claves cost twice the CPU to build on every first visit
after a change): each item still gets its own profile's and unit's reference, never one that
only shares some of its claves with the items of the page."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dictamenes.models import ReferenciaPrecio
from dictamenes.precios import selectors

pytestmark = pytest.mark.django_db

HOY = datetime.date(2026, 11, 26)


def _partida(categoria, perfil, unidad):
    return SimpleNamespace(
        perfil=SimpleNamespace(clave=perfil, categoria=SimpleNamespace(clave=categoria)),
        unidad=unidad,
    )


def _referencia(categoria, perfil, unidad, mediana):
    return ReferenciaPrecio.objects.create(
        categoria_clave=categoria,
        perfil_clave=perfil,
        unidad=unidad,
        calculada_el=HOY,
        desde=HOY.replace(year=HOY.year - 2),
        compras=4,
        entes=3,
        suficiente=True,
        mediana=Decimal(mediana),
        cuartil_1=Decimal(mediana),
        cuartil_3=Decimal(mediana),
        minimo=Decimal(mediana),
        serie=[],
    )


def test_cada_partida_tiene_la_referencia_de_sus_tres_claves_y_ninguna_cruzada():
    laptop = _referencia("computo", "laptop", "pieza", "100")
    licencia = _referencia("software", "licencia", "mes", "200")
    # Each shares two of its three claves with the items', in another combination.
    for categoria, perfil, unidad in (
        ("computo", "laptop", "mes"),
        ("computo", "licencia", "pieza"),
        ("software", "laptop", "mes"),
    ):
        _referencia(categoria, perfil, unidad, "999")
    partidas = [_partida("computo", "laptop", "pieza"), _partida("software", "licencia", "mes")]
    with CaptureQueriesContext(connection) as consultas:
        leidas = selectors.referencias_de(partidas)
    assert len(consultas) == 1
    assert leidas == {
        ("computo", "laptop", "pieza"): laptop,
        ("software", "licencia", "mes"): licencia,
    }
    assert [leidas[selectors.clave_de(p)].mediana for p in partidas] == [100, 200]
