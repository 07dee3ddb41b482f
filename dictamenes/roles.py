"""The roles of domain.md, as Django groups.

A person may hold several roles; the home page shows a panel for each. The group names are
data (admins see them), the enum values are what the code compares against.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rol(models.TextChoices):
    REQUIRENTE = "requirente", _("Requirente")
    MESA_CONTROL = "mesa_control", _("Mesa de control")
    REVISOR_TECNICO = "revisor_tecnico", _("Revisor técnico")
    REVISOR_ESTRATEGICO = "revisor_estrategico", _("Revisor estratégico")
    FIRMANTE = "firmante", _("Firmante")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRADOR = "administrador", _("Administrador")


# Roles that belong to the Subsecretaría (or the internal control body) rather than an agency.
ROLES_INTERNOS = frozenset(Rol) - {Rol.REQUIRENTE}

# Roles that act in the procedure: granting, removing or switching off one takes a second
# administrator's approval (issues 33 and 59), and the break-glass account holds none.
ROLES_DEL_PROCEDIMIENTO = frozenset(
    {
        Rol.MESA_CONTROL,
        Rol.REVISOR_TECNICO,
        Rol.REVISOR_ESTRATEGICO,
        Rol.FIRMANTE,
        Rol.ADMINISTRADOR,
    }
)

# The per-agency group is named after the agency's acronym so that admins can read it.
PREFIJO_GRUPO_ENTE = "requirente:"


def nombre_grupo_ente(siglas: str) -> str:
    return f"{PREFIJO_GRUPO_ENTE}{siglas}"


def nombre_grupo_area(clave: str) -> str:
    return f"revisor:{clave}"


DESCRIPCION_ROL = {
    Rol.REQUIRENTE: _(
        "Elabore, presente y corrija las solicitudes de dictamen de su dependencia, y "
        "atienda las prevenciones dentro del plazo."
    ),
    Rol.MESA_CONTROL: _(
        "Revise que cada solicitud presentada esté completa: admítala o emita una prevención "
        "que diga qué falta."
    ),
    Rol.REVISOR_TECNICO: _(
        "Revise las partidas de su área contra los estándares técnicos y emita su opinión técnica."
    ),
    Rol.REVISOR_ESTRATEGICO: _(
        "Valore la alineación al programa de gobierno digital, la duplicidad y la "
        "consolidación, y proponga el resultado."
    ),
    Rol.FIRMANTE: _("Revise los proyectos de dictamen y fírmelos con su e.firma."),
    Rol.AUDITOR: _(
        "Consulte todas las solicitudes, su historial y sus expedientes. Este rol es de solo "
        "lectura."
    ),
    Rol.ADMINISTRADOR: _(
        "Administre el catálogo de estándares, las áreas, los usuarios, los plazos y los "
        "días inhábiles."
    ),
}
