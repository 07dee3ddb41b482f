"""«Áreas de revisión» (issue 35): the areas the administrators keep, each with its page to
rename it, assign it the standards' categories, or retire it. The rules live in
dictamenes.organizacion.services.areas; reviewers are granted per area in «Personas y roles»."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from dictamenes.models import Area
from dictamenes.organizacion.forms.areas import (
    AreaNombreForm,
    AreaRetirarForm,
    CategoriasAsignarForm,
)
from dictamenes.organizacion.selectors.areas import (
    area_tareas_abiertas,
    areas_activas,
    areas_con_resumen,
    categorias_por_clave,
    solicitudes_de_tareas,
)
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.organizacion.services import areas as servicio


def _exigir_administrador(usuario) -> None:
    if not administra_roles(usuario=usuario):
        raise PermissionDenied(servicio.ERROR_AREAS_SIN_PERMISO)


def _rechazo(form, exc: ValidationError) -> list:
    """The refusal goes to the form; the requests that caused it, if any, to the page."""
    form.add_error(None, exc)
    return getattr(exc, "solicitudes", [])


@login_required
def areas(request):
    _exigir_administrador(request.user)
    form = AreaNombreForm(request.POST if request.method == "POST" else None, prefix="nueva")
    if form.is_valid():
        try:
            area = servicio.area_agregar(
                nombre=form.cleaned_data["nombre"],
                por=request.user,
                motivo=form.cleaned_data["motivo"],
            )
        except ValidationError as exc:
            _rechazo(form, exc)
        else:
            messages.success(
                request,
                _("Área «%(area)s» agregada. Asígnele categorías y otorgue el rol de revisor.")
                % {"area": area.nombre},
            )
            return redirect("cuentas:area", pk=area.pk)
    lista = areas_con_resumen()
    return render(
        request,
        "cuentas/areas.html",
        {
            "areas": lista,
            "areas_sin_revisor": [a for a in lista if a.activa and not a.num_revisores],
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def area(request, pk):
    _exigir_administrador(request.user)
    area = get_object_or_404(Area, pk=pk)
    accion = request.POST.get("accion") if request.method == "POST" else None
    datos = request.POST if request.method == "POST" else None
    renombrar = AreaNombreForm(
        datos if accion == "renombrar" else None,
        prefix="renombrar",
        initial={"nombre": area.nombre},
    )
    categorias = categorias_por_clave()
    asignar = CategoriasAsignarForm(
        datos if accion == "asignar" else None,
        prefix="asignar",
        categorias=[c for c in categorias if c["area_id"] != area.pk],
    )
    retirar = AreaRetirarForm(
        datos if accion == "retirar" else None,
        prefix="retirar",
        destinos=areas_activas().exclude(pk=area.pk),
    )
    form = {"renombrar": renombrar, "asignar": asignar, "retirar": retirar}.get(accion)
    impiden = []
    if form is not None and form.is_valid():
        d, hecho = form.cleaned_data, ""
        try:
            if accion == "renombrar":
                servicio.area_renombrar(
                    area=area, nombre=d["nombre"], por=request.user, motivo=d["motivo"]
                )
                hecho = _("Área renombrada.")
            elif accion == "asignar":
                movidas = servicio.categorias_asignar(
                    area=area, claves=d["claves"], por=request.user, motivo=d["motivo"]
                )
                hecho = _("Categorías asignadas: %(n)s.") % {"n": len(movidas)}
            else:
                servicio.area_retirar(
                    area=area, destino=d["destino"], por=request.user, motivo=d["motivo"]
                )
                hecho = _("Área retirada.")
        except ValidationError as exc:
            impiden = _rechazo(form, exc)
        else:
            messages.success(request, hecho)
            return redirect("cuentas:area", pk=area.pk)
    return render(
        request,
        "cuentas/area.html",
        {
            "area": area,
            "categorias": [c for c in categorias if c["area_id"] == area.pk],
            "en_revision": solicitudes_de_tareas(area_tareas_abiertas(area=area)),
            "renombrar": renombrar,
            "asignar": asignar,
            "retirar": retirar,
            "impiden": impiden,
            "accion": accion,
        },
        status=400 if request.method == "POST" else 200,
    )


rutas = [
    path("areas/", areas, name="areas"),
    path("areas/<int:pk>/", area, name="area"),
]
