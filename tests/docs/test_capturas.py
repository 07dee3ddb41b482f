"""The manuals' pictures cannot go stale: every picture a manual shows is one that a browser
journey takes (tests/backends, `captura(page, "<nombre>")`, with `movil=True` also
"<nombre>-movil"), and every picture committed under docs/img/capturas/ is one of those.

The names are read from the journeys' source (ast), not by running them: this test takes a
fraction of a second. The pictures themselves are made by
`rm -f docs/img/capturas/*.png && CAPTURAS=1 pytest tests/backends/test_recorridos.py`
(`make capturas`)."""

import ast
import re
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
JORNADAS = RAIZ / "tests" / "backends"
DOCS = RAIZ / "docs"
CAPTURAS = DOCS / "img" / "capturas"
# ![texto](…/img/capturas/<nombre>.png), relative to any page.
IMAGEN = re.compile(r"!\[[^\]]*\]\((?:[^)\s]*/)?img/capturas/([^)\s/]+)\.png\)")


def _es_captura(nodo: ast.Call) -> bool:
    funcion = nodo.func
    nombre = funcion.id if isinstance(funcion, ast.Name) else getattr(funcion, "attr", None)
    return nombre == "captura"


def tomadas_por_las_jornadas() -> tuple[set[str], list[str]]:
    """The names the journeys' `captura` calls save, and the calls whose name is not a
    literal string (which this test could not read)."""
    nombres, ilegibles = set(), []
    for archivo in sorted(JORNADAS.glob("*.py")):
        for nodo in ast.walk(ast.parse(archivo.read_text(encoding="utf-8"))):
            if not (isinstance(nodo, ast.Call) and _es_captura(nodo)):
                continue
            primero = nodo.args[1] if len(nodo.args) > 1 else None
            if not (isinstance(primero, ast.Constant) and isinstance(primero.value, str)):
                ilegibles.append(f"{archivo.name}:{nodo.lineno}")
                continue
            nombres.add(primero.value)
            movil = next((k.value for k in nodo.keywords if k.arg == "movil"), None)
            if isinstance(movil, ast.Constant) and movil.value is True:
                nombres.add(f"{primero.value}-movil")
    return nombres, ilegibles


def mostradas_en_los_manuales() -> dict[str, list[str]]:
    """Picture name → the pages that show it."""
    mostradas: dict[str, list[str]] = {}
    for pagina in sorted(DOCS.rglob("*.md")):
        for nombre in IMAGEN.findall(pagina.read_text(encoding="utf-8")):
            mostradas.setdefault(nombre, []).append(str(pagina.relative_to(DOCS)))
    return mostradas


def test_cada_captura_de_un_manual_la_toma_una_jornada():
    tomadas, ilegibles = tomadas_por_las_jornadas()
    assert ilegibles == [], "captura() con un nombre que no es un texto literal"
    huerfanas = {n: p for n, p in mostradas_en_los_manuales().items() if n not in tomadas}
    assert huerfanas == {}, "capturas que muestran los manuales y ninguna jornada toma"


def test_cada_captura_guardada_la_toma_una_jornada_y_al_reves():
    tomadas, _ = tomadas_por_las_jornadas()
    guardadas = {p.stem for p in CAPTURAS.glob("*.png")}
    assert sorted(guardadas - tomadas) == [], "capturas guardadas que ninguna jornada toma"
    assert sorted(tomadas - guardadas) == [], "capturas sin guardar: corra make capturas"


def test_las_capturas_son_ligeras():
    pesadas = {p.name: p.stat().st_size for p in CAPTURAS.glob("*.png")}
    assert {n: b for n, b in pesadas.items() if b > 150_000} == {}
    assert sum(pesadas.values()) < 4_000_000
