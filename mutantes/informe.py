"""The result of make mutantes in bench/results/, as the bench writes its own: per module, how
many mutants mutmut made, how many the tests killed and the score over the non-equivalent ones;
then every mutant that survived (or that no test reaches) with its diff and the judgement kept in
mutantes/juicios.toml: «equivalente» (why no test can tell it from the rule) or «muerto_por» (the
test added to kill it, when a later run found it killed). Run from the project's root after
`mutmut run` (the Makefile does it): it reads mutants/*.meta with mutmut's own readers."""

import argparse
import datetime
import json
import sys
import tomllib
from pathlib import Path

from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
from mutmut.utils.file_utils import walk_mutatable_files

RAIZ = Path(__file__).resolve().parent.parent
RESULTADOS = RAIZ / "bench" / "results"
META = 0.90  # issue 79, item 5: at least 90 % of the non-equivalent mutants killed per module
MATAN = {"killed", "timeout"}  # a mutant that hangs its tests is caught by them too


def _juicios() -> dict:
    ruta = RAIZ / "mutantes" / "juicios.toml"
    return tomllib.loads(ruta.read_text()) if ruta.exists() else {}


def _destino(fecha: str) -> Path:
    base = RESULTADOS / f"mutantes-{fecha}"
    n = 1
    while base.with_suffix(".md").exists():
        n += 1
        base = RESULTADOS / f"mutantes-{fecha}-{n}"
    return base


def medir(juicios: dict) -> list[dict]:
    modulos = []
    for ruta in sorted(walk_mutatable_files()):
        datos = SourceFileMutationData(path=ruta)
        datos.load()
        mutantes = []
        for nombre, codigo in sorted(datos.exit_code_by_key.items()):
            estado = status_by_exit_code[codigo]
            juicio = juicios.get(nombre, {})
            fila = {"mutante": nombre, "estado": estado}
            if estado not in MATAN or "muerto_por" in juicio:
                fila["diff"] = get_diff_for_mutant(nombre, path=ruta)
                fila.update(juicio)
            mutantes.append(fila)
        muertos = sum(1 for m in mutantes if m["estado"] in MATAN)
        equivalentes = sum(1 for m in mutantes if m["estado"] not in MATAN and "equivalente" in m)
        cuentan = len(mutantes) - equivalentes
        modulos.append(
            {
                "modulo": str(ruta),
                "mutantes": len(mutantes),
                "muertos": muertos,
                "equivalentes": equivalentes,
                "sin_explicar": cuentan - muertos,
                "puntaje": round(muertos / cuentan, 4) if cuentan else 1.0,
                "detalle": [m for m in mutantes if "diff" in m],
            }
        )
    return modulos


def markdown(modulos: list[dict], segundos: int | None, fecha: str, nota: str = "") -> str:
    lineas = [
        f"# Prueba por mutación ({fecha})",
        "",
        "`make mutantes`: mutmut 3 (mutantes/requirements.lock) sobre los módulos de reglas, "
        "con las pruebas que los alcanzan, en SQLite ([tool.mutmut] en pyproject.toml). "
        "Puntaje: mutantes muertos entre los no equivalentes; meta: 90 % en cada módulo "
        "(issue 79, punto 5).",
        "",
    ]
    if segundos is not None:
        lineas += [f"Duración de la corrida: {segundos // 60} min {segundos % 60} s.", ""]
    if nota:
        lineas += [nota, ""]
    lineas += [
        "| módulo | mutantes | muertos | equivalentes | sin explicar | puntaje | meta |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for m in modulos:
        ok = "sí" if m["puntaje"] >= META else "no"
        lineas.append(
            f"| `{m['modulo']}` | {m['mutantes']} | {m['muertos']} | {m['equivalentes']} | "
            f"{m['sin_explicar']} | {m['puntaje']:.1%} | {ok} |"
        )
    for m in modulos:
        if not m["detalle"]:
            continue
        lineas += ["", f"## `{m['modulo']}`", ""]
        for d in m["detalle"]:
            if d["estado"] in MATAN:
                juicio = f"muerto por la prueba nueva {d['muerto_por']}"
            elif "equivalente" in d:
                juicio = f"equivalente: {d['equivalente']}"
            elif "nota" in d:
                juicio = f"{d['estado']} en esta corrida, sin contar como muerto: {d['nota']}"
            elif "muerto_por" in d:
                juicio = f"{d['estado']} en esta corrida; la prueba nueva {d['muerto_por']} lo mata"
            else:
                juicio = f"{d['estado']}: sin explicar"
            lineas += [f"### `{d['mutante'].rpartition('.')[2]}` — {juicio}", "", "```diff"]
            lineas += [
                x for x in d["diff"].splitlines() if x[:1] in "+-" and x[:3] not in ("---", "+++")
            ]
            lineas += ["```", ""]
    return "\n".join(lineas).rstrip() + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--segundos", type=int, default=None, help="lo que tardó mutmut run")
    parser.add_argument("--fecha", default=datetime.date.today().isoformat())
    parser.add_argument(
        "--reescribir",
        type=Path,
        default=None,
        help="el informe (sin .md) que se reescribe tras volver a correr mutantes sueltos",
    )
    parser.add_argument("--nota", default="", help="qué mutantes se juzgaron aparte y por qué")
    args = parser.parse_args(argv)
    modulos = medir(_juicios())
    base = args.reescribir.resolve() if args.reescribir else _destino(args.fecha)
    base.with_suffix(".json").write_text(
        json.dumps(
            {"fecha": args.fecha, "segundos": args.segundos, "nota": args.nota, "modulos": modulos},
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    base.with_suffix(".md").write_text(markdown(modulos, args.segundos, args.fecha, args.nota))
    for m in modulos:
        print(
            f"{m['modulo']}: {m['muertos']}/{m['mutantes']} muertos, "
            f"{m['equivalentes']} equivalentes, puntaje {m['puntaje']:.1%}"
        )
    print(f"Escrito {base.with_suffix('.md').relative_to(RAIZ)}")
    return 0 if all(m["puntaje"] >= META for m in modulos) else 1


if __name__ == "__main__":
    sys.exit(main())
