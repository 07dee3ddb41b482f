"""Where allauth asks the project: nobody signs up, and who a provider's person is here
(dictamenes.personas.services.identidad decides). Every refusal is audited and shown in Spanish."""

from __future__ import annotations

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from cuentas import services as cuentas
from cuentas.provider import ProveedorOIDC
from dictamenes.personas.services import identidad as servicio

# The provider the session entered with, for ending its session too at logout.
SESION_PROVEEDOR = "identidad_proveedor"
SESION_PENDIENTE = "identidad_pendiente"

ERROR_NONCE = _(
    "La respuesta del proveedor de identidad no corresponde a esta entrada (el «nonce» no "
    "coincide). Por seguridad no se aceptó; vuelva a entrar desde el principio."
)
ERROR_ESTADO = _(
    "Esta respuesta del proveedor de identidad no corresponde a una entrada iniciada en este "
    "navegador, o ya se usó o caducó. Vuelva a entrar desde el principio."
)
ERROR_CANCELADA = _("Canceló la entrada en el proveedor de identidad; no se inició la sesión.")
ERROR_PROVEEDOR = _(
    "El proveedor de identidad no confirmó la entrada (código usado o vencido, token caducado "
    "o una respuesta que no se pudo verificar). Vuelva a entrar desde el principio."
)


def _rechazo(request, mensaje, *, proveedor: str):
    return render(
        request,
        "cuentas/entrada_rechazada.html",
        {"mensaje": mensaje, "proveedor": proveedor},
        status=403,
    )


class AdaptadorCuentas(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def login(self, request, user):
        # The backend that restores the session on each request (allauth would pick the first
        # one that has get_user).
        user.backend = "cuentas.backends.ContrasenaLocalBackend"
        super().login(request, user)


class AdaptadorIdentidad(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        proveedor = sociallogin.account.get_provider()
        identidad = proveedor.identidad(sociallogin)
        if isinstance(proveedor, ProveedorOIDC):
            esperado = str(sociallogin.state.get("nonce") or "")
            recibido = str(
                (sociallogin.account.extra_data.get("id_token") or {}).get("nonce") or ""
            )
            if not esperado or not secrets.compare_digest(esperado, recibido):
                servicio.entrada_rechazar(identidad=identidad, motivo=str(ERROR_NONCE))
                raise ImmediateHttpResponse(
                    _rechazo(request, ERROR_NONCE, proveedor=proveedor.name)
                )
        try:
            usuario = servicio.entrada_resolver(
                identidad=identidad,
                vinculada_a=sociallogin.user if sociallogin.is_existing else None,
            )
        except servicio.EntradaRechazada as rechazo:
            raise ImmediateHttpResponse(
                _rechazo(request, rechazo.mensaje, proveedor=proveedor.name)
            ) from rechazo
        except servicio.AccesoEnEspera as espera:
            request.session[SESION_PENDIENTE] = espera.pendiente.pk
            raise ImmediateHttpResponse(redirect("acceso_pendiente")) from espera
        if not sociallogin.is_existing:
            with transaction.atomic():
                sociallogin.connect(request, usuario)
                servicio.vinculacion_registrar(identidad=identidad, usuario=usuario)
        sociallogin.identidad = identidad

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """A callback that does not check out: unknown or reused state, a code the provider
        refuses (replayed, expired), a token that fails verification, a cancelled sign-in."""
        contexto = extra_context or {}
        if error == AuthError.CANCELLED:
            mensaje = ERROR_CANCELADA
        elif "state" not in contexto and "state_id" in contexto:
            mensaje = ERROR_ESTADO
        else:
            mensaje = ERROR_PROVEEDOR
        # The cause too: allauth wraps PyJWT's «Signature has expired» as «Invalid id_token».
        causas = []
        while exception is not None and len(causas) < 3:
            causas.append(f"{type(exception).__name__}: {exception}")
            exception = exception.__cause__
        detalle = f"{mensaje} ({' ← '.join(causas)})" if causas else str(mensaje)
        servicio.entrada_rechazar(identidad=None, motivo=detalle, proveedor=provider.name)
        raise ImmediateHttpResponse(_rechazo(request, mensaje, proveedor=provider.name))


def al_entrar(sender, request, user, **kwargs):
    """Every login (our page, the admin's, a provider's): the second factor of whoever has
    one."""
    cuentas.codigo_exigir_al_entrar(request=request, usuario=user)


def al_entrar_con_proveedor(sender, request, user, sociallogin=None, **kwargs):
    """After a provider's login (allauth's signal, sent after Django's): the audit event, the
    provider's own second factor if trusted, and what logout needs to end the provider's
    session too."""
    identidad = getattr(sociallogin, "identidad", None)
    if identidad is None:
        return
    servicio.entrada_registrar(identidad=identidad, usuario=user)
    cuentas.segundo_factor_del_proveedor(request=request, usuario=user, mfa=identidad.mfa)
    app = sociallogin.account.get_provider().app
    request.session[SESION_PROVEEDOR] = {
        "fin": getattr(sociallogin, "fin_de_sesion", ""),
        "id_token": getattr(sociallogin, "id_token_crudo", ""),
        "cliente": app.client_id,
        "parametro": app.settings.get("parametro_redireccion", "post_logout_redirect_uri"),
    }
