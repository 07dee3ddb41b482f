"""Writes for agencies, areas, people and their roles. Views and commands call these."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm

from dictamenes import exceptions
from dictamenes.models import Area, Ente, Perfil
from dictamenes.roles import ROLES_INTERNOS, Rol, nombre_grupo_area, nombre_grupo_ente

# Model-level permissions of each role group. Object-level ones (a requirente on its own
# agency) are granted per agency in ente_crear. The workflow issue adds the process ones.
# viewflow shows its inbox, queue and archive only to holders of the process's view permission.
_INTERNO = ("dictamenes.view_ente", "dictamenes.view_area", "dictamenes.view_procesodictamen")

PERMISOS_POR_ROL: dict[Rol, tuple[str, ...]] = {
    Rol.REQUIRENTE: (),
    Rol.MESA_CONTROL: (*_INTERNO, "dictamenes.admitir_solicitud"),
    # The area is an object permission: see area_crear.
    Rol.REVISOR_TECNICO: _INTERNO,
    Rol.REVISOR_ESTRATEGICO: (*_INTERNO, "dictamenes.decidir_solicitud"),
    Rol.FIRMANTE: (*_INTERNO, "dictamenes.firmar_dictamen"),
    Rol.AUDITOR: (
        "dictamenes.view_procesodictamen",
        "dictamenes.view_ente",
        "dictamenes.view_area",
        "dictamenes.view_perfil",
        "estandares.view_publicacion",
        "estandares.view_categoria",
        "estandares.view_perfil",
        "estandares.view_requisito",
    ),
    Rol.ADMINISTRADOR: (
        "dictamenes.add_ente",
        "dictamenes.change_ente",
        "dictamenes.view_ente",
        "dictamenes.add_area",
        "dictamenes.change_area",
        "dictamenes.view_area",
        "dictamenes.add_perfil",
        "dictamenes.change_perfil",
        "dictamenes.view_perfil",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        "dictamenes.add_diainhabil",
        "dictamenes.change_diainhabil",
        "dictamenes.delete_diainhabil",
        "dictamenes.view_diainhabil",
        "dictamenes.change_plazoetapa",
        "dictamenes.view_plazoetapa",
        "dictamenes.view_sustitucion",
        *(
            f"estandares.{accion}_{modelo}"
            for modelo in ("publicacion", "categoria", "perfil", "requisito")
            for accion in ("add", "change", "delete", "view")
        ),
    ),
}


def _permisos(codenames: Iterable[str]) -> list[Permission]:
    result = []
    for dotted in codenames:
        app_label, codename = dotted.split(".")
        result.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return result


@transaction.atomic
def roles_asegurar() -> dict[Rol, Group]:
    """Create the role groups, or bring their permissions up to date. Idempotent."""
    grupos = {}
    for rol in Rol:
        grupo, _ = Group.objects.get_or_create(name=rol.label)
        grupo.permissions.set(_permisos(PERMISOS_POR_ROL[rol]))
        grupos[rol] = grupo
    return grupos


def grupo_de_rol(*, rol: Rol) -> Group:
    return Group.objects.get(name=rol.label)


@transaction.atomic
def ente_crear(*, nombre: str, siglas: str, tipo: str, activo: bool = True) -> Ente:
    """Create an agency and the requirente group that may act on it, and only on it."""
    ente = Ente(nombre=nombre, siglas=siglas, tipo=tipo, activo=activo)
    ente.full_clean()
    ente.save()
    grupo, _ = Group.objects.get_or_create(name=nombre_grupo_ente(siglas))
    assign_perm("dictamenes.view_ente", grupo, ente)
    assign_perm("dictamenes.actuar_como_requirente", grupo, ente)
    return ente


@transaction.atomic
def area_crear(*, clave: str, nombre: str) -> Area:
    area = Area(clave=clave, nombre=nombre)
    area.full_clean()
    area.save()
    grupo, _ = Group.objects.get_or_create(name=nombre_grupo_area(clave))
    assign_perm("dictamenes.revisar_area", grupo, area)
    return area


def _validar_pertenencia(*, roles: set[Rol], ente: Ente | None, areas: list[Area]) -> None:
    if not roles:
        raise ValidationError(exceptions.ERROR_SIN_ROLES, code="sin_roles")
    if Rol.REQUIRENTE in roles and ente is None:
        raise ValidationError(exceptions.ERROR_REQUIRENTE_SIN_ENTE, code="requirente_sin_ente")
    if roles & ROLES_INTERNOS and ente is not None:
        raise ValidationError(exceptions.ERROR_INTERNO_CON_ENTE, code="interno_con_ente")
    if Rol.REVISOR_TECNICO in roles and not areas:
        raise ValidationError(exceptions.ERROR_REVISOR_SIN_AREA, code="revisor_sin_area")


@transaction.atomic
def usuario_crear(
    *,
    username: str,
    password: str,
    nombre: str,
    apellidos: str,
    email: str,
    rfc: str,
    roles: Iterable[Rol],
    ente: Ente | None = None,
    areas: Iterable[Area] = (),
    cargo: str = "",
    es_jefe: bool = False,
):
    """Create a person with their profile and role groups, checking they make sense together."""
    roles = set(roles)
    areas = list(areas)
    _validar_pertenencia(roles=roles, ente=ente, areas=areas)

    User = get_user_model()
    usuario = User(
        username=username,
        first_name=nombre,
        last_name=apellidos,
        email=email,
        is_staff=Rol.ADMINISTRADOR in roles,
    )
    usuario.set_password(password)
    usuario.full_clean()
    usuario.save()

    perfil = Perfil(usuario=usuario, rfc=rfc, cargo=cargo, ente=ente, es_jefe=es_jefe)
    perfil.full_clean()
    perfil.save()
    perfil.areas.set(areas)

    grupos = [grupo_de_rol(rol=rol) for rol in roles]
    if ente is not None:
        grupos.append(Group.objects.get(name=nombre_grupo_ente(ente.siglas)))
    if Rol.REVISOR_TECNICO in roles:
        grupos += [Group.objects.get(name=nombre_grupo_area(a.clave)) for a in areas]
    usuario.groups.set(grupos)
    return usuario
