"""The indicators page's figures (views.indicadores), kept fast at ten years of history.

Most of them are per fiscal year and depend only on that year's requests: each year's are
cached under that year's version (cache.memorizar_ejercicio), which the door that writes
events moves. After a change, in the year-end rush, the page computes again the year that
changed, not the ten before it (issue 45). What depends on today or on the open work (the
backlog, the conditions due, the surveys waiting, the monthly service standard) is read
fresh, each from an index or a small table. The figures are those of a direct computation
over the whole history (tests/dictamenes/cifras/test_tablero.py compares them).
"""

from django.db.models import Max, Min
from django.utils import timezone

from dictamenes.cifras.selectors import ahorros, indicadores
from dictamenes.comun import cache
from dictamenes.models import Ente, Solicitud
from dictamenes.seguimiento.selectors import condiciones
from dictamenes.tramite.selectors import encuestas


def ejercicios() -> list[int]:
    """The fiscal years from the first to the last with presented requests: the two ends of
    an index. A year between them without any has no row (its figures say so, and cost a
    query once per version)."""
    extremos = Solicitud.objects.exclude(presentada_en__isnull=True).aggregate(
        primero=Min("ejercicio"), ultimo=Max("ejercicio")
    )
    if extremos["primero"] is None:
        return []
    return list(range(extremos["primero"], extremos["ultimo"] + 1))


def _del_ejercicio(ejercicio: int) -> dict:
    """What the page shows of one year whatever year is chosen: its row of the annual table."""
    (fila,) = indicadores.por_ejercicio(ejercicio=ejercicio) or [None]
    return {"fila": fila}


def _piezas_de_ahorro(ejercicio: int, entes: list[int], versiones: dict) -> list[dict]:
    """The year's pieces of the savings, one per agency: after a change, only the pieces of
    the agencies it touched are computed again (one query for all of them)."""
    piezas = cache.memorizar_por_ente(
        # The pieces carry the savings against the reference since issue 62: a new name, so
        # that no piece cached before (without them) is read.
        "indicadores-ahorro-precio",
        ejercicio,
        entes,
        versiones,
        calcular=lambda faltan: ahorros.piezas_por_ente(ejercicio=ejercicio, entes=faltan),
    )
    return [p for p in piezas.values() if p is not None]


def _detalle(ejercicio: int) -> dict:
    """What the page shows of the chosen year only."""
    return {
        "tiempos": indicadores.tiempos(ejercicio=ejercicio),
        "mensuales": indicadores.con_barras(
            filas=indicadores.llegadas_mensuales(ejercicio=ejercicio), clave="n"
        ),
        "tipos": indicadores.con_barras(
            filas=indicadores.resultados_por_tipo(ejercicio=ejercicio), clave="total"
        ),
        "entes": indicadores.con_barras(
            filas=indicadores.principales_entes(ejercicio=ejercicio), clave="n"
        ),
    }


def _en_miles(filas: list[dict]) -> list[dict]:
    """The savings in thousands of pesos, for the charts: the label beside a bar has room
    for about eight characters (templatetags.graficas), and the tables give the cents."""
    return [f | {"ahorro_miles": round(f["ahorro"] / 1000)} for f in filas]


def _ahorro(piezas: dict[int, list[dict]], ejercicio: int) -> dict:
    """The savings of the review: totals per year (table and chart: each agency's piece keeps
    its sums), and the chosen year by agency and category, and by category (its chart). Only
    the chosen year's rows are read: the other years give their categories' newest names."""
    del_ejercicio = ahorros.combinar(
        [p for del_anio in piezas.values() for p in del_anio], ejercicio=ejercicio
    )
    categorias = sorted(
        ahorros.totales(del_ejercicio, por=("categoria_clave", "categoria")),
        key=lambda f: (-f["ahorro"], f["categoria"]),
    )
    anuales = ahorros.totales(
        [{"ejercicio": anio} | p["total"] for anio, del_anio in piezas.items() for p in del_anio]
    )
    return {
        "anuales": _en_miles(anuales),
        "filas": del_ejercicio,
        "categorias": _en_miles(categorias),
        # Issue 62: against the reference prices, each kind of purchase in its own row.
        "referencia_anual": ahorros.frente_a_referencia(anuales, por=("ejercicio",)),
        "referencia_filas": ahorros.frente_a_referencia(
            del_ejercicio, por=("ente_siglas", "ente", "categoria")
        ),
    }


def tablero(*, pedido: int | None) -> dict:
    """The page's context for the chosen year (`pedido`; the latest when it has none)."""
    versiones = cache.versiones_por_ejercicio()
    anios = {
        anio: cache.memorizar_ejercicio(
            "indicadores-anio", anio, versiones, calcular=lambda anio=anio: _del_ejercicio(anio)
        )
        for anio in ejercicios()
    }
    entes = list(Ente.objects.order_by("pk").values_list("pk", flat=True))
    piezas = {anio: _piezas_de_ahorro(anio, entes, versiones) for anio in anios}
    anuales = [a["fila"] for a in anios.values() if a["fila"]]
    disponibles = [f["ejercicio"] for f in anuales]
    if pedido in disponibles:
        ejercicio = pedido
    else:
        ejercicio = disponibles[-1] if disponibles else timezone.localdate().year
    detalle = cache.memorizar_ejercicio(
        "indicadores-detalle", ejercicio, versiones, calcular=lambda: _detalle(ejercicio)
    )
    return {
        "anuales": indicadores.con_barras(filas=anuales, clave="recibidas"),
        "ejercicio": ejercicio,
        **detalle,
        "rezago": indicadores.con_barras(filas=indicadores.rezago(), clave="n"),
        # Issue 21: the survey, only in groups of at least five answers.
        "satisfaccion": encuestas.satisfaccion_por_ejercicio(),
        "minimo_respuestas": encuestas.MINIMO_RESPUESTAS,
        "en_espera": encuestas.respuestas_en_espera(),
        # Conditions of condicionado dictámenes met on time (issue 21, item 2).
        "condiciones": condiciones.cumplimiento(),
        # Issue 36: what the review saved, and the service standard met per month.
        "ahorro": _ahorro(piezas, ejercicio),
        "estandar": indicadores.estandar_de_servicio(anio=ejercicio),
    }
