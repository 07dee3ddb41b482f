"""Issue 47: /verificar/ had no field for a folio, and a mistyped folio URL gave a bare 404.
A person types the folio (spaces and case as they come) and lands on the dictamen's page; a
folio no dictamen has says so in Spanish, on the same page, with the folio field filled."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from dictamenes.emision.selectors import folios
from tests.dictamenes.flujo_utils import en_firma, firmar
from tests.perfiles import ejemplos
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


# --- Issue 61, item 2: the separators of each state's folios --------------------------------

SONORA = "SGD/DGPDGT/DT/{anio}/{numero:04d}"
ANAHUAC = "AGD-ANH-{anio}-{numero:05d}"


def _buscar(client, tecleado):
    return client.get(reverse("verificar"), {"folio": tecleado})


def _error(respuesta) -> str:
    assert respuesta.status_code == 404
    (error,) = lxml_html.fromstring(respuesta.content.decode()).xpath("//*[@id='id_folio_error']")
    return error.text_content()


@pytest.fixture
def de_anahuac(dictamen):
    """Sonora's dictamen, then the institution's folio pattern changed to Anáhuac's and a
    dictamen issued under it."""
    from tests.dictamenes.organizacion.test_textos_institucionales import guardar

    guardar(folio_dictamen=ANAHUAC)
    return dictamen, firmar(en_firma(areas=("redes",), titulo="Red de Anáhuac"))


def test_un_folio_con_espacios_en_lugar_de_diagonales_lleva_a_su_dictamen(client, dictamen):
    anio, numero = dictamen.folio.split("/")[-2:]
    for tecleado in (
        dictamen.folio.replace("/", " "),
        f"sgd dgpdgt dt {anio} {int(numero)}",  # and the number without its zeros
        dictamen.folio.replace("/", "-"),
    ):
        respuesta = _buscar(client, tecleado)
        assert respuesta.status_code == 302, tecleado
        assert respuesta["Location"] == reverse("verificar_folio", args=[dictamen.folio])


def test_con_el_patron_de_anahuac_los_espacios_valen_por_guiones(client, de_anahuac):
    sonora, anahuac = de_anahuac
    anio = anahuac.emitido_en.year
    assert anahuac.folio.startswith(f"AGD-ANH-{anio}-0000")
    numero = int(anahuac.folio.rsplit("-", 1)[1])
    for tecleado, dictamen in (
        (anahuac.folio.replace("-", " "), anahuac),  # «AGD ANH 2026 00007»
        (f"agd anh {anio} {numero}", anahuac),
        (f"AGD/ANH/{anio}/{numero:05d}", anahuac),
        # The folios issued under the pattern before still found, with spaces too.
        (sonora.folio.replace("/", " "), sonora),
    ):
        respuesta = _buscar(client, tecleado)
        assert respuesta.status_code == 302, tecleado
        assert respuesta["Location"] == reverse("verificar_folio", args=[dictamen.folio])


def test_el_error_nombra_los_separadores_de_los_folios_de_la_institucion(client, de_anahuac):
    """Not «con sus diagonales» to an Anáhuac folio: its pattern's hyphens first, then the
    slashes of the folios issued before it."""
    _sonora, anahuac = de_anahuac
    folio = anahuac.folio[:-5] + "99999"
    assert _error(_buscar(client, folio)) == (
        f"No hay un dictamen con el folio «{folio}». Revise que lo copió completo, con sus "
        "guiones y diagonales, o suba el PDF."
    )


@pytest.mark.parametrize(
    ("patrones", "nombres"),
    [
        ([ANAHUAC], ["guiones"]),
        ([SONORA], ["diagonales"]),
        ([ANAHUAC, SONORA], ["guiones", "diagonales"]),
        (["DT{anio}{numero:04d}"], []),
        (["DT.{anio}_{numero:04d}#"], ["puntos", "guiones bajos", "«#»"]),
    ],
)
def test_los_separadores_de_cada_patron(patrones, nombres):
    assert folios.separadores(patrones) == nombres


def test_buscar_un_folio_tecleado_es_una_consulta_por_indice(client, de_anahuac):
    """Three queries whatever the table holds (the folio as typed, the patterns, the folio in
    each pattern), each on the folio's unique index: no function of the column to compare."""
    _sonora, anahuac = de_anahuac
    with CaptureQueriesContext(connection) as consultas:
        assert _buscar(client, anahuac.folio.replace("-", " ")).status_code == 302
    del_dictamen = [
        q["sql"] for q in consultas.captured_queries if 'FROM "dictamenes_dictamen"' in q["sql"]
    ]
    assert len(del_dictamen) == 2
    assert [sql for sql in del_dictamen if "UPPER" in sql or "REPLACE" in sql] == []
    assert '"dictamenes_dictamen"."folio" IN (' in del_dictamen[1]


@settings(max_examples=ejemplos(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    patron=st.sampled_from([SONORA, ANAHUAC]),
    anio=st.integers(2000, 2099),
    numero=st.integers(1, 99_999),
    separador=st.lists(
        st.sampled_from([" ", "  ", "-", "/", ".", "_", "\u2013", "\u00a0", " / ", ""]),
        min_size=8,
        max_size=8,
    ),
    minusculas=st.booleans(),
)
def test_cualquier_separador_y_cualquier_caja_dan_el_mismo_folio(
    patron, anio, numero, separador, minusculas
):
    """The separators people type (spaces, hyphens, slashes, an en dash from a word processor,
    a non-breaking space, none at all) between the parts of either state's folio."""
    folio = patron.format(anio=anio, numero=numero)
    partes = re.split(r"[/-]", folio)
    tecleado = "".join(p + s for p, s in zip(partes, separador, strict=False))
    tecleado = tecleado.lower() if minusculas else tecleado
    assert folio in folios.folio_candidatos(folio=tecleado, patrones=[SONORA, ANAHUAC])
