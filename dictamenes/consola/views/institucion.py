"""«Textos de la institución» (issue 35): the administrator edits what every new dictamen prints
(legal basis, letterhead, place), the folio patterns and condition deadline, and the stages'
deadlines, and sees each saved version. Saving asks for a change that a second administrator
approves (issue 48, dictamenes.operacion.services.configuracion); the doors that apply them,
organizacion.services.textos.textos_guardar and tramite.services.plazos.plazo_fijar, audit
each one."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import render

from dictamenes.consola.forms.institucion import PlazosForm, TextosForm
from dictamenes.consola.views.pedidos import cambio_pedir_desde, pendientes_de
from dictamenes.models import CambioPendiente, PlazoEtapa
from dictamenes.organizacion.selectors.textos import textos_versiones, textos_vigentes
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.organizacion.services import textos as servicio
from dictamenes.tramite.selectors.plazos import plazos_dias

VERSIONES_VISIBLES = 50


def _exigir_administrador(usuario) -> None:
    if not administra_roles(usuario=usuario):
        raise PermissionDenied(servicio.ERROR_NO_ADMINISTRADOR)


def _historial() -> list[dict]:
    """Each version with what it changed from the one before (the oldest shown changed
    nothing it can be compared with)."""
    versiones = list(textos_versiones(limite=VERSIONES_VISIBLES + 1))
    filas = []
    for textos, anterior in zip(versiones, [*versiones[1:], None], strict=True):
        if len(filas) == VERSIONES_VISIBLES:
            break
        cambios = (
            [
                servicio.etiqueta(campo)
                for campo in servicio.CAMPOS
                if getattr(textos, campo) != getattr(anterior, campo)
            ]
            if anterior
            else []
        )
        filas.append({"textos": textos, "cambios": cambios})
    return filas


@login_required
def institucion(request):
    _exigir_administrador(request.user)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    vigentes = textos_vigentes()
    accion = request.POST.get("accion") if request.method == "POST" else None
    form = TextosForm(
        *((request.POST, request.FILES) if accion == "textos" else ()),
        initial=TextosForm.inicial(vigentes),
    )
    plazos = PlazosForm(
        request.POST if accion == "plazos" else None,
        prefix="plazos",
        initial=plazos_dias(etapas=PlazoEtapa.Etapa.values),
    )
    hecho = None
    if accion == "textos" and form.is_valid():
        datos = form.cleaned_data
        hecho = cambio_pedir_desde(
            request,
            form,
            tipo=CambioPendiente.Tipo.TEXTOS,
            pedido={
                **{c: datos[c] for c in servicio.CAMPOS if c != "membrete_imagen_sha256"},
                "quitar_imagen": datos["quitar_imagen"],
            },
            archivo=datos["membrete_imagen"],
            ir_a="cuentas:institucion",
        )
    if accion == "plazos" and plazos.is_valid():
        hecho = cambio_pedir_desde(
            request,
            plazos,
            tipo=CambioPendiente.Tipo.PLAZOS,
            pedido={e: plazos.cleaned_data[e] for e in PlazoEtapa.Etapa.values},
            ir_a="cuentas:institucion",
        )
    if hecho is not None:
        return hecho
    return render(
        request,
        "cuentas/institucion.html",
        {
            "form": form,
            "plazos": plazos,
            "vigentes": vigentes,
            "versiones": _historial(),
            "pendientes": pendientes_de(CambioPendiente.Tipo.TEXTOS, CambioPendiente.Tipo.PLAZOS),
        },
        status=400 if request.method == "POST" else 200,
    )
