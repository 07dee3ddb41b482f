"""Weekly column charts as inline SVG for «Capacidad para el cierre» (issue 50): the expected
p90 of each week against the service standard (with the what-if's beside it), and the forecast
load against the capacity. No JavaScript and no inline CSS, as graficas.py; unlike its bars,
these are images with a text alternative (role="img" and a <title> that says the red weeks),
and the page gives the same figures as a table. A red week is hatched, not only red."""

import math

from django import template
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

ANCHO = 600  # the plot's width the weeks share, in the SVG's units
SEMANA_MIN, SEMANA_MAX = 14, 88  # one week's width
ALTO = 170
IZQ, DER, ARRIBA, ABAJO = 36, 10, 20, 30


def _corta(fecha) -> str:
    return formats.date_format(fecha, "j b")


def _paso(maximo: float) -> float:
    """A round step for four or five lines of the grid."""
    bruto = max(maximo, 1) / 4
    base = 10 ** math.floor(math.log10(bruto))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= bruto)


def _marco(n: int, maximo: float):
    """Week width, total width, y of a value, the grid and the x labels' step."""
    semana = max(SEMANA_MIN, min(SEMANA_MAX, ANCHO / max(n, 1)))
    paso = _paso(maximo)
    tope = paso * math.ceil(max(maximo, 1) / paso)

    def y(valor: float) -> float:
        return round(ARRIBA + ALTO - ALTO * min(valor, tope) / tope, 1)

    rejilla = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="g-rejilla"></line>'
        '<text x="{}" y="{}" text-anchor="end" class="g-etq">{}</text>',
        (
            (IZQ, IZQ + n * semana, y(v), y(v), IZQ - 4, y(v) + 4, f"{v:g}")
            for v in (paso * i for i in range(int(round(tope / paso)) + 1))
        ),
    )
    # Room for «23 nov» at the larger size a phone gets (app.css).
    cada = max(1, math.ceil(64 / semana))
    return semana, IZQ + n * semana + DER, y, rejilla, cada


def _eje_x(lunes: list, semana: float, cada: int):
    return format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" class="g-etq">{}</text>',
        (
            (round(IZQ + (i + 0.5) * semana, 1), ARRIBA + ALTO + 16, _corta(fecha))
            for i, fecha in enumerate(lunes)
            if i % cada == 0
        ),
    )


def _juntas(piezas: list):
    """Pieces already escaped by format_html, one after the other."""
    return format_html_join("", "{}", ((p,) for p in piezas))


def _svg(ident: str, ancho: float, titulo: str, cuerpo):
    return format_html(
        '<svg class="grafica grafica--semanas" viewBox="0 0 {ancho} {alto}" width="{ancho}" '
        'height="{alto}" role="img" aria-labelledby="{ident}-titulo">'
        '<title id="{ident}-titulo">{titulo}</title>'
        '<defs><pattern id="{ident}-rayas" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="g-rojo-fondo"></rect>'
        '<line x1="1" y1="0" x2="1" y2="6" class="g-rojo-raya"></line></pattern></defs>'
        "{cuerpo}</svg>",
        ancho=round(ancho, 1),
        alto=ARRIBA + ALTO + ABAJO,
        ident=ident,
        titulo=titulo,
        cuerpo=cuerpo,
    )


def _rojas_texto(semanas) -> str:
    rojas = [s for s in semanas if s.rojo]
    if not rojas:
        return _("ninguna semana en rojo")
    return ngettext(
        "%(n)s semana en rojo (%(semanas)s)",
        "%(n)s semanas en rojo (%(semanas)s)",
        len(rojas),
    ) % {"n": len(rojas), "semanas": ", ".join(_corta(s.lunes) for s in rojas)}


@register.simple_tag
def grafica_p90(filas, estandar: int, ident: str = "p90"):
    """`filas`: [{"s": the plan's week, "p": the same week with the trial, or None}]."""
    plan = [f["s"] for f in filas]
    prueba = [f["p"] for f in filas if f["p"] is not None]
    con_prueba = bool(prueba)
    valores = [s.p90 or 0 for s in plan + prueba]
    semana, ancho, y, rejilla, cada = _marco(len(plan), max([*valores, estandar * 1.25]))
    base = ARRIBA + ALTO
    barras = []
    series = (("plan", 0.14, 0.36), ("prueba", 0.5, 0.36)) if con_prueba else (("plan", 0.2, 0.6),)
    for i, fila in enumerate(filas):
        for serie, desde, parte in series:
            s = fila["s"] if serie == "plan" else fila["p"]
            if s is None or s.p90 is None:
                continue
            x = round(IZQ + (i + desde) * semana, 1)
            ancho_barra = round(parte * semana, 1)
            tope = y(s.p90)
            # A red week takes the hatch (its fill attribute; a class's fill would win over
            # it), and the trial's red weeks keep their series' colour as the outline.
            barras.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="{}"{}></rect>',
                    x,
                    tope,
                    ancho_barra,
                    round(base - tope, 1),
                    f"g-rojo g-rojo--{serie}" if s.rojo else f"g-{serie}",
                    format_html(' fill="url(#{}-rayas)"', ident) if s.rojo else "",
                )
            )
            if semana * parte >= 16:
                barras.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" class="g-val{}">{}</text>',
                        round(x + ancho_barra / 2, 1),
                        tope - 4,
                        " g-val--rojo" if s.rojo else "",
                        s.p90,
                    )
                )
    # The standard: a dashed line across, its value in bold on the axis (a label inside the
    # plot would cover the last weeks' figures); the legend names it.
    estandar_linea = format_html(
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="g-estandar"></line>'
        '<text x="{}" y="{}" text-anchor="end" class="g-etq g-etq--estandar">{}</text>',
        IZQ,
        round(IZQ + len(plan) * semana, 1),
        y(estandar),
        y(estandar),
        IZQ - 4,
        y(estandar) + 4,
        estandar,
    )
    titulo = _(
        "p90 esperado por semana contra el estándar de %(estandar)s días hábiles: en el plan, "
        "%(plan)s"
    ) % {"estandar": estandar, "plan": _rojas_texto(plan)}
    if con_prueba:
        titulo += _("; con la prueba, %(prueba)s") % {"prueba": _rojas_texto(prueba)}
    titulo += _(". La tabla da las cifras de cada semana.")
    cuerpo = format_html(
        "{}{}{}{}",
        rejilla,
        _juntas(barras),
        estandar_linea,
        _eje_x([s.lunes for s in plan], semana, cada),
    )
    return _svg(ident, ancho, titulo, cuerpo)


@register.simple_tag
def grafica_carga(semanas, ident: str = "carga"):
    """The forecast load of each week (a column) and the capacity (a bar across it)."""
    valores = [v for s in semanas for v in (s.carga, s.capacidad)]
    semana, ancho, y, rejilla, cada = _marco(len(semanas), max(valores, default=1) * 1.1)
    base = ARRIBA + ALTO
    partes = []
    for i, s in enumerate(semanas):
        x = IZQ + i * semana
        partes.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" class="g-carga"></rect>'
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="g-capacidad"></line>',
                round(x + 0.2 * semana, 1),
                y(s.carga),
                round(0.6 * semana, 1),
                round(base - y(s.carga), 1),
                round(x + 0.08 * semana, 1),
                round(x + 0.92 * semana, 1),
                y(s.capacidad),
                y(s.capacidad),
            )
        )
    excede = [s for s in semanas if s.carga > s.capacidad]
    titulo = ngettext(
        "Carga pronosticada contra capacidad por semana: la carga pasa la capacidad en "
        "%(n)s semana. La tabla da las cifras de cada semana.",
        "Carga pronosticada contra capacidad por semana: la carga pasa la capacidad en "
        "%(n)s semanas. La tabla da las cifras de cada semana.",
        len(excede),
    ) % {"n": len(excede)}
    cuerpo = format_html(
        "{}{}{}", rejilla, _juntas(partes), _eje_x([s.lunes for s in semanas], semana, cada)
    )
    return _svg(ident, ancho, titulo, cuerpo)
