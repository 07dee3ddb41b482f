"""The person's own account: turning the second factor on and off, and giving its code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cuentas import services as cuentas
from cuentas.forms import CodigoForm


def _siguiente(request) -> str:
    destino = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        destino, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return destino
    return "/"


@login_required
def segundo_factor(request):
    if not cuentas.puede_usar_segundo_factor(usuario=request.user):
        raise PermissionDenied(cuentas.ERROR_SIN_SEGUNDO_FACTOR)
    activo = cuentas.dispositivo_confirmado(usuario=request.user) is not None
    form = CodigoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if activo:
                cuentas.segundo_factor_desactivar(
                    request=request, codigo=form.cleaned_data["codigo"]
                )
            else:
                cuentas.segundo_factor_confirmar(
                    request=request, codigo=form.cleaned_data["codigo"]
                )
        except ValidationError as exc:
            form.add_error("codigo", exc)
        else:
            messages.success(
                request,
                _("Segundo factor desactivado.")
                if activo
                else _("Segundo factor activado: se le pedirá un código cada vez que entre."),
            )
            return redirect("cuentas:segundo_factor")
    contexto = {"form": form, "activo": activo}
    if not activo:
        dispositivo = cuentas.segundo_factor_iniciar(usuario=request.user)
        contexto.update(
            qr=cuentas.qr_svg(dispositivo=dispositivo),
            clave=cuentas.clave_legible(dispositivo=dispositivo),
        )
    return render(
        request,
        "cuentas/segundo_factor.html",
        contexto,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def codigo(request):
    form = CodigoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cuentas.codigo_verificar(request=request, codigo=form.cleaned_data["codigo"])
        except ValidationError as exc:
            form.add_error("codigo", exc)
        else:
            return redirect(_siguiente(request))
    return render(
        request,
        "cuentas/codigo.html",
        {"form": form, "next": _siguiente(request)},
        status=400 if request.method == "POST" else 200,
    )
