"""A list of radio choices drawn in Python, byte for byte as Django's RadioSelect draws it.

Django draws each choice of a RadioSelect through four nested templates (radio_option,
input_option, input, attrs). The decision on ten items offers about 140 choices (a result and a
motive from the catalogue per item): drawing them was 110 ms of the page's first visit after a
change (issue 92, item 6; bench/results/causas-2026-11-29.md). This RadioSelect keeps Django's
context (get_context: ids, checked, attributes) and writes the same markup in one pass; a test
compares both renderings (tests/dictamenes/comun/test_widgets.py).
"""

from django import forms
from django.utils.html import format_html, format_html_join


def _atributos(attrs: dict):
    # attrs.html: False is left out, True is written bare, anything else as name="value".
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", n) if v is True else format_html(' {}="{}"', n, _texto(v)),)
            for n, v in attrs.items()
            if v is not False
        ),
    )


def _texto(valor):
    # stringformat:'s' keeps a safe string safe (is_safe=True) and makes anything else a str.
    return valor if hasattr(valor, "__html__") else str(valor)


def _opcion(opcion: dict):
    # radio_option.html → input_option.html → input.html, with the newline each template ends
    # with. A RadioSelect's choice always wraps its label (wrap_label).
    valor = "" if opcion["value"] is None else format_html(' value="{}"', _texto(opcion["value"]))
    para = opcion["attrs"].get("id")
    return format_html(
        '<div>\n    <label{}><input type="{}" name="{}"{}{}>\n {}</label>\n\n</div>',
        format_html(' for="{}"', para) if para else "",
        opcion["type"],
        opcion["name"],
        valor,
        _atributos(opcion["attrs"]),
        opcion["label"],
    )


class RadioSelect(forms.RadioSelect):
    # Django's name: the pages ask a field's widget_type (the class's name) for «radioselect».

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        ident = widget["attrs"].get("id")
        clase = widget["attrs"].get("class")
        grupos = []
        for grupo, opciones, _indice in widget["optgroups"]:
            dibujadas = format_html_join("", "{}", ((_opcion(o),) for o in opciones))
            if grupo:
                dibujadas = format_html("\n  <div><label>{}</label>{}\n  </div>", grupo, dibujadas)
            grupos.append((dibujadas,))
        return format_html(
            "<div{}{}>{}\n</div>",
            format_html(' id="{}"', ident) if ident else "",
            format_html(' class="{}"', clase) if clase else "",
            format_html_join("", "{}", grupos),
        )
