"""make bench's report: each figure against its budget, and the Markdown tables
(bench/RESULTADOS.md, bench/results/<date>.md) with the profile of where the time goes."""

import statistics

from bench.mezcla import escalado, por_parte
from bench.presupuestos import BASES_CON_PRESUPUESTO as _BASES_CON_PRESUPUESTO
from bench.presupuestos import CSV_MB as PRESUPUESTO_CSV_MB
from bench.presupuestos import CSV_S as PRESUPUESTO_CSV_S
from bench.presupuestos import EMISION_MS as PRESUPUESTO_EMISION_MS
from bench.presupuestos import EMISION_RAZON as PRESUPUESTO_EMISION
from bench.presupuestos import INDICADORES_MS as PRESUPUESTO_INDICADORES_MS
from bench.presupuestos import (
    META_RPS,
    OBSERVACION,
    RONDAS_RAZON,
    suelo_de,
    veredicto_middleware,
    veredicto_techo,
)
from bench.presupuestos import MIDDLEWARE_MS as PRESUPUESTO_MIDDLEWARE_MS
from bench.presupuestos import OBSERVACION_MS as PRESUPUESTO_OBSERVACION_MS
from bench.presupuestos import P95_MS as PRESUPUESTO_MS
from bench.presupuestos import RAFAGA_MS as PRESUPUESTO_RAFAGA_MS
from bench.presupuestos import RAZON_VIEWFLOW as PRESUPUESTO_RAZON_VIEWFLOW
from bench.presupuestos import RPS as PRESUPUESTO_RPS
from bench.presupuestos import TECHO_MAX as PRESUPUESTO_TECHO_MAX
from bench.presupuestos import TECHO_MEDIANA as PRESUPUESTO_TECHO_MEDIANA

# --- Budgets ---------------------------------------------------------------------------------


def presupuestos(r: dict) -> list[dict]:
    filas = []
    bases = {p["base_de"]: p["nombre"] for p in r["paginas_declaradas"] if p["base_de"]}
    for p in r["paginas_declaradas"]:
        if p["tipo"] == "csv" or p["base_de"]:
            continue
        m = r["paginas"][p["nombre"]]
        limite = PRESUPUESTO_INDICADORES_MS if p["nombre"] == "Indicadores" else PRESUPUESTO_MS
        suelo = m.get("suelo", {}).get("suelo_ms")
        # The first visit after a change (the rush) must meet the budget too; with the cache
        # empty (after a restart) it is reported.
        sin_cache = m.get("suelo", {}).get("primera_visita_ms")
        tope_suelo = suelo_de(p["nombre"])
        base = r["paginas"].get(bases.get(p["nombre"], ""), {})
        intercalada = r.get("intercaladas", {}).get(p["nombre"], {})
        filas.append(
            {
                "pagina": p["nombre"],
                "p95_ms": m["p95_ms"],
                "limite_ms": limite,
                "suelo_ms": suelo,
                "tope_suelo_ms": round(tope_suelo, 1) if tope_suelo is not None else None,
                "razon_suelo": round(m["p95_ms"] / suelo, 1) if suelo else None,
                "base_viewflow": bases.get(p["nombre"]),
                "base_viewflow_p95_ms": base.get("p95_ms"),
                # Interleaved request by request with viewflow's (bench/intercaladas.py):
                # the median of the rounds, with their range.
                "razon_viewflow": intercalada.get("razon_viewflow"),
                "techo": intercalada.get("techo_multiplo"),
                # In process, after a change, at a tenth of the history and at all of it.
                "consultas": m.get("suelo", {}).get("consultas"),
                "consultas_k10": m.get("consultas_k10"),
                "sin_cache_ms": sin_cache,
                "cumple_tiempo": m["p95_ms"] <= limite and (sin_cache or 0) <= limite,
                "cumple_suelo": suelo is not None and suelo <= tope_suelo,
                "cache_vacia_ms": m.get("suelo", {}).get("sin_cache_ms"),
                # Against viewflow's own inbox and queue; its process list is only a reference.
                "cumple_viewflow": bases.get(p["nombre"]) not in _BASES_CON_PRESUPUESTO
                or (
                    intercalada.get("razon_viewflow") is not None
                    and intercalada["razon_viewflow"]["mediana"] <= PRESUPUESTO_RAZON_VIEWFLOW
                ),
                "cumple_consultas": m.get("suelo", {}).get("consultas") == m.get("consultas_k10"),
            }
        )
    return filas


def _marca(cumple: bool) -> str:
    return "✅" if cumple else "❌"


def markdown(r: dict) -> str:
    f = r["filas"]
    lineas = [
        f"# make bench · {r['fecha']}",
        "",
        f"{r['anios']} años de historia a escala {r['escala']:g}: {f['solicitudes']:,} "
        f"solicitudes, {f['partidas']:,} partidas, {f['tareas']:,} tareas de viewflow, "
        f"{f['eventos']:,} eventos de auditoría y {f['dictamenes']:,} dictámenes, generados "
        f"en {r['generacion_s'] or 0:.0f} s"
        + ("" if r["rapido"] else " (una vez: make bench-escala la guarda en var/escala)")
        + f". Máquina: {r['maquina']['nucleos']} núcleos, Python "
        f"{r['maquina']['python']}, PostgreSQL {r['maquina']['postgresql']}; gunicorn con "
        f"{r['maquina']['nucleos']} trabajadores (gthread, 4 hilos).",
        "",
        "Tiempos del servidor (encabezado Server-Timing) sobre "
        "peticiones secuenciales con la sesión de cada rol. Suelo: suma de EXPLAIN ANALYZE "
        "(planeación + ejecución, la menor de 5) de cada SELECT de la página. Consultas: las de la "
        "primera visita tras un cambio, con la décima parte de la historia → con toda; deben "
        "ser las mismas. Razones intercaladas: la página y su referencia petición por "
        f"petición, {RONDAS_RAZON} rondas; la mediana de las rondas y, entre paréntesis, su "
        "rango. Techo: una vista que no hace nada, con el mismo middleware y servidor.",
        "",
        "Primera visita tras un cambio: la página en proceso (cliente de pruebas de Django) "
        "justo después de un evento escrito por la puerta de los cambios, como en el cierre de "
        "año; también debe cumplir. Caché vacía: la misma tras reiniciar, como referencia. "
        "Suelo: el de esa primera visita, contra su presupuesto (bench/presupuestos.py).",
        "",
        "| Página | p50 | p95 | p99 | Primera visita tras un cambio | Caché vacía | Presupuesto "
        "| Suelo SQL | Presupuesto del suelo "
        "| p95/suelo "
        f"| p95 / viewflow p95, intercaladas (≤ {PRESUPUESTO_RAZON_VIEWFLOW}) "
        "| p50 / techo | Consultas K/10 → K | Cumple |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for b in r["presupuestos"]:
        m = r["paginas"][b["pagina"]]
        razon = b["razon_viewflow"]
        base = (
            f"{razon['mediana']}× ({razon['min']}–{razon['max']})"
            + (
                f" {_marca(b['cumple_viewflow'])}"
                if b["base_viewflow"] in _BASES_CON_PRESUPUESTO
                else ""
            )
            if razon
            else "—"
        )
        techo = b["techo"]
        techo = f"{techo['mediana']}× ({techo['min']}–{techo['max']})" if techo else "—"
        cumple = (
            b["cumple_tiempo"]
            and b["cumple_suelo"]
            and b["cumple_viewflow"]
            and b["cumple_consultas"]
        )
        lineas.append(
            f"| {b['pagina']} | {m['p50_ms']} | {m['p95_ms']} | {m['p99_ms']} "
            f"| {b['sin_cache_ms']} | {b['cache_vacia_ms']} "
            f"| ≤ {b['limite_ms']} {_marca(b['cumple_tiempo'])} | {b['suelo_ms']} "
            f"| {b['tope_suelo_ms']} {_marca(b['cumple_suelo'])} | {b['razon_suelo']}× "
            f"| {base} | {techo} | {b['consultas_k10']} → {b['consultas']} "
            f"{_marca(b['cumple_consultas'])} | {_marca(cumple)} |"
        )
    lineas += ["", "Vistas propias de viewflow sobre los mismos datos (línea base):", ""]
    lineas += [
        "| Vista | p50 | p95 | p99 | Suelo SQL | Consultas |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for p in r["paginas_declaradas"]:
        if p["base_de"]:
            m = r["paginas"][p["nombre"]]
            suelo = m.get("suelo", {}).get("suelo_ms")
            lineas.append(
                f"| {p['nombre']} | {m['p50_ms']} | {m['p95_ms']} | {m['p99_ms']} | {suelo} "
                f"| {m['consultas']} |"
            )
    e = r["emision"]
    # Interleaved with bare pyHanko, dictamen by dictamen: the median of the rounds' ratios.
    razon = e["razon"]["mediana"] if e.get("razon") else None
    lineas += ["", "| Presupuesto | Medido | Cumple |", "|---|---|:---:|"]
    lineas += _filas_cada_peticion(r)
    if "csv" in r:
        c, carga, rafaga = r["csv"], r["carga"], r["rafaga"]
        csv_cumple = (
            c["segundos_max"] <= PRESUPUESTO_CSV_S and c["pico_memoria_mb"] < PRESUPUESTO_CSV_MB
        )
        peor = max(rafaga["por_pagina"].items(), key=lambda p: p[1]["p95_ms"])
        rafaga_cumple = rafaga["errores"] == 0 and all(
            p["p95_ms"] <= PRESUPUESTO_RAFAGA_MS for p in rafaga["por_pagina"].values()
        )
        lineas += [
            f"| CSV abierto completo ≤ {PRESUPUESTO_CSV_S} s y < {PRESUPUESTO_CSV_MB} MB de "
            f"pico | {c['segundos_p50']} s (máx. {c['segundos_max']} s), {c['megabytes']} MB, "
            f"pico del trabajador {c['pico_memoria_mb']} MB | {_marca(csv_cumple)} |",
            f"| Saturación ≥ {PRESUPUESTO_RPS} peticiones/s (meta {META_RPS}) con 0 errores "
            f"({carga['usuarios']} usuarios sin pausa, {carga['segundos']} s, locust) "
            f"| {carga['rps']} /s, {carga['errores']} errores de {carga['solicitudes']:,}; "
            f"p50 {carga['p50_ms']:.0f} ms, p95 {carga['p95_ms']:.0f} ms "
            f"| {_marca(carga['rps'] >= PRESUPUESTO_RPS and carga['errores'] == 0)} |",
            f"| Ráfaga de fin de año: p95 ≤ {PRESUPUESTO_RAFAGA_MS} ms en cada página con 0 "
            f"errores ({rafaga['usuarios']} usuarios, {rafaga['espera_s'][0]}–"
            f"{rafaga['espera_s'][1]} s antes de cada clic, el primero incluido, "
            f"{rafaga['segundos']} s) "
            f"| {rafaga['solicitudes']:,} peticiones, {rafaga['errores']} errores; p95 global "
            f"{rafaga['p95_ms']:.0f} ms, la página más lenta {peor[0]} p95 "
            f"{peor[1]['p95_ms']:.0f} ms | {_marca(rafaga_cumple)} |",
        ]
    lineas += [
        f"| Emisión B-LTA: mediana ≤ {PRESUPUESTO_EMISION_MS} ms y ≤ {PRESUPUESTO_EMISION}× "
        "pyHanko solo con la misma B-LTA "
        f"| {e['emitidos']} dictámenes en {e['total_s']} s"
        f"{_preparadas(e)}: mediana {e['mediana_ms']} ms, "
        f"p95 {e['p95_ms']} ms, pico {e['pico_mb']} MB (+{e['pico_sobre_base_mb']} MB); "
        f"pyHanko solo, intercalado, {e['pyhanko']['mediana_ms']} ms → {razon:.2f}× "
        f"({e['razon']['min']:.2f}–{e['razon']['max']:.2f} en {e['razon']['rondas']} rondas) "
        f"| {_marca(_emision_cumple(e, razon))} |",
        "",
    ]
    if "rafaga" in r:
        lineas += _tabla_rafaga(r)
    if any("perfil" in m for m in r["paginas"].values()):
        lineas += _tabla_perfil(r)
    return "\n".join(lineas)


def _filas_cada_peticion(r: dict) -> list[str]:
    """The ceiling multiple and the middleware's share, against their budgets."""
    filas = []
    multiplos = sorted(
        (m["techo_multiplo"]["mediana"], pagina)
        for pagina, m in r.get("intercaladas", {}).items()
        if m.get("techo_multiplo")
    )
    if multiplos:
        mediana = statistics.median(x for x, _ in multiplos)
        filas.append(
            f"| Cerca del techo: la página mediana ≤ {PRESUPUESTO_TECHO_MEDIANA}× el techo y "
            f"ninguna > {PRESUPUESTO_TECHO_MAX}× (p50 intercaladas, mediana de "
            f"{RONDAS_RAZON} rondas) | mediana {mediana:.2f}×; la más lejana "
            f"{multiplos[-1][1]} {multiplos[-1][0]:.2f}× "
            f"| {_marca(not veredicto_techo(r['intercaladas']))} |"
        )
    mezcla = mezcla_de(r)
    if mezcla:
        pila = sum(ms for parte, ms in mezcla.items() if parte.startswith("Middleware: "))
        filas.append(
            f"| Lo que paga cada petición en la carga mixta: ObservacionMiddleware ≤ "
            f"{PRESUPUESTO_OBSERVACION_MS} ms y todo el middleware ≤ {PRESUPUESTO_MIDDLEWARE_MS} "
            f"ms | {mezcla.get(OBSERVACION, 0.0):.2f} ms y {pila:.2f} ms "
            f"| {_marca(not veredicto_middleware(mezcla))} |"
        )
    return filas


def _preparadas(e: dict) -> str:
    """How many of them bench/emitir.py took to the signature through the doors first."""
    n = e.get("preparadas") or 0
    return f" ({n} llevadas a la firma por las puertas antes de medir)" if n else ""


def _emision_cumple(e: dict, razon: float | None) -> bool:
    return (
        e["emitidos"] > 0
        and razon is not None
        and razon <= PRESUPUESTO_EMISION
        and e["mediana_ms"] <= PRESUPUESTO_EMISION_MS
    )


def _tabla_rafaga(r: dict) -> list[str]:
    filas = sorted(r["rafaga"]["por_pagina"].items(), key=lambda p: -p[1]["p95_ms"])
    lineas = [
        "Ráfaga de fin de año, por página:",
        "",
        "| Página | Peticiones | Errores | p95 |",
        "|---|---:|---:|---:|",
    ]
    lineas += [
        f"| {nombre} | {p['n']} | {p['errores']} | {p['p95_ms']:.0f} "
        f"{_marca(p['p95_ms'] <= PRESUPUESTO_RAFAGA_MS)} |"
        for nombre, p in filas
    ]
    return [*lineas, ""]


# The parts of a request, in the order the profile table shows them.
_PARTES = (
    ("Middleware", lambda parte: parte.startswith("Middleware: ")),
    ("Sesión y usuario", lambda parte: parte == "Sesión y usuario"),
    ("Plantillas", lambda parte: parte == "Vista: plantillas"),
    ("Permisos", lambda parte: parte == "Vista: permisos"),
    ("Serialización", lambda parte: parte == "Vista: serialización"),
    ("SQL (ORM y controlador)", lambda parte: parte.startswith("Vista: SQL")),
    ("Python de la vista", lambda parte: parte == "Vista: su Python"),
    ("Django", lambda parte: parte.startswith("Django")),
)


def _escalado(m: dict) -> dict[str, float]:
    return escalado(m["p50_ms"], m["perfil"])


def mezcla_de(r: dict) -> dict[str, float]:
    """What one request of the mixed load pays, ms by part: weighted by how many times locust
    asked for each page (empty without a load or a profile)."""
    pesos = {n: p["n"] for n, p in r.get("carga", {}).get("por_pagina", {}).items()}
    return por_parte(r["paginas"], pesos)


def _tabla_perfil(r: dict) -> list[str]:
    lineas = [
        "## Dónde se va el tiempo (pyinstrument, bench/perfilar.py)",
        "",
        "Cada página, 50 veces en proceso bajo el perfilador por muestreo; el reparto de sus "
        "muestras se aplica a su p50 medido sin perfilador (ms). Middleware: lo de cada "
        "middleware, incluidas las consultas que hace (no las de la vista que su contador de "
        "consultas envuelve); Sesión y usuario: leerlos de la base, "
        "donde sea que se toquen primero; SQL: el ORM y el controlador dentro de la vista "
        "(también las consultas que dispara una plantilla).",
        "",
        "| Página | p50 | " + " | ".join(n for n, _ in _PARTES) + " |",
        "|---|---:|" + "---:|" * len(_PARTES),
    ]
    for nombre, m in r["paginas"].items():
        if "perfil" not in m:
            continue
        partes = _escalado(m)
        sumas = {n: sum(ms for parte, ms in partes.items() if es(parte)) for n, es in _PARTES}
        lineas.append(
            f"| {nombre} | {m['p50_ms']} | "
            + " | ".join(f"{sumas[n]:.1f}" for n, _ in _PARTES)
            + " |"
        )
    mezcla = mezcla_de(r)
    if mezcla:
        sumas = {n: sum(ms for parte, ms in mezcla.items() if es(parte)) for n, es in _PARTES}
        lineas.append(
            "| **Carga mixta** (ponderada por lo que pidió locust) | "
            f"{sum(mezcla.values()):.1f} | "
            + " | ".join(f"{sumas[n]:.1f}" for n, _ in _PARTES)
            + " |"
        )
        lineas += [
            "",
            "Cada middleware en la carga mixta (ms por petición, ponderado):",
            "",
            "| Middleware | ms |",
            "|---|---:|",
        ]
        lineas += [
            f"| {parte.removeprefix('Middleware: ')} | {ms:.2f} |"
            for parte, ms in sorted(mezcla.items(), key=lambda p: -p[1])
            if parte.startswith("Middleware: ")
        ]
    return [*lineas, ""]
