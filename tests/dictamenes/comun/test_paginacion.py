"""A search reads its exact total with the page's own rows (comun.paginacion): one pass over
the rows, and every page, total and page number exactly as Django's own Paginator gives them,
whatever the person types in ?p=. A list that is only scoped is counted apart."""

import pytest
from django.core.paginator import Paginator

from dictamenes.comun.paginacion import PaginadorEstimado
from dictamenes.models import Ente

pytestmark = pytest.mark.django_db

NUMEROS = [None, "", "1", "2", "3", "4", "5", "6", "99", "0", "-1", "abc", "2.0", 2, 2.0, 2.5]
NUMEROS += ["1e3"]


def _filtradas():
    return Ente.objects.filter(pk__gt=0).order_by("pk")


def _como_se_ve(pagina) -> tuple:
    p = pagina.paginator
    return (
        pagina.number,
        [e.pk for e in pagina],
        p.count,
        p.num_pages,
        pagina.has_next(),
        pagina.has_previous(),
        pagina.start_index(),
        pagina.end_index(),
    )


@pytest.mark.parametrize("orphans", [0, 1])
@pytest.mark.parametrize("numero", NUMEROS)
def test_cada_pagina_es_la_de_django(demo, numero, orphans):
    total = _filtradas().count()
    assert total >= 7  # three pages of three at least
    esperada = _como_se_ve(Paginator(_filtradas(), 3, orphans=orphans).get_page(numero))
    paginador = PaginadorEstimado(_filtradas(), 3, orphans=orphans, busqueda=True)
    assert _como_se_ve(paginador.get_page(numero)) == esperada


def test_una_lista_vacia_es_una_pagina_vacia(demo):
    vacia = Ente.objects.filter(pk__lt=0).order_by("pk")
    pagina = PaginadorEstimado(vacia, 3, busqueda=True).get_page("1")
    assert _como_se_ve(pagina) == _como_se_ve(Paginator(vacia, 3).get_page("1"))
    assert pagina.paginator.count == 0


def test_la_busqueda_y_su_total_se_leen_en_una_consulta(demo, django_assert_num_queries):
    total = _filtradas().count()
    with django_assert_num_queries(1):
        pagina = PaginadorEstimado(_filtradas(), 3, busqueda=True).get_page("2")
        assert (pagina.paginator.count, pagina.paginator.num_pages) == (total, -(-total // 3))
        assert len(pagina) == 3


def test_una_lista_sin_busqueda_se_cuenta_aparte(demo, django_assert_num_queries):
    with django_assert_num_queries(2) as consultas:
        pagina = PaginadorEstimado(_filtradas(), 3).get_page("2")
        assert len(pagina) == 3
    assert not any("OVER ()" in c["sql"] for c in consultas.captured_queries)
