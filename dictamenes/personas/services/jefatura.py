"""A person's jefatura (issue 77): a chief may reassign the tasks of others who hold the same
role (tramite.services.tareas). It is a power, so it is given and taken away like the others:
asked on «Personas y roles» by one administrator and applied through this door only when a
second one approves (operacion.services.cambios.tipos_entes.JefaturaDePersona); the admin site
shows it read-only."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Perfil
from dictamenes.organizacion.selectors.usuarios import administra_roles

ERROR_JEFATURA_SIN_PERMISO = _(
    "Solo una persona administradora pide dar o quitar la jefatura de una persona."
)
ERROR_JEFATURA_MISMA = _("La persona ya %(estado)s.")


def jefatura_texto(es_jefe: bool) -> str:
    return str(_("Con jefatura") if es_jefe else _("Sin jefatura"))


@transaction.atomic
def perfil_jefatura_cambiar(*, perfil: Perfil, es_jefe: bool, por, motivo: str = "") -> Perfil:
    """From now on the person may (or may no longer) reassign others' tasks of their role."""
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_JEFATURA_SIN_PERMISO)
    perfil = Perfil.objects.select_for_update().select_related("usuario").get(pk=perfil.pk)
    if perfil.es_jefe == es_jefe:
        raise ValidationError(
            ERROR_JEFATURA_MISMA,
            code="misma_jefatura",
            params={"estado": _("tiene la jefatura") if es_jefe else _("no tiene la jefatura")},
        )
    perfil.es_jefe = es_jefe
    perfil.save(update_fields=["es_jefe"])
    evento_registrar(
        tipo="jefatura_cambiada",
        descripcion=f"Jefatura de {perfil}: {'dada' if es_jefe else 'quitada'}",
        usuario=por,
        motivo=(motivo or "").strip(),
        datos={"persona": perfil.usuario_id, "perfil": perfil.pk, "es_jefe": es_jefe},
    )
    return perfil
