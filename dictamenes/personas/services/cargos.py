"""A person's cargo (issue 59): what the dictamen's PDF prints under the signer's name. The one
door that changes it on an existing profile, called on a second administrator's approval
(operacion.services.cambios.tipos_entes); the admin site shows it read-only. A new profile is
given its cargo when it is created (personas.usuario_crear)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Perfil
from dictamenes.organizacion.selectors.usuarios import administra_roles

ERROR_CARGO_SIN_PERMISO = _("Solo una persona administradora pide cambiar el cargo de una persona.")
ERROR_CARGO_MISMO = _("La persona ya tiene el cargo «%(cargo)s».")


def cargo_normalizar(cargo: str) -> str:
    return " ".join((cargo or "").split())


def perfil_cargo_validar(*, perfil: Perfil, cargo: str) -> str:
    """The new cargo, or why not; the door then checks it with the model's own rules."""
    cargo = cargo_normalizar(cargo)
    if cargo == perfil.cargo:
        raise ValidationError(
            {
                "cargo": ValidationError(
                    ERROR_CARGO_MISMO, code="mismo_cargo", params={"cargo": cargo or "—"}
                )
            }
        )
    return cargo


@transaction.atomic
def perfil_cargo_cambiar(*, perfil: Perfil, cargo: str, por, motivo: str = "") -> Perfil:
    """The person holds `cargo` from now on: the next dictamen they sign prints it; the ones
    already issued keep theirs (Dictamen.firmante_cargo)."""
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_CARGO_SIN_PERMISO)
    perfil = Perfil.objects.select_for_update().select_related("usuario").get(pk=perfil.pk)
    cargo = perfil_cargo_validar(perfil=perfil, cargo=cargo)
    anterior, perfil.cargo = perfil.cargo, cargo
    perfil.full_clean()
    perfil.save(update_fields=["cargo"])
    evento_registrar(
        tipo="cargo_cambiado",
        descripcion=f"Cargo de {perfil} «{anterior}» cambiado a «{perfil.cargo}»",
        usuario=por,
        motivo=(motivo or "").strip(),
        datos={"persona": perfil.usuario_id, "perfil": perfil.pk, "de": anterior, "a": cargo},
    )
    return perfil
