"""make bench-escala: the scale check, in minutes, before resolving anything that touches a
list, the flow or a page.

Ten years of history at scale K (10: about 80,000 requests) are generated once and kept in a
PostgreSQL cluster of their own under var/escala/, as two template databases: a tenth of the
history and all of it. They are generated again only when what makes them changes (the
migrations, the demo and the generator, the locked dependencies, K or PostgreSQL's version):
bench/escala.py's fingerprint. Each run copies both templates (CREATE DATABASE … TEMPLATE,
a file copy), and then, for every page of the bench (bench/paginas.py):
- counts its queries at a tenth of the history and at all of it (bench/suelos.py);
- measures its SQL floor at all of it (EXPLAIN ANALYZE of the first visit after a change);
- serves all of it with gunicorn and takes each page's p50/p95 (Server-Timing), and its p50
  against the ceiling's, interleaved (bench/intercaladas.py);
- profiles the pages of the mixed load (bench/perfilar.py) for what the middleware costs a
  request of it, weighted as bench/locustfile.py declares (bench/mezcla.py).
It prints one table and exits 1 when a page's queries grow with the data, its floor passes
its budget, or the ceiling multiples or the middleware's share pass theirs
(bench/presupuestos.py); 2 when it cannot run.
"""

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

from bench.intercaladas import razones_intercaladas  # noqa: E402
from bench.mezcla import pesos_declarados, por_parte  # noqa: E402
from bench.presupuestos import (  # noqa: E402
    OBSERVACION,
    RONDAS_RAZON,
    TECHO_MAX,
    suelo_de,
    veredicto,
    veredicto_middleware,
    veredicto_techo,
)
from bench.servir import (  # noqa: E402
    Gunicorn,
    avisar,
    entorno,
    json_de,
    manage,
    medir_paginas,
    paginas_de,
)
from tests.backends.servers import PostgresServer, find_pg_bindir, free_port  # noqa: E402

CARPETA = RAIZ / "var" / "escala"
DECIMA, TODA = "historia_decima", "historia_toda"
REPETICIONES = 20
# What the kept history is made of: when any of it changes, it is generated again.
FUENTES = (
    "*/migrations/*.py",
    "demo/**/*.py",
    "requirements.lock",
)


def huella(escala: float, anios: int, bindir: Path) -> str:
    suma = hashlib.sha256(f"{escala:g}|{anios}".encode())
    version = subprocess.run(
        [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    suma.update(version.encode())
    for patron in FUENTES:
        for archivo in sorted(RAIZ.glob(patron)):
            if ".venv" in archivo.parts or "__pycache__" in archivo.parts:
                continue
            suma.update(str(archivo.relative_to(RAIZ)).encode())
            suma.update(archivo.read_bytes())
    return suma.hexdigest()


class Cluster(PostgresServer):
    """A PostgreSQL cluster kept under var/escala/data between runs (PostgresServer makes a
    throw-away one)."""

    def start(self, *, nuevo: bool) -> str:
        prefijo = self._as_owner()
        self.tmpdir = CARPETA
        self.port = free_port()
        if nuevo:
            subprocess.run(
                [
                    *prefijo,
                    str(self.bindir / "initdb"),
                    *("-D", str(self.datadir), "-A", "trust", "-U", "postgres", "-E", "UTF8"),
                    "--locale=C.UTF-8",
                ],
                check=True,
                capture_output=True,
            )
        opciones = f"-h 127.0.0.1 -p {self.port} -k {CARPETA}" + "".join(
            f" -c {o}" for o in self.opciones
        )
        subprocess.run(
            [
                *prefijo,
                str(self.bindir / "pg_ctl"),
                *("-D", str(self.datadir), "-o", opciones, "-l", str(CARPETA / "server.log")),
                *("-w", "-t", "120", "start"),
            ],
            check=True,
            capture_output=True,
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        if (self.datadir / "postmaster.pid").exists():
            subprocess.run(
                [
                    *self._as_owner(),
                    str(self.bindir / "pg_ctl"),
                    *("-D", str(self.datadir), "-m", "fast", "-w", "stop"),
                ],
                check=False,
                capture_output=True,
            )


def _sql(url: str, *sentencias: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conexion:
        for sentencia in sentencias:
            conexion.execute(sentencia)


def _con_base(url: str, base: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + base


def confianza() -> str:
    """The address of the test CA's TSA and CRL that the kept demo e.firma names (chosen
    when the history is generated, kept beside it)."""
    archivo = CARPETA / "confianza.txt"
    if not archivo.exists():
        archivo.write_text(f"127.0.0.1:{free_port()}\n")
    return archivo.read_text().strip()


def generar(cluster_url: str, escala: float, anios: int) -> None:
    """The two templates: the demo and a tenth of the history; then all of it."""
    inicio = time.perf_counter()
    _sql(cluster_url, f"CREATE DATABASE {DECIMA}")
    env = entorno(_con_base(cluster_url, DECIMA), CARPETA, confianza())
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "cargar_demo")
    for base, parte in ((DECIMA, escala / 10), (TODA, escala * 0.9)):
        if base == TODA:
            _sql(cluster_url, f"CREATE DATABASE {TODA} TEMPLATE {DECIMA} STRATEGY FILE_COPY")
        avisar(f"Generando {anios} años de historia a escala {parte:g} en {base}")
        env = entorno(_con_base(cluster_url, base), CARPETA, confianza())
        manage(env, "generar_historico", "--anios", str(anios), "--escala", str(parte), "-v0")
        _sql(_con_base(cluster_url, base), "VACUUM ANALYZE")
    avisar(f"Historia generada en {time.perf_counter() - inicio:.0f} s")


def tabla(
    decima: dict, toda: dict, servidas: dict, bases: set[str], intercaladas: dict | None = None
) -> str:
    lineas = [
        "| Página | Suelo SQL (ms) | Presupuesto | Principal (ms) | Consultas K/10 → K "
        f"| Primera visita tras un cambio (ms) | p50 | p95 | p50 / techo (≤ {TECHO_MAX:g}) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for pagina, m in toda.items():
        s = servidas.get(pagina, {})
        presupuesto = "—" if pagina in bases else f"{suelo_de(pagina):g}"
        techo = (intercaladas or {}).get(pagina, {}).get("techo_multiplo")
        techo = f"{techo['mediana']}× ({techo['min']}–{techo['max']})" if techo else "—"
        lineas.append(
            f"| {pagina} | {m['suelo_ms']:.2f} | {presupuesto} | {m['principal_ms']:.2f} "
            f"| {decima.get(pagina, {}).get('consultas')} → {m['consultas']} "
            f"| {m['primera_visita_ms']:.0f} | {s.get('p50_ms', '—')} | {s.get('p95_ms', '—')} "
            f"| {techo} |"
        )
    return "\n".join(lineas)


def _segundos_de(marca: Path) -> float | None:
    """How long the kept history took to generate, as its mark says."""
    partes = marca.read_text().split()
    return float(partes[1]) if len(partes) > 1 else None


@contextlib.contextmanager
def historia(escala: float, anios: int):
    """The kept history, generated first when it is missing or stale, as two throw-away copies:
    yields {"decima": url, "toda": url, "generacion_s": seconds it took to generate}."""
    bindir = find_pg_bindir()
    if bindir is None:
        raise RuntimeError("No se encontró PostgreSQL (initdb); instálelo para medir.")
    esperada = huella(escala, anios, bindir)
    marca = CARPETA / "huella.txt"
    nuevo = not marca.exists() or marca.read_text().split()[0] != esperada
    if nuevo:
        avisar("La historia guardada no corresponde (o no existe): se genera de nuevo")
        shutil.rmtree(CARPETA, ignore_errors=True)
        CARPETA.mkdir(parents=True)
    cluster = Cluster(
        bindir, opciones=("shared_buffers=512MB", "work_mem=16MB", "effective_cache_size=4GB")
    )
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres", str(CARPETA)], check=True)
    url = cluster.start(nuevo=nuevo)
    copias = {DECIMA: "medida_decima", TODA: "medida_toda"}
    try:
        if nuevo:
            inicio = time.perf_counter()
            generar(url, escala, anios)
            marca.write_text(f"{esperada} {time.perf_counter() - inicio:.0f}\n")
        for plantilla, copia in copias.items():
            _sql(
                url,
                f"DROP DATABASE IF EXISTS {copia} WITH (FORCE)",
                f"CREATE DATABASE {copia} TEMPLATE {plantilla} STRATEGY FILE_COPY",
            )
        yield {
            "decima": _con_base(url, copias[DECIMA]),
            "toda": _con_base(url, copias[TODA]),
            "generacion_s": _segundos_de(marca),
            "confianza": confianza(),
        }
    finally:
        for copia in copias.values():
            _sql(url, f"DROP DATABASE IF EXISTS {copia} WITH (FORCE)")
        cluster.stop()


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--escala", type=float, default=float(os.environ.get("K", 10)))
    args.add_argument("--anios", type=int, default=10)
    args.add_argument("--repeticiones", type=int, default=REPETICIONES)
    args.add_argument("--json", type=Path, help="además, las cifras en este archivo")
    opciones = args.parse_args()
    if find_pg_bindir() is None:
        print("No se encontró PostgreSQL (initdb); instálelo para medir.", file=sys.stderr)
        return 2
    inicio = time.perf_counter()
    with historia(opciones.escala, opciones.anios) as bases_de_datos:
        decima, toda, servidas, bases, omitidas, intercaladas, mezcla = medir(
            bases_de_datos, opciones.repeticiones
        )
    print(tabla(decima, toda, servidas, bases, intercaladas))
    pila = sum(ms for parte, ms in mezcla.items() if parte.startswith("Middleware: "))
    print(
        f"\nCarga mixta (pesos de bench/locustfile.py), por petición: ObservacionMiddleware "
        f"{mezcla.get(OBSERVACION, 0.0):.2f} ms, todo el middleware {pila:.2f} ms."
    )
    for pagina in omitidas:
        print(f"– Sin medir: {pagina['nombre']} ({pagina['omitida']}).")
    fallas = (
        veredicto(decima=decima, toda=toda, bases=bases)
        + veredicto_techo(intercaladas)
        + veredicto_middleware(mezcla)
    )
    if opciones.json:
        opciones.json.write_text(
            json.dumps(
                {
                    "decima": decima,
                    "toda": toda,
                    "servidas": servidas,
                    "intercaladas": intercaladas,
                    "mezcla_ms": mezcla,
                    "fallas": fallas,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    print(f"\nComprobación de escala en {time.perf_counter() - inicio:.0f} s.")
    for falla in fallas:
        print(f"✗ {falla}")
    print(
        "✓ Ninguna página crece en consultas ni pasa su suelo, su múltiplo del techo o lo que "
        "cuesta el middleware."
        if not fallas
        else ""
    )
    return 1 if fallas else 0


def medir(bases_de_datos: dict, repeticiones: int):
    env_decima = entorno(bases_de_datos["decima"], CARPETA, bases_de_datos["confianza"])
    env_toda = entorno(bases_de_datos["toda"], CARPETA, bases_de_datos["confianza"])
    # Resolved on the tenth, whose rows are all in the whole: the same requests, at both.
    paginas, omitidas = paginas_de(env_decima)
    bases = {p["nombre"] for p in paginas if p["base_de"]}
    avisar("Consultas con la décima parte de la historia")
    decima = json_de(env_decima, "bench/suelos.py", "--solo-consultas", entrada=json.dumps(paginas))
    avisar("Suelos y consultas con toda la historia")
    toda = json_de(env_toda, "bench/suelos.py", entrada=json.dumps(paginas))
    avisar(f"Cada página {repeticiones} veces servida por gunicorn")
    servidor = Gunicorn(env_toda, os.cpu_count() or 1)
    try:
        medidas = medir_paginas(servidor, paginas, repeticiones)
        servidas = medidas["paginas"]
        avisar("Cada página contra el techo, intercaladas")
        intercaladas = razones_intercaladas(
            servidor,
            paginas,
            medidas["sesiones"],
            rondas=RONDAS_RAZON,
            por_ronda=max(5, repeticiones // 2),
        )
    finally:
        servidor.detener()
    # The middleware's share: the pages of the mixed load, as bench/locustfile.py weighs them.
    pesos = pesos_declarados()
    avisar("Perfil de las páginas de la carga mixta (pyinstrument)")
    perfiles = json_de(
        env_toda,
        "bench/perfilar.py",
        entrada=json.dumps([p for p in paginas if p["nombre"] in pesos]),
    )
    mezcla = por_parte(
        {n: {"p50_ms": servidas[n]["p50_ms"], "perfil": perfil} for n, perfil in perfiles.items()},
        pesos,
    )
    return decima, toda, servidas, bases, omitidas, intercaladas, mezcla


if __name__ == "__main__":
    sys.exit(main())
