"""An item's price line drawn in Python, byte for byte as templates/solicitudes/_precio_partida.html
(with _referencia_cifras.html) draws it: the request's page prints ten of them in the decision
on ten items, each drawn again after every change of the data, and through the templates they
were the largest part of that page's drawing after the decision's own (~11 ms of CPU in the
bench's K=10 history; issue 92, item 6). The same messages (gettext and ngettext of the msgids
blocktranslate makes, «%» doubled), the same values (render_value_in_context: localized,
escaped) and the same markup; a test compares it with the template for each case
(tests/dictamenes/expediente/test_precio_linea.py). The template stays for the item's price page
and the areas' review."""

from django.core.exceptions import ObjectDoesNotExist
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as fecha_filtro
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext

from dictamenes import montos

# What a template without request gives render_value_in_context: autoescape, no use_l10n or
# use_tz of its own.
_CONTEXTO = Context()


def como_en_plantilla(valor) -> str:
    """What {{ valor }} prints (localized, escaped); anexos_lista draws with it too."""
    return render_value_in_context(valor, _CONTEXTO)


_v = como_en_plantilla


def _t(msgid: str) -> str:
    # {% translate "…" %}: a literal is safe (not escaped); its «%» is doubled before gettext
    # and restored after.
    return gettext(msgid.replace("%", "%%")).replace("%%", "%")


def _pesos(valor) -> str:
    return _v(montos.pesos(valor))


def _cifras(r: dict) -> str:
    # _referencia_cifras.html: a missing key is the template's empty string.
    def g(clave):
        return r.get(clave, "")

    datos = {
        "q1": _pesos(g("cuartil_1")),
        "q3": _pesos(g("cuartil_3")),
        "mn": _pesos(g("minimo")),
        "c": _v(g("compras")),
        "e": _v(g("entes")),
    }
    if g("por_ente"):
        texto = gettext(
            "(Q1–Q3 %(q1)s – %(q3)s; menor %(mn)s; %(c)s compras de %(e)s entes en 24 meses, "
            "cada ente una vez)"
        )
    else:
        texto = gettext(
            "(Q1–Q3 %(q1)s – %(q3)s; menor %(mn)s; %(c)s compras de %(e)s entes en 24 meses)"
        )
    mediana = gettext("mediana %(m)s") % {"m": _pesos(g("mediana"))}
    return f'{mediana} <span class="ayuda">{texto % datos}</span>'


def _decision(p):
    try:
        return p.decision
    except ObjectDoesNotExist:
        return None


def dibujar(p, solicitud, *, sin_enlace: bool = False) -> str:
    """What {% include "solicitudes/_precio_partida.html" %} prints for item `p`."""
    pr = getattr(p, "precio", None)
    if not pr:
        return "\n"
    b = pr.base()
    partes = [f'<div class="precio-partida" data-partida="{_v(p.pk)}">\n  ']
    if pr.senalada:
        texto = gettext(
            "El precio tecleado está %(pct)s %% sobre la mediana de referencia: se señala lo "
            "que la pasa en más de %(senal)s %%."
        ) % {"pct": _v(pr.posicion.pct), "senal": _v(p.precio_config.precio_senal_pct)}
        partes.append(
            '<p class="aviso" role="note"><span class="estado estado--cancelado">'
            f"{_t('Precio señalado')}</span> {texto}</p>"
        )
    meses = ""
    if p.meses:
        meses = " (%s)" % (ngettext("%(n)s mes", "%(n)s meses", p.meses) % {"n": _v(p.meses)})
    partes.append(
        '\n  <dl class="ficha ficha--compacta">\n'
        f"    <div><dt>{_t('Precio tecleado')}</dt><dd>{_pesos(p.precio_unitario)} "
        f"{_v(p.get_unidad_display())}{meses}</dd></div>\n"
        f"    <div><dt>{_t('Precio de mercado (cotizaciones)')}</dt><dd>"
    )
    mercado = b["mercado"]
    if mercado:
        ley = f"; {_v(pr.ley.etiqueta)}" if pr.ley else ""
        validas = gettext("%(v)s válidas de %(n)s; %(m)s") % {
            "v": _v(mercado["validas"]),
            "n": _v(mercado["cotizaciones"]),
            "m": _v(pr.mercado.regla),
        }
        partes.append(f'{_pesos(mercado["precio"])} <span class="ayuda">{validas}{ley}</span>')
    else:
        partes.append(_t("sin cotizaciones válidas"))
    partes.append("</dd></div>\n    ")
    dec = _decision(p)
    al_decidir = dec.base_precio if dec is not None else None
    if al_decidir:
        fecha = fecha_filtro(template_localtime(dec.decidida_en), "d/m/Y")
        titulo = gettext("Precio de referencia al decidir (%(f)s)") % {"f": _v(fecha)}
        referencia = al_decidir.get("referencia", "")
        cifras = _cifras(referencia) if referencia else _t("sin referencia suficiente al decidir")
        partes.append(
            f'<div class="precio-partida__al-decidir"><dt>{titulo}</dt><dd>{cifras}</dd></div>'
        )
    titulo = _t("Precio de referencia hoy") if al_decidir else _t("Precio de referencia")
    if b["referencia"]:
        cifras = _cifras(b["referencia"])
    elif pr.referencia:
        cifras = gettext(
            "sin referencia suficiente: %(c)s compras de %(e)s entes (mínimo 3 compras de 2 entes)"
        ) % {"c": _v(pr.referencia.compras), "e": _v(pr.referencia.entes)}
    else:
        cifras = _t("sin compras del perfil en 24 meses")
    partes.append(f"\n    <div><dt>{titulo}</dt><dd>{cifras}</dd></div>\n    ")
    if pr.posicion:
        partes.append(f"<div><dt>{_t('Dónde queda')}</dt><dd>{_v(pr.posicion.texto)}</dd></div>")
    partes.append("\n  </dl>\n  ")
    if not sin_enlace:
        url = conditional_escape(reverse("solicitudes:partida_precio", args=[solicitud.pk, p.pk]))
        ver = gettext("Ver el precio de «%(d)s»: cotizaciones y los últimos 24 meses") % {
            "d": _v(p.descripcion)
        }
        partes.append(f'<p><a href="{url}">{ver}</a></p>')
    partes.append("\n</div>\n")
    return "".join(partes)
