"""The decision's fields drawn in Python (dictamenes.comun.widgets) are what Django's templates
draw, character for character (issue 92, item 6): each widget beside Django's in the cases the
page meets (a value or none, zero, text to escape, attributes true, false, empty or zero), and
every field of the strategic decision and of a sign's form, fresh and refused, beside the same
field drawn by Django's own widget."""

import copy
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from dictamenes.comun import widgets
from dictamenes.models import Area
from dictamenes.senales.forms import SenalAtencionForm
from dictamenes.tramite.forms.pasos import EstrategicaForm

ATRIBUTOS = [
    None,
    {"id": "id_p1_cantidad", "required": True},
    {"id": 'x"<y>', "aria-describedby": "a b", "disabled": False, "data-cero": 0},
    {"data-vacio": "", "data-no": None, "data-seguro": mark_safe("<b>"), "readonly": True},
]
VALORES = [None, "", 0, 12, Decimal("1500.50"), 'texto con "comillas" & <marcas>', "línea\n"]


@pytest.mark.parametrize(
    ("nuestro", "de_django", "kw"),
    [
        (widgets.NumberInput, forms.NumberInput, {}),
        (widgets.NumberInput, forms.NumberInput, {"attrs": {"step": "0.01", "min": 1}}),
        (widgets.TextInput, forms.TextInput, {"attrs": {"class": "ancho <raro>"}}),
        (widgets.Textarea, forms.Textarea, {}),
        (widgets.Textarea, forms.Textarea, {"attrs": {"rows": 2}}),
    ],
)
@pytest.mark.parametrize("valor", VALORES)
@pytest.mark.parametrize("attrs", ATRIBUTOS)
def test_cada_control_dibuja_lo_mismo_que_el_de_django(nuestro, de_django, kw, valor, attrs):
    nombre = 'p1_"monto"'
    assert nuestro(**kw).render(nombre, valor, attrs) == de_django(**kw).render(
        nombre, valor, attrs
    )


def _con_los_de_django(form):
    """The same form with each Python-drawn widget swapped for Django's class it extends."""
    otro = copy.deepcopy(form)
    for campo in otro.fields.values():
        if type(campo.widget).__module__ == widgets.__name__:
            campo.widget.__class__ = type(campo.widget).__mro__[1]
    return otro


def _campos_dibujados(form) -> dict[str, str]:
    return {nombre: str(form[nombre]) for nombre in form.fields if nombre != "area"}


def _decision(datos=None):
    partidas = [
        # Without a price view (`precio`): no reason is asked for approving them.
        SimpleNamespace(
            pk=7, descripcion="Equipo «A» & <B>", cantidad=3, importe=Decimal(30), precio=None
        ),
        SimpleNamespace(pk=8, descripcion="Licencia", cantidad=1, importe=Decimal(10), precio=None),
    ]
    motivos = [
        SimpleNamespace(clave="precio", nombre="Precio por encima de la referencia"),
        SimpleNamespace(clave="otro", nombre="Otro <motivo>"),
    ]
    return EstrategicaForm(
        datos, areas=Area.objects.none(), partidas=partidas, motivos_rechazo=motivos
    )


@pytest.mark.parametrize(
    "datos",
    [
        None,
        # Refused: errors beside their fields (aria-invalid, the error's id), and what was typed.
        {
            "accion": "decidir",
            "motivos": "",
            "condiciones": 'Redes: "enlace" <redundante>',
            "p7_resultado": "reducida",
            "p7_cantidad": "0",
            "p7_monto": "abc",
            "p7_motivo": "otro",
            "p7_texto": "Porque <sí> & también",
            "p8_resultado": "aprobada",
            "p8_cantidad": "1",
            "p8_monto": "10.00",
        },
    ],
)
def test_los_campos_de_la_decision_se_dibujan_como_los_dibuja_django(datos):
    form = _decision(datos)
    if datos:
        assert not form.is_valid()
    nuestros = _campos_dibujados(form)
    assert {n for n, f in form.fields.items() if "widgets" in type(f.widget).__module__} >= {
        "accion",
        "motivos",
        "condiciones",
        "p7_resultado",
        "p7_cantidad",
        "p7_monto",
        "p7_motivo",
        "p7_texto",
    }
    django = _con_los_de_django(form)
    if datos:
        assert not django.is_valid()
    assert nuestros == _campos_dibujados(django)


@pytest.mark.parametrize(
    "datos", [None, {"senal-atencion": "nada", "senal-atencion_nota": "<corta>"}]
)
def test_el_formulario_de_una_senal_se_dibuja_como_lo_dibuja_django(datos):
    form = SenalAtencionForm(datos, prefix="senal")
    form.auto_id = "senal3-%s"
    if datos:
        assert not form.is_valid()
    django = _con_los_de_django(form)
    if datos:
        assert not django.is_valid()
    assert _campos_dibujados(form) == _campos_dibujados(django)
    assert form["atencion"].widget_type == "radioselect"
    assert form["atencion_nota"].widget_type == "textarea"


@pytest.mark.parametrize("datos", [None, {"accion": "decidir", "p7_resultado": "reducida"}])
@pytest.mark.parametrize("clase", ["", "campo--si-decide <x>"])
def test_cada_campo_dibujado_en_python_es_el_de_su_plantilla(datos, clase):
    form = _decision(datos)
    if datos:
        form.is_valid()
    senal = SenalAtencionForm({"senal-atencion": "nada"}, prefix="senal")
    senal.is_valid()
    campos = [form[n] for n in form.fields if n != "area"] + [senal[n] for n in senal.fields]
    # Radios and the rest, with help and without, with errors and without.
    assert {c.widget_type for c in campos} >= {"radioselect", "number", "textarea"}
    assert any(c.errors for c in campos) and any(not c.errors for c in campos)
    for campo in campos:
        plantilla = render_to_string("solicitudes/_campo.html", {"campo": campo, "clase": clase})
        assert str(widgets.CampoDibujado(campo, clase)) == plantilla
