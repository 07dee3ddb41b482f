"""Pages of long lists whose total is cheap.

Counting every row of a whole table is a sequential pass that grows with the history (10 ms
for 80,000 requests, on every page view). For an unfiltered list of a large table on
PostgreSQL, the planner's own row estimate (pg_class.reltuples, kept by autovacuum) is used
instead and the page says the total is approximate. Filtered lists, and small tables, are
counted exactly.

A search (what the person typed: a text, an area) is counted with its page's own rows,
COUNT(*) OVER (): its predicates are read on every matching row anyway (a LIKE over the titles,
an EXISTS over the items), and a separate COUNT(*) read them all a second time (the auditor's
filtered search at ten years: 9.5 ms of count and 13 ms of page over the same 8,581 rows). A
list that is only scoped (a requirente's own agency) is counted apart: its page stops after 25
rows of an index, and the window would read every row of the agency first (13.6 → 34.7 ms of
p50 for «Mis solicitudes» at K=10, when every filtered list did it).
"""

from contextlib import contextmanager

from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from estandares.entradas import PaginaEstricta

UMBRAL_ESTIMADO = 10_000


def _total(tabla: str) -> tuple[int, bool]:
    """One query either way: the planner's estimate for a large table, else an exact count."""
    tabla = connection.ops.quote_name(tabla)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.reltuples >= %s, CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint "  # noqa: S608
            f"ELSE (SELECT count(*) FROM {tabla}) END FROM pg_class c WHERE c.oid = %s::regclass",
            [UMBRAL_ESTIMADO, UMBRAL_ESTIMADO, tabla],
        )
        estimado, total = cursor.fetchone()
    return int(total), bool(estimado)


# The exact total of a search, read with the page's rows.
_TOTAL = "total_de_la_busqueda"


@contextmanager
def plan_propio(activo: bool = True):
    """The queries inside are planned by PostgreSQL for their own values, every time.

    psycopg prepares a query a connection runs five times (config.settings), and after five
    more runs PostgreSQL may keep one generic plan for it, chosen without the values. A
    search's best plan depends on what was typed: the generic plan of the request list's
    search scanned its index row by row, probed the items through the wrong index and
    computed UPPER() of the typed text again on every row (14.5 against 10.3 ms at K=10).

    And not by walking an index in the list's order: a search is counted with its page
    (COUNT(*) OVER ()), so every matching row is read before the first one is given, but
    PostgreSQL 15 costs the LIMIT over the window as if it could stop at the 25th row. Once
    its estimate of the matches was right (the search on the request's own columns, issue 79),
    it walked the whole table in the list's order for the auditor's filtered search (83 ms
    of SQL at K=10) instead of reading the year's rows from their index (12 ms): plain index
    scans are off inside, bitmap scans of the same indexes are not.
    One transaction with both set locally (set_config's third argument, SET LOCAL), so
    the settings end with it: three short round trips."""
    if not activo or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
                "set_config('enable_indexscan', 'off', true)"
            )
        yield


class PaginadorEstimado(Paginator):
    estimado = False

    def __init__(self, *args, busqueda: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.busqueda = busqueda

    def _estimable(self, qs) -> bool:
        return (
            isinstance(qs, QuerySet)
            and connection.vendor == "postgresql"
            and not qs.query.where
            and not qs.query.distinct
        )

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if self._estimable(qs):
            total, self.estimado = _total(qs.model._meta.db_table)
            return total
        return super().count

    def get_page(self, number):
        """Paginator.get_page; a search reads its total with the page's rows. What is not a
        page number (page 1), a page past the last or below 1 (the last page) are answered as
        Paginator answers them."""
        qs = self.object_list
        if (
            not self.busqueda
            or "count" in self.__dict__
            or not isinstance(qs, QuerySet)
            or self._estimable(qs)
            or qs.query.distinct
            or qs.query.is_sliced
            or qs.query.combinator
            or not connection.features.supports_over_clause
        ):
            return super().get_page(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            numero = int(number)
        except (TypeError, ValueError):
            numero = 1
        if numero < 1:
            return super().get_page(number)
        inferior = (numero - 1) * self.per_page
        filas = list(
            qs.annotate(**{_TOTAL: Window(Count("*"))})[
                inferior : inferior + self.per_page + self.orphans
            ]
        )
        if not filas and numero > 1:  # past the last page: counted, and the last page shown
            return super().get_page(number)
        if not filas:
            total = 0
        elif isinstance(filas[0], dict):  # a values() list
            total = filas[0][_TOTAL]
        else:
            total = getattr(filas[0], _TOTAL)
        self.__dict__["count"] = total
        if numero > self.num_pages:  # its rows are the last page's orphans: that page instead
            return super().get_page(number)
        superior = inferior + self.per_page
        if superior + self.orphans >= self.count:
            superior = self.count
        return self._get_page(filas[: superior - inferior], numero, self)


class PaginadorDeUnaConsulta(PaginadorEstimado):
    """A list whose WHERE is worth reading once (the task lists of flujos: the person's steps,
    their areas' queue): always counted with its page's rows, as a search."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, busqueda=True, **kwargs)


class PaginacionApi(PaginaEstricta, PageNumberPagination):
    """The API's pages (50 items) with the same cheap total; a page number that is not one
    answers 400 (estandares.entradas)."""

    django_paginator_class = PaginadorEstimado
