"""A reviewer's substitutions: who stands in for them while they are on leave."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dictamenes.comun.vistas import mensaje_de
from dictamenes.suplencias import selectors as suplencias_selector
from dictamenes.suplencias import services as suplencias_servicio


@login_required
def suplencias(request):
    """A reviewer on leave names who stands in for them, and for how long. A substitute of
    another area waits for an administrator's approval (issue 59): the page says so, and
    lists what waits."""
    from dictamenes.models import CambioPendiente
    from dictamenes.tramite.forms.pasos import SustitucionForm

    suplencias_servicio.exigir_rol_con_tareas(usuario=request.user)
    form = SustitucionForm(request.POST or None, titular=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            hecho = suplencias_servicio.sustitucion_crear(titular=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, mensaje_de(exc))
        else:
            if isinstance(hecho, CambioPendiente):
                messages.warning(request, suplencias_servicio.aviso_por_aprobar(cambio=hecho))
            else:
                messages.success(request, _("Suplencia registrada."))
            return redirect("solicitudes:suplencias")
    return render(
        request,
        "solicitudes/suplencias.html",
        {
            "form": form,
            "suplencias": request.user.sustituciones.select_related("suplente"),
            "por_aprobar": suplencias_selector.suplencias_por_aprobar(titular=request.user),
        },
        status=400 if request.method == "POST" else 200,
    )
