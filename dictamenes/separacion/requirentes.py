"""Who acts for an agency as requirente (guardian's object permission `actuar_como_requirente`,
held by the agency's group): the other side of separation of duties' first test (nobody of
the request's agency judges it), read by whoever scopes what a person sees
(tramite.selectors.access.entes_visibles) and by the doors only a requirente passes (present
and correct a request, answer its survey)."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from guardian.models import GroupObjectPermission, UserObjectPermission

from dictamenes import exceptions
from dictamenes.comun import cache
from dictamenes.models import Ente


def es_requirente_de(*, usuario, solicitud, version: int | None = None) -> bool:
    # The same guardian permission as has_perm on the agency, from the list the request's
    # scoping already read (one query per request, not one per check; kept per `version`).
    return (
        usuario.is_authenticated
        and usuario.is_active
        and solicitud.ente_id in entes_de_requirente(usuario=usuario, version=version)
    )


def exigir_requirente(*, usuario, solicitud) -> None:
    if not es_requirente_de(usuario=usuario, solicitud=solicitud):
        raise PermissionDenied(exceptions.ERROR_NO_ES_DE_SU_ENTE)


def entes_de_requirente(*, usuario, version: int | None = None) -> list[int]:
    """The agencies the person acts for as requirente (guardian's object permission, held by
    the agency's group), read once per request and user object; with `version` (the data's,
    already read by the page), kept per version: a role, an agency and its group change
    only through doors that write an event."""
    if not hasattr(usuario, "_entes_requirente"):
        usuario._entes_requirente = (
            _entes_requirente_leer(usuario)
            if version is None or not usuario.is_authenticated
            else cache.memorizar_en(
                version,
                "entes-requirente",
                usuario.pk,
                usuario.is_superuser,
                calcular=lambda: _entes_requirente_leer(usuario),
            )
        )
    return usuario._entes_requirente


PERMISO_REQUIRENTE = "actuar_como_requirente"


@functools.cache
def _consulta_entes_requirente(alias_bd: str) -> str:
    """Plain SQL (SQLite and PostgreSQL), built once from the models, for what guardian's
    get_objects_for_user(usuario, "dictamenes.actuar_como_requirente", klass=Ente,
    accept_global_perms=False) answers for a person who is not a superuser: the agencies on
    which the person, or one of their groups, holds the permission. guardian built that query
    anew on every requirente's page (1.4 ms of Python; the database answers in a tenth).
    Parameters: the person's id twice, the codename, Ente's content type."""
    q = connections[alias_bd].ops.quote_name
    usuario = get_user_model()
    m2m_grupos = usuario._meta.get_field("groups")
    ug, ug_usuario, ug_grupo = (
        m2m_grupos.m2m_db_table(),
        m2m_grupos.m2m_column_name(),
        m2m_grupos.m2m_reverse_name(),
    )
    ente_pk = q(Ente._meta.pk.column)

    def columna(modelo, campo):
        return q(modelo._meta.get_field(campo).column)

    def de(modelo, quien, unir=""):
        return (
            f"SELECT o.{columna(modelo, 'object_pk')} FROM {q(modelo._meta.db_table)} o "  # noqa: S608
            f"JOIN {q(Permission._meta.db_table)} p "
            f"ON p.{q(Permission._meta.pk.column)} = o.{columna(modelo, 'permission')} {unir}"
            f"WHERE {quien} = %s AND p.{columna(Permission, 'codename')} = %s "
            f"AND p.{columna(Permission, 'content_type')} = %s "
            f"AND o.{columna(modelo, 'content_type')} = %s"
        )

    return (
        f"SELECT e.{ente_pk} FROM {q(Ente._meta.db_table)} e "  # noqa: S608 (names from the models)
        f"WHERE CAST(e.{ente_pk} AS VARCHAR(40)) IN ("
        f"{de(UserObjectPermission, 'o.' + columna(UserObjectPermission, 'user'))} UNION "
        + de(
            GroupObjectPermission,
            f"ug.{q(ug_usuario)}",
            f"JOIN {q(ug)} ug ON ug.{q(ug_grupo)} = o.{columna(GroupObjectPermission, 'group')} ",
        )
        + f") ORDER BY e.{ente_pk}"
    )


def _entes_requirente_leer(usuario) -> list[int]:
    if usuario.is_superuser:
        # guardian's answer for a superuser: every agency.
        return list(Ente.objects.order_by("pk").values_list("pk", flat=True))
    if not usuario.is_authenticated:
        return []
    alias = router.db_for_read(Ente)
    tipo = ContentType.objects.db_manager(alias).get_for_model(Ente).pk
    de_cada = [PERMISO_REQUIRENTE, tipo, tipo]
    with connections[alias].cursor() as cursor:
        cursor.execute(
            _consulta_entes_requirente(alias), [usuario.pk, *de_cada, usuario.pk, *de_cada]
        )
        return [fila[0] for fila in cursor.fetchall()]
