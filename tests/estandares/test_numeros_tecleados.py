"""Issue 61, item 4: a number typed with full-width digits («１０») was read as 10: Django's and
DRF's number fields call int() or Decimal(), which read any script's digits. Refused, with
the query strings' message, on every path a person types a number: a page's form, the admin,
the API and a command's argument (estandares.entradas.instalar_numeros_estrictos)."""

import pytest
from django import forms
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from dictamenes.models import Solicitud
from dictamenes.tramite.forms.solicitud import PartidaForm
from estandares.entradas import ERROR_DIGITOS, ERROR_ENTERO
from estandares.models import Categoria
from tests.dictamenes.flujo_utils import usuario
from tests.dictamenes.test_api import NUEVA, cliente
from tests.perfiles import ejemplos

ENTERO = str(ERROR_ENTERO)
# Full-width, Arabic-Indic, Devanagari, mathematical bold digits, and Python's underscore.
TECLEADOS = ["１０", "١٠", "१०", "\U0001d7cf\U0001d7ce", "1_0", " １０ "]


@pytest.mark.parametrize("tecleado", TECLEADOS)
@pytest.mark.parametrize(
    ("campo", "mensaje"),
    [
        (forms.IntegerField, ENTERO),
        (forms.DecimalField, str(ERROR_DIGITOS)),
        (forms.FloatField, str(ERROR_DIGITOS)),
    ],
)
def test_los_campos_de_numero_de_django_rechazan_otros_digitos(campo, mensaje, tecleado):
    with pytest.raises(forms.ValidationError) as error:
        campo().clean(tecleado)
    assert error.value.messages == [mensaje]
    assert campo().clean(" 10 ") == 10  # the ASCII digits, spaces around: as before


@pytest.mark.parametrize("tecleado", TECLEADOS)
@pytest.mark.parametrize(
    ("campo", "mensaje"),
    [
        (serializers.IntegerField(), ENTERO),
        (serializers.DecimalField(max_digits=5, decimal_places=2), str(ERROR_DIGITOS)),
        (serializers.FloatField(), str(ERROR_DIGITOS)),
    ],
)
def test_los_campos_de_numero_de_drf_rechazan_otros_digitos(campo, mensaje, tecleado):
    with pytest.raises(serializers.ValidationError) as error:
        campo.run_validation(tecleado)
    assert error.value.detail == [mensaje]
    assert campo.run_validation("10") == 10


@pytest.mark.parametrize("tecleado", ["diez", "dieciséis", "１０ piezas"])
def test_lo_que_no_es_numero_conserva_el_mensaje_de_django(tecleado):
    """Only what Python reads as a number is refused here; words are Django's to refuse."""
    with pytest.raises(forms.ValidationError) as error:
        forms.IntegerField().clean(tecleado)
    assert error.value.messages == ["Introduzca un número entero."]


@settings(max_examples=ejemplos(50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.sampled_from([0xFF10, 0x0660, 0x0966, 0x1D7CE, 0x09E6]))
def test_cualquier_numero_en_digitos_de_otra_escritura(numero, cero):
    """Each digit of `numero` written in a script whose zero is `cero` (int() reads it)."""
    tecleado = "".join(chr(cero + int(d)) for d in str(numero))
    assert int(tecleado) == numero  # what Python does
    with pytest.raises(forms.ValidationError) as error:
        forms.IntegerField().clean(tecleado)
    assert error.value.messages == [ENTERO]


@pytest.mark.django_db
def test_la_cantidad_de_una_partida_en_la_pagina(demo):
    form = PartidaForm(data={"descripcion": "Computadoras", "cantidad": "１０"})
    assert form.errors.get("cantidad") == [ENTERO]


@pytest.mark.django_db
def test_el_orden_de_una_categoria_en_el_admin(demo):
    request = RequestFactory().get("/admin/")
    request.user = usuario("admin")
    modelo_admin = admin.site._registry[Categoria]
    form = modelo_admin.get_form(request)(data={"orden": "１０", "clave": "x", "nombre": "X"})
    assert form.errors.get("orden") == [ENTERO]


@pytest.mark.django_db
def test_el_ejercicio_de_una_solicitud_en_la_api(demo):
    respuesta = cliente("requirente.sh").post(
        "/api/v1/solicitudes/", {**NUEVA, "ejercicio": "２０２６"}, format="json"
    )
    assert respuesta.status_code == 400
    assert respuesta.json()["ejercicio"] == [ENTERO]
    assert not Solicitud.objects.filter(titulo=NUEVA["titulo"]).exists()


@pytest.mark.django_db
def test_los_dias_de_un_comando(demo):
    with pytest.raises(CommandError) as error:
        call_command("sellos_archivo_renovar", "--dias", "３０")
    assert str(error.value) == f"Error: argument --dias: {ENTERO}"
