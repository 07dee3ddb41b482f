"""The second factor (TOTP, django-otp) of firmantes and administrators: turn it on, ask for
it after the password, turn it off. Optional: a person decides, from «Segundo factor».

A wrong code is counted by django-otp's throttling (each failure doubles the wait), and that
count must survive the failure: it is written outside the transaction that confirms.
"""

from base64 import b32encode

import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cuentas.middleware import SESION_CODIGO_PENDIENTE
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.roles import Rol

ROLES_CON_SEGUNDO_FACTOR = {Rol.FIRMANTE, Rol.ADMINISTRADOR}
NOMBRE_DISPOSITIVO = "Aplicación de autenticación"

ERROR_SIN_SEGUNDO_FACTOR = _(
    "El segundo factor es para quienes firman dictámenes o administran el sistema."
)
ERROR_CODIGO = _(
    "El código no es válido. Escriba los 6 dígitos que muestra ahora su aplicación de "
    "autenticación (cambian cada 30 segundos)."
)
ERROR_CODIGO_ESPERE = _(
    "Demasiados códigos equivocados seguidos. Espere %(segundos)s segundos e intente de nuevo."
)
ERROR_YA_ACTIVO = _("El segundo factor ya está activado en su cuenta.")
ERROR_NO_ACTIVO = _("Su cuenta no tiene activado el segundo factor.")


def puede_usar_segundo_factor(*, usuario) -> bool:
    return usuario.is_superuser or bool(set(roles_de(usuario=usuario)) & ROLES_CON_SEGUNDO_FACTOR)


def dispositivo_confirmado(*, usuario) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=usuario, confirmed=True).first()


def segundo_factor_iniciar(*, usuario) -> TOTPDevice:
    """A new secret, not yet in force: the person scans it, then confirms with a code."""
    if not puede_usar_segundo_factor(usuario=usuario):
        raise PermissionDenied(ERROR_SIN_SEGUNDO_FACTOR)
    if dispositivo_confirmado(usuario=usuario):
        raise ValidationError(ERROR_YA_ACTIVO, code="ya_activo")
    pendiente = TOTPDevice.objects.filter(user=usuario, confirmed=False).first()
    return pendiente or TOTPDevice.objects.create(
        user=usuario, name=NOMBRE_DISPOSITIVO, confirmed=False
    )


def qr_svg(*, dispositivo: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG (no image request, nothing for CSP to allow)."""
    return segno.make(dispositivo.config_url, error="m").svg_inline(
        scale=5, border=2, title=str(_("Código QR para su aplicación de autenticación"))
    )


def clave_legible(*, dispositivo: TOTPDevice) -> str:
    """The secret in base 32, in groups of four, for typing it in by hand."""
    clave = b32encode(dispositivo.bin_key).decode().rstrip("=")
    return " ".join(clave[i : i + 4] for i in range(0, len(clave), 4))


def _exigir_codigo(dispositivo: TOTPDevice, codigo: str) -> None:
    permitido, datos = dispositivo.verify_is_allowed()
    if not permitido and datos and datos.get("locked_until"):
        segundos = max(1, int((datos["locked_until"] - timezone.now()).total_seconds()))
        raise ValidationError(ERROR_CODIGO_ESPERE % {"segundos": segundos}, code="espere")
    if not dispositivo.verify_token((codigo or "").strip()):
        raise ValidationError(ERROR_CODIGO, code="codigo")


def segundo_factor_confirmar(*, request, codigo: str) -> TOTPDevice:
    """The first right code puts the factor in force; this session counts as verified."""
    usuario = request.user
    dispositivo = segundo_factor_iniciar(usuario=usuario)
    _exigir_codigo(dispositivo, codigo)
    with transaction.atomic():
        dispositivo.confirmed = True
        dispositivo.save(update_fields=["confirmed"])
        evento_registrar(
            tipo="segundo_factor_activado",
            descripcion=f"{usuario.get_full_name() or usuario} activó el segundo factor",
            usuario=usuario,
        )
    otp_login(request, dispositivo)
    return dispositivo


def segundo_factor_desactivar(*, request, codigo: str) -> None:
    """Only with a current code: a stolen open session must not be enough to remove it."""
    usuario = request.user
    dispositivo = dispositivo_confirmado(usuario=usuario)
    if dispositivo is None:
        raise ValidationError(ERROR_NO_ACTIVO, code="no_activo")
    _exigir_codigo(dispositivo, codigo)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=usuario).delete()
        evento_registrar(
            tipo="segundo_factor_desactivado",
            descripcion=f"{usuario.get_full_name() or usuario} desactivó el segundo factor",
            usuario=usuario,
        )


def codigo_exigir_al_entrar(*, request, usuario) -> None:
    """Called when the password (or an identity provider) was right: the session owes its
    code if the person has one."""
    if dispositivo_confirmado(usuario=usuario) is not None:
        request.session[SESION_CODIGO_PENDIENTE] = True


def segundo_factor_del_proveedor(*, request, usuario, mfa: str) -> None:
    """An identity provider's own second factor stands for the code only when the provider
    asserted it (`amr`/`acr`) and the configuration trusts it (`mfa` is then not empty): the
    session owes nothing more, and the audit says why."""
    if not mfa or not request.session.get(SESION_CODIGO_PENDIENTE):
        return
    with transaction.atomic():
        evento_registrar(
            tipo="segundo_factor_del_proveedor",
            descripcion=(
                f"{usuario.get_full_name() or usuario} entró con el segundo factor de su "
                "proveedor de identidad"
            ),
            usuario=usuario,
            datos={"mfa": mfa},
        )
    request.session.pop(SESION_CODIGO_PENDIENTE, None)


def codigo_verificar(*, request, codigo: str) -> None:
    dispositivo = dispositivo_confirmado(usuario=request.user)
    if dispositivo is None:
        request.session.pop(SESION_CODIGO_PENDIENTE, None)
        return
    _exigir_codigo(dispositivo, codigo)
    otp_login(request, dispositivo)
    request.session.pop(SESION_CODIGO_PENDIENTE, None)
