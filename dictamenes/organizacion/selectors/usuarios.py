"""Reads about people: their roles, what they see of the catalogues, who holds a permission,
and the home page's panels."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_objects_for_user, get_users_with_perms

from dictamenes.models import AccesoPendiente, Area, Ente
from dictamenes.organizacion.selectors.revisores import sin_area
from dictamenes.roles import DESCRIPCION_ROL, ROLES_INTERNOS, Rol

_ROL_POR_NOMBRE = {str(rol.label): rol for rol in Rol}


def roles_de(*, usuario) -> list[Rol]:
    """The roles a person holds, in the order of the procedure."""
    if not usuario.is_authenticated:
        return []
    # Asked several times per request (menus, scoping, permissions): one query per user object.
    if not hasattr(usuario, "_roles_de"):
        nombres = {g.name for g in usuario.groups.all()}
        usuario._roles_de = [rol for rol in Rol if str(rol.label) in nombres]
    return list(usuario._roles_de)


def administra_roles(*, usuario) -> bool:
    """Who may grant and remove roles: an active administrator, or a superuser."""
    if not usuario.is_authenticated or not usuario.is_active:
        return False
    return usuario.is_superuser or Rol.ADMINISTRADOR in roles_de(usuario=usuario)


def personas_con_roles(*, q: str = "") -> QuerySet:
    """Everyone with an account, with what their roles page shows read in three queries
    whatever their number: the people (and profile, agency), their groups, their areas (the
    active ones: a retired area is no longer anyone's to review)."""
    personas = (
        get_user_model()
        .objects.defer("password")
        .select_related("perfil__ente")
        .prefetch_related(
            "groups", Prefetch("perfil__areas", queryset=Area.objects.filter(activa=True))
        )
        .order_by("last_name", "first_name", "username")
    )
    for palabra in q.split()[:5]:
        personas = personas.filter(
            Q(username__icontains=palabra)
            | Q(first_name__icontains=palabra)
            | Q(last_name__icontains=palabra)
            | Q(email__icontains=palabra)
        )
    return personas


def es_interno(*, usuario) -> bool:
    """The Subsecretaría's staff, auditors and administrators: everyone but agency staff."""
    return bool(set(roles_de(usuario=usuario)) & ROLES_INTERNOS)


def entes_visibles(*, usuario) -> QuerySet[Ente]:
    """Agencies whose requests the person may see, filtered in SQL (guardian's tables)."""
    # with_superuser/accept_global_perms: internal roles hold view_ente on the model.
    return get_objects_for_user(
        usuario, "dictamenes.view_ente", klass=Ente, accept_global_perms=True
    )


AREAS_NOMBRES = "areas:nombres"


def nombre_de_area(*, pk: int) -> str:
    """An area's name, as step titles show it. The names change perhaps once in years; they are
    kept five minutes rather than read for every row of an inbox, and a change to an area
    empties them (dictamenes.apps)."""
    nombres = cache.get_or_set(
        AREAS_NOMBRES, lambda: dict(Area.objects.values_list("pk", "nombre")), 300
    )
    return nombres.get(pk, str(pk))


_BANDEJA = [
    ("workflow:inbox", _("Mis tareas")),
    ("workflow:queue", _("Tareas por tomar")),
    ("solicitudes:lista", _("Solicitudes")),
    ("solicitudes:suplencias", _("Suplencias")),
    ("indicadores", _("Indicadores")),
]
ENLACES_POR_ROL = {
    Rol.REQUIRENTE: [
        ("solicitudes:lista", _("Mis solicitudes")),
        ("solicitudes:nueva", _("Nueva solicitud")),
        ("planeacion:programa", _("Programa anual")),
        ("estandares:autoevaluacion", _("Autoevaluar especificaciones")),
    ],
    Rol.MESA_CONTROL: _BANDEJA,
    Rol.REVISOR_TECNICO: [
        *_BANDEJA,
        # Where the evidence of their areas' conditions waits to be verified.
        ("planeacion:condiciones", _("Condiciones por cumplir")),
        ("estandares:catalogo", _("Estándares técnicos vigentes")),
    ],
    Rol.REVISOR_ESTRATEGICO: [
        *_BANDEJA,
        ("planeacion:consolidacion", _("Oportunidades de consolidación")),
        ("planeacion:pronostico", _("Pronóstico de carga")),
        ("capacidad:cierre", _("Capacidad para el cierre")),
        ("planeacion:condiciones", _("Condiciones por cumplir")),
        ("planeacion:contratos", _("Contratos señalados")),
        # Every request's signs, by sign, agency, supplier and year (issue 80).
        ("senales:lista", _("Señales")),
        ("estandares:catalogo", _("Estándares técnicos vigentes")),
    ],
    Rol.FIRMANTE: [
        *_BANDEJA,
        # A contract over what a dictamen approved is the signer's business too (issue 61).
        ("planeacion:contratos", _("Contratos señalados")),
        ("cuentas:segundo_factor", _("Segundo factor de su cuenta")),
    ],
    Rol.AUDITOR: [
        ("solicitudes:lista", _("Todas las solicitudes")),
        ("indicadores", _("Indicadores")),
        ("planeacion:condiciones", _("Condiciones por cumplir")),
        ("planeacion:contratos", _("Contratos señalados")),
        ("senales:lista", _("Señales")),
    ],
    Rol.ADMINISTRADOR: [
        ("admin:estandares_publicacion_changelist", _("Ediciones de los estándares")),
        ("cuentas:ediciones", _("Publicar una edición")),
        ("cuentas:dias_inhabiles", _("Días inhábiles")),
        ("cuentas:roles", _("Personas y roles")),
        ("cuentas:cambios", _("Cambios por aprobar")),
        ("cuentas:institucion", _("Textos de la institución y plazos")),
        ("cuentas:vias", _("Vías de revisión")),
        ("cuentas:areas", _("Áreas de revisión")),
        ("cuentas:entes", _("Entes")),
        ("cuentas:ausencias", _("Ausencias y refuerzos")),
        ("cuentas:motivos", _("Motivos de no aprobación")),
        ("cuentas:sistema", _("Estado del sistema")),
        ("capacidad:cierre", _("Capacidad para el cierre")),
        ("planeacion:contratos", _("Contratos señalados")),
        ("admin:index", _("Catálogos, áreas y usuarios")),
        ("cuentas:segundo_factor", _("Segundo factor de su cuenta")),
    ],
}


def paneles_de_inicio(*, usuario) -> list[dict]:
    """One panel per role: what the person does here and where to start.

    A link is only offered when the page behind it exists. What the person has to act on
    is not here: pendientes.selectors reads it for the «Pendientes» block above the panels.
    """
    perfil = getattr(usuario, "perfil", None)
    paneles = []
    for rol in roles_de(usuario=usuario):
        panel = {
            "rol": rol,
            "titulo": rol.label,
            "descripcion": DESCRIPCION_ROL[rol],
            "enlaces": ENLACES_POR_ROL[rol],
        }
        if rol == Rol.REQUIRENTE and perfil and perfil.ente:
            panel["ambito"] = perfil.ente
        elif rol == Rol.REVISOR_TECNICO and perfil:
            activas = list(perfil.areas.filter(activa=True))
            # The rule the administrators' home and the operator's page name them by.
            panel["ambito"] = (
                _("Sin área activa: pida a una persona administradora un área de revisión.")
                if sin_area(areas=[a.pk for a in activas])
                else ", ".join(a.nombre for a in activas)
            )
        paneles.append(panel)
    return paneles


def con_permiso(*, codename: str, obj=None):
    """Active people who hold a permission, globally or on `obj` (guardian), in SQL."""
    if obj is not None:
        usuarios = get_users_with_perms(obj, only_with_perms_in=[codename], with_group_users=True)
        return usuarios.filter(is_active=True)
    permiso = Permission.objects.get(content_type__app_label="dictamenes", codename=codename)
    return (
        get_user_model()
        .objects.filter(
            Q(groups__permissions=permiso) | Q(user_permissions=permiso), is_active=True
        )
        .distinct()
    )


def correos_con_permiso(*, codename: str, obj=None) -> list[str]:
    return list(con_permiso(codename=codename, obj=obj).values_list("email", flat=True).distinct())


def correos_de_administradores() -> list[str]:
    """Where the notices for administrators go: every active one with an e-mail."""
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=str(Rol.ADMINISTRADOR.label)))
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def correos_de_roles(*, roles) -> list[str]:
    """Every active holder of one of `roles` with an e-mail (told when a rule they work
    under changes)."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[str(Rol(r).label) for r in roles])
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def accesos_pendientes(*, limite: int = 50) -> list[AccesoPendiente]:
    """The people a provider vouched for who wait for an account, newest first."""
    return list(AccesoPendiente.objects.filter(atendido_en__isnull=True)[:limite])
