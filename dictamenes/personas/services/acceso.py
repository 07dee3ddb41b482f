"""Who may act at all (issue 59): deactivating or reactivating an account, and taking away a
role of the procedure, are changes like granting one. For anyone who acts in the procedure (mesa
de control, reviewers, signer, administrators) one administrator asks and a second approves
(personas.services.control_dual); for the others (requirentes, auditors) it is done at once,
audited. Whatever the path (the roles page, the Django admin, a command), the system never
falls below two active administrators: with one, nobody could approve anything.

Below personas.services.control_dual, which applies these changes on approval."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes import exceptions
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import CambioPendiente
from dictamenes.organizacion.selectors.usuarios import administra_roles, roles_de
from dictamenes.personas.services.cambios_pendientes import cambio_pedir, persona_nombre
from dictamenes.personas.services.personas import (
    ERROR_CUENTA_SUPERUSUARIO,
    ERROR_ROL_SIN_MOTIVO,
    ERROR_ROLES_SIN_PERMISO,
    ROLES_DEL_PROCEDIMIENTO,
    exigir_dos_administradores,
)
from dictamenes.tramite.services.tareas import tareas_liberar
from estandares.motivos import motivo_leer

ERROR_ACCESO_PROPIO = _("Nadie desactiva ni reactiva su propia cuenta.")
ERROR_ACCESO_IGUAL = _("La cuenta de %(persona)s ya está %(estado)s.")
ERROR_ACCESO_CAMBIO = _(
    "La cuenta de %(persona)s ya está %(estado)s: el cambio pedido ya no cambia nada. Recháselo."
)


def actua_en_el_tramite(*, usuario) -> bool:
    """Whether the account holds a role of the procedure (or is a superuser): taking its
    access or one of those roles away waits for a second administrator."""
    return usuario.is_superuser or bool(set(roles_de(usuario=usuario)) & ROLES_DEL_PROCEDIMIENTO)


def _estado(activo: bool) -> str:
    return str(_("activa") if activo else _("desactivada"))


def _exigir_quien_pide(*, persona, por, motivo: str) -> str:
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_ROLES_SIN_PERMISO)
    if persona.pk == por.pk:
        raise ValidationError(ERROR_ACCESO_PROPIO, code="acceso_propio")
    if persona.is_superuser and not por.is_superuser:
        raise ValidationError(ERROR_CUENTA_SUPERUSUARIO, code="cuenta_superusuario")
    return motivo_leer(motivo, vacio=ERROR_ROL_SIN_MOTIVO)


def _aplicar(*, persona, activo: bool, por, motivo: str, datos: dict | None = None):
    if not activo:
        exigir_dos_administradores(sin=persona)
    persona.is_active = activo
    persona.save(update_fields=["is_active"])
    verbo = "reactiva" if activo else "desactiva"
    evento_registrar(
        tipo="cuenta_activada" if activo else "cuenta_desactivada",
        descripcion=f"{persona_nombre(por)} {verbo} la cuenta de {persona_nombre(persona)}",
        usuario=por,
        motivo=motivo,
        datos={"persona": persona.pk, "activo": activo, **(datos or {})},
    )
    if not activo:  # their open steps go back to the queue, as when a role is taken away
        tareas_liberar(usuario=persona, por=por, motivo=motivo)
    return persona


@transaction.atomic
def cuenta_acceso_cambiar(*, persona, activo: bool, por, motivo: str):
    """Deactivate (activo=False) or reactivate an account. For someone who acts in the
    procedure it is asked (a CambioPendiente is returned); for anyone else it is done now
    (the account is returned)."""
    motivo = _exigir_quien_pide(persona=persona, por=por, motivo=motivo)
    persona = get_user_model().objects.select_for_update().get(pk=persona.pk)
    if persona.is_active == activo:
        raise ValidationError(
            ERROR_ACCESO_IGUAL,
            code="nada_cambia",
            params={"persona": persona_nombre(persona), "estado": _estado(activo)},
        )
    if not actua_en_el_tramite(usuario=persona):
        return _aplicar(persona=persona, activo=activo, por=por, motivo=motivo)
    if not activo:
        exigir_dos_administradores(sin=persona)
    return cambio_pedir(
        tipo=CambioPendiente.Tipo.ACCESO,
        persona=persona,
        por=por,
        motivo=motivo,
        datos={"activo": [persona.is_active, activo]},
    )


def acceso_aplicar(*, cambio: CambioPendiente, por) -> None:
    """On a second administrator's approval, inside control_dual's transaction."""
    persona = get_user_model().objects.select_for_update().get(pk=cambio.persona_id)
    antes, despues = cambio.datos["activo"]
    if persona.is_active != antes:
        raise exceptions.Conflicto(
            ERROR_ACCESO_CAMBIO,
            code="datos_cambiaron",
            params={"persona": persona_nombre(persona), "estado": _estado(persona.is_active)},
        )
    try:
        _aplicar(
            persona=persona,
            activo=despues,
            por=por,
            motivo=cambio.motivo,
            datos={"cambio": cambio.pk, "pedido_por": cambio.pedido_por_id},
        )
    except ValidationError as exc:
        raise exceptions.Conflicto(" ".join(exc.messages), code="menos_de_dos") from exc
