"""What signing a dictamen pays for each price profile it touches (issue 92, item 6): the
reference reads its window once, in one query whatever the window holds, and one more only
to list the purchases the fences leave out; it does not sort the window again by month and by
agency in the database (five queries and ~30 ms of the database's CPU per profile at K=10)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dictamenes.models import ReferenciaPrecio
from dictamenes.precios import services
from tests.dictamenes.flujo_utils import en_firma, firmar, perfil_de_area
from tests.publico.precios_utils import observacion

HOY = datetime.date(2026, 11, 26)


def _consultas(clave) -> list[str]:
    with CaptureQueriesContext(connection) as capturadas:
        services.referencia_en(clave=clave, hoy=HOY)
    return [q["sql"] for q in capturadas.captured_queries]


def test_la_referencia_lee_su_ventana_una_vez_aunque_las_cercas_dejen_fuera(demo):
    perfil = perfil_de_area("computo")
    clave = (perfil.categoria.clave, perfil.clave, "pieza")
    for i, (siglas, precio) in enumerate(
        [("SH", 100), ("RC", 110), ("SH", 120), ("RC", 130), ("SH", 140), ("RC", 150)]
    ):
        observacion(siglas, perfil, str(precio), HOY - datetime.timedelta(days=5 + i))
    sin_cercas = _consultas(clave)
    # The same window with one purchase far on each side: the fences leave them out.
    observacion("SH", perfil, "5", HOY - datetime.timedelta(days=20))
    observacion("RC", perfil, "900", HOY - datetime.timedelta(days=21))
    con_cercas = _consultas(clave)
    referencia = services.referencia_en(clave=clave, hoy=HOY)
    assert (referencia["observadas"], referencia["compras"]) == (8, 6)
    assert [e["precio"] for e in referencia["excluidas"]] == ["5.0000", "900.0000"]
    # Its rows; and with some left out, those too, listed.
    assert (len(sin_cercas), len(con_cercas)) == (1, 2)
    for consultas in (sin_cercas, con_cercas):
        assert not any("PARTITION BY" in sql for sql in consultas)


def test_firmar_lee_una_vez_la_ventana_de_cada_perfil_del_dictamen(demo):
    solicitud = en_firma(areas=("computo", "redes"))
    claves = set()
    for area in ("computo", "redes"):
        perfil = perfil_de_area(area)
        observacion("RC", perfil, "9000", timezone.localdate() - datetime.timedelta(days=3))
        clave = (perfil.categoria.clave, perfil.clave, "pieza")
        services.referencia_recalcular(clave=clave)
        claves.add(clave)
    with CaptureQueriesContext(connection) as capturadas:
        firmar(solicitud)
    precios = [
        q["sql"].split()[0]
        for q in capturadas.captured_queries
        if "dictamenes_precioobservado" in q["sql"] or "dictamenes_referenciaprecio" in q["sql"]
    ]
    # The request's observations before (none: nothing to delete), the new ones written, and
    # for each of its two profiles its window read once and its reference written once.
    assert sorted(precios) == sorted(["SELECT", "INSERT"] + ["SELECT", "UPDATE"] * 2)
    assert {
        (r.categoria_clave, r.perfil_clave, r.unidad): (r.observadas, r.entes)
        for r in ReferenciaPrecio.objects.all()
    } == dict.fromkeys(claves, (2, 2))
