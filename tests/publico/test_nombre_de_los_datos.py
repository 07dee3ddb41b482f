"""Issue 61, item 1: the open data package was named «dictamenes-tic-sonora» in the code. Its
name is the installation's (DJANGO_DATOS_ABIERTOS_NOMBRE), Sonora's published one by default so
harvesters keep recognising it, and `manage.py check` refuses one Frictionless would not accept."""

import json

import pytest

from publico import catalogo

pytestmark = pytest.mark.django_db

PAQUETE = "/datos-abiertos/datapackage.json"


def test_el_paquete_se_llama_como_lo_configura_la_instalacion(client, settings):
    settings.DICTAMENES_DATOS_ABIERTOS_NOMBRE = "dictamenes-tic-anahuac"
    respuesta = client.get(PAQUETE)
    assert respuesta.status_code == 200
    paquete = json.loads(respuesta.getvalue())
    assert paquete["name"] == "dictamenes-tic-anahuac"


def test_por_omision_conserva_el_nombre_publicado(client):
    """What Sonora's harvesters have known it by since it was first published."""
    from config.settings import base

    assert base.DICTAMENES_DATOS_ABIERTOS_NOMBRE == "dictamenes-tic-sonora"


@pytest.mark.parametrize(
    "nombre", ["Dictamenes-TIC", "dictámenes-tic", "dictamenes tic", "dictamenes/tic", ""]
)
def test_un_nombre_que_frictionless_no_acepta_es_un_error_de_check(settings, nombre):
    settings.DICTAMENES_DATOS_ABIERTOS_NOMBRE = nombre
    (error,) = catalogo.comprobar_nombre()
    assert error.id == "publico.E162"
    assert error.msg == (
        f"El nombre del paquete de datos abiertos «{nombre}» no es un nombre de Frictionless: "
        "solo minúsculas sin acentos, dígitos, «-», «_» y «.»."
    )


@pytest.mark.parametrize("nombre", ["dictamenes-tic-anahuac", "dictamenes_tic.v2", "tic2026"])
def test_un_nombre_de_frictionless_pasa(settings, nombre):
    settings.DICTAMENES_DATOS_ABIERTOS_NOMBRE = nombre
    assert catalogo.comprobar_nombre() == []
