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


# Issue 78, item 4: a section of a role's manual that names a feature shows it. Each feature:
# the words that name it in a manual, and the pictures that show it (what the journeys that
# take them put on the screen: tests/backends/test_recorridos.py).
RASGOS = {
    "precio de referencia": (
        # «…entra al precio de referencia del estado» tells where a contract's price goes, not
        # the figure a page shows beside an item.
        r"precio de\s+referencia(?! del estado)",
        {
            "requirente-partida",
            "revisor-estrategico-decidir",
            "revisor-estrategico-reducir",
            "revisor-estrategico-precio",
            "revisor-tecnico-precio",
        },
    ),
    "señal de precio": (
        r"precio\s+señalado|señal\s+de\s+precio|«Señalado»|la\s+señal\s+en\s+palabras",
        {
            "requirente-partida",
            "revisor-estrategico-decidir",
            "revisor-estrategico-precio",
            "revisor-tecnico-precio",
        },
    ),
    "cotizaciones": (
        r"\bcotizaciones\b",
        {
            "requirente-cotizaciones",
            "revisor-estrategico-decidir",
            "revisor-estrategico-precio",
            "revisor-tecnico-precio",
        },
    ),
    "Reducir a la referencia": (r"Reducir\s+a\s+la\s+referencia", {"revisor-estrategico-reducir"}),
    "vía rápida": (r"vía\s+rápida", {"mesa-via-rapida", "revisor-tecnico-via-rapida"}),
    "fraccionamiento": (r"fraccionamiento", {"mesa-fraccionamiento"}),
}
# Sections that name a feature without being about it, each with its reason.
NO_LO_MUESTRAN = {
    "administrador.md § Vías de revisión: cotizaciones": "configura la regla: su página es un "
    "formulario de cifras; las cotizaciones se ven en los manuales de quien las usa",
    "administrador.md § Vías de revisión: vía rápida": "configura la regla, como arriba",
    "revisor-estrategico.md § Reducir a la referencia: señal de precio": "la señal se ve justo "
    "antes, en la captura de «Decidir cada partida»",
}
_SECCION = re.compile(r"^(#{2,3} .+)$", re.MULTILINE)


def secciones(texto: str):
    """(heading, body up to the next ## or ### heading) of a manual page."""
    partes = _SECCION.split(texto)
    for i in range(1, len(partes), 2):
        yield partes[i].lstrip("# ").strip(), partes[i + 1]


def rasgos_sin_captura(manuales: dict[str, str]) -> list[str]:
    """Each «page § section: feature» whose section names a feature and shows none of the
    pictures registered as showing it."""
    faltan = []
    for pagina, texto in sorted(manuales.items()):
        for titulo, cuerpo in secciones(texto):
            imagenes = set(IMAGEN.findall(cuerpo))
            for rasgo, (palabras, capturas) in RASGOS.items():
                donde = f"{pagina} § {titulo}: {rasgo}"
                if (
                    re.search(palabras, cuerpo, re.IGNORECASE)
                    and not imagenes & capturas
                    and donde not in NO_LO_MUESTRAN
                ):
                    faltan.append(donde)
    return faltan


def test_cada_seccion_que_nombra_un_rasgo_lo_muestra():
    manuales = {p.name: p.read_text(encoding="utf-8") for p in (DOCS / "manual").glob("*.md")}
    assert rasgos_sin_captura(manuales) == []


def test_las_capturas_de_cada_rasgo_las_toma_una_jornada():
    tomadas, _ = tomadas_por_las_jornadas()
    registradas = set().union(*(capturas for _, capturas in RASGOS.values()))
    assert sorted(registradas - tomadas) == []
