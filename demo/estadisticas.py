"""The planner's statistics after the demo's bulk loads."""

from django.db import connection


def estadisticas_actualizar() -> None:
    """After a bulk load PostgreSQL's planner still has the statistics of the tables as they
    were, nearly empty; in a test the new rows are not even committed, so autovacuum never
    counts them. It then joined thousands of rows by nested loops: in the suite a query right
    after `cargar_demo` (test_cargar_demo) and the simulation's read of a generated year
    (test_historico) each waited minutes, in two of five full runs (faulthandler's stacks).
    ANALYZE counts the new rows, its own transaction's too."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
