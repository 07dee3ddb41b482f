"""The two long tables of a year's savings on the indicators (per agency and category, and
against the reference) are drawn in Python (cifras.views): character by character what the
template's loops drew before, with |pesos and {% celdas_referencia %}, for rows whose texts
must be escaped, amounts negative, zero or with more decimals, counts in the thousands, safe
text and lazy text, with and without a share."""

from decimal import Decimal

from django.template import Context, Template
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from dictamenes.cifras import views

# The loops as templates/indicadores/_ahorro.html had them.
_AHORRO = Template(
    "{% load etiquetas %}{% for f in filas %}"
    '<tr><th scope="row"><abbr title="{{ f.ente }}">{{ f.ente_siglas }}</abbr></th>'
    '<td>{{ f.categoria }}</td><td class="num">{{ f.solicitado|pesos }}</td>'
    '<td class="num">{{ f.aprobado|pesos }}</td><td class="num">{{ f.contratado|pesos }}</td>'
    '<td class="num">{{ f.ahorro|pesos }}</td></tr>{% endfor %}'
)
_REFERENCIA = Template(
    "{% load etiquetas %}{% for f in filas %}"
    '<tr><th scope="row"><abbr title="{{ f.ente }}">{{ f.ente_siglas }}</abbr></th>'
    "<td>{{ f.categoria }}</td><td>{{ f.compra }}</td>{% celdas_referencia f %}</tr>"
    "{% endfor %}"
)


def _fila(i: int, texto) -> dict:
    return {
        "ente": texto,
        "ente_siglas": f"S&P<{i}>",
        "categoria": mark_safe("<b>ya segura</b>") if i % 3 == 0 else f'"Cómputo" {i}',
        "compra": "Consolidada" if i % 2 else "Por ente",
        "solicitado": Decimal("1234567.891") * i,
        "aprobado": Decimal(-i) / 7,
        "contratado": Decimal("0.00") if i % 2 else None,
        "ahorro": Decimal(i * 1000),
        "partidas_con_referencia": i * 997,
        "partidas_aprobadas": i * 1009 + 1,
        "sobre_referencia": Decimal("0.005") * i,
        "ahorro_referencia": Decimal("-0.00"),
        "pct_ahorro_referencia": None if i % 4 == 0 else Decimal("16.7") * i,
    }


_TEXTOS = [
    "Secretaría de Salud",
    "O'Higgins & <Hijos>",
    "»comillas« \"dobles\" y 'simples'",
    lazy(lambda: "Texto <perezoso>", str)(),
    mark_safe("<i>Ente</i> seguro"),
]
_FILAS = [_fila(i, texto) for i in range(12) for texto in _TEXTOS]


def test_las_filas_del_ahorro_son_las_del_bucle_de_la_plantilla():
    esperado = _AHORRO.render(Context({"filas": _FILAS}))
    assert str(views._filas_del_ahorro(_FILAS)) == esperado
    assert "&lt;Hijos&gt;" in esperado and "<b>ya segura</b>" in esperado


def test_las_filas_frente_a_la_referencia_son_las_del_bucle_de_la_plantilla():
    esperado = _REFERENCIA.render(Context({"filas": _FILAS}))
    assert str(views._filas_frente_a_referencia(_FILAS)) == esperado
    assert "—" in esperado and "10,967 de 11,100" in esperado


def test_sin_filas_no_hay_renglones():
    assert views._filas_del_ahorro([]) == views._filas_frente_a_referencia([]) == ""
