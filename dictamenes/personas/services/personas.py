"""Writes for agencies, areas, people and their roles. Views and commands call these."""

import dataclasses
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm

from dictamenes import exceptions
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Area, Ente, Perfil
from dictamenes.organizacion.selectors.usuarios import administra_roles, roles_de
from dictamenes.organizacion.services.areas import grupo_de_area
from dictamenes.organizacion.services.emergencia import administradores_activos
from dictamenes.personas.services.cambios_pendientes import cambio_retiro_pedir, cambio_rol_pedir

# ROLES_DEL_PROCEDIMIENTO: granting one takes a second administrator's approval (issue 33), so
# that nobody can give a second account of their own the power to decide; its callers read it
# from here too.
from dictamenes.roles import (
    ROLES_DEL_PROCEDIMIENTO,
    ROLES_INTERNOS,
    Rol,
    nombre_grupo_area,
    nombre_grupo_ente,
)
from dictamenes.tramite.services.tareas import tareas_liberar
from estandares import entradas
from estandares.motivos import motivo_leer

ERROR_ROLES_SIN_PERMISO = _("Solo una persona administradora cambia los roles de las cuentas.")
ERROR_ROLES_PROPIOS = _(
    "Nadie cambia sus propios roles: pida el cambio a otra persona administradora."
)
ERROR_ROL_ADMINISTRADOR = _("Solo un superusuario otorga o retira el rol de Administrador.")
ERROR_CUENTA_SUPERUSUARIO = _("Solo un superusuario cambia los roles de un superusuario.")
ERROR_ROL_SIN_MOTIVO = _("Escriba el motivo del cambio de rol; queda en la auditoría.")
ERROR_YA_TIENE_ROL = _("%(persona)s ya tiene el rol «%(rol)s».")
ERROR_NO_TIENE_ROL = _("%(persona)s no tiene el rol «%(rol)s».")
ERROR_YA_REVISA_AREAS = _(
    "%(persona)s ya revisa las áreas elegidas: elija al menos un área que aún no revise."
)
ERROR_MENOS_DE_DOS_ADMINISTRADORES = _(
    "Quedarían menos de dos personas administradoras activas y nadie podría aprobar cambios: "
    "otorgue antes el rol de Administrador a otra persona."
)
ERROR_SIN_PERFIL = _(
    "%(persona)s no tiene perfil (RFC y cargo): regístrelo en «Perfiles» antes de otorgarle un rol."
)

# Model-level permissions of each role group. Object-level ones (a requirente on its own
# agency) are granted per agency in ente_crear. The workflow issue adds the process ones.
# viewflow shows its inbox, queue and archive only to holders of the process's view permission.
_INTERNO = ("dictamenes.view_ente", "dictamenes.view_area", "dictamenes.view_procesodictamen")

PERMISOS_POR_ROL: dict[Rol, tuple[str, ...]] = {
    Rol.REQUIRENTE: (),
    Rol.MESA_CONTROL: (*_INTERNO, "dictamenes.admitir_solicitud"),
    # The area is an object permission: see organizacion.services.areas.area_crear.
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
        # The días inhábiles change on their page, with a second administrator (issue 59).
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
        grupo, _creado = Group.objects.get_or_create(name=rol.label)
        grupo.permissions.set(_permisos(PERMISOS_POR_ROL[rol]))
        grupos[rol] = grupo
    return grupos


def grupo_de_rol(*, rol: Rol) -> Group:
    return Group.objects.get(name=rol.label)


@transaction.atomic
def ente_crear(*, nombre: str, siglas: str, tipo: str, activo: bool = True, por=None) -> Ente:
    """Create an agency and the requirente group that may act on it, and only on it. No second
    administrator approves it (issue 59): the group has no one in it until a role is granted."""
    ente = Ente(nombre=nombre, siglas=siglas, tipo=tipo, activo=activo)
    ente.full_clean()
    ente.save()
    _grupo_de_ente(ente)
    evento_registrar(
        tipo="ente_creado",
        descripcion=f"Ente {ente.siglas} «{ente.nombre}» creado",
        usuario=por,
        datos={"ente": ente.pk, "siglas": ente.siglas, "nombre": ente.nombre},
    )
    return ente


def _grupo_de_ente(ente: Ente) -> Group:
    """The requirente group of an agency, and its permissions on that agency only. Idempotent:
    an agency added through the admin gets its group when its first requirente does."""
    grupo, _creado = Group.objects.get_or_create(name=nombre_grupo_ente(ente.siglas))
    assign_perm("dictamenes.view_ente", grupo, ente)
    assign_perm("dictamenes.actuar_como_requirente", grupo, ente)
    return grupo


@transaction.atomic
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
):
    """Create a person with their profile and role groups, checking they make sense together.
    Never a chief: the jefatura is given with a second administrator (personas.jefatura)."""
    roles = set(roles)
    areas = list(areas)
    _validar_pertenencia(roles=roles, ente=ente, areas=areas)
    _validar_nombre(nombre=nombre, apellidos=apellidos)

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

    perfil = Perfil(usuario=usuario, rfc=rfc, cargo=cargo, ente=ente)
    perfil.full_clean()
    perfil.save()
    perfil.areas.set(areas)

    usuario.groups.set(_grupos_de_pertenencia(roles=roles, ente=ente, areas=areas))
    return usuario


def _validar_nombre(*, nombre: str, apellidos: str) -> None:
    """A name is a line people read (estandares.entradas): Django's User fields do not refuse
    invisible or direction characters by themselves."""
    errores = {}
    for campo, valor in (("first_name", nombre), ("last_name", apellidos)):
        try:
            entradas.UNA_LINEA(valor)
        except ValidationError as error:
            errores[campo] = error.messages
    if errores:
        raise ValidationError(errores)


def _grupos_de_pertenencia(*, roles: set[Rol], ente: Ente | None, areas: list[Area]) -> list:
    """The groups that carry a person's roles: one per role, their agency's, their areas'."""
    grupos = [grupo_de_rol(rol=rol) for rol in roles]
    if ente is not None:
        grupos.append(_grupo_de_ente(ente))
    if Rol.REVISOR_TECNICO in roles:
        grupos += [grupo_de_area(a) for a in areas]
    return grupos


# --- Granting and removing roles: the one door (issue 18) -----------------------------------
# The admin no longer edits groups, permissions or the superuser flag; roles change here, each
# change with its reason in the audit chain. Superusers are made only by `createsuperuser`.


def _grupo_gestionado(grupo: Group) -> bool:
    """Groups this module hands out: a role's, an agency's, an area's."""
    return (
        grupo.name in {str(rol.label) for rol in Rol}
        or grupo.name.startswith(nombre_grupo_ente(""))
        or grupo.name.startswith(nombre_grupo_area(""))
    )


def _exigir_quien_cambia(*, usuario, rol: Rol, por, motivo: str) -> str:
    """Who may change whose roles: an administrator or a superuser, never their own; only a
    superuser touches the Administrador role or a superuser's account. An administrator who
    could make administrators could also outlast their own removal through an accomplice;
    superusers are few and made at the server's console."""
    if not (por.is_superuser or administra_roles(usuario=por)):
        raise PermissionDenied(ERROR_ROLES_SIN_PERMISO)
    if usuario.pk == por.pk:
        raise ValidationError(ERROR_ROLES_PROPIOS, code="roles_propios")
    if not por.is_superuser and usuario.is_superuser:
        raise ValidationError(ERROR_CUENTA_SUPERUSUARIO, code="cuenta_superusuario")
    if not por.is_superuser and rol == Rol.ADMINISTRADOR:
        raise ValidationError(ERROR_ROL_ADMINISTRADOR, code="rol_administrador")
    return motivo_leer(motivo, vacio=ERROR_ROL_SIN_MOTIVO)


def _persona(usuario) -> str:
    return f"{usuario.get_full_name() or usuario.username} ({usuario.username})"


def _roles_aplicar(
    *,
    usuario,
    rol: Rol,
    por,
    motivo: str,
    roles: set[Rol],
    ente: Ente | None,
    areas,
    tipo: str,
    extra: dict | None = None,
) -> None:
    """Replace the person's role, agency and area groups (others are left alone), let
    is_staff follow the Administrador role, and write the change into the audit chain."""
    otros = [g for g in usuario.groups.all() if not _grupo_gestionado(g)]
    usuario.groups.set([*otros, *_grupos_de_pertenencia(roles=roles, ente=ente, areas=areas)])
    usuario.is_staff = usuario.is_superuser or Rol.ADMINISTRADOR in roles
    usuario.save(update_fields=["is_staff"])
    # What this request already read about the person (roles, Django's permission caches).
    for cache in ("_roles_de", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        usuario.__dict__.pop(cache, None)
    accion = "otorgado a" if tipo == "rol_otorgado" else "retirado a"
    descripcion = f"Rol «{rol.label}» {accion} {_persona(usuario)}"
    if (extra or {}).get("areas_agregadas"):
        descripcion = (
            f"Áreas agregadas al rol «{rol.label}» de {_persona(usuario)}: "
            f"{', '.join(extra['areas_agregadas'])}"
        )
    elif (extra or {}).get("areas_retiradas"):
        descripcion = (
            f"Áreas retiradas del rol «{rol.label}» de {_persona(usuario)}: "
            f"{', '.join(extra['areas_retiradas'])}"
        )
    evento_registrar(
        tipo=tipo,
        descripcion=descripcion,
        usuario=por,
        motivo=motivo,
        datos={
            "persona": usuario.pk,
            "username": usuario.username,
            "rol": rol.value,
            "roles": sorted(r.value for r in roles),
            "ente": ente.siglas if ente else None,
            "areas": sorted(a.clave for a in areas),
            **(extra or {}),
        },
    )


def _bloquear(usuario):
    """The person's row, locked: two administrators changing one person take turns."""
    return get_user_model().objects.select_for_update().get(pk=usuario.pk)


@dataclasses.dataclass(frozen=True)
class _Otorgamiento:
    """What a grant would leave: the locked person, their profile, roles, agency and areas;
    `nuevas`, the areas it adds (for a reviewer who already was one, only those)."""

    usuario: object
    perfil: Perfil
    roles: set[Rol]
    ente: Ente | None
    areas: list[Area]
    nuevas: list[Area]
    ampliar: bool


def _rol_preparar(*, usuario, rol: Rol, ente: Ente | None, areas: Iterable[Area]):
    """The grant as it would be: the same rules as usuario_crear, checked when the grant is
    asked and again when approved. Granting Revisor técnico to a reviewer adds the areas
    chosen to theirs (issue 47: a second area for an existing reviewer)."""
    usuario = _bloquear(usuario)
    perfil = Perfil.objects.filter(usuario=usuario).select_related("ente").first()
    if perfil is None:
        raise ValidationError(
            ERROR_SIN_PERFIL, code="sin_perfil", params={"persona": _persona(usuario)}
        )
    actuales = set(roles_de(usuario=usuario))
    ampliar = rol == Rol.REVISOR_TECNICO and rol in actuales
    if rol in actuales and not ampliar:
        raise ValidationError(
            ERROR_YA_TIENE_ROL,
            code="ya_tiene_rol",
            params={"persona": _persona(usuario), "rol": rol.label},
        )
    roles = actuales | {rol}
    ente = ente if rol == Rol.REQUIRENTE else perfil.ente
    suyas = list(perfil.areas.all())
    if rol != Rol.REVISOR_TECNICO:
        areas, nuevas = suyas, []
    elif ampliar:
        nuevas = [a for a in areas if a not in suyas]
        if not nuevas:
            raise ValidationError(
                ERROR_YA_REVISA_AREAS,
                code="ya_revisa_areas",
                params={"persona": _persona(usuario)},
            )
        areas = [*suyas, *nuevas]
    else:
        areas = nuevas = list(areas)
    _validar_pertenencia(roles=roles, ente=ente, areas=areas)
    return _Otorgamiento(usuario, perfil, roles, ente, areas, nuevas, ampliar)


@transaction.atomic
def rol_otorgar(
    *, usuario, rol: Rol, por, motivo: str, ente: Ente | None = None, areas: Iterable[Area] = ()
):
    """Give a person one more role, with the same rules as usuario_crear: a requirente belongs
    to an agency (given here), internal staff to none, a technical reviewer to areas (given
    here). A role of the procedure does not take effect here: it becomes a CambioPendiente
    that a second administrator approves (personas.services.control_dual), and that is what is
    returned."""
    rol = Rol(rol)
    motivo = _exigir_quien_cambia(usuario=usuario, rol=rol, por=por, motivo=motivo)
    o = _rol_preparar(usuario=usuario, rol=rol, ente=ente, areas=areas)
    if rol in ROLES_DEL_PROCEDIMIENTO:
        return cambio_rol_pedir(
            persona=o.usuario,
            rol=rol,
            por=por,
            motivo=motivo,
            ente=o.ente,
            areas=o.nuevas if o.ampliar else o.areas,
            ampliar=o.ampliar,
        )
    return rol_aplicar(
        usuario=o.usuario, rol=rol, por=por, motivo=motivo, ente=o.ente, areas=o.areas
    )


def rol_aplicar(*, usuario, rol: Rol, por, motivo: str, ente, areas, datos: dict | None = None):
    """The grant itself, once allowed: rol_otorgar's for the roles that need no second
    administrator, personas.services.control_dual's on approval for the others. Inside their
    transaction."""
    o = _rol_preparar(usuario=usuario, rol=rol, ente=ente, areas=areas)
    o.perfil.ente = o.ente
    o.perfil.save(update_fields=["ente"])
    o.perfil.areas.set(o.areas)
    if o.ampliar:
        datos = {**(datos or {}), "areas_agregadas": sorted(a.nombre for a in o.nuevas)}
    _roles_aplicar(
        tipo="rol_otorgado",
        usuario=o.usuario,
        rol=rol,
        por=por,
        motivo=motivo,
        roles=o.roles,
        ente=o.perfil.ente,
        areas=o.areas,
        extra=datos,
    )
    return o.usuario


def exigir_dos_administradores(*, sin) -> None:
    """Refuse when `sin` is an active administrator and, without them, fewer than two would
    remain to approve changes (issue 59)."""
    activos = administradores_activos()
    if activos.filter(pk=sin.pk).exists() and activos.exclude(pk=sin.pk).count() < 2:
        raise ValidationError(ERROR_MENOS_DE_DOS_ADMINISTRADORES, code="menos_de_dos")


def _exigir_rol(*, usuario, rol: Rol) -> set[Rol]:
    actuales = set(roles_de(usuario=usuario))
    if rol not in actuales:
        raise ValidationError(
            ERROR_NO_TIENE_ROL,
            code="no_tiene_rol",
            params={"persona": _persona(usuario), "rol": rol.label},
        )
    return actuales


@transaction.atomic
def rol_retirar(*, usuario, rol: Rol, por, motivo: str):
    """Take a role away. A role of the procedure (a reviewer, the signer, an administrator...)
    is asked, and taken away when a second administrator approves (issue 59): the
    CambioPendiente is returned. Any other is taken away now: the account is returned."""
    rol = Rol(rol)
    motivo = _exigir_quien_cambia(usuario=usuario, rol=rol, por=por, motivo=motivo)
    usuario = _bloquear(usuario)
    _exigir_rol(usuario=usuario, rol=rol)
    if rol not in ROLES_DEL_PROCEDIMIENTO:
        return rol_retiro_aplicar(usuario=usuario, rol=rol, por=por, motivo=motivo)
    if rol == Rol.ADMINISTRADOR:
        exigir_dos_administradores(sin=usuario)
    return cambio_retiro_pedir(persona=usuario, rol=rol, por=por, motivo=motivo)


def rol_retiro_aplicar(*, usuario, rol: Rol, por, motivo: str, datos: dict | None = None):
    """The removal itself, once allowed: now for a role outside the procedure, on a second
    administrator's approval (personas.services.control_dual) for the others. A requirente
    leaves their agency, a reviewer their areas. A person left with no role keeps the account
    but can do nothing in the procedure. Inside the caller's transaction."""
    rol = Rol(rol)
    usuario = _bloquear(usuario)
    actuales = _exigir_rol(usuario=usuario, rol=rol)
    if rol == Rol.ADMINISTRADOR:
        exigir_dos_administradores(sin=usuario)
    roles = actuales - {rol}
    # Roles once set by hand in the admin may have no profile behind them.
    perfil = Perfil.objects.filter(usuario=usuario).select_related("ente").first()
    ente, areas = None, []
    if perfil is not None:
        if rol == Rol.REQUIRENTE:
            perfil.ente = None
            perfil.save(update_fields=["ente"])
        if rol == Rol.REVISOR_TECNICO:
            perfil.areas.clear()
        ente, areas = perfil.ente, list(perfil.areas.all())
    _roles_aplicar(
        tipo="rol_retirado",
        usuario=usuario,
        rol=rol,
        por=por,
        motivo=motivo,
        roles=roles,
        ente=ente,
        areas=areas,
        extra=datos,
    )
    # Their open steps of that role go back to its queue (issue 33), each audited.
    tareas_liberar(usuario=usuario, por=por, motivo=motivo)
    return usuario


@transaction.atomic
def prestamo_retirar(*, usuario, area: Area | None, rol: bool, motivo: str, datos: dict) -> bool:
    """The end of a loan to a review area (dictamenes.capacidad): take away `area` from the
    person's areas and, with `rol`, the Revisor técnico role once no area of theirs is left
    (one granted since, approved apart, keeps it). Nobody acts: the second administrator who
    approved the loan approved its end. Their open steps they can no longer attend go back to
    the queue. Returns whether anything was taken away."""
    usuario = _bloquear(usuario)
    actuales = set(roles_de(usuario=usuario))
    perfil = Perfil.objects.filter(usuario=usuario).select_related("ente").first()
    if perfil is None or Rol.REVISOR_TECNICO not in actuales:
        return False  # the role was taken away meanwhile, areas and all
    suyas = list(perfil.areas.all())
    areas = [a for a in suyas if a != area]
    roles = actuales - {Rol.REVISOR_TECNICO} if rol and not areas else actuales
    if areas == suyas and roles == actuales:
        return False
    perfil.areas.set(areas)
    quitadas = [a.nombre for a in suyas if a not in areas]
    _roles_aplicar(
        tipo="rol_retirado",
        usuario=usuario,
        rol=Rol.REVISOR_TECNICO,
        por=None,
        motivo=motivo,
        roles=roles,
        ente=perfil.ente,
        areas=areas,
        extra={**datos, **({"areas_retiradas": quitadas} if roles == actuales else {})},
    )
    tareas_liberar(usuario=usuario, por=None, motivo=motivo)
    return True
