"""The login page (the state's identity first, local passwords when allowed), the page of a
person who waits for an account, and logout, which also ends the provider's session where
the provider offers it."""

from urllib.parse import urlencode

from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from cuentas.adaptadores import SESION_PENDIENTE, SESION_PROVEEDOR
from cuentas.backends import (
    ERROR_CONTRASENAS_APAGADAS,
    contrasena_permitida,
    contrasena_rechazar,
)
from dictamenes.models import AccesoPendiente

# Django's stock wording ("Por favor introduzca nombre de usuario y contraseña correctos. Note
# que puede que ambos campos sean estrictos…") is Spain's and says nothing of the lockout.
ERROR_ENTRADA = _(
    "El usuario o la contraseña no son correctos. Revise que los escribió bien (las mayúsculas "
    "cuentan) e intente de nuevo. Tras %(intentos)d intentos fallidos seguidos, la entrada se "
    "bloquea %(minutos)d minutos."
)
ERROR_CUENTA_INACTIVA = _(
    "Esta cuenta está desactivada: pida a una persona administradora que la revise."
)


class FormularioEntrada(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": ERROR_ENTRADA,
        "inactive": ERROR_CUENTA_INACTIVA,
    }

    def get_invalid_login_error(self):
        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={
                "intentos": settings.AXES_FAILURE_LIMIT,
                "minutos": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            },
        )

    def clean(self):
        if not contrasena_permitida(self.data.get("username")):
            contrasena_rechazar(self.data.get("username"))
            raise ValidationError(ERROR_CONTRASENAS_APAGADAS, code="contrasenas_apagadas")
        return super().clean()


def proveedores_de_identidad(request) -> list[dict]:
    """The configured providers, each with the address its button posts to."""
    return [
        {"nombre": p.name, "url": p.get_login_url(request)}
        for p in get_adapter().list_providers(request)
    ]


class Entrar(LoginView):
    form_class = FormularioEntrada
    template_name = "registration/login.html"

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(**kwargs)
        contexto["proveedores"] = proveedores_de_identidad(self.request)
        contexto["contrasenas_locales"] = settings.DICTAMENES_CONTRASENAS_LOCALES
        return contexto


@require_safe
def pendiente(request):
    """Signed in with a provider, matched no account: told so, in Spanish, with what the
    administrator was told."""
    persona = AccesoPendiente.objects.filter(pk=request.session.get(SESION_PENDIENTE)).first()
    return render(request, "cuentas/acceso_pendiente.html", {"persona": persona})


@require_POST
def salir(request):
    """End the session here, then the provider's if it offers an end point: OpenID Connect's
    end_session_endpoint with the ID token as hint, or a Llave-style logout address."""
    proveedor = request.session.get(SESION_PROVEEDOR) or {}
    logout(request)
    destino = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if not proveedor.get("fin"):
        return redirect(destino)
    volver = request.build_absolute_uri(destino)
    parametros = {proveedor.get("parametro") or "post_logout_redirect_uri": volver}
    if proveedor.get("id_token"):
        parametros.update(id_token_hint=proveedor["id_token"], client_id=proveedor["cliente"])
    separador = "&" if "?" in proveedor["fin"] else "?"
    return redirect(proveedor["fin"] + separador + urlencode(parametros))
