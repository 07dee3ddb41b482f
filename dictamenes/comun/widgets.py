"""Widgets drawn in Python, byte for byte as Django's templates draw them.

Django draws each widget through nested templates (a radio choice through four: radio_option,
input_option, input, attrs; a number through three). The decision on ten items draws about 50
fields and 140 radio choices (a result and a motive from the catalogue per item): drawing them
was most of the page's first visit after a change (issue 92, item 6;
bench/results/causas-2026-11-29.md). These widgets keep Django's context (get_context: ids,
checked, attributes, the formatted value) and write the same markup in one pass, escaping as
the templates do (conditional_escape: what is already safe stays as it is); a test compares
each with Django's (tests/dictamenes/comun/test_widgets.py). Each keeps Django's class name:
the pages ask a field's widget_type («radioselect», «textarea»), made of it.
"""

import html

from django import forms
from django.utils.functional import Promise
from django.utils.safestring import mark_safe


def _texto(valor):
    # stringformat:'s' keeps a safe string safe (is_safe=True) and makes anything else a str.
    return valor if hasattr(valor, "__html__") else str(valor)


def escapar(valor) -> str:
    # django.utils.html.conditional_escape, step by step (a lazy text as its text, what is
    # already safe as it is, anything else through html.escape), without keep_lazy's check of
    # every argument and the SafeString each call made: the decision on ten items escapes
    # ~1,500 values in a first visit after a change.
    if isinstance(valor, Promise):
        valor = str(valor)
    if hasattr(valor, "__html__"):
        return str(valor.__html__())
    return html.escape(str(valor))


_e = escapar  # the name this module's drawing uses, short in its f-strings


def _atributos(attrs: dict) -> str:
    # attrs.html: False is left out, True is written bare, anything else as name="value".
    return "".join(
        f" {_e(n)}" if v is True else f' {_e(n)}="{_e(_texto(v))}"'
        for n, v in attrs.items()
        if v is not False
    )


def _entrada(widget: dict) -> str:
    # input.html: the value only when there is one (format_value gives None for none).
    valor = "" if widget["value"] is None else f' value="{_e(_texto(widget["value"]))}"'
    return (
        f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{valor}'
        f"{_atributos(widget['attrs'])}>"
    )


def _opcion(opcion: dict) -> str:
    # radio_option.html → input_option.html → input.html, with the newline each template ends
    # with. A RadioSelect's choice always wraps its label (wrap_label).
    para = opcion["attrs"].get("id")
    para = f' for="{_e(para)}"' if para else ""
    return f"<div>\n    <label{para}>{_entrada(opcion)}\n {_e(opcion['label'])}</label>\n\n</div>"


class RadioSelect(forms.RadioSelect):
    def render(self, name, value, attrs=None, renderer=None):
        # radio.html → multiple_input.html.
        widget = self.get_context(name, value, attrs)["widget"]
        ident = widget["attrs"].get("id")
        clase = widget["attrs"].get("class")
        grupos = []
        for grupo, opciones, _indice in widget["optgroups"]:
            dibujadas = "".join(_opcion(o) for o in opciones)
            if grupo:
                dibujadas = f"\n  <div><label>{_e(grupo)}</label>{dibujadas}\n  </div>"
            grupos.append(dibujadas)
        ident = f' id="{_e(ident)}"' if ident else ""
        clase = f' class="{_e(clase)}"' if clase else ""
        return mark_safe(f"<div{ident}{clase}>{''.join(grupos)}\n</div>")  # noqa: S308 (escaped)


class NumberInput(forms.NumberInput):
    # A subclass: IntegerField and DecimalField give a NumberInput its min, max and step.
    def render(self, name, value, attrs=None, renderer=None):
        # number.html → input.html.
        return mark_safe(_entrada(self.get_context(name, value, attrs)["widget"]))  # noqa: S308


class TextInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        # text.html → input.html.
        return mark_safe(_entrada(self.get_context(name, value, attrs)["widget"]))  # noqa: S308


class Textarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        # textarea.html: its text on a line of its own, none when empty.
        widget = self.get_context(name, value, attrs)["widget"]
        texto = _e(widget["value"]) if widget["value"] else ""
        return mark_safe(  # noqa: S308 (escaped)
            f'<textarea name="{_e(widget["name"])}"{_atributos(widget["attrs"])}>\n'
            f"{texto}</textarea>"
        )


class CampoDibujado:
    """A form's field as templates/solicitudes/_campo.html draws it (its label or legend, its
    control, its help and its errors), drawn in Python the first time a page prints it: the
    decision on ten items prints fifty of them, one template include each. A test compares it
    with the template's drawing (tests/dictamenes/tramite/test_decision_widgets.py)."""

    def __init__(self, campo, clase: str = ""):
        self._campo, self._clase, self._dibujo = campo, clase, None

    def __html__(self) -> str:
        if self._dibujo is None:
            self._dibujo = mark_safe(self._dibujar())  # noqa: S308 (escaped)
        return self._dibujo

    __str__ = __html__

    def _dibujar(self) -> str:
        c = self._campo
        errores, ayuda = c.errors, c.help_text
        clase = f" {_e(self._clase)}" if self._clase else ""
        if errores:
            clase += " campo--error"
        if c.widget_type == "radioselect":
            invalido = ' aria-invalid="true"' if errores else ""
            describe = ""
            if ayuda or errores:
                ids = []
                if ayuda:
                    ids.append(f"{_e(c.auto_id)}_helptext")
                if errores:
                    ids.append(f"{_e(c.auto_id)}_error")
                describe = f' aria-describedby="{" ".join(ids)}"'
            control = (
                f"<fieldset{invalido}{describe}><legend>{_e(c.label)}</legend>{c}</fieldset>\n  "
            )
        else:
            control = f'<label for="{_e(c.id_for_label)}">{_e(c.label)}</label>{c}'
        ayuda = (
            f'<span class="ayuda" id="{_e(c.auto_id)}_helptext">{_e(ayuda)}</span>' if ayuda else ""
        )
        errores = (
            f'<span class="error" id="{_e(c.auto_id)}_error">'
            f"{' '.join(_e(e) for e in errores)}</span>"
            if errores
            else ""
        )
        return f'<div class="campo{clase}">\n  {control}\n  {ayuda}\n  {errores}\n</div>\n'
