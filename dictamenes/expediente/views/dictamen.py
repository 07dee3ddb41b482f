"""The POSTs on the request's page about its dictamen: signing, cancelling and rectifying it
with the e.firma (emisión's services), the actions the registry declares with their form and
effect (expediente.registro.ACCIONES: the proposal of a rectification, the contract, the
delivery, a sign, a condition's evidence and its verification), and the expediente's
documents offered from the page.

A refused signature comes back next to the form that was sent, as an error the page lands on
(the form's anchor, the alert focused), never as a banner at the top. The e.firma is never
kept on the server, so a page rendered again cannot keep the chosen files: it says to choose
them again. static/js/efirma.js sends the same form with fetch instead, gets the refusal as
JSON (`Accept: application/json`) and shows it in place, with the files still chosen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from dictamenes.comun.vistas import estado_del_rechazo, mensaje_de
from dictamenes.emision.documentos import efirma
from dictamenes.emision.forms.firma import CancelacionForm, EfirmaForm, RectificacionForm
from dictamenes.emision.services import emision, rectificacion
from dictamenes.expediente import registro
from dictamenes.expediente.pagina import contexto_detalle, rechazo
from dictamenes.models import Dictamen
from dictamenes.organizacion.selectors import usuarios
from dictamenes.tramite.selectors import access


def _credencial(form):
    return efirma.credencial_cargar(
        contrasena=form.cleaned_data["contrasena"],
        cer=form.bytes_de("cer"),
        key=form.bytes_de("key"),
        p12=form.bytes_de("p12"),
    )


def _quiere_json(request) -> bool:
    """The form was sent by static/js/efirma.js, which reads the answer as JSON."""
    return request.headers.get("Accept", "").startswith("application/json")


def _firmar(request, solicitud, form, clave, accion, exito):
    """Run `accion(credencial)` with the e.firma of the bound `form` (prefix and context key
    `clave`). Done: to the request's dictamen, with `exito`. Refused: the page again with the
    reason inside that form (or, for efirma.js, the reasons as JSON), status 400/403/409."""
    status = 400
    if form.is_valid():
        try:
            accion(_credencial(form))
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, mensaje_de(exc))
            status = estado_del_rechazo(exc)
        else:
            messages.success(request, exito)
            destino = reverse("solicitudes:detalle", args=[solicitud.pk]) + "#t-dictamen"
            if _quiere_json(request):
                return JsonResponse({"destino": destino})
            return redirect(destino)
    if _quiere_json(request):
        return JsonResponse(
            {
                "errores": [
                    str(e) if campo == "__all__" else f"{form.fields[campo].label}: {e}"
                    for campo, errores in form.errors.items()
                    for e in errores
                ]
            },
            status=status,
        )
    contexto = contexto_detalle(request, solicitud, **{clave: form})
    if not any(accion is form for accion in contexto["acciones"].values()):
        # The form is gone from the page (signed meanwhile, not the person's to sign): the
        # reason goes where the page tells what happened.
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
    return render(request, "solicitudes/detalle.html", contexto, status=status)


# The password and the key never reach error reports or logs: the password's field by the name
# the form sends it under (its prefix's, for cancelling and rectifying).
@sensitive_post_parameters("contrasena")
@sensitive_variables("form")
@login_required
@require_POST
def firma(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    return _firmar(
        request,
        solicitud,
        EfirmaForm(request.POST, request.FILES),
        "firma",
        lambda credencial: emision.dictamen_emitir(
            solicitud=solicitud, usuario=request.user, credencial=credencial
        ),
        _("Dictamen firmado y emitido."),
    )


def _dictamen_de(solicitud, dictamen_pk) -> Dictamen:
    return get_object_or_404(Dictamen, pk=dictamen_pk, solicitud=solicitud)


def _cancelar_o_rectificar(request, pk, dictamen_pk, *, clave, formulario, campos, servicio, exito):
    """Cancelling and rectifying ask the same: the e.firma and the reasons, in a form with
    prefix `clave`. The service gets the dictamen, the firmante, the credential and the
    `campos` of the form; `exito` names the folio. The sensitive_variables of the calling
    view also hides this frame's `form`."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    dictamen = _dictamen_de(solicitud, dictamen_pk)
    form = formulario(request.POST, request.FILES, prefix=clave)
    datos = {campo: form.cleaned_data[campo] for campo in campos} if form.is_valid() else {}
    return _firmar(
        request,
        solicitud,
        form,
        clave,
        lambda credencial: servicio(
            dictamen=dictamen, usuario=request.user, credencial=credencial, **datos
        ),
        exito % {"folio": dictamen.folio},
    )


@sensitive_post_parameters("cancelar-contrasena")
@sensitive_variables("form")
@login_required
@require_POST
def cancelar(request, pk, dictamen_pk):
    return _cancelar_o_rectificar(
        request,
        pk,
        dictamen_pk,
        clave="cancelar",
        formulario=CancelacionForm,
        campos=("motivo",),
        servicio=rectificacion.dictamen_cancelar,
        exito=_("Dictamen %(folio)s cancelado."),
    )


@sensitive_post_parameters("rectificar-contrasena")
@sensitive_variables("form")
@login_required
@require_POST
def rectificar(request, pk, dictamen_pk):
    return _cancelar_o_rectificar(
        request,
        pk,
        dictamen_pk,
        clave="rectificar",
        formulario=RectificacionForm,
        campos=("propuesta",),
        servicio=rectificacion.dictamen_rectificar,
        exito=_("Dictamen %(folio)s rectificado."),
    )


@login_required
@require_POST
def registrada(request, pk, *, accion, **llaves):
    """An action the registry declares (expediente.registro.Accion) on something of the
    request (its dictamen, or what the action's `objeto` finds): its form, bound with the POST
    under its prefix; valid, its effect (the capability's service) and the message it
    returns; refused, the page again with the form as typed and the reason beside the field it
    names, or above the form. Only what the page offers this person runs (registro.ofrecida,
    issue 92, item 1): anything else is refused (403, or the capability's own refusal) with
    nothing done, before the form is read."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    llave = llaves[f"{accion.clave}_pk"]
    objeto = accion.objeto(solicitud, llave) if accion.objeto else _dictamen_de(solicitud, llave)
    form = accion.formulario(
        request.POST,
        request.FILES,
        prefix=accion.prefijo,
        **({"dictamen": objeto} if accion.con_dictamen else {}),
    )
    # What it was sent about: the page puts a refused form back beside it.
    form.objeto = objeto
    enviado = {accion.prefijo: form}
    # Whom the page does not offer it is told why before the form's errors: nobody is asked
    # to fix a field of what they may not do.
    if not registro.ofrecida(accion, usuario=request.user, solicitud=solicitud, objeto=objeto):
        return rechazo(
            request,
            solicitud,
            registro.no_ofrecida(accion, usuario=request.user, solicitud=solicitud, objeto=objeto),
        )
    if not form.is_valid():
        motivo = (
            [e for errores in form.errors.values() for e in errores]
            if accion.errores_en_el_mensaje
            else _("Revise los campos marcados.")
        )
        return rechazo(request, solicitud, ValidationError(motivo), **enviado)
    try:
        exito = accion.efecto(
            **{accion.clave: objeto}, usuario=request.user, datos=form.cleaned_data
        )
    except (ValidationError, PermissionDenied) as exc:
        if hasattr(exc, "error_dict"):
            # A refusal that names its fields goes beside them (a contract's repeated number).
            form.add_error(None, exc)
        return rechazo(request, solicitud, exc, **enviado)
    messages.success(request, exito)
    return redirect(reverse("solicitudes:detalle", args=[solicitud.pk]) + accion.ancla)


def _documento_interno(request, pk, *, hacer, nombre: str, tipo: str) -> HttpResponse:
    """A document of the whole request (the expediente, its history) for those it is for: the
    Subsecretaría and the auditors. `nombre` takes the request's folio (or draft number)."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not usuarios.es_interno(usuario=request.user):
        raise Http404
    try:
        contenido = hacer(solicitud)
    except ValidationError as exc:  # its letterhead cannot be printed (altered, or too large)
        return rechazo(request, solicitud, exc)
    archivo = nombre.format(solicitud.folio or f"borrador-{solicitud.pk}").replace("/", "-")
    return HttpResponse(
        contenido,
        content_type=tipo,
        headers={"Content-Disposition": content_disposition_header(True, archivo)},
    )


@login_required
def expediente(request, pk):
    """The whole expediente as a ZIP, for the Subsecretaría and the auditors."""
    from dictamenes.emision.documentos.expediente import expediente_zip

    return _documento_interno(
        request, pk, hacer=expediente_zip, nombre="expediente-{}.zip", tipo="application/zip"
    )


@login_required
def historial_pdf(request, pk):
    """The request's history as a PDF on the letterhead, with what its dictamen in force
    approved: for those the expediente is for (the Subsecretaría and the auditors)."""
    from dictamenes.emision.documentos.expediente import historial_pdf

    return _documento_interno(
        request, pk, hacer=historial_pdf, nombre="historial-{}.pdf", tipo="application/pdf"
    )
