"""Every budget of make bench and make bench-escala, in one table, and the verdict of the scale
check (bench/escala.py) against it.

The scale check's budgets are SQL floors (bench/suelos.py: the sum of EXPLAIN ANALYZE of
each SELECT of a page's first visit after a change) and query counts at a tenth of the history
and at all of it: figures that timing noise does not move.
"""

import statistics

# --- Pages: the SQL floor of the first visit after a change (make bench-escala and make bench)
SUELO_MS = 20  # every list and page
# The exceptions, each with its reason; the closing notes name them.
SUELO_POR_PAGINA = {
    "Indicadores": (300, "la primera visita tras un cambio: diez años de cifras"),
    "OCDS: paquete del mes": (
        150,
        "un archivo de datos abiertos, no una página: las ~2,000 entregas de un mes de cierre",
    ),
    "Búsqueda filtrada (auditor)": (
        80,
        "texto libre (LIKE '%…%') sobre las solicitudes de un año, con su cuenta exacta: "
        "ningún índice B-tree lo acota",
    ),
    "Decisión estratégica de diez partidas": (
        30,
        "las sugerencias de consolidación leen las partidas de los 60 días de la ventana "
        "(en el cierre, unas 2,500 solicitudes), no la historia",
    ),
}

# --- Pages served by gunicorn (make bench) -----------------------------------------------
P95_MS = 150
INDICADORES_MS = 300
# Our inbox and queue against viewflow's own over the same data, request by request.
RAZON_VIEWFLOW = 0.35
BASES_CON_PRESUPUESTO = ("viewflow: bandeja", "viewflow: cola")
RONDAS_RAZON = 3
# Each page's p50 as a multiple of the ceiling (a trivial view through the same middleware and
# server, /medicion/techo/), interleaved request by request (intercaladas.razones_intercaladas), the
# median of the rounds: the median page within TECHO_MEDIANA, none beyond TECHO_MAX.
TECHO_MEDIANA = 3
TECHO_MAX = 5
# What every request pays before and after its view, in the mixed load (each page's profile,
# bench/perfilar.py, applied to its p50 and weighted as the load asks for it), ms per request:
# the request's log line and metrics, and the whole middleware stack.
OBSERVACION = "Middleware: ObservacionMiddleware"
OBSERVACION_MS = 0.5
MIDDLEWARE_MS = 1.0

# --- The rest of make bench ----------------------------------------------------------------
CSV_S = 5
CSV_MB = 200
# The ceiling with nobody waiting: what the 2-core machine did before issue 9 (64.6/s).
RPS = 64.6
META_RPS = 100
EMISION_RAZON = 1.3
# PAdES B-LTA (timestamp, revocation data, document timestamp; TSA on loopback): at most twice
# the 170 ms that a B-B signature took before issue 19.
EMISION_MS = 340
# The year-end burst: people reading between clicks.
RAFAGA_MS = 300


def suelo_de(pagina: str) -> float:
    return SUELO_POR_PAGINA.get(pagina, (SUELO_MS, ""))[0]


def veredicto(*, decima: dict, toda: dict, bases: set[str]) -> list[str]:
    """What the scale check finds wrong, in Spanish, one line each (empty: it passes).

    decima, toda: bench/suelos.py's figures per page at a tenth of the history and at all of
    it; bases: viewflow's own pages, measured beside ours and held to nothing."""
    fallas = []
    for pagina, m in toda.items():
        if pagina in bases:
            continue
        if m.get("estado_http") != 200:
            fallas.append(f"{pagina}: respondió HTTP {m.get('estado_http')}")
        antes = decima.get(pagina, {}).get("consultas")
        if antes is None:
            fallas.append(f"{pagina}: no se midió con la décima parte de la historia")
        elif m["consultas"] != antes:
            fallas.append(
                f"{pagina}: sus consultas crecen con los datos ({antes} → {m['consultas']})"
            )
        if m["suelo_ms"] > suelo_de(pagina):
            fallas.append(
                f"{pagina}: su suelo SQL, {m['suelo_ms']:.1f} ms, pasa de {suelo_de(pagina):g} ms"
            )
    return fallas


def veredicto_techo(intercaladas: dict) -> list[str]:
    """What the interleaved ceiling multiples break, one line each (empty: they pass).

    intercaladas: intercaladas.razones_intercaladas's figures per page (viewflow's own pages are not
    in it: they are the baselines)."""
    multiplos = {
        pagina: m["techo_multiplo"]["mediana"]
        for pagina, m in intercaladas.items()
        if m.get("techo_multiplo")
    }
    if not multiplos:
        return []
    fallas = []
    mediana = statistics.median(multiplos.values())
    if mediana > TECHO_MEDIANA:
        fallas.append(
            f"la página mediana tarda {mediana:.2f}× el techo: pasa de {TECHO_MEDIANA:g}×"
        )
    fallas += [
        f"{pagina}: tarda {multiplo:.2f}× el techo, pasa de {TECHO_MAX:g}×"
        for pagina, multiplo in multiplos.items()
        if multiplo > TECHO_MAX
    ]
    return fallas


def veredicto_middleware(mezcla: dict[str, float]) -> list[str]:
    """What the middleware of the mixed load breaks, one line each (empty: it passes).

    mezcla: ms per request by part of the request (bench/perfilar.py's parts), weighted as the
    mixed load asks for each page."""
    fallas = []
    observacion = mezcla.get(OBSERVACION, 0.0)
    if observacion > OBSERVACION_MS:
        fallas.append(
            f"ObservacionMiddleware (la línea del registro y las métricas) cuesta "
            f"{observacion:.2f} ms por petición en la carga mixta: pasa de {OBSERVACION_MS:g} ms"
        )
    pila = sum(ms for parte, ms in mezcla.items() if parte.startswith("Middleware: "))
    if pila > MIDDLEWARE_MS:
        fallas.append(
            f"todo el middleware cuesta {pila:.2f} ms por petición en la carga mixta: pasa de "
            f"{MIDDLEWARE_MS:g} ms"
        )
    return fallas
