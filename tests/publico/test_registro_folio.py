"""The public register filtered by folio as well as by year (issue 78, item 5): a citizen
with a dictamen's folio in hand finds that one, typed as people type it, and a folio that is
too long or names nothing gets a Spanish sentence, not an error page."""

import html
import re

import pytest
from django.urls import reverse

from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from tests.dictamenes.flujo_utils import en_firma, firmar

pytestmark = pytest.mark.django_db


@pytest.fixture
def emitidos(demo):
    return [
        firmar(en_firma(areas=("redes",), titulo="Conmutadores del C5i")),
        firmar(en_firma(areas=("computo",), titulo="Equipo de ventanilla")),
    ]


def _folios(pagina: str) -> list[str]:
    """The folios the register's rows show, in order."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', pagina)


def _registro(client, **filtros):
    return client.get(reverse("registro"), filtros)


def test_el_folio_encuentra_ese_dictamen_y_deja_fuera_los_demas(emitidos, client):
    uno, otro = emitidos
    assert _folios(_registro(client).content.decode()) == [otro.folio, uno.folio]
    for escrito in (uno.folio, f"  {uno.folio.lower()} ", " ".join(re.split(r"\W+", uno.folio))):
        r = _registro(client, folio=escrito)
        assert (escrito, r.status_code, _folios(r.content.decode())) == (escrito, 200, [uno.folio])
    # With the year too: both filters hold.
    ejercicio = uno.solicitud.ejercicio
    assert _folios(_registro(client, folio=otro.folio, ejercicio=ejercicio).content.decode()) == [
        otro.folio
    ]
    r = _registro(client, folio=otro.folio, ejercicio=ejercicio - 1)
    assert _folios(r.content.decode()) == []
    assert (
        f"No hay un dictamen emitido con el folio «{otro.folio}» en el ejercicio {ejercicio - 1}."
        in html.unescape(r.content.decode())
    )


def test_un_folio_que_no_existe_lo_dice_en_espanol(emitidos, client):
    r = _registro(client, folio="NO-ES-UN-FOLIO-123")
    assert r.status_code == 200
    pagina = html.unescape(r.content.decode())
    assert _folios(pagina) == []
    assert (
        "No hay un dictamen emitido con el folio «NO-ES-UN-FOLIO-123». Revise que lo copió "
        "completo, o busque por ejercicio." in pagina
    )
    # What was typed stays in the field.
    assert 'name="folio" maxlength="80" value="NO-ES-UN-FOLIO-123"' in pagina


@pytest.mark.parametrize(
    ("escrito", "mensaje"),
    [
        (
            "X" * 81,
            "Folio: Asegúrese de que este valor tenga como máximo 80 caracteres (tiene 81).",
        ),
        (
            "SGD\u202e1",
            "Folio: El texto contiene caracteres invisibles, de control o de dirección (U+202E) "
            "que no se permiten.",
        ),
    ],
    ids=["largo", "direccion"],
)
def test_un_folio_imposible_se_rechaza_con_su_mensaje(emitidos, client, escrito, mensaje):
    r = _registro(client, folio=escrito)
    pagina = html.unescape(r.content.decode())
    assert (r.status_code, _folios(pagina)) == (400, [])
    assert mensaje in pagina


def test_buscar_por_folio_no_crece_en_consultas(emitidos, client, django_assert_max_num_queries):
    textos_vigentes_en_cache()
    uno = emitidos[0]
    escrito = " ".join(re.split(r"\W+", uno.folio))  # not as issued: the patterns are read
    # The register's five, and the folio's three (as issued, the patterns, the candidates).
    with django_assert_max_num_queries(8):
        r = _registro(client, folio=escrito)
    assert _folios(r.content.decode()) == [uno.folio]
