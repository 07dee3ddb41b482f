"""What the request list's search reads, kept on the request (issue 79, item 6).

The search by area asked, for every candidate request, whether one of its items has one of the
area's technical profiles: a probe into the items per row (7.6 of the 20.7 ms of SQL of the
auditor's filtered search at ten years). The profiles of a request's items are kept on the
request instead (``Solicitud.perfiles_busqueda``), and this function is the one door that
keeps them: every writer of items calls it in its transaction, after writing (the draft's
item pages through tramite.services.solicitudes, the history generator after each batch, the
migration that filled the existing rows with the same SQL). The title and the folio in
capitals are generated columns: the database keeps them, no writer has to.
"""

from collections.abc import Iterable

from django.db import connection

# The profiles of each request's items as the keys of an object, by the database: one
# UPDATE with a subquery per request, whatever the number of requests.
_SQL = {
    "postgresql": (
        "UPDATE dictamenes_solicitud s SET perfiles_busqueda = COALESCE(("
        "SELECT jsonb_object_agg(p.perfil_id::text, true) FROM "
        "(SELECT DISTINCT perfil_id FROM dictamenes_partida WHERE solicitud_id = s.id) p"
        "), '{{}}'::jsonb) WHERE s.id IN ({})"
    ),
    "sqlite": (
        "UPDATE dictamenes_solicitud SET perfiles_busqueda = COALESCE(("
        "SELECT json_group_object(CAST(p.perfil_id AS TEXT), json('true')) FROM "
        "(SELECT DISTINCT perfil_id FROM dictamenes_partida "
        "WHERE solicitud_id = dictamenes_solicitud.id ORDER BY perfil_id) p"
        "), '{{}}') WHERE id IN ({})"
    ),
}
# Within SQLite's limit of parameters per statement.
_POR_SENTENCIA = 5_000


def solicitudes_busqueda_actualizar(*, solicitudes: Iterable[int]) -> None:
    """Keep the profiles of these requests' items on each request (by their ids)."""
    ids = sorted({int(pk) for pk in solicitudes})
    sql = _SQL[connection.vendor]
    with connection.cursor() as cursor:
        for inicio in range(0, len(ids), _POR_SENTENCIA):
            parte = ids[inicio : inicio + _POR_SENTENCIA]
            cursor.execute(sql.format(", ".join(["%s"] * len(parte))), parte)
