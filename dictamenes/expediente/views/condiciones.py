"""The conditions of a condicionado dictamen on the request's page: the agency uploads its
evidence, the area that proposed the condition verifies or rejects it (seguimiento's services)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dictamenes.expediente.pagina import ejecutar, rechazo
from dictamenes.models import Condicion
from dictamenes.seguimiento.forms.condiciones import EvidenciaForm, VerificacionForm
from dictamenes.seguimiento.services import condiciones
from dictamenes.tramite.selectors import access


def _condicion(request, pk, condicion_pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    condicion = get_object_or_404(
        Condicion.objects.select_related("dictamen", "area"),
        pk=condicion_pk,
        dictamen__solicitud=solicitud,
    )
    condicion.dictamen.solicitud = solicitud
    return solicitud, condicion


def _refutar(request, solicitud, form, exigir, condicion, **formularios):
    """The refusal to render, if any: the wrong person (403) or state (400) before the form's
    own errors, so that nobody is told to attach a file they may not upload."""
    try:
        exigir(condicion=condicion, usuario=request.user)
    except (PermissionDenied, ValidationError) as exc:
        return rechazo(request, solicitud, exc)
    if form.is_valid():
        return None
    errores = [e for lista in form.errors.values() for e in lista]
    return rechazo(request, solicitud, ValidationError(errores), **formularios)


@login_required
@require_POST
def evidencia(request, pk, condicion_pk):
    solicitud, condicion = _condicion(request, pk, condicion_pk)
    form = EvidenciaForm(request.POST, request.FILES, prefix="condicion")
    if refutado := _refutar(request, solicitud, form, condiciones.exigir_puede_subir, condicion):
        return refutado
    return ejecutar(
        request,
        solicitud,
        lambda: condiciones.condicion_evidencia_subir(
            condicion=condicion, usuario=request.user, **form.cleaned_data
        ),
        _("Evidencia de la condición %(n)s presentada; el área la verificará.")
        % {"n": condicion.numero},
    )


@login_required
@require_POST
def verificar(request, pk, condicion_pk):
    solicitud, condicion = _condicion(request, pk, condicion_pk)
    form = VerificacionForm(request.POST, prefix="verificar")
    # Refused, the page shows the refusal beside this condition's reason, with what was typed
    # (issue 93, item 4).
    form.condicion_pk = condicion.pk
    if refutado := _refutar(
        request,
        solicitud,
        form,
        condiciones.exigir_puede_verificar,
        condicion,
        condicion_verificar=form,
    ):
        return refutado
    if form.cleaned_data["accion"] == "verificar":
        accion = lambda: condiciones.condicion_verificar(  # noqa: E731
            condicion=condicion, usuario=request.user
        )
        exito = _("Condición %(n)s verificada como cumplida.")
    else:
        accion = lambda: condiciones.condicion_rechazar(  # noqa: E731
            condicion=condicion, usuario=request.user, motivo=form.cleaned_data["motivo"]
        )
        exito = _("Evidencia de la condición %(n)s rechazada; el ente fue avisado.")
    return ejecutar(
        request, solicitud, accion, exito % {"n": condicion.numero}, condicion_verificar=form
    )
