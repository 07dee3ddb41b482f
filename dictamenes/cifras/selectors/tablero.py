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
from dictamenes.encuestas import selectors as encuestas
from dictamenes.models import Ente, Solicitud
from dictamenes.seguimiento.selectors import condiciones


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


def _de_los_ejercicios(faltan: list[int]) -> dict[int, dict]:
    """What the page shows of each year whatever year is chosen, of the years missing: its
    row of the annual table (one query for all of them)."""
    if len(faltan) == 1:
        filas = indicadores.por_ejercicio(ejercicio=faltan[0])
    else:
        filas = [f for f in indicadores.por_ejercicio() if f["ejercicio"] in faltan]
    por_anio = {f["ejercicio"]: f for f in filas}
    return {anio: {"fila": por_anio.get(anio)} for anio in faltan}


def _calcular_piezas(faltan, anios: list[int], entes: list[int]) -> dict:
    """The pieces of the (year, agency) pairs missing: of every year and agency at once when
    all are (the years are those of every presented request, the only ones with dictámenes)."""
    if len(faltan) == len(anios) * len(entes):
        return ahorros.piezas_por_ejercicio_y_ente(ejercicios=None, entes=None)
    return ahorros.piezas_por_ejercicio_y_ente(
        ejercicios=sorted({anio for anio, _ente in faltan}),
        entes=sorted({ente for _anio, ente in faltan}),
    )


def _piezas_de_ahorro(anios: list[int], entes: list[int], versiones: dict) -> dict:
    """Each year's pieces of the savings, one per agency ({year: [piece]}): after a change,
    only the pieces of the agencies and years it touched are computed again; with the cache
    empty, those of every year in one go (the same queries as one year's)."""
    piezas = cache.memorizar_por_ejercicio_y_ente(
        # The pieces carry the savings against the reference since issue 62, defined again
        # (what the review cut above the reference, and what was requested above it) in issue
        # 76: a new name each time, so that no piece cached before (without them) is read.
        "indicadores-ahorro-recorte",
        anios,
        entes,
        versiones,
        calcular=lambda faltan: _calcular_piezas(faltan, anios, entes),
    )
    return {
        anio: [p for ente in entes if (p := piezas[(anio, ente)]) is not None] for anio in anios
    }


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
    todos = ejercicios()
    anios = cache.memorizar_ejercicios(
        "indicadores-anio",
        todos,
        versiones,
        calcular=_de_los_ejercicios,
    )
    entes = list(Ente.objects.order_by("pk").values_list("pk", flat=True))
    piezas = _piezas_de_ahorro(list(anios), entes, versiones)
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
