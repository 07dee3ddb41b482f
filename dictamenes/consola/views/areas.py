"""«Áreas de revisión» (issue 35): the areas the administrators keep, each with its page to
rename it, assign it the standards' categories, or retire it. Each action asks for a change
that a second administrator approves (issue 48, dictamenes.operacion.services.configuracion),
checked now by the rules of dictamenes.organizacion.services.areas, which applies it then;
reviewers are granted per area in «Personas y roles»."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path

from dictamenes.consola.forms.areas import (
    AreaNombreForm,
    AreaRetirarForm,
    CategoriasAsignarForm,
)
from dictamenes.consola.views.pedidos import cambio_pedir_desde, pendientes_de
from dictamenes.models import Area, CambioPendiente
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


def _pedir(request, form, *, accion: str, pedido: dict, ir_a, args=()):
    return cambio_pedir_desde(
        request,
        form,
        tipo=CambioPendiente.Tipo.AREA,
        accion=accion,
        pedido=pedido,
        ir_a=ir_a,
        args=args,
    )


@login_required
def areas(request):
    _exigir_administrador(request.user)
    form = AreaNombreForm(request.POST if request.method == "POST" else None, prefix="nueva")
    if form.is_valid() and (
        hecho := _pedir(
            request,
            form,
            accion="agregar",
            pedido={"nombre": form.cleaned_data["nombre"]},
            ir_a="cuentas:areas",
        )
    ):
        return hecho
    lista = areas_con_resumen()
    return render(
        request,
        "cuentas/areas.html",
        {
            "areas": lista,
            "areas_sin_revisor": [a for a in lista if a.activa and not a.num_revisores],
            "form": form,
            "pendientes": pendientes_de(CambioPendiente.Tipo.AREA),
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
    if form is not None and form.is_valid():
        d = form.cleaned_data
        pedido = {"area": area.pk}
        if accion == "renombrar":
            pedido["nombre"] = d["nombre"]
        elif accion == "asignar":
            pedido["claves"] = sorted(d["claves"])
        else:
            pedido["destino"] = d["destino"].pk if d["destino"] else None
        if hecho := _pedir(
            request, form, accion=accion, pedido=pedido, ir_a="cuentas:area", args=(area.pk,)
        ):
            return hecho
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
            "impiden": getattr(form, "impiden", []),
            "accion": accion,
            "pendientes": pendientes_de(CambioPendiente.Tipo.AREA),
        },
        status=400 if request.method == "POST" else 200,
    )


rutas = [
    path("areas/", areas, name="areas"),
    path("areas/<int:pk>/", area, name="area"),
]
