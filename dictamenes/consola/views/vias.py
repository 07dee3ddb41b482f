"""«Vías de revisión» (issue 36): the administrator keeps the fast track's conditions, its
deadlines and the service standard per track, and sees each saved version with what it
changed. Saving asks for a change that a second administrator approves (issue 48,
dictamenes.operacion.services.configuracion); the door that applies it,
dictamenes.operacion.services.vias.vias_guardar, audits each version."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.text import capfirst

from dictamenes.consola.forms.vias import ViasForm
from dictamenes.consola.views.pedidos import cambio_pedir_desde, pendientes_de
from dictamenes.models import CambioPendiente
from dictamenes.montos import pesos
from dictamenes.operacion.services import vias as servicio
from dictamenes.operacion.services.cambios.tipos import Vias, metodos_texto, vias_claves_nombradas
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.senales import catalogo
from dictamenes.tramite.selectors.vias import (
    categorias_vigentes,
    condiciones_texto,
    familias_texto,
    nombres_de_categorias,
    ventana_texto,
    vias_versiones,
    vias_vigentes,
)

VERSIONES_VISIBLES = 50


def _exigir_administrador(usuario) -> None:
    if not administra_roles(usuario=usuario):
        raise PermissionDenied(servicio.ERROR_NO_ADMINISTRADOR)


def _historial(versiones, nombres) -> list[dict]:
    """Each version with what it changed from the one before, «field: before → after» (the
    oldest shown changed nothing it can be compared with)."""
    filas = []
    for config, anterior in zip(versiones, [*versiones[1:], None], strict=True):
        if len(filas) == VERSIONES_VISIBLES:
            break
        cambios = []
        if anterior:
            antes, despues = servicio.valores(anterior), servicio.valores(config)
            for campo in servicio.CAMPOS:
                if antes[campo] != despues[campo]:
                    cambios.append(
                        f"{capfirst(servicio.etiqueta(campo))}: "
                        f"{Vias._valor(campo, getattr(anterior, campo), nombres)} → "
                        f"{Vias._valor(campo, getattr(config, campo), nombres)}"
                    )
        filas.append({"config": config, "cambios": cambios})
    return filas


@login_required
def vias(request):
    _exigir_administrador(request.user)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    vigentes = vias_vigentes()
    categorias = categorias_vigentes()
    status = 200
    if request.method == "POST":
        form = ViasForm(request.POST, categorias=categorias)
        if form.is_valid():
            datos = form.cleaned_data
            if hecho := cambio_pedir_desde(
                request,
                form,
                tipo=CambioPendiente.Tipo.VIAS,
                pedido={campo: datos[campo] for campo in servicio.CAMPOS},
                ir_a="cuentas:vias",
            ):
                return hecho
        status = 400
    else:
        form = ViasForm(initial=ViasForm.inicial(vigentes), categorias=categorias)
    versiones = list(vias_versiones(limite=VERSIONES_VISIBLES + 1))
    nombres = nombres_de_categorias(claves=vias_claves_nombradas(*versiones))
    en_edicion = {c["clave"] for c in categorias}
    return render(
        request,
        "cuentas/vias.html",
        {
            "form": form,
            "vigentes": vigentes,
            "umbral": pesos(vigentes.umbral_monto),
            "cotizaciones_umbral": pesos(vigentes.cotizaciones_umbral),
            "condiciones": condiciones_texto(config=vigentes),
            "ventana": ventana_texto(vigentes.fraccion_ventana_dias),
            "familias": familias_texto(vigentes.fraccion_familias, nombres),
            "categorias_marcadas": [nombres.get(c, c) for c in vigentes.categorias_completas or []],
            "metodos": metodos_texto(vigentes.precio_metodos_categoria, nombres),
            # Marked in the version in force, but not in the edition in force: saving drops them.
            "fuera_de_edicion": [
                nombres.get(c, c)
                for c in vigentes.categorias_completas or []
                if c not in en_edicion
            ],
            # Likewise a category given a method of its own (issue 76).
            "metodos_fuera_de_edicion": [
                nombres.get(c, c)
                for c in vigentes.precio_metodos_categoria or {}
                if c not in en_edicion
            ],
            # Issue 80: each sign that reads a value of this page, with its rule as in force.
            "senales": [
                (d.nombre, catalogo.regla(codigo, vigentes))
                for codigo, d in catalogo.CATALOGO.items()
                if d.umbrales
            ],
            "versiones": _historial(versiones, nombres),
            "pendientes": pendientes_de(CambioPendiente.Tipo.VIAS),
        },
        status=status,
    )
