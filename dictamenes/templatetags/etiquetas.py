"""Template filters for labels and amounts (pesos)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from dictamenes import montos
from dictamenes.cifras.selectors.ahorros import DEFINICION_REFERENCIA
from estandares.cumplimiento import Resultado, Veredicto

register = template.Library()

_ETIQUETAS = {**{v.value: v.label for v in Veredicto}, **{r.value: r.label for r in Resultado}}


@register.filter
def etiqueta_resultado(codigo) -> str:
    """«no_cumple» → «No cumple»: the engine's codes as people read them."""
    return str(_ETIQUETAS.get(codigo, codigo or "—"))


@register.filter
def pesos(monto) -> str:
    """21500 → «$21,500.00»: see dictamenes.montos."""
    return montos.pesos(monto)


@register.filter
def recibidas(entrega, decisiones) -> list[dict]:
    """A delivery's units received of each item the dictamen approved (or recorded for it),
    beside what it approved: what the request's page shows under the contract (issue 80)."""
    cantidades = entrega.cantidades if isinstance(entrega.cantidades, dict) else {}
    return [
        {
            "descripcion": d.partida.descripcion,
            "recibida": cantidades.get(str(d.partida.pk)),
            "aprobada": d.cantidad_aprobada,
        }
        for d in (decisiones.partidas if decisiones else ())
        if d.cantidad_aprobada > 0 or str(d.partida.pk) in cantidades
    ]


@register.simple_tag
def celdas_referencia(fila) -> str:
    """One row's savings against the reference (cifras.selectors.ahorros.frente_a_referencia):
    how many of its approved items had a reference, what was requested above the reference,
    what the review cut of it (the savings) and its share. Built here, not by an {% include %}
    per row: with the cache empty, the indicators drew a few hundred rows of a year's agencies
    and categories that way, each with a blocktranslate and two intcomma (issue 64, item 5)."""
    pct = fila["pct_ahorro_referencia"]
    return format_html(
        '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
        '<td class="num">{}</td>',
        gettext("%(n)s de %(total)s")
        % {"n": f"{fila['partidas_con_referencia']:,}", "total": f"{fila['partidas_aprobadas']:,}"},
        montos.pesos(fila["sobre_referencia"]),
        montos.pesos(fila["ahorro_referencia"]),
        "—" if pct is None else f"{pct} %",
    )


@register.simple_tag
def definicion_ahorro_referencia() -> str:
    """The savings against the reference in the one sentence every place that shows them
    says (cifras.selectors.ahorros.DEFINICION_REFERENCIA)."""
    return str(DEFINICION_REFERENCIA)
