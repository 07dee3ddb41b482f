"""make bench-senales: the signs measured in a world someone else made (issue 80, item 6).

A throw-away PostgreSQL with the demo and ten years of history at scale K (1 unless told),
generated with known red flags planted at known rates (manage.py generar_historico --senales,
demo/historico/plantas.py, which imports nothing of the signs' rules) and the truth kept in
var/senales-plantadas.json; then the system computes every request's signs
(manage.py senales_calcular --todas), and this script compares, from the truth file and the Senal
table alone (no helper of the system judges): per sign, the cases in the truth, those found
and the recall; the clean requests (nothing in the truth) carrying any sign; per sign, the
requests it marks that the truth does not give it. Goal: recall ≥ 90 % per sign, at most
10 % of the clean requests marked.

Prints the table and writes bench/results/senales-<date>.md and .json (another run of the
same day: senales-<date>-2…). Exits 1 when a goal is missed, 2 when it cannot run."""

import argparse
import collections
import contextlib
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

from bench.servir import avisar, entorno, manage  # noqa: E402
from tests.backends.servers import PostgresServer, find_pg_bindir  # noqa: E402

RECALL_MIN = 90.0
LIMPIAS_MAX = 10.0
# The catalogue's order (dictamenes.models.senales.CodigoSenal), written out: the bench reads
# no code of the system.
CODIGOS = (
    "fraccionamiento",
    "precio_alto",
    "pocas_cotizaciones",
    "cobertura",
    "proveedor_del_ente",
    "contrato_excede",
    "contrato_sin_cotizacion",
    "aprobada_sin_motivo",
    "proveedor_dominante",
    "cierre_de_ejercicio",
    "vigencia_vencida",
    "condiciones_vencidas",
    "entrega_faltante",
    "pago_excede",
    "entrega_distinta",
)


def _pct(n: int, de: int) -> float | None:
    return round(100 * n / de, 1) if de else None


def juzgar(verdad: dict, senales: list[tuple[int, str, int]]) -> dict:
    """The comparison. `verdad`: the truth file; `senales`: (request id, code, fiscal year)
    of every sign in force. Only the history's requests count (the demo's own are not in the
    truth)."""
    universo = set(verdad["solicitudes"])
    esperadas: dict[int, set[str]] = {sid: set() for sid in universo}
    origen: dict[tuple[int, str], str] = {}
    for clave in ("plantadas", "del_mundo"):
        for sid, codigos in verdad[clave].items():
            for codigo in codigos:
                esperadas[int(sid)].add(codigo)
                origen[(int(sid), codigo)] = clave
    halladas: dict[int, set[str]] = {}
    ejercicio: dict[int, int] = {}
    for sid, codigo, anio in senales:
        if sid in universo:
            halladas.setdefault(sid, set()).add(codigo)
            ejercicio[sid] = anio
    limpias = [sid for sid, e in esperadas.items() if not e]
    marcadas = [sid for sid in limpias if halladas.get(sid)]
    por_senal = {}
    for codigo in CODIGOS:
        casos = [sid for sid, e in esperadas.items() if codigo in e]
        encontrados = [sid for sid in casos if codigo in halladas.get(sid, ())]
        de_mas = [
            sid for sid, h in halladas.items() if codigo in h and codigo not in esperadas[sid]
        ]
        por_senal[codigo] = {
            "casos": len(casos),
            "plantados": sum(1 for sid in casos if origen[(sid, codigo)] == "plantadas"),
            "del_mundo": sum(1 for sid in casos if origen[(sid, codigo)] == "del_mundo"),
            "hallados": len(encontrados),
            "recall_pct": _pct(len(encontrados), len(casos)),
            "de_mas": len(de_mas),
            "de_mas_en_limpias": sum(1 for sid in de_mas if not esperadas[sid]),
            "ejemplos_no_hallados": sorted(set(casos) - set(encontrados))[:5],
            "ejemplos_de_mas": sorted(de_mas)[:5],
            "de_mas_por_ejercicio": {
                str(a): n
                for a, n in sorted(collections.Counter(ejercicio[sid] for sid in de_mas).items())
            },
        }
    return {
        "solicitudes": len(universo),
        "limpias": len(limpias),
        "limpias_marcadas": len(marcadas),
        "limpias_marcadas_pct": _pct(len(marcadas), len(limpias)),
        "senales": por_senal,
    }


def fallas(juicio: dict) -> list[str]:
    fallas = [
        f"{codigo}: recall {s['recall_pct']} % < {RECALL_MIN:g} %"
        for codigo, s in juicio["senales"].items()
        if s["casos"] and s["recall_pct"] < RECALL_MIN
    ]
    fallas += [
        f"{codigo}: ningún caso en la historia"
        for codigo, s in juicio["senales"].items()
        if not s["casos"]
    ]
    if (juicio["limpias_marcadas_pct"] or 0) > LIMPIAS_MAX:
        fallas.append(
            f"{juicio['limpias_marcadas_pct']} % de las solicitudes limpias con alguna señal "
            f"(máximo {LIMPIAS_MAX:g} %)"
        )
    return fallas


def _cifra(valor) -> str:
    return "—" if valor is None else f"{valor:g}"


def markdown(r: dict) -> str:
    j = r["juicio"]
    lineas = [
        f"# Señales en una historia con casos plantados — {r['fecha'][:10]}",
        "",
        f"Historia de {r['anios']} años a escala {r['escala']:g} (semilla {r['semilla']}), "
        f"generada en {r['generacion_s']:g} s; señales recalculadas en {r['recalculo_s']:g} s. "
        f"{j['solicitudes']:,} solicitudes de la historia, {j['limpias']:,} limpias (nada "
        "plantado ni hecho por el mundo).",
        "",
        "| Señal | Casos | plantados | del mundo | Hallados | Recall | Marcadas de más "
        "| de ellas, limpias |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for codigo, s in j["senales"].items():
        marca = "" if not s["casos"] or s["recall_pct"] >= RECALL_MIN else " ✗"
        lineas.append(
            f"| `{codigo}` | {s['casos']} | {s['plantados']} | {s['del_mundo']} | "
            f"{s['hallados']} | {_cifra(s['recall_pct'])} %{marca} | {s['de_mas']} | "
            f"{s['de_mas_en_limpias']} |"
        )
    marca = "" if (j["limpias_marcadas_pct"] or 0) <= LIMPIAS_MAX else " ✗"
    lineas += [
        "",
        f"Solicitudes limpias con alguna señal: {j['limpias_marcadas']:,} de {j['limpias']:,} "
        f"({_cifra(j['limpias_marcadas_pct'])} %{marca}; objetivo ≤ {LIMPIAS_MAX:g} %). "
        f"Objetivo de recall por señal: ≥ {RECALL_MIN:g} %.",
        "",
    ]
    if r["fallas"]:
        lineas += ["No se cumple:", "", *(f"- {f}" for f in r["fallas"]), ""]
    return "\n".join(lineas)


def _senales(url: str) -> list[tuple[int, str, int]]:
    import psycopg

    with psycopg.connect(url) as conexion:
        return list(
            conexion.execute(
                "SELECT solicitud_id, codigo, ejercicio FROM dictamenes_senal WHERE vigente"
            )
        )


def _guardar(resultado: dict, salida: Path) -> Path:
    salida.mkdir(parents=True, exist_ok=True)
    nombre = f"senales-{datetime.date.today().isoformat()}"
    base, vuelta = nombre, 1
    while (salida / f"{nombre}.md").exists():  # keep earlier runs of the same day
        vuelta += 1
        nombre = f"{base}-{vuelta}"
    (salida / f"{nombre}.json").write_text(
        json.dumps(resultado, ensure_ascii=False, indent=2) + "\n"
    )
    (salida / f"{nombre}.md").write_text(markdown(resultado))
    return salida / f"{nombre}.md"


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--escala", type=float, default=float(os.environ.get("K", 1)))
    args.add_argument("--anios", type=int, default=10)
    args.add_argument("--semilla", type=int, default=2026)
    args.add_argument("--salida", type=Path, default=RAIZ / "bench" / "results")
    args.add_argument("--sin-guardar", action="store_true", help="solo imprime la tabla")
    opciones = args.parse_args()
    bindir = find_pg_bindir()
    if bindir is None:
        print("No se encontró PostgreSQL (initdb); instálelo para medir.", file=sys.stderr)
        return 2
    carpeta = Path(tempfile.mkdtemp(prefix="dictamenes-senales-"))
    resultado = {
        "fecha": datetime.datetime.now().isoformat(timespec="seconds"),
        "escala": opciones.escala,
        "anios": opciones.anios,
        "semilla": opciones.semilla,
    }
    with contextlib.ExitStack() as pila:
        pila.callback(shutil.rmtree, carpeta, ignore_errors=True)
        pg = PostgresServer(bindir, opciones=("shared_buffers=256MB", "work_mem=16MB"))
        url = pg.start()
        pila.callback(pg.stop)
        env = entorno(url, carpeta)
        avisar("Migrando y cargando la demostración")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "cargar_demo")
        avisar(
            f"Generando {opciones.anios} años a escala {opciones.escala:g}, con señales plantadas"
        )
        inicio = time.perf_counter()
        manage(
            env,
            "generar_historico",
            *("--anios", str(opciones.anios), "--escala", str(opciones.escala)),
            *("--semilla", str(opciones.semilla), "--senales"),
        )
        resultado["generacion_s"] = round(time.perf_counter() - inicio, 1)
        avisar("Calculando las señales de cada solicitud (manage.py senales_calcular --todas)")
        inicio = time.perf_counter()
        try:
            manage(env, "senales_calcular", "--todas")
        except subprocess.CalledProcessError:
            print("manage.py senales_calcular --todas falló.", file=sys.stderr)
            return 2
        resultado["recalculo_s"] = round(time.perf_counter() - inicio, 1)
        verdad = json.loads((carpeta / "var" / "senales-plantadas.json").read_text("utf-8"))
        resultado["umbrales"] = verdad["umbrales"]
        resultado["juicio"] = juzgar(verdad, _senales(url))
    resultado["fallas"] = fallas(resultado["juicio"])
    print(markdown(resultado))
    if not opciones.sin_guardar:
        avisar(f"Escrito en {_guardar(resultado, opciones.salida).relative_to(RAIZ)}")
    for falla in resultado["fallas"]:
        avisar(f"No se cumple: {falla}")
    return 1 if resultado["fallas"] else 0


if __name__ == "__main__":
    sys.exit(main())
