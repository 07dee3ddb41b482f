"""The open data «Precios de referencia TIC» (issue 62, item 7): per profile, unit and
calendar quarter, the figures of the prices approved under dictámenes in force, where three
purchases from two agencies allow it. The expected figures are worked out here by hand from
the purchases as written below (median, inclusive quartiles, lowest), not by the rules the
dataset uses."""

import csv
import datetime
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import frictionless
import pytest
from django.urls import reverse
from frictionless.resources import TableResource

from estandares.models import Categoria, Perfil, Publicacion
from publico.precios import PRECIOS
from tests.dictamenes.flujo_utils import perfil_de_area
from tests.por_modulo import de_nuevo, por_modulo
from tests.publico.precios_utils import compra

pytestmark = pytest.mark.django_db

D = datetime.date
# (agency, area of the profile, unit price as typed, day of the dictamen, unit, months)
COMPRAS = [
    # Computers, 2025-T3: four purchases of two agencies, the last day of the quarter too.
    ("SH", "computo", "100.00", D(2025, 7, 2), "pieza", None),
    ("SH", "computo", "130.00", D(2025, 8, 15), "pieza", None),
    ("RC", "computo", "400.00", D(2025, 9, 10), "pieza", None),
    ("RC", "computo", "170.00", D(2025, 9, 30), "pieza", None),
    # 2025-T4, from its first day to its last: exactly the minimum, three of two agencies.
    ("SH", "computo", "90.00", D(2025, 10, 1), "pieza", None),
    ("SH", "computo", "200.00", D(2025, 11, 11), "pieza", None),
    ("ICRESON", "computo", "110.00", D(2025, 12, 31), "pieza", None),
    # 2026-T1: two purchases of two agencies: below the minimum.
    ("SH", "computo", "100.00", D(2026, 1, 5), "pieza", None),
    ("RC", "computo", "100.00", D(2026, 2, 5), "pieza", None),
    # Network, 2025-T3: three purchases of one agency: below the minimum.
    ("SH", "redes", "10.00", D(2025, 7, 1), "pieza", None),
    ("SH", "redes", "20.00", D(2025, 7, 2), "pieza", None),
    ("SH", "redes", "30.00", D(2025, 7, 3), "pieza", None),
    # A service paid for 12, 6 and 1 months: published per month of service.
    ("SH", "software", "12000.00", D(2025, 4, 1), "servicio", 12),
    ("RC", "software", "3000.00", D(2025, 5, 1), "servicio", 6),
    ("ICRESON", "software", "2000.00", D(2025, 6, 30), "servicio", 1),
]
ETIQUETAS = {"pieza": "por pieza", "servicio": "por mes de servicio"}


def _comprar():
    return [
        compra(siglas, perfil_de_area(area), precio, fecha, unidad=unidad, meses=meses)
        for siglas, area, precio, fecha, unidad, meses in COMPRAS
    ]


compradas = por_modulo(_comprar)


@pytest.fixture
def compras(demo, compradas):
    return de_nuevo(compradas)


# --- The oracle: straight from the purchases above ------------------------------------------


def _mediana(ordenados: list[Fraction]) -> Fraction:
    n = len(ordenados)
    if n % 2:
        return ordenados[n // 2]
    return (ordenados[n // 2 - 1] + ordenados[n // 2]) / 2


def _cuartil(ordenados: list[Fraction], k: int) -> Fraction:
    """Inclusive method: the point at (n - 1) · k/4 of the sorted prices, between the two
    prices around it in proportion."""
    posicion = Fraction(len(ordenados) - 1) * k / 4
    abajo = int(posicion)
    if abajo + 1 == len(ordenados):
        return ordenados[abajo]
    return ordenados[abajo] + (ordenados[abajo + 1] - ordenados[abajo]) * (posicion - abajo)


def _pesos(valor: Fraction) -> str:
    exacto = Decimal(valor.numerator) / Decimal(valor.denominator)
    return str(exacto.quantize(Decimal("0.01"), ROUND_HALF_UP))


def _esperado() -> dict[tuple, dict]:
    grupos: dict[tuple, list] = {}
    for siglas, area, precio, fecha, unidad, meses in COMPRAS:
        perfil = perfil_de_area(area)
        trimestre = f"{fecha.year}-T{(fecha.month + 2) // 3}"
        mensual = Fraction(precio) / meses if unidad == "servicio" else Fraction(precio)
        clave = (perfil.categoria.clave, perfil.clave, unidad, trimestre)
        grupos.setdefault(clave, []).append((siglas, mensual, perfil))
    filas = {}
    for clave, compras_ in grupos.items():
        entes = {siglas for siglas, _p, _f in compras_}
        if len(compras_) < 3 or len(entes) < 2:
            continue
        precios = sorted(p for _s, p, _f in compras_)
        perfil = compras_[0][2]
        filas[clave] = {
            "categoria_clave": clave[0],
            "categoria": perfil.categoria.nombre,
            "perfil_clave": clave[1],
            "perfil": perfil.nombre,
            "unidad": clave[2],
            "unidad_etiqueta": ETIQUETAS[clave[2]],
            "periodo": clave[3],
            "compras": str(len(precios)),
            "entes": str(len(entes)),
            "mediana_mxn": _pesos(_mediana(precios)),
            "cuartil_1_mxn": _pesos(_cuartil(precios, 1)),
            "cuartil_3_mxn": _pesos(_cuartil(precios, 3)),
            "minimo_mxn": _pesos(precios[0]),
        }
    return filas


def _csv(client) -> list[dict]:
    respuesta = client.get(reverse("datos_conjunto", args=["precios-referencia"]))
    assert respuesta.status_code == 200
    return list(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8-sig"))))


def _clave(fila: dict) -> tuple:
    return (fila["categoria_clave"], fila["perfil_clave"], fila["unidad"], fila["periodo"])


# --- The tests -------------------------------------------------------------------------------


def test_las_cifras_son_las_de_las_compras(compras, client):
    filas = {_clave(f): f for f in _csv(client)}
    assert filas == _esperado()
    # The oracle itself, checked once against figures worked on paper.
    computo = perfil_de_area("computo")
    t3 = filas[computo.categoria.clave, computo.clave, "pieza", "2025-T3"]
    assert [t3[c] for c in ("compras", "entes", "mediana_mxn", "cuartil_1_mxn")] == [
        "4",
        "2",
        "150.00",
        "122.50",
    ]
    assert (t3["cuartil_3_mxn"], t3["minimo_mxn"]) == ("227.50", "100.00")
    software = perfil_de_area("software")
    servicio = filas[software.categoria.clave, software.clave, "servicio", "2025-T2"]
    assert [servicio[c] for c in ("mediana_mxn", "cuartil_1_mxn", "minimo_mxn")] == [
        "1000.00",
        "750.00",
        "500.00",
    ]


def test_sin_el_minimo_no_se_publica_nada(compras, client):
    """Two purchases of two agencies (computers, 2026-T1) or three of one (network,
    2025-T3): no row for that profile and quarter."""
    computo, redes = perfil_de_area("computo"), perfil_de_area("redes")
    publicadas = {_clave(f) for f in _csv(client)}
    assert (computo.categoria.clave, computo.clave, "pieza", "2026-T1") not in publicadas
    assert not [c for c in publicadas if c[1] == redes.clave]
    assert sorted(c[3] for c in publicadas if c[1] == computo.clave) == ["2025-T3", "2025-T4"]


def test_el_nombre_es_el_de_la_edicion_mas_reciente(compras, client):
    computo = perfil_de_area("computo")
    nueva = Publicacion.objects.create(titulo="Estándares", version="99.0")
    categoria = Categoria.objects.create(
        publicacion=nueva,
        clave=computo.categoria.clave,
        nombre="Cómputo personal",
        area=computo.categoria.area,
    )
    Perfil.objects.create(categoria=categoria, clave=computo.clave, nombre="Equipo básico")
    Publicacion.objects.filter(pk=nueva.pk).update(
        estado=Publicacion.Estado.VIGENTE, vigente_desde=D(2099, 1, 1)
    )
    filas = [f for f in PRECIOS.filas() if f["perfil_clave"] == computo.clave]
    assert {(f["categoria"], f["perfil"]) for f in filas} == {("Cómputo personal", "Equipo básico")}


def test_el_json_dice_lo_mismo_que_el_csv_y_cumple_el_esquema(compras, client):
    respuesta = client.get(reverse("datos_precios_json"))
    assert respuesta.status_code == 200
    filas = json.loads(respuesta.content)["precios-referencia"]
    assert [{k: str(v) for k, v in f.items()} for f in filas] == _csv(client)
    esquema = client.get(reverse("datos_esquema", args=["precios-referencia"])).json()
    informe = TableResource(
        data=filas, schema=frictionless.Schema.from_descriptor(esquema)
    ).validate()
    assert informe.valid, informe.flatten(["type", "fieldName", "message"])
    assert informe.task.stats["rows"] == len(_esperado()) == 3


def test_las_consultas_no_crecen_con_las_compras(compras, django_assert_num_queries):
    # The names of the standards, and the observed prices through one cursor.
    with django_assert_num_queries(2):
        assert len(PRECIOS.filas()) == 3
