import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from estandares import entradas, services
from estandares.models import Perfil, Requisito

pytestmark = pytest.mark.django_db


@pytest.fixture
def dos_ediciones(edicion_2024):
    nueva = services.publicacion_nueva_version(base=edicion_2024, version="2025.1")
    ram = Requisito.objects.get(clave="ram", perfil__categoria__publicacion=nueva)
    ram.minimo = 32
    ram.save()
    Requisito.objects.get(clave="monitor", perfil__categoria__publicacion=nueva).delete()
    perfil = Perfil.objects.get(clave="basico", categoria__publicacion=nueva)
    Requisito.objects.create(
        perfil=perfil, clave="tpm", nombre="TPM 2.0", tipo="booleano", fundamento="1.1.9"
    )
    services.publicacion_publicar(publicacion=nueva, vigente_desde=datetime.date(2025, 3, 1))
    return edicion_2024, nueva


def test_catalogo_publico_vigente(client, edicion_2024, django_assert_max_num_queries):
    textos_vigentes_en_cache()  # warm, as on a running site: the header reads it from the cache
    with django_assert_max_num_queries(6):
        response = client.get(reverse("estandares:catalogo"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Estándares de prueba" in html
    assert "2 categorías" in html
    assert "Computadora de escritorio" in html and "Equipo de cómputo e impresión" in html
    assert "29 de agosto de 2024" in html


def test_categoria_muestra_perfiles_y_requisitos(client, edicion_2024):
    response = client.get(
        reverse("estandares:categoria", args=["2024.1", "computadora-escritorio"])
    )
    html = response.content.decode()
    assert "Perfil Básico" in html
    assert "≥ 16 GB" in html
    assert "≥ 21 pulgadas y ≤ 27.5 pulgadas" in html
    assert "SSD o NVMe" in html
    assert "Recomendado" in html and "Numeral 1.1.2" in html


def test_los_borradores_no_son_publicos(client, borrador):
    assert client.get(reverse("estandares:edicion", args=["2024.1"])).status_code == 404
    perfil = Perfil.objects.get(clave="basico")
    url = reverse("estandares:autoevaluacion") + f"?perfil={perfil.pk}"
    assert client.get(url).status_code == 404
    assert (
        "Todavía no hay una edición" in client.get(reverse("estandares:catalogo")).content.decode()
    )


def test_comparar_ediciones(client, dos_ediciones):
    response = client.get(reverse("estandares:comparar"), {"anterior": "2024.1", "nueva": "2025.1"})
    html = response.content.decode()
    assert "1 elemento agregado" in html and "TPM 2.0" in html
    assert "1 elemento eliminado" in html and "Tamaño del monitor" in html
    assert "1 elemento modificado" in html
    assert "<del>16.0000</del>" in html or "<del>16</del>" in html
    assert "<ins>32" in html


def test_autoevaluacion_da_el_resultado_por_requisito(client, edicion_2024):
    perfil = Perfil.objects.get(clave="basico")
    response = client.post(
        reverse("estandares:autoevaluacion"),
        {
            "perfil": perfil.pk,
            "ram": "8",
            "ram__unidad": "GB",
            "almacenamiento": "SSD",
            "monitor": "24",
            "monitor__unidad": "pulgadas",
        },
    )
    html = response.content.decode()
    assert "Veredicto: <strong>No cumple</strong>" in html
    assert "8 GB es menor que el mínimo de 16 GB" in html
    assert "«SSD» es una opción aceptada" in html


def test_autoevaluacion_acepta_otra_unidad(client, edicion_2024):
    perfil = Perfil.objects.get(clave="basico")
    response = client.post(
        reverse("estandares:autoevaluacion"),
        {"perfil": perfil.pk, "ram": "0.032", "ram__unidad": "TB", "almacenamiento": "NVMe"},
    )
    html = response.content.decode()
    assert "Veredicto: <strong>Cumple</strong>" in html
    assert "0.032 TB (32 GB) cumple" in html


def test_autoevaluacion_con_texto_en_un_numero_da_error_claro(client, edicion_2024):
    perfil = Perfil.objects.get(clave="basico")
    response = client.post(
        reverse("estandares:autoevaluacion"),
        {"perfil": perfil.pk, "ram": "dieciséis", "almacenamiento": "SSD"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Introduzca un número." in html
    assert "Veredicto" not in html
    assert 'value="dieciséis"' in html  # what was typed is not lost


def test_autoevaluacion_perfil_inexistente(client, edicion_2024):
    response = client.get(reverse("estandares:autoevaluacion"), {"perfil": "999999"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("perfil", "error"),
    [
        *((valor, entradas.ERROR_ENTERO) for valor in ("abc", "NaN", "1e3", "-1", "١٢")),
        ("9" * 30, entradas.ERROR_ENTERO_GRANDE),
    ],
)
def test_autoevaluacion_perfil_que_no_es_numero_da_400_en_espanol(
    client, edicion_2024, perfil, error
):
    """It was a 404 ("abc"), or the profile 12 ("١٢"): now the page says what is wrong."""
    response = client.get(reverse("estandares:autoevaluacion"), {"perfil": perfil})
    assert response.status_code == 400
    assert escape(f"Perfil: {error}") in response.content.decode()
