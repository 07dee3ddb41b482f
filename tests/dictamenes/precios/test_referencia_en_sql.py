"""The reference is worked out in the database (issue 64, item 4): the window sorted there,
only the rows of the ranks its figures read sent back. It must be the very figure the Python
of issue 62 gave from every row: the dictamen's PDF prints it. The oracle here sorts every
row with the statistics module, and shares nothing with the service but the rows. Run on
PostgreSQL (make test, phase 1) and on SQLite (--db=sqlite): the same figures on both."""

import datetime
import random
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dictamenes.models import PrecioObservado, ReferenciaPrecio
from dictamenes.precios import reglas, services
from tests.dictamenes.flujo_utils import perfil_de_area
from tests.perfiles import ejemplos
from tests.publico.precios_utils import observacion

HOY = datetime.date(2026, 11, 26)


def _cuatro(v) -> Decimal:
    return Decimal(v).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _oraculo(filas):
    """(compras, entes, mediana, cuartil_1, cuartil_3, minimo, serie) from every row: each
    agency's median, then the figures of those medians (issue 93: an agency counts once)."""
    precios = sorted(p for _f, p, _e in filas)
    por_ente = {}
    for _f, precio, ente in filas:
        por_ente.setdefault(ente, []).append(precio)
    medianas = sorted(statistics.median(v) for v in por_ente.values())
    if len(medianas) == 1:
        q1 = q3 = medianas[0]
    else:
        q1, _m, q3 = statistics.quantiles(medianas, n=4, method="inclusive")
    meses = {}
    for fecha, precio, _e in filas:
        meses.setdefault(f"{fecha:%Y-%m}", []).append(precio)
    serie = [
        {
            "mes": mes,
            "compras": len(v),
            "mediana": str(_cuatro(statistics.median(v))),
            "minimo": str(min(v)),
            "maximo": str(max(v)),
        }
        for mes, v in sorted(meses.items())
    ]
    mediana = _cuatro(statistics.median(medianas))
    return (
        len(precios),
        len(por_ente),
        mediana,
        _cuatro(q1),
        _cuatro(q3),
        _cuatro(medianas[0]),
        serie,
    )


@settings(max_examples=ejemplos(300), deadline=None)
@given(
    st.lists(
        st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("999999"), places=4),
        min_size=1,
        max_size=40,
    )
)
def test_las_cifras_leen_solo_sus_rangos(precios):
    ordenados = sorted(precios)
    n = len(ordenados)
    # Only the ranks it says it reads: any other one is a KeyError.
    en = {r: ordenados[r] for r in reglas.rangos(n)}
    c = reglas.cifras_de_rangos(n, en, minimo=ordenados[0], maximo=ordenados[-1])
    q1, q3 = (
        (ordenados[0], ordenados[0])
        if n == 1
        else statistics.quantiles(ordenados, n=4, method="inclusive")[::2]
    )
    assert (c.mediana, c.cuartil_1, c.cuartil_3) == (
        _cuatro(statistics.median(ordenados)),
        _cuatro(q1),
        _cuatro(q3),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("semilla", [1, 2, 3])
def test_la_referencia_de_la_base_es_la_de_todas_las_filas(demo, semilla):
    perfil = perfil_de_area("computo")
    clave = (perfil.categoria.clave, perfil.clave, "pieza")
    azar = random.Random(semilla)  # noqa: S311 (test data, not a secret)
    # Prices with four decimals that repeat and whose halves round (x.00005 → up), over
    # 30 months (some out of the window), from three agencies; odd and even months.
    base = [Decimal("15000.0001"), Decimal("15000.0002"), Decimal("14999.9999"), Decimal("9")]
    for _ in range(azar.randint(40, 70)):
        precio = azar.choice(base) + Decimal(azar.randint(0, 5000)) / 10000 * azar.randint(0, 1)
        fecha = HOY - datetime.timedelta(days=azar.randint(0, 900))
        observacion(azar.choice(["SH", "RC", "ICRESON"]), perfil, str(precio), fecha)

    services.referencia_recalcular(clave=clave, hoy=HOY)

    filas = list(
        PrecioObservado.objects.filter(
            categoria_clave=clave[0],
            perfil_clave=clave[1],
            unidad="pieza",
            fecha__gte=datetime.date(2024, 11, 26),
            fecha__lte=HOY,
        ).values_list("fecha", "precio", "ente_id")
    )
    r = ReferenciaPrecio.objects.get()
    assert (r.compras, r.entes, r.mediana, r.cuartil_1, r.cuartil_3, r.minimo, r.serie) == (
        _oraculo(filas)
    )
