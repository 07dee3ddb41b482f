"""«Textos de la institución» (issue 35): the administrator edits what every new dictamen prints
(legal basis, letterhead, place) and the folio patterns and condition deadline, and sees each
saved version. One service door, dictamenes.organizacion.services.textos.textos_guardar,
audits each one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dictamenes.organizacion.forms.institucion import TextosForm
from dictamenes.organizacion.selectors.textos import textos_versiones, textos_vigentes
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.organizacion.services import textos as servicio

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
    status = 200
    if request.method == "POST":
        form = TextosForm(request.POST, request.FILES)
        if form.is_valid():
            datos = form.cleaned_data
            try:
                nueva = servicio.textos_guardar(
                    usuario=request.user,
                    datos=datos,
                    imagen=datos["membrete_imagen"],
                    quitar_imagen=datos["quitar_imagen"],
                    motivo=datos["motivo"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Textos guardados como versión %(v)s. Los dictámenes ya emitidos "
                        "conservan los de su versión."
                    )
                    % {"v": nueva.version},
                )
                return redirect("cuentas:institucion")
        status = 400
    else:
        form = TextosForm(initial=TextosForm.inicial(vigentes))
    return render(
        request,
        "cuentas/institucion.html",
        {"form": form, "vigentes": vigentes, "versiones": _historial()},
        status=status,
    )
