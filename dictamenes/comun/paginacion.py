"""Pages of long lists whose total is cheap.

Counting every row of a whole table is a sequential pass that grows with the history (10 ms
for 80,000 requests, on every page view). For an unfiltered list of a large table on
PostgreSQL, the planner's own row estimate (pg_class.reltuples, kept by autovacuum) is used
instead and the page says the total is approximate. Filtered lists, and small tables, are
counted exactly.
"""

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
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


class PaginadorEstimado(Paginator):
    estimado = False

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if (
            isinstance(qs, QuerySet)
            and connection.vendor == "postgresql"
            and not qs.query.where
            and not qs.query.distinct
        ):
            total, self.estimado = _total(qs.model._meta.db_table)
            return total
        return super().count


class PaginacionApi(PaginaEstricta, PageNumberPagination):
    """The API's pages (50 items) with the same cheap total; a page number that is not one
    answers 400 (estandares.entradas)."""

    django_paginator_class = PaginadorEstimado
