"""The break-glass account (issue 48), recognised by the account itself, never by its username:
an administrator may rename accounts, and renaming their own to the configured username (or the
break-glass one to another) must not move the power to sign in with a password when passwords
are off, nor the power to approve changes.

DJANGO_CUENTA_EMERGENCIA names the account only the first time: the first time it is looked
for and an account with that username exists, that account is designated (audited), and from
then on the designation follows the account. The `designar_cuenta_emergencia` command, run on
the server, designates another one."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import CuentaEmergencia
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.roles import ROLES_DEL_PROCEDIMIENTO, Rol
from estandares.motivos import motivo_leer

CLAVE_CACHE = "cuenta_emergencia"

ERROR_SIN_MOTIVO = _("Escriba el motivo: queda en la auditoría.")
ERROR_SU_PROPIA_CUENTA = _(
    "«%(usuario)s» no designa su propia cuenta: la cuenta de emergencia entra con contraseña "
    "cuando las demás no pueden. Que la designe otra persona administradora."
)


def cuenta_emergencia_id() -> int | None:
    """The designated account's id, designating it from the setting the first time. Read
    from the shared cache once known (every page of changes asks it per row)."""
    if (guardada := cache.get(CLAVE_CACHE)) is not None:
        return guardada or None  # 0: none designated, known for a minute
    fila = CuentaEmergencia.objects.values_list("usuario_id", flat=True).first()
    if fila is not None:
        cache.set(CLAVE_CACHE, fila, None)
        return fila
    nombre = settings.DICTAMENES_CUENTA_EMERGENCIA
    usuario = get_user_model().objects.filter(username=nombre).first() if nombre else None
    if usuario is None:
        cache.set(CLAVE_CACHE, 0, 60)
        return None
    try:
        return cuenta_emergencia_designar(usuario=usuario, motivo="DJANGO_CUENTA_EMERGENCIA").pk
    except IntegrityError:  # designated meanwhile by another request
        return CuentaEmergencia.objects.values_list("usuario_id", flat=True).first()


def es_cuenta_emergencia(*, usuario) -> bool:
    return usuario is not None and usuario.pk is not None and usuario.pk == cuenta_emergencia_id()


ERROR_ACTUA_EN_EL_TRAMITE = _(
    "«%(usuario)s» actúa en el trámite (%(roles)s): la cuenta de emergencia no aprueba cambios "
    "ni actúa en el trámite; designe una cuenta sin esos roles, hecha para la emergencia."
)
ERROR_QUEDARIA_UN_APROBADOR = _(
    "Designar a «%(usuario)s» dejaría menos de dos personas administradoras que aprueban "
    "cambios: otorgue antes el rol de Administrador a otra persona."
)


def _exigir_que_no_quite_un_aprobador(*, usuario) -> None:
    """Designating takes the account out of the approvers (issue 59): not one that acts in
    the procedure, nor one without which fewer than two administrators would approve."""
    del_tramite = [str(r.label) for r in roles_de(usuario=usuario) if r in ROLES_DEL_PROCEDIMIENTO]
    if del_tramite:
        raise ValidationError(
            ERROR_ACTUA_EN_EL_TRAMITE,
            code="actua_en_el_tramite",
            params={"usuario": usuario.username, "roles": ", ".join(del_tramite)},
        )
    activos = administradores_activos()
    if activos.filter(pk=usuario.pk).exists() and activos.exclude(pk=usuario.pk).count() < 2:
        raise ValidationError(
            ERROR_QUEDARIA_UN_APROBADOR,
            code="menos_de_dos",
            params={"usuario": usuario.username},
        )


@transaction.atomic
def cuenta_emergencia_designar(*, usuario, motivo: str, por=None):
    """`usuario` becomes the break-glass account (replacing any other). Audited, in the name of
    `por` (None only for the first designation, from DJANGO_CUENTA_EMERGENCIA). Nobody gives
    their own account the power to sign in with a password when the others cannot."""
    motivo = motivo_leer(motivo, vacio=ERROR_SIN_MOTIVO)
    if por is not None and por.pk == usuario.pk:
        raise ValidationError(
            ERROR_SU_PROPIA_CUENTA, code="su_propia_cuenta", params={"usuario": por.username}
        )
    if por is not None:
        _exigir_que_no_quite_un_aprobador(usuario=usuario)
    anterior = CuentaEmergencia.objects.select_for_update().first()
    if anterior is not None and anterior.usuario_id == usuario.pk:
        return usuario
    CuentaEmergencia.objects.update_or_create(unica=True, defaults={"usuario": usuario})
    transaction.on_commit(lambda: cache.delete(CLAVE_CACHE))
    evento_registrar(
        tipo="cuenta_emergencia",
        descripcion=f"Cuenta de emergencia: {usuario.username}"
        + (f", designada por {por.username}" if por is not None else ""),
        usuario=por,
        motivo=motivo,
        datos={
            "cuenta": usuario.pk,
            "username": usuario.username,
            "anterior": anterior.usuario_id if anterior else None,
        },
    )
    return usuario


def administradores_activos():
    """Active administrators (the role, or superusers) who can approve a change: never the
    break-glass account."""
    activos = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=str(Rol.ADMINISTRADOR.label)))
    )
    # The designated row itself, not the shared cache: `check --deploy` counts them before any
    # cache server may be reachable.
    designada = CuentaEmergencia.objects.values_list("usuario_id", flat=True).first()
    nombre = settings.DICTAMENES_CUENTA_EMERGENCIA
    if designada is not None:
        activos = activos.exclude(pk=designada)
    elif nombre:
        activos = activos.exclude(username=nombre)  # not designated yet: the first time's name
    return activos.distinct()
