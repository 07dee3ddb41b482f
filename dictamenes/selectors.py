"""Reads about people, roles and agencies."""

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_objects_for_user

from dictamenes.models import Area, Ente
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


def es_interno(*, usuario) -> bool:
    """The Subsecretaría's staff, auditors and administrators: everyone but agency staff."""
    return bool(set(roles_de(usuario=usuario)) & ROLES_INTERNOS)


def entes_visibles(*, usuario) -> QuerySet[Ente]:
    """Agencies whose requests the person may see, filtered in SQL (guardian's tables)."""
    # with_superuser/accept_global_perms: internal roles hold view_ente on the model.
    return get_objects_for_user(
        usuario, "dictamenes.view_ente", klass=Ente, accept_global_perms=True
    )


def nombre_de_area(clave: str) -> str:
    """An area's name by its key, as step titles show it. The five names change perhaps once
    in years; they are kept five minutes rather than read for every row of an inbox."""
    nombres = cache.get_or_set(
        "areas:nombres", lambda: dict(Area.objects.values_list("clave", "nombre")), 300
    )
    return nombres.get(clave, clave)


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
    Rol.REVISOR_TECNICO: [*_BANDEJA, ("estandares:catalogo", _("Estándares técnicos vigentes"))],
    Rol.REVISOR_ESTRATEGICO: [
        *_BANDEJA,
        ("planeacion:consolidacion", _("Oportunidades de consolidación")),
        ("planeacion:pronostico", _("Pronóstico de carga")),
        ("estandares:catalogo", _("Estándares técnicos vigentes")),
    ],
    Rol.FIRMANTE: [*_BANDEJA, ("cuentas:segundo_factor", _("Segundo factor de su cuenta"))],
    Rol.AUDITOR: [
        ("solicitudes:lista", _("Todas las solicitudes")),
        ("indicadores", _("Indicadores")),
    ],
    Rol.ADMINISTRADOR: [
        ("admin:estandares_publicacion_changelist", _("Ediciones de los estándares")),
        ("admin:dictamenes_diainhabil_changelist", _("Días inhábiles")),
        ("admin:dictamenes_plazoetapa_changelist", _("Plazos por etapa")),
        ("admin:index", _("Catálogos, áreas y usuarios")),
        ("cuentas:segundo_factor", _("Segundo factor de su cuenta")),
    ],
}


def paneles_de_inicio(*, usuario) -> list[dict]:
    """One panel per role: what the person does here and where to start.

    A link is only offered when the page behind it exists.
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
            panel["ambito"] = ", ".join(a.nombre for a in perfil.areas.all())
        paneles.append(panel)
    return paneles


# --- Requests ----------------------------------------------------------------------------------


def solicitudes_visibles(*, usuario) -> QuerySet:
    """Requests the person may see, scoped in SQL by agency: a requirente sees its own agency
    only; the Subsecretaría and auditors see every agency."""
    from dictamenes.models import Solicitud

    if not usuario.is_authenticated:
        return Solicitud.objects.none()
    if es_interno(usuario=usuario):
        return Solicitud.objects.all()
    entes = get_objects_for_user(
        usuario, "dictamenes.actuar_como_requirente", klass=Ente, accept_global_perms=False
    )
    return Solicitud.objects.filter(ente__in=entes.values("pk"))


def solicitud_para(*, usuario, pk: int):
    """The request, or 404 whether it does not exist or is not the person's to see."""
    from django.http import Http404

    from dictamenes.models import Solicitud

    try:
        return solicitudes_visibles(usuario=usuario).select_related("ente", "creada_por").get(pk=pk)
    except Solicitud.DoesNotExist as exc:
        raise Http404 from exc


# --- Public register ---------------------------------------------------------------------------


def dictamenes_publicos():
    """Every issued dictamen, for anyone, newest first. The rows shown are built by
    datos_abiertos.filas, which selects no personal data at all."""
    from dictamenes.models import Dictamen

    return Dictamen.objects.order_by("-emitido_en", "-id")
