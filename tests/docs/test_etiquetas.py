"""The manual's words are the screen's (issue 78, item 3): every label a manual of
docs/manual/ quotes, in «…» or in **bold** (the manuals' two ways of naming what the screen
shows), is found in what the screens are made of: the templates, the strings of the Python code
that draws them (forms' labels, help texts and choices, models' verbose names, which Django
capitalizes, messages and errors), Django's own messages in Spanish (its form errors) and the
scripts under static/. A label no screen shows fails the test, naming the manual's file and
line.

Scope: the whole interface, not each role's pages: a role's manual may rightly name what
another role's screen says (the requester's manual quotes the mesa's «Lo que pidió la mesa de
control» as it reaches them), and the templates do not say which roles draw them. Whitespace
and capitals do not count (a verbose name is printed capitalized); «…» inside a quote stands for
what the screen fills in (a name, an amount), and each piece around it must be found."""

import ast
import gettext
import re
from functools import cache
from pathlib import Path

import django

RAIZ = Path(__file__).resolve().parents[2]
MANUALES = sorted((RAIZ / "docs" / "manual").glob("*.md"))
# The code that draws the screens (not the tests, the demo data nor the migrations).
PAQUETES = ("config", "cuentas", "publico", "flujos", "dictamenes", "estandares")

# Quotes that are not a screen's label, each with its reason.
NO_SON_ETIQUETAS = {
    "Nadie administra solo": "énfasis del manual: el control dual de la administración",
    "Renovación de equipo de ventanillas": "ejemplo de un título que escribe la persona",
}

_CITA = re.compile(r"«([^«»]+)»|\*\*([^*]+)\*\*")
# Django's messages as the site shows them (LANGUAGE_CODE es-mx, then es).
CATALOGOS = [
    Path(django.__file__).parent / "conf" / "locale" / idioma / "LC_MESSAGES" / "django.po"
    for idioma in ("es_MX", "es")
]
_MSGSTR = re.compile(r'^msgstr(?:\[\d\])? "(.*)"$', re.MULTILINE)


def _mensajes_de_las_apps() -> list[str]:
    """The installed apps' compiled Spanish messages: an app's catalogue comes before Django's
    own, and a form's empty field says rest_framework's «Este campo es requerido.», not
    Django's «Este campo es obligatorio.» (the requester's journey found it, issue 78)."""
    from django.apps import apps

    mensajes = []
    for app in apps.get_app_configs():
        for idioma in ("es_MX", "es"):
            mo = Path(app.path) / "locale" / idioma / "LC_MESSAGES" / "django.mo"
            if mo.exists():
                with mo.open("rb") as archivo:
                    catalogo = gettext.GNUTranslations(archivo)._catalog  # noqa: SLF001
                mensajes += [m for m in catalogo.values() if isinstance(m, str)]
    return mensajes


def _normal(texto: str) -> str:
    return " ".join(texto.split())


@cache
def pantallas() -> str:
    """What the screens are made of, as one normalized text."""
    partes = [p.read_text(encoding="utf-8") for p in (RAIZ / "templates").rglob("*.html")]
    partes += [p.read_text(encoding="utf-8") for p in (RAIZ / "static").rglob("*.js")]
    partes += [m for c in CATALOGOS for m in _MSGSTR.findall(c.read_text(encoding="utf-8"))]
    partes += _mensajes_de_las_apps()
    for paquete in PAQUETES:
        for archivo in (RAIZ / paquete).rglob("*.py"):
            if "migrations" in archivo.parts:
                continue
            arbol = ast.parse(archivo.read_text(encoding="utf-8"))
            partes += [
                n.value
                for n in ast.walk(arbol)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
    return "\n".join(_normal(p) for p in partes)


def citas(archivo: Path) -> list[tuple[int, str]]:
    """(line, quote) for each «…» and **…** of a manual; a quote may run over two lines."""
    texto = archivo.read_text(encoding="utf-8")
    salida = []
    for m in _CITA.finditer(texto):
        cita = " ".join((m.group(1) or m.group(2)).split())
        salida.append((texto.count("\n", 0, m.start()) + 1, cita))
    return salida


def no_se_ve(cita: str) -> bool:
    if cita in NO_SON_ETIQUETAS:
        return False
    piezas = [_normal(p).strip(" .,:;") for p in cita.split("…")]
    return any(
        p and p not in pantallas() and (p[0].swapcase() + p[1:]) not in pantallas() for p in piezas
    )


def test_cada_etiqueta_que_citan_los_manuales_esta_en_una_pantalla():
    faltan = [
        f"docs/manual/{archivo.name}:{linea}: «{cita}»"
        for archivo in MANUALES
        for linea, cita in citas(archivo)
        if no_se_ve(cita)
    ]
    assert faltan == [], "etiquetas de los manuales que ninguna pantalla muestra"


def test_las_excepciones_siguen_en_los_manuales():
    """An allow-listed quote no manual has any more is taken off the list."""
    citadas = {cita for archivo in MANUALES for _linea, cita in citas(archivo)}
    assert sorted(set(NO_SON_ETIQUETAS) - citadas) == []
