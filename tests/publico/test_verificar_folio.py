"""Issue 47: /verificar/ had no field for a folio, and a mistyped folio URL gave a bare 404.
A person types the folio (spaces and case as they come) and lands on the dictamen's page; a
folio no dictamen has says so in Spanish, on the same page, with the folio field filled."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from tests.dictamenes.flujo_utils import en_firma, firmar
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

dictamen_del_modulo = por_modulo(lambda: firmar(en_firma(areas=("computo",))))


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def escrito_a_mano(folio: str) -> str:
    """ "SGD/DGPDGT/DT/2026/0001" as a person might type it: lower case, spaces around."""
    primero, resto = folio.split("/", 1)
    return f"  {primero.lower()} / {resto.lower()} "


def test_la_pagina_tiene_un_campo_para_el_folio(client, demo):
    arbol = lxml_html.fromstring(client.get(reverse("verificar")).content.decode())
    (formulario,) = arbol.xpath("//form[@method='get'][.//input[@name='folio']]")
    assert formulario.get("action") == reverse("verificar")
    (etiqueta,) = formulario.xpath(".//label[@for='id_folio']")
    assert etiqueta.text_content() == "Folio del dictamen"


def test_el_folio_tecleado_con_espacios_y_minusculas_lleva_a_su_dictamen(client, dictamen):
    respuesta = client.get(reverse("verificar"), {"folio": escrito_a_mano(dictamen.folio)})
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("verificar_folio", args=[dictamen.folio])
    pagina = client.get(respuesta["Location"])
    assert f"<h1>Dictamen {dictamen.folio}</h1>" in pagina.content.decode()


def test_la_direccion_del_folio_mal_escrita_lleva_a_su_dictamen(client, dictamen):
    url = reverse("verificar_folio", args=[dictamen.folio.lower()])
    respuesta = client.get(url)
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("verificar_folio", args=[dictamen.folio])


@pytest.mark.parametrize("como", ["campo", "direccion"])
def test_un_folio_que_no_existe_lo_dice_en_espanol(client, dictamen, como):
    folio = dictamen.folio[:-4] + "9999"
    if como == "campo":
        respuesta = client.get(reverse("verificar"), {"folio": folio})
    else:
        respuesta = client.get(reverse("verificar_folio", args=[folio]))
    assert respuesta.status_code == 404
    arbol = lxml_html.fromstring(respuesta.content.decode())
    assert arbol.xpath("//h1")[0].text_content() == "Verificar un dictamen"
    (error,) = arbol.xpath("//*[@id='id_folio_error']")
    assert error.text_content() == (
        f"No hay un dictamen con el folio «{folio}». Revise que lo copió completo, con sus "
        "diagonales, o suba el PDF."
    )
    (campo,) = arbol.xpath("//input[@name='folio']")
    assert campo.get("value") == folio
    assert campo.get("aria-invalid") == "true"
