"""The planner's statistics after the demo's bulk loads."""

from django.db import connection


def estadisticas_actualizar() -> None:
    """After a bulk load PostgreSQL's planner still has the statistics of the tables as they
    were, nearly empty; in a test the new rows are not even committed, so autovacuum never
    counts them. It then joined thousands of rows by nested loops: in the suite a query right
    after `cargar_demo` (test_cargar_demo) and the simulation's read of a generated year
    (test_historico) each waited minutes, in two of five full runs (faulthandler's stacks).
    ANALYZE counts the new rows, its own transaction's too.

    Only the project's tables: a bare ANALYZE also analyzes the catalogs that every database
    of the cluster shares (pg_database, pg_authid…), and keeps their lock until the load's
    transaction ends. Two loads in two databases of one cluster (make test's two workers)
    then waited for each other: 43 of the 55 s of test_estado_publico's demo, 34 of the 44 s
    of test_oraculo's generated history, where either alone takes 0.3 s."""
    if connection.vendor != "postgresql":
        return
    tablas = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE " + ", ".join(connection.ops.quote_name(tabla) for tabla in sorted(tablas))
        )
