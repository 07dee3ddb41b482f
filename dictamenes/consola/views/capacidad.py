"""«Ausencias y refuerzos» (issue 50): the administrators record who of the procedure will be
away and lend a person to a review area for whole weeks; the capacity plan reads both. The
rules live in dictamenes.capacidad.services.registro; a loan that grants a role or an area
waits in «Cambios por aprobar» for a second administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dictamenes.capacidad.selectors.registro import (
    ausencias_vigentes,
    refuerzos_pendientes,
    refuerzos_vigentes,
)
from dictamenes.capacidad.services import registro as servicio
from dictamenes.consola.forms.capacidad import AusenciaForm, CancelarAusenciaForm, RefuerzoForm
from dictamenes.models import Ausencia, Refuerzo
from dictamenes.organizacion.selectors.usuarios import administra_roles


def _exigir_administrador(usuario) -> None:
    if not administra_roles(usuario=usuario):
        raise PermissionDenied(servicio.ERROR_SIN_PERMISO)


def _errores(form, exc: ValidationError) -> None:
    """The service's refusal on the field it is about (or above the form)."""
    if hasattr(exc, "error_dict"):
        for campo, errores in exc.error_dict.items():
            form.add_error(campo if campo in form.fields else None, errores)
    else:
        form.add_error(None, exc)


def _quien(usuario) -> str:
    return usuario.get_full_name() or usuario.username


def _periodo(obj) -> str:
    return _("del %(d)s al %(h)s") % {"d": f"{obj.desde:%d/%m/%Y}", "h": f"{obj.hasta:%d/%m/%Y}"}


def _cancelar_form(ausencia, data=None) -> CancelarAusenciaForm:
    return CancelarAusenciaForm(data, prefix=f"cancelar-{ausencia.pk}")


def _pagina(request, *, ausencia=None, refuerzo=None, cancelar=None, status=200):
    hoy = timezone.localdate()
    ausencias = ausencias_vigentes(hoy=hoy)
    return render(
        request,
        "cuentas/ausencias.html",
        {
            "hoy": hoy,
            "ausencias": [
                {
                    "ausencia": a,
                    "en_curso": a.desde <= hoy,
                    "cancelar": (
                        cancelar
                        if cancelar is not None and cancelar.prefix == f"cancelar-{a.pk}"
                        else _cancelar_form(a)
                    ),
                }
                for a in ausencias
            ],
            "refuerzos": [
                {"refuerzo": r, "en_curso": r.desde <= hoy} for r in refuerzos_vigentes(hoy=hoy)
            ],
            "pendientes": refuerzos_pendientes(),
            "ausencia_form": ausencia or AusenciaForm(prefix="ausencia"),
            "refuerzo_form": refuerzo or RefuerzoForm(prefix="refuerzo"),
        },
        status=status,
    )


@login_required
def ausencias(request):
    _exigir_administrador(request.user)
    if request.method != "POST":
        return _pagina(request)
    if request.POST.get("accion") == "refuerzo":
        return _refuerzo_pedir(request)
    form = AusenciaForm(request.POST, prefix="ausencia")
    if form.is_valid():
        d = form.cleaned_data
        try:
            ausencia = servicio.ausencia_registrar(
                persona=d["persona"],
                desde=d["desde"],
                hasta=d["hasta"],
                motivo=d["motivo"],
                nota=d["nota"],
                por=request.user,
            )
        except ValidationError as exc:
            _errores(form, exc)
        else:
            messages.success(
                request,
                _("Ausencia registrada: %(p)s, %(m)s %(f)s. Quedó en la auditoría.")
                % {
                    "p": _quien(ausencia.persona),
                    "m": ausencia.get_motivo_display().lower(),
                    "f": _periodo(ausencia),
                },
            )
            return redirect("cuentas:ausencias")
    return _pagina(request, ausencia=form, status=400)


def _refuerzo_pedir(request):
    form = RefuerzoForm(request.POST, prefix="refuerzo")
    if form.is_valid():
        d = form.cleaned_data
        try:
            hecho = servicio.refuerzo_pedir(
                persona=d["persona"],
                area=d["area"],
                desde=d["desde"],
                hasta=form.hasta(),
                motivo=d["motivo"],
                por=request.user,
            )
        except ValidationError as exc:
            _errores(form, exc)
        else:
            if isinstance(hecho, Refuerzo):
                mensaje = _(
                    "Refuerzo registrado: %(p)s en el área «%(a)s» %(f)s (de lunes a domingo). "
                    "No otorga nada que la persona no tuviera; quedó en la auditoría."
                ) % {"p": _quien(hecho.persona), "a": hecho.area.nombre, "f": _periodo(hecho)}
            else:
                mensaje = _(
                    "Refuerzo pedido: «%(t)s» otorga un rol o un área del trámite, y tendrá "
                    "efecto cuando otra persona administradora lo apruebe en «Cambios por "
                    "aprobar». Se avisó por correo."
                ) % {"t": hecho.datos["titulo"]}
            messages.success(request, mensaje)
            return redirect("cuentas:ausencias")
    return _pagina(request, refuerzo=form, status=400)


@login_required
@require_POST
def ausencia_cancelar(request, pk):
    _exigir_administrador(request.user)
    ausencia = get_object_or_404(Ausencia.objects.select_related("persona"), pk=pk)
    form = _cancelar_form(ausencia, request.POST)
    if form.is_valid():
        try:
            servicio.ausencia_cancelar(
                ausencia=ausencia, por=request.user, motivo=form.cleaned_data["motivo"]
            )
        except ValidationError as exc:
            _errores(form, exc)
        else:
            messages.success(
                request,
                _("Ausencia cancelada: %(p)s %(f)s. Quedó en la auditoría.")
                % {"p": _quien(ausencia.persona), "f": _periodo(ausencia)},
            )
            return redirect("cuentas:ausencias")
    return _pagina(request, cancelar=form, status=400)


rutas = [
    path("ausencias/", ausencias, name="ausencias"),
    path("ausencias/<int:pk>/cancelar/", ausencia_cancelar, name="ausencia_cancelar"),
]
