"""Each page against its reference, interleaved request by request on the same server, so
that both see the same noise of the machine: the ceiling for every page, viewflow's own inbox
and queue for ours (make bench, bench/medir.py, and make bench-escala, bench/escala.py)."""

import statistics
import time

from bench.servir import avisar, pedir, percentil, tiempos_servidor

TECHO = "/medicion/techo/"


def _dos_tiempos(sesion, url, pagina=None) -> tuple[float, float]:
    """(the server's time, the client's wall time) of one request, in ms."""
    inicio = time.perf_counter()
    respuesta = pedir(sesion, url, pagina or {})
    cliente = (time.perf_counter() - inicio) * 1000
    if respuesta.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {respuesta.status_code}")
    return tiempos_servidor(respuesta)[0], cliente


def _mediana_y_rango(valores: list[float]) -> dict:
    return {
        "mediana": round(statistics.median(valores), 2),
        "min": round(min(valores), 2),
        "max": round(max(valores), 2),
    }


def razones_intercaladas(servidor, paginas, sesiones, *, rondas: int, por_ronda: int) -> dict:
    """Each page against its reference, request by request, so both see the same noise: the
    ceiling (a view that does nothing, through the same middleware and server) for every page,
    and viewflow's own inbox and queue for ours. Per round: the page's p50 (client time) as a
    multiple of the ceiling's, and our p95 (server time) over viewflow's; reported as the
    median of the rounds and their range."""
    base_de = {p["base_de"]: p for p in paginas if p["base_de"]}
    resultado = {}
    for pagina in paginas:
        if pagina["tipo"] == "csv" or pagina["base_de"]:
            continue
        sesion = sesiones[pagina["usuario"]]
        base = base_de.get(pagina["nombre"])
        multiplos, razones = [], []
        for _ in range(rondas):
            propia, techo, referencia = [], [], []
            for _ in range(por_ronda):
                propia.append(_dos_tiempos(sesion, servidor.url + pagina["url"], pagina))
                techo.append(_dos_tiempos(sesion, servidor.url + TECHO))
                if base:
                    referencia.append(_dos_tiempos(sesion, servidor.url + base["url"]))
            multiplos.append(
                statistics.median(c for _, c in propia) / statistics.median(c for _, c in techo)
            )
            if base:
                razones.append(
                    percentil([s for s, _ in propia], 0.95)
                    / percentil([s for s, _ in referencia], 0.95)
                )
        resultado[pagina["nombre"]] = {
            "techo_multiplo": _mediana_y_rango(multiplos),
            **({"razon_viewflow": _mediana_y_rango(razones)} if base else {}),
        }
        avisar(f"{pagina['nombre']}: {resultado[pagina['nombre']]}")
    return resultado
