"""The project's RadioSelect (dictamenes.comun.widgets) draws what Django's draws, character for
character, in the cases the pages meet: chosen or not, required, grouped choices, a class, no
id, text to escape, and attributes that are false, empty or zero."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from dictamenes.comun.widgets import RadioSelect as RadioRapido

OPCIONES = [
    ("aprobada", "Aprobada"),
    ("reducida", 'Aprobada por menos: <cantidad> & "monto"'),
    ("", "Ninguno"),
    (3, mark_safe("<em>Otro</em> motivo")),
]
GRUPOS = [("Del catálogo", [("a", "Uno"), ("b", "Dos")]), ("c", "Suelto")]


def _ambos(choices, name, value, de_render, kw):
    django = forms.RadioSelect(choices=choices, **kw).render(name, value, de_render)
    nuestro = RadioRapido(choices=choices, **kw).render(name, value, de_render)
    return django, nuestro


@pytest.mark.parametrize(
    ("choices", "valor", "attrs", "kw"),
    [
        (OPCIONES, None, {"id": "id_p1_resultado"}, {}),
        (OPCIONES, "reducida", {"id": "id_p1_resultado", "required": True}, {}),
        (OPCIONES, 3, {"id": "id_x", "aria-describedby": 'a"b'}, {}),
        (OPCIONES, "", None, {}),
        (GRUPOS, "b", {"id": "id_g"}, {"attrs": {"class": "opciones <raras>"}}),
        (GRUPOS, None, {"disabled": True, "data-x": False}, {}),
        (OPCIONES, "aprobada", {"data-cero": 0, "data-vacio": "", "data-no": None}, {}),
    ],
)
def test_dibuja_lo_mismo_que_radioselect(choices, valor, attrs, kw):
    django, nuestro = _ambos(choices, 'p1_"resultado"', valor, attrs, kw)
    assert nuestro == django


def test_un_formulario_lo_dibuja_igual_con_su_error_y_su_ayuda():
    class Django(forms.Form):
        motivo = forms.ChoiceField(choices=OPCIONES, widget=forms.RadioSelect, help_text="Ayuda")

    class Nuestro(forms.Form):
        motivo = forms.ChoiceField(choices=OPCIONES, widget=RadioRapido, help_text="Ayuda")

    datos = {"motivo": "inexistente"}
    # The pages draw a fieldset around a field whose widget_type is «radioselect».
    assert Nuestro(datos)["motivo"].widget_type == "radioselect"
    assert str(Nuestro(datos)["motivo"]) == str(Django(datos)["motivo"])
    assert str(Nuestro(datos)) == str(Django(datos))
