"""Local passwords, switchable off in production (DJANGO_CONTRASENAS_LOCALES=false) except for
the break-glass account (DJANGO_CUENTA_EMERGENCIA, designated once by
organizacion.services.emergencia). In the backend, so that no entrance that takes a password
(our login page, the admin's) is a way around the switch."""

import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.organizacion.services.emergencia import cuenta_emergencia_id

ERROR_CONTRASENAS_APAGADAS = _(
    "La entrada con contraseña está desactivada: entre con la identidad del Estado, con el "
    "botón de arriba."
)


def contrasena_permitida(username: str | None) -> bool:
    if settings.DICTAMENES_CONTRASENAS_LOCALES:
        return True
    # The designated account, whatever its username is now (issue 48).
    emergencia = cuenta_emergencia_id()
    return (
        emergencia is not None
        and get_user_model().objects.filter(pk=emergencia, username=username or "").exists()
    )


def contrasena_permitida_a(usuario) -> bool:
    """contrasena_permitida for a person already read (the page's signed-in user): the same
    answer, by their id against the designated account's (kept in the cache), without asking
    the database on every page."""
    if settings.DICTAMENES_CONTRASENAS_LOCALES:
        return True
    if not getattr(usuario, "is_authenticated", False):
        return False
    emergencia = cuenta_emergencia_id()
    return emergencia is not None and usuario.pk == emergencia


@transaction.atomic
def contrasena_rechazar(username: str | None) -> None:
    """A password offered while they are switched off: refused, and audited."""
    evento_registrar(
        tipo="entrada_rechazada",
        descripcion="Entrada con contraseña rechazada: las contraseñas locales están apagadas",
        motivo=str(ERROR_CONTRASENAS_APAGADAS),
        datos={"usuario": (username or "")[:150]},
    )


class ContrasenaLocalBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not contrasena_permitida(username):
            contrasena_rechazar(username)
            # PermissionDenied stops Django's chain of backends: nobody else checks it.
            raise PermissionDenied(ERROR_CONTRASENAS_APAGADAS)
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The person of every signed-in request (the session names this backend, cuentas.
        adaptadores), with what nearly every page reads of them: the profile in the same
        query, and their groups (the roles of the menus and of «Ayuda») with their
        permissions in one more, where Django asked three (groups, and the permissions of
        the person and of their groups)."""
        usuario = persona_con_perfil(user_id)
        if usuario is None or not self.user_can_authenticate(usuario):
            return None
        grupos_y_permisos_cargar(usuario)
        return usuario


class _Columnas:
    """A model's columns in a SELECT built once: their SQL, and how each value read becomes
    the attribute's (the converters Django's compiler applies: SQLite's dates and booleans)."""

    def __init__(self, modelo, alias: str, conexion):
        self.modelo = modelo
        campos = [f for f in modelo._meta.concrete_fields if not f.generated]
        self.nombres = [f.attname for f in campos]
        self.sql = ", ".join(f"{alias}.{conexion.ops.quote_name(f.column)}" for f in campos)
        self.convertir = []
        for i, campo in enumerate(campos):
            columna = campo.get_col(alias)
            convertidores = [
                *conexion.ops.get_db_converters(columna),
                *columna.get_db_converters(conexion),
            ]
            if convertidores:
                self.convertir.append((i, columna, convertidores))

    def instancia(self, valores, alias_bd: str, conexion):
        valores = list(valores)
        for i, columna, convertidores in self.convertir:
            for convertidor in convertidores:
                valores[i] = convertidor(valores[i], columna, conexion)
        return self.modelo.from_db(alias_bd, self.nombres, valores)


@functools.cache
def _consulta_persona(alias_bd: str) -> tuple[str, _Columnas, _Columnas]:
    """Plain SQL for the person and their profile (a LEFT JOIN: an account may have none),
    built once from the models: compiling `select_related("perfil").get(pk=…)` took ten times
    longer than the database took to answer it, on every signed-in request."""
    conexion = connections[alias_bd]
    usuario = get_user_model()
    relacion = usuario._meta.get_field("perfil")
    perfil = relacion.related_model
    de_usuario = _Columnas(usuario, "u", conexion)
    de_perfil = _Columnas(perfil, "p", conexion)
    q = conexion.ops.quote_name
    sql = (
        f"SELECT {de_usuario.sql}, {de_perfil.sql} "  # noqa: S608 (names from the models)
        f"FROM {q(usuario._meta.db_table)} u LEFT JOIN {q(perfil._meta.db_table)} p "
        f"ON p.{q(relacion.field.column)} = u.{q(usuario._meta.pk.column)} "
        f"WHERE u.{q(usuario._meta.pk.column)} = %s"
    )
    return sql, de_usuario, de_perfil


def persona_con_perfil(pk):
    """The person with this key and their profile, as `select_related("perfil")` leaves them
    (`usuario.perfil` reads nothing more; without a profile it raises DoesNotExist, as
    Django's does); None when there is nobody with that key."""
    modelo = get_user_model()
    try:
        pk = modelo._meta.pk.to_python(pk)
    except ValidationError:
        return None
    alias = router.db_for_read(modelo)
    conexion = connections[alias]
    sql, de_usuario, de_perfil = _consulta_persona(alias)
    with conexion.cursor() as cursor:
        cursor.execute(sql, [pk])
        fila = cursor.fetchone()
    if fila is None:
        return None
    n = len(de_usuario.nombres)
    usuario = de_usuario.instancia(fila[:n], alias, conexion)
    relacion = modelo._meta.get_field("perfil")
    perfil = None
    if fila[n] is not None:
        perfil = de_perfil.instancia(fila[n:], alias, conexion)
        relacion.field.set_cached_value(perfil, usuario)
    relacion.set_cached_value(usuario, perfil)
    return usuario


@functools.cache
def _consulta_grupos_y_permisos() -> str:
    """Plain SQL (SQLite and PostgreSQL), built once: the ORM took longer to build the same
    union than the database took to answer it. Each row is (what it is, a, b): a group (id,
    name), a permission of the person's own or of one of their groups (app label, codename).
    Table and column names come from the models; the person's id is a parameter."""
    usuario = get_user_model()
    m2m_grupos = usuario._meta.get_field("groups")
    m2m_propios = usuario._meta.get_field("user_permissions")
    m2m_de_grupo = Group._meta.get_field("permissions")
    ug, ug_usuario, ug_grupo = (
        m2m_grupos.m2m_db_table(),
        m2m_grupos.m2m_column_name(),
        m2m_grupos.m2m_reverse_name(),
    )
    up, up_usuario, up_permiso = (
        m2m_propios.m2m_db_table(),
        m2m_propios.m2m_column_name(),
        m2m_propios.m2m_reverse_name(),
    )
    gp, gp_grupo, gp_permiso = (
        m2m_de_grupo.m2m_db_table(),
        m2m_de_grupo.m2m_column_name(),
        m2m_de_grupo.m2m_reverse_name(),
    )
    grupos = Group._meta.db_table
    permisos = (
        f"ct.app_label, p.codename FROM {Permission._meta.db_table} p "
        f"JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id"
    )
    # Names from the models, the person's id a parameter.
    return (
        f"SELECT '{_GRUPO}', CAST(g.id AS VARCHAR(20)), g.name FROM {grupos} g "  # noqa: S608
        f"JOIN {ug} ug ON ug.{ug_grupo} = g.id WHERE ug.{ug_usuario} = %s "
        f"UNION ALL SELECT '{_PERMISO_PROPIO}', {permisos} "
        f"JOIN {up} up ON up.{up_permiso} = p.id WHERE up.{up_usuario} = %s "
        f"UNION ALL SELECT '{_PERMISO_DE_GRUPO}', {permisos} "
        f"JOIN {gp} gp ON gp.{gp_permiso} = p.id "
        f"JOIN {ug} ug ON ug.{ug_grupo} = gp.{gp_grupo} WHERE ug.{ug_usuario} = %s"
    )


# What each row of that query is.
_GRUPO, _PERMISO_PROPIO, _PERMISO_DE_GRUPO = "g", "u", "p"


def grupos_y_permisos_cargar(usuario) -> None:
    """Reads a person's groups and permissions in one query and leaves them where Django looks
    first: the groups as if prefetched (`usuario.groups.all()` reads no more; adding or
    removing one on this object drops them, as Django does with any prefetch), the permissions
    in ModelBackend's caches for the object's life (a request). A superuser holds every
    permission: ModelBackend reads those itself, when asked (the same query brings their
    groups, and permissions that are not kept)."""
    alias = router.db_for_read(Group)
    with connections[alias].cursor() as cursor:
        cursor.execute(_consulta_grupos_y_permisos(), [usuario.pk] * 3)
        filas = cursor.fetchall()
    propios, de_grupo, leidos = set(), set(), []
    for clase, a, b in filas:
        if clase == _GRUPO:
            leidos.append(Group.from_db(alias, ["id", "name"], [int(a), b]))
        elif clase == _PERMISO_PROPIO:
            propios.add(f"{a}.{b}")
        else:
            de_grupo.add(f"{a}.{b}")
    prefetch = usuario.groups.all()
    prefetch._result_cache = leidos
    prefetch._prefetch_done = True
    usuario._prefetched_objects_cache = {
        **getattr(usuario, "_prefetched_objects_cache", {}),
        "groups": prefetch,
    }
    if not usuario.is_superuser:
        usuario._user_perm_cache = propios
        usuario._group_perm_cache = de_grupo
