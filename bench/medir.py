"""make bench: the system at years of history, measured against its budgets and baselines.

1. Starts PostgreSQL on loopback, migrates and loads the demo data.
2. Generates a tenth of the history (manage.py generar_historico --escala K/10), serves it
   with gunicorn (one worker per core) and reads every page's query count.
3. Generates the rest of the history and serves it again: each page is requested R times;
   the server reports its own time (Server-Timing) and its query count.
4. Baselines in the same run: viewflow's own inbox, queue and process list over the same
   data; the bare SQL of each page under EXPLAIN ANALYZE (bench/suelos.py); pyHanko signing
   the same PDF bare (bench/emitir.py).
5. Two mixed loads with locust: U users for S seconds with no think time (the ceiling), and
   the year-end burst (U users reading 5 to 15 s between clicks); the full open-data CSV with
   the worker's peak memory; N dictámenes issued through the firmante's service.
6. Where the time goes: each page profiled in-process with pyinstrument (bench/perfilar.py),
   split into middleware, session, templates, permissions, serialisation and SQL.
7. Writes bench/results/<date>.json and .md, and bench/RESULTADOS.md (the latest table).

--rapido (make bench-rapido): pages and issuance only, at K=1, printed and not written; the
quick check between issues.
"""

import argparse
import contextlib
import csv
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

from bench.informe import markdown, mezcla_de, presupuestos  # noqa: E402
from bench.intercaladas import razones_intercaladas  # noqa: E402
from bench.presupuestos import (  # noqa: E402
    RONDAS_RAZON,
    veredicto_middleware,
    veredicto_techo,
)
from bench.servir import (  # noqa: E402
    PY,
    Gunicorn,
    avisar,
    entorno,
    json_de,
    manage,
    medir_paginas,
    paginas_de,
)
from tests.backends.servers import PostgresServer, find_pg_bindir  # noqa: E402

# The year-end burst: people reading between clicks (its budget is in bench/informe.py).
RAFAGA_ESPERA_S = (5, 15)
RAFAGA_SEGUNDOS = 120


def _vmhwm_mb(pid: int) -> float:
    for linea in Path(f"/proc/{pid}/status").read_text().splitlines():
        if linea.startswith("VmHWM:"):
            return int(linea.split()[1]) / 1024
    return float("nan")


def medir_csv(servidor, pagina, veces: int = 3) -> dict:
    tiempos, bytes_, picos = [], 0, []
    for _ in range(veces):
        trabajadores = servidor.trabajadores()
        for pid in trabajadores:
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset the peak (VmHWM)
        inicio = time.perf_counter()
        with requests.get(servidor.url + pagina["url"], stream=True, timeout=60) as respuesta:
            respuesta.raise_for_status()
            bytes_ = sum(len(trozo) for trozo in respuesta.iter_content(64 * 1024))
        tiempos.append(time.perf_counter() - inicio)
        picos.append(max(_vmhwm_mb(pid) for pid in trabajadores))
    return {
        "segundos_p50": round(statistics.median(tiempos), 2),
        "segundos_max": round(max(tiempos), 2),
        "megabytes": round(bytes_ / 1e6, 1),
        "pico_memoria_mb": round(max(picos), 1),
    }


def carga_mixta(servidor, paginas, sesiones, usuarios, segundos, carpeta, espera=None) -> dict:
    datos = carpeta / "carga.json"
    datos.write_text(
        json.dumps(
            {
                "paginas": paginas,
                "sesiones": {u: s.cookies["sessionid"] for u, s in sesiones.items() if u},
            },
            ensure_ascii=False,
        )
    )
    prefijo = carpeta / ("rafaga" if espera else "locust")
    subprocess.run(
        [
            PY,
            "-m",
            "locust",
            "-f",
            str(RAIZ / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(usuarios),
            "--spawn-rate",
            str(usuarios),
            "--run-time",
            f"{segundos}s",
            "--host",
            servidor.url,
            "--csv",
            str(prefijo),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={
            **os.environ,
            "BENCH_PAGINAS": str(datos),
            **({"BENCH_ESPERA": f"{espera[0]},{espera[1]}"} if espera else {}),
        },
        check=False,  # locust exits 1 when any request failed; the figures say so
    )
    with open(f"{prefijo}_stats.csv", encoding="utf-8") as archivo:
        filas = list(csv.DictReader(archivo))
    total = next(f for f in filas if f["Name"] == "Aggregated")
    return {
        "usuarios": usuarios,
        "segundos": segundos,
        "espera_s": list(espera) if espera else None,
        "solicitudes": int(total["Request Count"]),
        "errores": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "por_pagina": {
            f["Name"]: {
                "n": int(f["Request Count"]),
                "errores": int(f["Failure Count"]),
                "p95_ms": float(f["95%"]),
            }
            for f in filas
            if f["Name"] != "Aggregated"
        },
    }


def _filas(env) -> dict:
    import psycopg

    tablas = {
        "solicitudes": "dictamenes_solicitud",
        "partidas": "dictamenes_partida",
        "tareas": "viewflow_task",
        "eventos": "dictamenes_eventoauditoria",
        "dictamenes": "dictamenes_dictamen",
    }
    with psycopg.connect(env["DATABASE_URL"]) as conexion:
        return {
            clave: conexion.execute(f"SELECT count(*) FROM {tabla}").fetchone()[0]  # noqa: S608
            for clave, tabla in tablas.items()
        }


def _vacuum(env) -> None:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conexion:
        conexion.execute("VACUUM ANALYZE")


def _historia_nueva(pila, bindir, carpeta, opciones):
    """make bench-rapido: a throw-away PostgreSQL with the demo and the history at K, its
    queries per page counted at a tenth of it. Returns (env, the pages, resolved at the tenth,
    their queries there, seconds)."""
    pg = PostgresServer(
        bindir,
        durable=True,
        opciones=("shared_buffers=512MB", "work_mem=16MB", "effective_cache_size=4GB"),
    )
    url = pg.start()
    pila.callback(pg.stop)
    env = entorno(url, carpeta)
    avisar("Migrando y cargando la demostración")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "cargar_demo")
    generacion = 0.0
    for escala, medir_consultas in ((opciones.escala / 10, True), (opciones.escala * 0.9, False)):
        avisar(f"Generando {opciones.anios} años de historia a escala {escala:g}")
        inicio = time.perf_counter()
        manage(env, "generar_historico", "--anios", str(opciones.anios), "--escala", str(escala))
        generacion += time.perf_counter() - inicio
        _vacuum(env)
        if medir_consultas:
            # Counted in process after a change (bench/suelos.py), as at all of it.
            paginas, _omitidas = paginas_de(env)
            pequena = json_de(
                env, "bench/suelos.py", "--solo-consultas", entrada=json.dumps(paginas)
            )
    return env, paginas, pequena, round(generacion, 1)


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--escala", type=float, default=float(os.environ.get("K", 10)))
    args.add_argument("--anios", type=int, default=10)
    args.add_argument("--repeticiones", type=int, default=40)
    args.add_argument("--usuarios", type=int, default=50)
    args.add_argument("--segundos", type=int, default=60)
    args.add_argument("--emisiones", type=int, default=100)
    args.add_argument("--salida", type=Path, default=RAIZ / "bench" / "results")
    args.add_argument(
        "--rapido",
        action="store_true",
        help="solo páginas y emisión; imprime la tabla sin escribir resultados",
    )
    opciones = args.parse_args()

    bindir = find_pg_bindir()
    if bindir is None:
        print("No se encontró PostgreSQL (initdb); instálelo para medir.", file=sys.stderr)
        return 2
    carpeta = Path(tempfile.mkdtemp(prefix="dictamenes-bench-"))
    nucleos = os.cpu_count() or 1
    resultado = {
        "fecha": datetime.datetime.now().isoformat(timespec="seconds"),
        "maquina": {"nucleos": nucleos, "python": sys.version.split()[0]},
        "escala": opciones.escala,
        "anios": opciones.anios,
        "rapido": opciones.rapido,
    }
    with contextlib.ExitStack() as pila:
        pila.callback(shutil.rmtree, carpeta, ignore_errors=True)
        if opciones.rapido:
            env, paginas, pequena, generacion = _historia_nueva(pila, bindir, carpeta, opciones)
        else:
            # The history kept by make bench-escala (generated first if missing or stale).
            from bench import escala as escala_guardada

            urls = pila.enter_context(escala_guardada.historia(opciones.escala, opciones.anios))
            env = entorno(urls["toda"], escala_guardada.CARPETA, urls["confianza"])
            env_decima = entorno(urls["decima"], escala_guardada.CARPETA, urls["confianza"])
            # Resolved on the tenth, whose rows are all in the whole: the same requests.
            paginas, _omitidas = paginas_de(env_decima)
            pequena = json_de(
                env_decima, "bench/suelos.py", "--solo-consultas", entrada=json.dumps(paginas)
            )
            generacion = urls["generacion_s"]
        resultado["maquina"]["postgresql"] = _version_pg(env["DATABASE_URL"])
        resultado["generacion_s"] = generacion
        resultado["filas"] = _filas(env)
        avisar(f"Filas: {resultado['filas']}")

        servidor = Gunicorn(env, nucleos)
        medidas = medir_paginas(servidor, paginas, opciones.repeticiones)
        resultado["paginas"] = medidas["paginas"]
        avisar("Razones intercaladas: cada página contra el techo y contra viewflow")
        resultado["intercaladas"] = razones_intercaladas(
            servidor,
            paginas,
            medidas["sesiones"],
            rondas=RONDAS_RAZON,
            por_ronda=max(5, opciones.repeticiones // 2),
        )
        if not opciones.rapido:
            pagina_csv = next(p for p in paginas if p["tipo"] == "csv")
            resultado["csv"] = medir_csv(servidor, pagina_csv)
            avisar(f"CSV: {resultado['csv']}")
            resultado["carga"] = carga_mixta(
                servidor,
                paginas,
                medidas["sesiones"],
                opciones.usuarios,
                opciones.segundos,
                carpeta,
            )
            carga = resultado["carga"]
            avisar(f"Saturación: {carga['rps']} /s, {carga['errores']} errores")
            resultado["rafaga"] = carga_mixta(
                servidor,
                paginas,
                medidas["sesiones"],
                opciones.usuarios,
                RAFAGA_SEGUNDOS,
                carpeta,
                espera=RAFAGA_ESPERA_S,
            )
            avisar(f"Ráfaga: p95 {resultado['rafaga']['p95_ms']} ms")
        servidor.detener()

        avisar("Suelos: EXPLAIN ANALYZE de las consultas de cada página")
        suelos = json_de(env, "bench/suelos.py", entrada=json.dumps(paginas))
        for nombre, suelo in suelos.items():
            resultado["paginas"][nombre]["suelo"] = suelo
            resultado["paginas"][nombre]["consultas_k10"] = pequena.get(nombre, {}).get("consultas")
        if not opciones.rapido:
            avisar("Perfil: dónde se va el tiempo de cada página (pyinstrument)")
            perfiles = json_de(env, "bench/perfilar.py", entrada=json.dumps(paginas))
            for nombre, perfil in perfiles.items():
                resultado["paginas"][nombre]["perfil"] = perfil
        avisar(f"Emitiendo {opciones.emisiones} dictámenes")
        resultado["emision"] = json_de(env, "bench/emitir.py", str(opciones.emisiones))
        resultado["paginas_declaradas"] = paginas

    resultado["presupuestos"] = presupuestos(resultado)
    # What every request pays above its view: the ceiling multiples (both runs) and the
    # middleware's share of the mixed load (the full run, which profiles and loads).
    resultado["fallas"] = veredicto_techo(resultado["intercaladas"]) + veredicto_middleware(
        mezcla_de(resultado)
    )
    if opciones.rapido:
        print(markdown(resultado))
        _avisar_fallas(resultado["fallas"])
        return 0
    opciones.salida.mkdir(parents=True, exist_ok=True)
    nombre = datetime.date.today().isoformat()
    vuelta = 1
    while (opciones.salida / f"{nombre}.json").exists():  # keep earlier runs of the same day
        vuelta += 1
        nombre = f"{datetime.date.today().isoformat()}-{vuelta}"
    (opciones.salida / f"{nombre}.json").write_text(
        json.dumps(resultado, ensure_ascii=False, indent=2) + "\n"
    )
    tabla = markdown(resultado)
    (opciones.salida / f"{nombre}.md").write_text(tabla)
    (RAIZ / "bench" / "RESULTADOS.md").write_text(
        f"{tabla}\nEsta corrida, con sus cifras completas: [results/{nombre}.md]"
        f"(results/{nombre}.md) y [results/{nombre}.json](results/{nombre}.json).\n"
    )
    print(tabla)
    _avisar_fallas(resultado["fallas"])
    return 1 if resultado["fallas"] else 0


def _avisar_fallas(fallas: list[str]) -> None:
    for falla in fallas:
        print(f"✗ {falla}")


def _version_pg(url) -> str:
    import psycopg

    with psycopg.connect(url) as conexion:
        return conexion.execute("SHOW server_version").fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())
