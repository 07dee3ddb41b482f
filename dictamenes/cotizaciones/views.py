"""The item's market research on its page (issue 62): adding a quote with its file, and
removing one. A refusal renders the item's page again with the quote as typed (400)."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dictamenes.comun.vistas import mensaje_de
from dictamenes.cotizaciones import services as cotizaciones
from dictamenes.models import Partida
from dictamenes.tramite.forms.solicitud import CotizacionForm
from dictamenes.tramite.selectors import access
from dictamenes.tramite.views.editable import fuera_de_su_paso
from dictamenes.tramite.views.partidas import pagina_de_partida
from estandares.entradas import EnteroField

ANCLA = "#cotizaciones"


def _de_su_ente(request, pk, partida_pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not access.es_requirente_de(usuario=request.user, solicitud=solicitud):
        raise Http404
    return solicitud, get_object_or_404(Partida, pk=partida_pk, solicitud=solicitud)


def _fuera_de_su_paso(view):
    """The quotes are written while the request may be changed: past that step, back to the
    request with the reason (editable.fuera_de_su_paso), before any file is read."""

    @functools.wraps(view)
    def envuelta(request, pk, partida_pk):
        solicitud, _partida = _de_su_ente(request, pk, partida_pk)
        return fuera_de_su_paso(request, solicitud) or view(request, pk, partida_pk)

    return envuelta


def _a_la_partida(solicitud, partida):
    return redirect(reverse("solicitudes:partida", args=[solicitud.pk, partida.pk]) + ANCLA)


def _rechazo(request, solicitud, partida, form, exc):
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for campo, errores in exc.error_dict.items():
            form.add_error(campo if campo in form.fields else None, errores)
    else:
        form.add_error(None, mensaje_de(exc))
    return pagina_de_partida(
        request,
        solicitud,
        partida,
        cotizacion_form=form,
        status=403 if isinstance(exc, PermissionDenied) else 400,
    )


@login_required
@require_POST
@_fuera_de_su_paso
def cotizacion_agregar(request, pk, partida_pk):
    solicitud, partida = _de_su_ente(request, pk, partida_pk)
    form = CotizacionForm(request.POST, request.FILES)
    if not form.is_valid():
        return pagina_de_partida(request, solicitud, partida, cotizacion_form=form, status=400)
    try:
        cotizaciones.cotizacion_agregar(
            partida=partida,
            usuario=request.user,
            proveedor=form.cleaned_data["proveedor"],
            proveedor_rfc=form.cleaned_data["proveedor_rfc"],
            precio_unitario=form.cleaned_data["precio_unitario"],
            fecha=form.cleaned_data["fecha"],
            vigencia=form.cleaned_data["vigencia"],
            archivo=form.cleaned_data["archivo"],
            domicilio=form.cleaned_data["domicilio"],
            telefono=form.cleaned_data["telefono"],
            firmante=form.cleaned_data["firmante"],
        )
    except (ValidationError, PermissionDenied) as exc:
        return _rechazo(request, solicitud, partida, form, exc)
    messages.success(request, _("Cotización agregada."))
    return _a_la_partida(solicitud, partida)


@login_required
@require_POST
@_fuera_de_su_paso
def cotizacion_quitar(request, pk, partida_pk):
    solicitud, partida = _de_su_ente(request, pk, partida_pk)
    try:
        cotizacion_pk = EnteroField().clean(request.POST.get("cotizacion"))
        cotizaciones.cotizacion_quitar(
            partida=partida, usuario=request.user, cotizacion_pk=cotizacion_pk
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, mensaje_de(exc))
        return pagina_de_partida(
            request, solicitud, partida, status=403 if isinstance(exc, PermissionDenied) else 400
        )
    messages.success(request, _("Cotización quitada."))
    return _a_la_partida(solicitud, partida)
