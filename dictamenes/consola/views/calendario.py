"""«Días inhábiles» (issue 59): every deadline reads them, so declaring one or taking it back
asks for a change that a second administrator approves (organizacion.services.calendario
applies it, audited). The Django admin only shows them."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.consola.views.pedidos import cambio_pedir_desde, pendientes_de
from dictamenes.models import CambioPendiente, DiaInhabil
from dictamenes.operacion.services.cambios.tipos_calendario import fecha_texto
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.organizacion.services.calendario import ERROR_SIN_PERMISO
from estandares.entradas import TextoCortoField
from estandares.motivos import MotivoCortoField

# The declared days shown: from the previous year on (ten years of history stay in the admin).
ANIOS_ATRAS = 1


class DiaAgregarForm(forms.Form):
    fecha = forms.DateField(label=_("Fecha"), widget=forms.DateInput(attrs={"type": "date"}))
    descripcion = TextoCortoField(
        label=_("Descripción"),
        max_length=200,
        help_text=_("El acuerdo o la razón, como se publica: «Suspensión de labores por…»."),
    )
    motivo = MotivoCortoField(label=_("Motivo del cambio"), max_length=300)


class DiaQuitarForm(forms.Form):
    fecha = forms.DateField(widget=forms.HiddenInput)
    motivo = MotivoCortoField(label=_("Motivo del cambio"), max_length=300)


@login_required
def dias_inhabiles(request):
    if not administra_roles(usuario=request.user):
        raise PermissionDenied(ERROR_SIN_PERMISO)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    accion = request.POST.get("accion") if request.method == "POST" else None
    agregar = DiaAgregarForm(request.POST if accion == "agregar" else None, prefix="agregar")
    quitar = DiaQuitarForm(request.POST if accion == "quitar" else None, prefix="quitar")
    form = {"agregar": agregar, "quitar": quitar}.get(accion)
    if form is not None and form.is_valid():
        datos = form.cleaned_data
        hecho = cambio_pedir_desde(
            request,
            form,
            tipo=CambioPendiente.Tipo.DIAS_INHABILES,
            accion=accion,
            pedido={
                "fecha": datos["fecha"].isoformat(),
                "descripcion": datos.get("descripcion", ""),
            },
            ir_a="cuentas:dias_inhabiles",
        )
        if hecho:
            return hecho
    desde = datetime.date(timezone.localdate().year - ANIOS_ATRAS, 1, 1)
    dias = [
        {"dia": dia, "texto": fecha_texto(dia.fecha)}
        for dia in DiaInhabil.objects.filter(fecha__gte=desde).order_by("fecha")
    ]
    return render(
        request,
        "cuentas/dias_inhabiles.html",
        {
            "dias": dias,
            "desde": desde,
            "agregar": agregar,
            "quitar": quitar if accion == "quitar" else None,
            "pendientes": pendientes_de(CambioPendiente.Tipo.DIAS_INHABILES),
        },
        status=400 if request.method == "POST" else 200,
    )


rutas = [path("dias-inhabiles/", dias_inhabiles, name="dias_inhabiles")]
