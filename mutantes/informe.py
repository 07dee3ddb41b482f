"""The result of make mutantes in bench/results/, as the bench writes its own.

make mutantes runs mutmut twice from scratch, with two children and with one, and after each
run `informe.py corrida` keeps what it found in mutantes/corridas/hijos-<n>.json: for every
mutant, mutmut's exit code and the test that failed for it, read from mutants/fallas/ (written
by mutantes/plugin.py in each mutant's child). A mutant is killed only with a failing test
(in its setup or its call); one mutmut counts killed or timed out without one (a crash, the
time limit, an error at collection, a failure only at teardown) is listed apart with its reason
and counts as not killed. `informe.py informe` then writes bench/results/mutantes-<date>.md and
.json: per module and per run, how many mutants, killed, apart, survived, equivalent and the
score over the non-equivalent ones; whether the two runs agree mutant by mutant; every killed
mutant with its killing test; every other with its diff and the judgement kept in
mutantes/juicios.toml: «equivalente» (why no test can tell it from the rule) or «muerto_por»
(the test added to kill it, when a later run finds it killed).

A run may take some modules only (`make mutantes MODULOS=...`): two from-scratch runs of the
whole list take longer than a working session on two cores. Each module's result carries its
fingerprint (`huella`: its source, the test files that reach it in mutmut's statistics, this
harness and the Hypothesis profiles). The report keeps, beside the modules measured now, those
of the previous report whose fingerprint still matches the tree; a module whose code or tests
changed since is listed as not measured, and none counts as meeting the goal without a result.
Not-run mutants count against the score: a module that a run did not reach does not pass."""

import argparse
import datetime
import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
RESULTADOS = RAIZ / "bench" / "results"
CORRIDAS = RAIZ / "mutantes" / "corridas"
FALLAS = RAIZ / "mutants" / "fallas"
ESTADISTICAS = RAIZ / "mutants" / "mutmut-stats.json"
# What a module's result depends on besides its source and the test files that reach it.
ARNES = ("mutantes/plugin.py", "tests/perfiles.py")
META = 0.90  # issue 79, item 5: at least 90 % of the non-equivalent mutants killed per module
# The phases of a test whose failure is the mutant's doing: its fixtures or its body.
FASES_QUE_MATAN = ("setup", "call")
# The start of the error a signature gets when the test CA's OCSP or CRL does not answer
# (dictamenes.emision.documentos.efirma.ERROR_ESTADO_NO_DISPONIBLE; a test keeps them equal).
# No module under mutation fetches that status: with the two cores busy, the CA's server may
# not answer in time, and a signing test then fails whatever the mutant (issue 92, item 3).
AC_SIN_RESPUESTA = "No se pudo consultar si su certificado sigue vigente"


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


def clasificar(estado: str, sesion: dict | None, codigo: int | None = None) -> tuple[str, str, str]:
    """(veredicto, killing test, reason) of one mutant from mutmut's status and what its child
    wrote. Veredicto: «muerto», «aparte» (mutmut would count it killed: no test failed for it),
    «sobrevive» or «sin pruebas» (no test reaches its function)."""
    fallas = [f for f in (sesion or {}).get("fallas", []) if f["fase"] in FASES_QUE_MATAN]
    if estado in ("killed", "timeout", "segfault", "suspicious") and fallas:
        if estado != "killed":
            return "aparte", "", f"{estado} tras fallar {fallas[0]['prueba']}"
        if AC_SIN_RESPUESTA in fallas[0]["error"]:
            return (
                "aparte",
                "",
                (
                    f"{estado} tras fallar {fallas[0]['prueba']} porque la autoridad "
                    "certificadora de prueba no respondió: no por el mutante"
                ),
            )
        return "muerto", fallas[0]["prueba"], ""
    if estado == "not checked":
        return "sin correr", "", "la corrida se detuvo antes de llegar a él"
    if estado == "survived":
        return "sobrevive", "", ""
    if estado == "no tests":
        return "sin pruebas", "", "ninguna prueba de la selección llama su función"
    if estado not in ("killed", "timeout", "segfault", "suspicious"):
        return "aparte", "", f"mutmut: {estado}"
    if sesion is None:
        return "aparte", "", f"{estado}: el hijo no dejó registro (murió antes de su sesión)"
    if sesion.get("errores_de_coleccion"):
        error = sesion["errores_de_coleccion"][0]
        return "aparte", "", f"{estado}: error al recolectar {error['nodo']}: {error['error']}"
    if sesion.get("fallas"):
        falla = sesion["fallas"][0]
        return "aparte", "", f"{estado}: solo falló al desmontar {falla['prueba']}"
    if sesion.get("error_al_iniciar"):
        return "aparte", "", f"{estado}: la sesión no pudo iniciar: {sesion['error_al_iniciar']}"
    if sesion.get("salida") is None and not sesion.get("pasaron") and codigo == 3:
        return (
            "aparte",
            "",
            (
                f"{estado}: pytest se detuvo con un error interno (salida 3) al iniciar su sesión, "
                "antes de correr una prueba"
            ),
        )
    if sesion.get("salida") is None:
        return (
            "aparte",
            "",
            (
                f"{estado}: la sesión no terminó ({sesion['pasaron']} pruebas pasaron antes); "
                "el límite de tiempo o una señal la cortó"
            ),
        )
    return "aparte", "", f"{estado}: ninguna prueba falló (salida de pytest {sesion['salida']})"


def prefijo(ruta: str) -> str:
    """mutmut's prefix for a module's mutants: dictamenes/models/contratos.py →
    dictamenes.models.contratos."""
    return ruta.removesuffix(".py").replace("/", ".") + "."


def pruebas_que_alcanzan(ruta: str, estadisticas: dict) -> list[str]:
    """The test files whose tests call a function of the module, from mutmut's statistics."""
    inicio = prefijo(ruta)
    return sorted(
        {
            prueba.split("::")[0]
            for funcion, pruebas in estadisticas["tests_by_mangled_function_name"].items()
            if funcion.startswith(inicio)
            for prueba in pruebas
        }
    )


def huella(ruta: str, pruebas: list[str], raiz: Path | None = None) -> str:
    """SHA-256 of what a module's result depends on: its source, the test files that reach it
    and the harness, each with its path. A file that is missing counts as such."""
    h = hashlib.sha256()
    for nombre in (ruta, *sorted(pruebas), *ARNES):
        archivo = (raiz or RAIZ) / nombre
        h.update(nombre.encode() + b"\0")
        h.update(archivo.read_bytes() if archivo.exists() else b"\0falta\0")
        h.update(b"\0")
    return h.hexdigest()


def corrida(hijos: int, segundos: int | None, destino: Path, solo: list[str] | None = None) -> dict:
    """Read mutants/ (mutmut's meta files and the children's records) into one run's data:
    every module, or those in `solo` (the run's MODULOS), each with its fingerprint."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    estadisticas = json.loads(ESTADISTICAS.read_text())
    modulos, huellas = {}, {}
    for ruta in sorted(walk_mutatable_files()):
        if solo and str(ruta) not in solo:
            continue
        pruebas = pruebas_que_alcanzan(str(ruta), estadisticas)
        huellas[str(ruta)] = {"huella": huella(str(ruta), pruebas), "pruebas": pruebas}
        datos = SourceFileMutationData(path=ruta)
        datos.load()
        mutantes = {}
        for nombre, codigo in sorted(datos.exit_code_by_key.items()):
            archivo = FALLAS / f"{nombre}.json"
            sesion = json.loads(archivo.read_text()) if archivo.exists() else None
            veredicto, prueba, motivo = clasificar(status_by_exit_code[codigo], sesion, codigo)
            mutantes[nombre] = {
                "codigo": codigo,
                "veredicto": veredicto,
                "prueba": prueba,
                "motivo": motivo,
            }
        modulos[str(ruta)] = mutantes
    datos = {"hijos": hijos, "segundos": segundos, "modulos": modulos, "huellas": huellas}
    destino.parent.mkdir(parents=True, exist_ok=True)
    destino.write_text(json.dumps(datos, ensure_ascii=False, indent=1) + "\n")
    return datos


def _diff(nombre: str, ruta: str) -> list[str]:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    try:
        texto = get_diff_for_mutant(nombre, path=ruta)
    except Exception as error:  # the module changed since the run: say so, keep the report
        return [f"# sin diff: {error}"]
    return [x for x in texto.splitlines() if x[:1] in "+-" and x[:3] not in ("---", "+++")]


def cuentas(mutantes: dict, juicios: dict) -> dict:
    """One module's counts in one run."""
    c = {
        "mutantes": len(mutantes),
        "sin_correr": 0,
        "muertos": 0,
        "aparte": 0,
        "sobreviven": 0,
        "equivalentes": 0,
    }
    for nombre, m in mutantes.items():
        if m["veredicto"] == "sin correr":
            c["sin_correr"] += 1
        elif m["veredicto"] == "muerto":
            c["muertos"] += 1
        elif "equivalente" in juicios.get(nombre, {}):
            c["equivalentes"] += 1
        elif m["veredicto"] == "aparte":
            c["aparte"] += 1
        else:
            c["sobreviven"] += 1
    # A mutant no run reached is not killed: a module the run stopped short of does not pass.
    cuentan = c["mutantes"] - c["equivalentes"]
    c["puntaje"] = round(c["muertos"] / cuentan, 4) if cuentan else 1.0
    return c


def modulos_de_la_lista() -> list[str]:
    """The modules under mutation, as [tool.mutmut] only_mutate lists them."""
    config = tomllib.loads((RAIZ / "pyproject.toml").read_text())
    return list(config["tool"]["mutmut"]["only_mutate"])


def informe(
    corridas: list[dict], juicios: dict, fecha: str, nota: str, anterior: dict | None = None
) -> dict:
    """The report of these runs, with the modules of the `anterior` report that they did not
    measure and whose fingerprint still matches the tree (each keeps the date it was measured);
    every other module of the list is listed as without a current result."""
    primera = corridas[0]
    modulos = []
    for ruta, mutantes in primera["modulos"].items():
        por_corrida = [c["modulos"].get(ruta, {}) for c in corridas]
        distintos, comparados = [], 0
        for nombre in mutantes:
            veredictos = [d.get(nombre, {}).get("veredicto") for d in por_corrida]
            if "sin correr" in veredictos or None in veredictos:
                continue  # a run stopped before it: nothing to compare
            comparados += 1
            if len(set(veredictos)) > 1:
                distintos.append(nombre)
        detalle = []
        for nombre in mutantes:
            fila = {"mutante": nombre}
            for c, datos in zip(corridas, por_corrida, strict=True):
                d = datos.get(nombre, {})
                fila[f"hijos_{c['hijos']}"] = {
                    k: d.get(k) for k in ("veredicto", "prueba", "motivo") if d.get(k)
                }
            fila.update(juicios.get(nombre, {}))
            veredictos = {datos.get(nombre, {}).get("veredicto") for datos in por_corrida}
            if veredictos <= {"sin correr", None}:
                fila["sin_correr"] = True  # no run reached it: counted, not listed one by one
            elif veredictos - {"muerto", "sin correr"} or "muerto" not in veredictos:
                fila["diff"] = _diff(nombre, ruta)
            detalle.append(fila)
        huellas = [c.get("huellas", {}).get(ruta) for c in corridas]
        modulos.append(
            {
                "modulo": ruta,
                "medido": fecha,
                "segundos": {f"hijos_{c['hijos']}": c["segundos"] for c in corridas},
                # Two runs of one tree: a module whose fingerprint differs between them was
                # changed in between, and the two runs do not measure the same thing.
                "huella": huellas[0]["huella"] if huellas[0] else None,
                "pruebas": huellas[0]["pruebas"] if huellas[0] else [],
                "misma_huella": len({h["huella"] if h else None for h in huellas}) == 1
                and huellas[0] is not None,
                "corridas": {
                    f"hijos_{c['hijos']}": cuentas(datos, juicios)
                    for c, datos in zip(corridas, por_corrida, strict=True)
                },
                "comparados": comparados,
                "distintos_entre_corridas": distintos,
                "mismas_pruebas": sum(
                    1
                    for nombre, m in mutantes.items()
                    if m["veredicto"] == "muerto"
                    and all(d.get(nombre, {}).get("prueba") == m["prueba"] for d in por_corrida)
                ),
                "detalle": detalle,
            }
        )
    medidos = {m["modulo"] for m in modulos}
    previos = {m["modulo"]: m for m in (anterior or {}).get("modulos", [])}
    sin_medicion = []
    for ruta in modulos_de_la_lista():
        if ruta in medidos:
            continue
        previo = previos.get(ruta)
        if previo and previo.get("huella") and previo.get("misma_huella"):
            if huella(ruta, previo["pruebas"]) == previo["huella"]:
                modulos.append(previo)
                continue
            sin_medicion.append(
                {"modulo": ruta, "motivo": f"cambió desde su medición del {previo['medido']}"}
            )
        else:
            sin_medicion.append({"modulo": ruta, "motivo": "sin medición con huella"})
    orden = modulos_de_la_lista()
    modulos.sort(key=lambda m: orden.index(m["modulo"]) if m["modulo"] in orden else len(orden))
    return {
        "fecha": fecha,
        "nota": nota,
        "corridas": [{"hijos": c["hijos"], "segundos": c["segundos"]} for c in corridas],
        "modulos": modulos,
        "sin_medicion": sin_medicion,
    }


def anterior_informe(antes_de: Path | None = None) -> dict | None:
    """The most recent committed report (bench/results/mutantes-<date>[-n].json), or None."""

    def clave(ruta: Path):
        partes = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:-(\d+))?", ruta.stem[len("mutantes-") :])
        return (partes[1], int(partes[2] or 1)) if partes else ("", 0)

    candidatos = [
        r
        for r in RESULTADOS.glob("mutantes-*.json")
        if clave(r)[0] and (antes_de is None or r.resolve() != antes_de.resolve())
    ]
    if not candidatos:
        return None
    return json.loads(max(candidatos, key=clave).read_text())


def cumple(datos: dict) -> bool:
    """Every module of the list measured, by two runs of the same tree that agree mutant by
    mutant, at or above the goal in each."""
    if datos.get("sin_medicion"):
        return False
    bien = True
    for m in datos["modulos"]:
        bien &= bool(m.get("misma_huella")) and not m["distintos_entre_corridas"]
        bien &= len(m["corridas"]) >= 2
        bien &= all(c["puntaje"] >= META for c in m["corridas"].values())
    return bien


def _tiempo(segundos) -> str:
    return "?" if segundos is None else f"{segundos // 60} min {segundos % 60} s"


def markdown(datos: dict) -> str:
    corridas = datos["corridas"]
    lineas = [
        f"# Prueba por mutación ({datos['fecha']})",
        "",
        "`make mutantes`: mutmut 3 (mutantes/requirements.lock) sobre los módulos de reglas, "
        "con las pruebas que los alcanzan, en SQLite ([tool.mutmut] en pyproject.toml), dos "
        "veces desde cero: con dos hijos a la vez y con uno. Un mutante cuenta muerto solo "
        "con la prueba que falló por él (su nodeid, que escribe mutantes/plugin.py en el hijo "
        "de cada mutante); uno que mutmut daría por muerto sin prueba que falle (límite de "
        "tiempo, caída, error al recolectar) va aparte con su motivo y no cuenta. Puntaje: "
        "muertos entre los no equivalentes (uno sin correr cuenta como no muerto); meta: 90 % "
        "en cada módulo y en cada corrida. Cada módulo lleva la fecha de su medición: los que "
        "esta entrega no corrió vienen del informe anterior mientras su huella (su código, las "
        "pruebas que lo alcanzan y el arnés) sea la del árbol.",
        "",
    ]
    for c in corridas:
        lineas.append(f"- `--max-children {c['hijos']}` (esta entrega): {_tiempo(c['segundos'])}.")
    for falta in datos.get("sin_medicion", []):
        lineas.append(f"- Sin medición vigente: `{falta['modulo']}`, {falta['motivo']}.")
    lineas.append(f"- Meta cumplida en toda la lista: {'sí' if cumple(datos) else 'no'}.")
    lineas.append("")
    if datos["nota"]:
        lineas += [datos["nota"], ""]
    cabeza = "| módulo | medido | corrida | tiempo | mutantes | sin correr | muertos | aparte "
    lineas += [
        cabeza + "| sobreviven | equivalentes | puntaje | meta | iguales (comparados) |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for m in datos["modulos"]:
        distintos = len(m["distintos_entre_corridas"])
        iguales = f"{m['comparados'] - distintos} de {m['comparados']}"
        for clave, c in m["corridas"].items():
            ok = "sí" if c["puntaje"] >= META else "no"
            tiempo = _tiempo(m.get("segundos", {}).get(clave))
            lineas.append(
                f"| `{m['modulo']}` | {m.get('medido', '?')} | {clave.replace('_', ' ')} | "
                f"{tiempo} | {c['mutantes']} | {c['sin_correr']} | {c['muertos']} | "
                f"{c['aparte']} | {c['sobreviven']} | "
                f"{c['equivalentes']} | "
                f"{c['puntaje']:.1%} | {ok} | {iguales} |"
            )
    for m in datos["modulos"]:
        claves = list(m["corridas"])
        lineas += ["", f"## `{m['modulo']}`", ""]
        if not m.get("misma_huella"):
            lineas += ["Las corridas no midieron el mismo árbol (su huella difiere).", ""]
        if m["distintos_entre_corridas"]:
            lineas += [
                "Distintos entre corridas: "
                + ", ".join(f"`{n.rpartition('.')[2]}`" for n in m["distintos_entre_corridas"]),
                "",
            ]
        sin_correr = sum(1 for d in m["detalle"] if d.get("sin_correr"))
        if sin_correr:
            lineas += [f"Sin correr en ninguna corrida: {sin_correr} mutantes.", ""]
        otros = [d for d in m["detalle"] if "diff" in d]
        for d in otros:
            partes = []
            for clave in claves:
                r = d.get(clave, {})
                texto = r.get("veredicto", "?")
                if r.get("prueba"):
                    texto += f" por {r['prueba']}"
                if r.get("motivo"):
                    texto += f" ({r['motivo']})"
                partes.append(f"{clave.replace('_', ' ')}: {texto}")
            if "equivalente" in d:
                partes.append(f"equivalente: {d['equivalente']}")
            elif "muerto_por" in d:
                partes.append(f"la prueba nueva {d['muerto_por']} lo mata")
            elif "nota" in d:
                partes.append(f"sin contar como muerto: {d['nota']}")
            else:
                partes.append("sin juicio")
            lineas += [f"### `{d['mutante'].rpartition('.')[2]}`", "", "; ".join(partes) + ".", ""]
            lineas += ["```diff", *d["diff"], "```", ""]
        muertos = [d for d in m["detalle"] if "diff" not in d and not d.get("sin_correr")]
        if muertos:
            lineas += [
                f"Muertos en cada corrida que llegó a ellos ({len(muertos)}), con la prueba "
                f"que falló ({m['mismas_pruebas']} con la misma en las dos):",
                "",
                "| mutante | " + " | ".join(c.replace("_", " ") for c in claves) + " |",
                "| --- |" + " --- |" * len(claves),
            ]
            for d in muertos:
                pruebas = [d[c].get("prueba") for c in claves]
                primera = next(p for p in pruebas if p)
                celdas, dicha = [], False
                for p in pruebas:
                    if not p:
                        celdas.append("sin correr")
                    elif dicha and p == primera:
                        celdas.append("igual")
                    else:
                        celdas.append(f"`{p}`")
                        dicha = True
                lineas.append(
                    f"| `{d['mutante'].rpartition('.')[2]}` | " + " | ".join(celdas) + " |"
                )
    return "\n".join(lineas).rstrip() + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    ordenes = parser.add_subparsers(dest="orden", required=True)
    una = ordenes.add_parser("corrida", help="guarda lo que halló la corrida que acaba de terminar")
    una.add_argument("--hijos", type=int, required=True, help="el --max-children de la corrida")
    una.add_argument("--segundos", type=int, default=None, help="lo que tardó mutmut run")
    una.add_argument("--modulos", nargs="*", default=None, help="los módulos de MODULOS")
    todas = ordenes.add_parser("informe", help="escribe bench/results/mutantes-<fecha>.md/.json")
    todas.add_argument("corridas", type=Path, nargs="+", help="mutantes/corridas/hijos-<n>.json")
    todas.add_argument("--fecha", default=datetime.date.today().isoformat())
    todas.add_argument("--nota", default="", help="qué se juzgó aparte y por qué")
    todas.add_argument("--reescribir", type=Path, default=None, help="el informe (sin .md)")
    args = parser.parse_args(argv)
    if args.orden == "corrida":
        datos = corrida(
            args.hijos, args.segundos, CORRIDAS / f"hijos-{args.hijos}.json", args.modulos
        )
        for ruta, mutantes in datos["modulos"].items():
            c = cuentas(mutantes, _juicios())
            print(
                f"{ruta}: {c['muertos']}/{c['mutantes']} muertos, {c['aparte']} aparte, "
                f"{c['equivalentes']} equivalentes, puntaje {c['puntaje']:.1%}"
            )
        return 0
    corridas = [json.loads(r.read_text()) for r in args.corridas]
    base = args.reescribir.resolve() if args.reescribir else _destino(args.fecha)
    anterior = anterior_informe(antes_de=base.with_suffix(".json"))
    datos = informe(corridas, _juicios(), args.fecha, args.nota, anterior)
    base.with_suffix(".json").write_text(json.dumps(datos, ensure_ascii=False, indent=1) + "\n")
    base.with_suffix(".md").write_text(markdown(datos))
    for m in datos["modulos"]:
        for clave, c in m["corridas"].items():
            print(
                f"{m['modulo']} ({clave}, {m.get('medido')}): {c['muertos']}/{c['mutantes']} "
                f"muertos, {c['aparte']} aparte, puntaje {c['puntaje']:.1%}"
            )
    for s in datos["sin_medicion"]:
        print(f"{s['modulo']}: sin medición vigente ({s['motivo']})")
    print(f"Escrito {base.with_suffix('.md')}")
    return 0 if cumple(datos) else 1


if __name__ == "__main__":
    sys.exit(main())
