"""What signing a dictamen pays for each price profile it touches (issue 92, item 6): the
reference is read again in a bounded number of queries whatever the window holds, and the
window is sorted by month and agency once, over what the fences keep (it was sorted twice,
with every partition, whenever some purchase fell outside the fences)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dictamenes.precios import services
from tests.dictamenes.flujo_utils import perfil_de_area
from tests.publico.precios_utils import observacion

HOY = datetime.date(2026, 11, 26)


def _consultas(clave) -> list[str]:
    with CaptureQueriesContext(connection) as capturadas:
        services.referencia_en(clave=clave, hoy=HOY)
    return [q["sql"] for q in capturadas.captured_queries]


def test_la_referencia_ordena_por_mes_y_ente_una_vez_aunque_las_cercas_dejen_fuera(demo):
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
    assert services.referencia_en(clave=clave, hoy=HOY)["observadas"] == 8
    assert len(services.referencia_en(clave=clave, hoy=HOY)["excluidas"]) == 2
    # Its size, the ranks the fences read, each month's and agency's rows; and with some
    # left out, those too: never a second sort by month and agency.
    assert (len(sin_cercas), len(con_cercas)) == (3, 4)
    for consultas in (sin_cercas, con_cercas):
        assert sum("PARTITION BY" in sql for sql in consultas) == 1
