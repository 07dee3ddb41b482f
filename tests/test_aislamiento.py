"""The demo catalogues are loaded once per test database (tests/demo_datos.py): each test
finds them as `cargar_demo` left them, whatever the test before it wrote.

The tests run in pairs, in this order (pytest-django runs the transactional ones last, and
pytest-xdist keeps a file on one worker): the first of each pair changes the demo, the second
must find it unchanged. Without the rollback, or without the restore after a flush, the
second one fails.
"""

import pytest
from django.contrib.auth import get_user_model

from dictamenes.comun import auditoria
from dictamenes.models import Area

NOMBRE_REDES = "Redes y telecomunicaciones"
CAMBIADO = "Cambiado por la prueba anterior"


def _cambiar_la_demostracion():
    Area.objects.filter(clave="redes").update(nombre=CAMBIADO)
    get_user_model().objects.filter(username="mesa").update(is_active=False)
    Area.objects.create(clave="nube", nombre="Servicios de nube")


def _como_la_dejo_cargar_demo():
    # Byte for byte: the demo's audit events still match their hashes (a copy that rounds a
    # timestamp would break the chain).
    assert auditoria.cadena_verificar().integra
    assert Area.objects.get(clave="redes").nombre == NOMBRE_REDES
    assert get_user_model().objects.get(username="mesa").is_active
    assert not Area.objects.filter(clave="nube").exists()


@pytest.mark.django_db
def test_1_una_prueba_cambia_la_demostracion(demo):
    _como_la_dejo_cargar_demo()
    _cambiar_la_demostracion()
    assert Area.objects.get(clave="redes").nombre == CAMBIADO


@pytest.mark.django_db
def test_2_la_siguiente_la_encuentra_como_estaba(demo):
    _como_la_dejo_cargar_demo()


@pytest.mark.django_db(transaction=True)
def test_3_una_prueba_transaccional_confirma_su_cambio(demo):
    _como_la_dejo_cargar_demo()
    _cambiar_la_demostracion()


@pytest.mark.django_db(transaction=True)
def test_4_tras_vaciar_la_base_la_demostracion_vuelve(demo):
    _como_la_dejo_cargar_demo()
