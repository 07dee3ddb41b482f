"""«Cambios por aprobar» (issue 33): the changes to accounts that wait for a second
administrator, who asked, what changes and when; approving or rejecting one. The rules live
in dictamenes.personas.services.control_dual."""

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dictamenes import exceptions
from dictamenes.consola.forms.cambios import ResolverCambioForm
from dictamenes.models import CambioPendiente
from dictamenes.operacion.services import configuracion
from dictamenes.operacion.services.cambios.sin_area import revisores_que_dejaria
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.personas.selectors.cambios_pendientes import cambios_pendientes, cambios_resueltos
from dictamenes.personas.services import control_dual as servicio
from dictamenes.personas.services.cambios_pendientes import CAMPOS_IDENTIDAD
from dictamenes.roles import Rol

RESUELTOS_VISIBLES = 50


def _exigir_administrador(usuario) -> None:
    if not administra_roles(usuario=usuario):
        raise PermissionDenied(servicio.ERROR_NO_ES_ADMINISTRADOR)


def _impedimento(*, cambio, por, creadores=None) -> str:
    """Why this administrator may not resolve this change, shown instead of its buttons."""
    try:
        servicio.exigir_quien_resuelve(cambio=cambio, por=por, creadores=creadores)
    except PermissionDenied as exc:
        return str(exc)
    return ""


def valores(cambio: CambioPendiente) -> list[dict]:
    """What the change sets, row by row, the value in force beside the new one (issue 59): a
    configuration change states its rows; an account's identity, access or role, here."""
    if cambio.es_de_configuracion:
        return cambio.datos.get("filas", [])
    Tipo = CambioPendiente.Tipo
    if cambio.tipo == Tipo.IDENTIDAD:
        pares = [
            (capfirst(CAMPOS_IDENTIDAD[campo]), a or "—", d or "—")
            for campo, (a, d) in cambio.datos["cambios"].items()
        ]
    elif cambio.tipo == Tipo.ACCESO:
        estado = {True: _("activa"), False: _("desactivada")}
        antes, despues = cambio.datos["activo"]
        pares = [(_("Cuenta"), estado[antes], estado[despues])]
    elif cambio.tipo == Tipo.RETIRO_ROL:
        rol = Rol(cambio.datos["rol"]).label
        pares = [(_("Rol «%(r)s»") % {"r": rol}, _("lo tiene"), _("se le retira"))]
    else:
        return []
    return [{"campo": c, "antes": a, "despues": d, "cambia": True} for c, a, d in pares]


def _pagina(request, *, form=None, con_error=None, status=200, negado=""):
    pendientes = list(cambios_pendientes())
    creadores = servicio.creadores_de(ids={c.persona_id for c in pendientes if c.persona_id})
    sin_area = revisores_que_dejaria(cambios=pendientes)
    filas = [
        {
            "cambio": cambio,
            "describe": configuracion.describir(cambio=cambio),
            "valores": valores(cambio),
            "impedimento": _impedimento(cambio=cambio, por=request.user, creadores=creadores),
            "sin_area": sin_area.get(cambio.pk, []),
            "form": form if con_error == cambio.pk else ResolverCambioForm(),
        }
        for cambio in pendientes
    ]
    resueltos = [
        {"cambio": cambio, "describe": configuracion.describir(cambio=cambio)}
        for cambio in cambios_resueltos()[:RESUELTOS_VISIBLES]
    ]
    return render(
        request,
        "cuentas/cambios.html",
        {
            "filas": filas,
            "resueltos": resueltos,
            "errores": [negado] if negado else ([] if form is None else form.non_field_errors()),
        },
        status=status,
    )


@login_required
def cambios(request):
    _exigir_administrador(request.user)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _pagina(request)


@login_required
@require_POST
def cambio_resolver(request, pk):
    _exigir_administrador(request.user)
    cambio = get_object_or_404(CambioPendiente, pk=pk)
    # Who may not resolve it hears why on the page itself (403), not only «forbidden».
    if negado := _impedimento(cambio=cambio, por=request.user):
        return _pagina(request, status=403, negado=negado)
    form = ResolverCambioForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["accion"] == "aprobar":
                configuracion.cambio_aprobar(cambio=cambio, por=request.user)
                hecho = _("Cambio aprobado: ya tiene efecto. Se avisó por correo.")
            else:
                configuracion.cambio_rechazar(
                    cambio=cambio, por=request.user, motivo=form.cleaned_data["motivo"]
                )
                hecho = _("Cambio rechazado. Se avisó por correo.")
        except exceptions.Conflicto as exc:
            form.add_error(None, exc)
            return _pagina(request, form=form, con_error=cambio.pk, status=409)
        except ValidationError as exc:
            # A refused reason goes beside its field, with what was typed (estandares.motivos).
            del_motivo = getattr(exc, "code", None) in ("sin_motivo", "motivo_sin_palabras")
            form.add_error("motivo" if del_motivo else None, exc)
        else:
            messages.success(request, hecho)
            return redirect("cuentas:cambios")
    return _pagina(request, form=form, con_error=cambio.pk, status=400)


# The image a change of the letterhead would print, or the one in force, by extension.
TIPOS_DE_IMAGEN = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@login_required
def cambio_imagen(request, pk, cual):
    """The letterhead image of a change, shown on the page as itself (issue 59): `antes`, the
    one in force; `despues`, the one the change would print. Administrators only; the file
    comes from storage, never from a path in the request."""
    _exigir_administrador(request.user)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    cambio = get_object_or_404(
        CambioPendiente, pk=pk, tipo__in=[CambioPendiente.Tipo.TEXTOS, CambioPendiente.Tipo.PERFIL]
    )
    if cual == "antes":
        ruta = textos_vigentes().membrete_imagen.name
    else:
        pedido = cambio.datos.get("pedido", {})
        ruta = pedido.get("imagen") or pedido.get("membrete_imagen")
    tipo = TIPOS_DE_IMAGEN.get(PurePosixPath(ruta or "").suffix.lower())
    if not ruta or tipo is None or not default_storage.exists(ruta):
        raise Http404
    respuesta = FileResponse(default_storage.open(ruta, "rb"), content_type=tipo)
    respuesta["Content-Disposition"] = "inline"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta
