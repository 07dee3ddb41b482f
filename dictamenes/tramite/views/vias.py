"""The mesa de control moves a request to the full track (issue 36): one POST, one service.

«Vías de revisión» (issue 36): the administrator keeps the fast track's conditions, its
deadlines and the service standard per track, and sees each saved version with what it
changed. One service door, dictamenes.tramite.services.vias.vias_guardar, audits each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dictamenes.models.vias import CriterioFraccion
from dictamenes.montos import pesos
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.tramite.forms.pasos import TextoForm
from dictamenes.tramite.forms.vias import ViasForm
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.vias import (
    categorias_vigentes,
    condiciones_texto,
    nombres_de_categorias,
    ventana_texto,
    vias_versiones,
    vias_vigentes,
)
from dictamenes.tramite.services import vias as servicio
from dictamenes.tramite.views.solicitudes import ejecutar

# The form's prefix on the request's page (views.solicitudes builds it).
PREFIJO = "via"


@login_required
@require_POST
def pasar_a_completa(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    form = TextoForm(request.POST, prefix=PREFIJO)
    # Only the reason is read: whatever else the POST says (a track, say) is ignored.
    motivo = request.POST.get(f"{PREFIJO}-texto", "")
    return ejecutar(
        request,
        solicitud,
        lambda: servicio.via_pasar_a_completa(
            solicitud=solicitud, usuario=request.user, motivo=motivo
        ),
        _("La solicitud pasó a la vía completa: cada área revisará sus partidas."),
        via=form,
    )


VERSIONES_VISIBLES = 50


def _exigir_administrador(usuario) -> None:
    if not administra_roles(usuario=usuario):
        raise PermissionDenied(servicio.ERROR_NO_ADMINISTRADOR)


def _texto(campo: str, valor, nombres: dict[str, str]) -> str:
    """A value as the page reads it."""
    if campo == "rapida_activa":
        return _("activa") if valor else _("inactiva")
    if campo == "umbral_monto":
        return pesos(valor)
    if campo == "categorias_completas":
        return ", ".join(nombres.get(c, c) for c in valor) if valor else _("ninguna")
    if campo == "fraccion_activa":
        return _("se buscan") if valor else _("no se buscan")
    if campo == "fraccion_criterio":
        return str(CriterioFraccion(valor).label)
    if campo == "fraccion_ventana_dias":
        return ventana_texto(valor)
    return ngettext("%(n)d día hábil", "%(n)d días hábiles", valor) % {"n": valor}


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
                        f"{_texto(campo, getattr(anterior, campo), nombres)} → "
                        f"{_texto(campo, getattr(config, campo), nombres)}"
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
            try:
                nueva = servicio.vias_guardar(datos=datos, por=request.user, motivo=datos["motivo"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Vías guardadas como versión %(v)s. Valen para las solicitudes que se "
                        "presenten o admitan desde ahora; las demás conservan su vía."
                    )
                    % {"v": nueva.version},
                )
                return redirect("cuentas:vias")
        status = 400
    else:
        form = ViasForm(initial=ViasForm.inicial(vigentes), categorias=categorias)
    versiones = list(vias_versiones(limite=VERSIONES_VISIBLES + 1))
    claves = {c for v in versiones for c in v.categorias_completas or []}
    nombres = nombres_de_categorias(claves=claves)
    en_edicion = {c["clave"] for c in categorias}
    return render(
        request,
        "cuentas/vias.html",
        {
            "form": form,
            "vigentes": vigentes,
            "umbral": pesos(vigentes.umbral_monto),
            "ventana": ventana_texto(vigentes.fraccion_ventana_dias),
            "condiciones": condiciones_texto(config=vigentes),
            "categorias_marcadas": [nombres.get(c, c) for c in vigentes.categorias_completas or []],
            # Marked in the version in force, but not in the edition in force: saving drops them.
            "fuera_de_edicion": [
                nombres.get(c, c)
                for c in vigentes.categorias_completas or []
                if c not in en_edicion
            ],
            "versiones": _historial(versiones, nombres),
        },
        status=status,
    )
