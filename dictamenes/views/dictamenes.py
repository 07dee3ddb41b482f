"""Signing, cancelling and rectifying a dictamen with the e.firma (the Dirección General
proposes a rectification's content, a firmante signs it), and its PDF."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from dictamenes.documentos import efirma
from dictamenes.forms import (
    CancelacionForm,
    EfirmaForm,
    PropuestaRectificacionForm,
    RectificacionForm,
)
from dictamenes.models import (
    Dictamen,
)
from dictamenes.selectors import access
from dictamenes.services import emision, integridad, rectificacion
from dictamenes.views.solicitudes import ejecutar, rechazo


def _credencial(form):
    return efirma.credencial_cargar(
        contrasena=form.cleaned_data["contrasena"],
        cer=form.bytes_de("cer"),
        key=form.bytes_de("key"),
        p12=form.bytes_de("p12"),
    )


def _rechazo_efirma(request, solicitud, form, clave):
    return rechazo(
        request,
        solicitud,
        ValidationError(" ".join(str(e) for errores in form.errors.values() for e in errores)),
        **{clave: form},
    )


# The password and the key never reach error reports or logs.
@sensitive_post_parameters("contrasena")
@sensitive_variables("form")
@login_required
@require_POST
def firma(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    form = EfirmaForm(request.POST, request.FILES)
    if not form.is_valid():
        return _rechazo_efirma(request, solicitud, form, "firma")
    return ejecutar(
        request,
        solicitud,
        lambda: emision.dictamen_emitir(
            solicitud=solicitud, usuario=request.user, credencial=_credencial(form)
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
    if not form.is_valid():
        return _rechazo_efirma(request, solicitud, form, clave)
    datos = {campo: form.cleaned_data[campo] for campo in campos}
    return ejecutar(
        request,
        solicitud,
        lambda: servicio(
            dictamen=dictamen, usuario=request.user, credencial=_credencial(form), **datos
        ),
        exito % {"folio": dictamen.folio},
    )


@sensitive_post_parameters("contrasena")
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


@sensitive_post_parameters("contrasena")
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
def proponer_rectificacion(request, pk, dictamen_pk):
    """The Dirección General proposes a rectification's content; a firmante signs it later."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    dictamen = _dictamen_de(solicitud, dictamen_pk)
    form = PropuestaRectificacionForm(request.POST, prefix="proponer")
    if not form.is_valid():
        return rechazo(
            request, solicitud, ValidationError(_("Revise los campos marcados.")), proponer=form
        )
    return ejecutar(
        request,
        solicitud,
        lambda: rectificacion.rectificacion_proponer(
            dictamen=dictamen, usuario=request.user, **form.cleaned_data
        ),
        _("Rectificación del dictamen %(folio)s propuesta: queda para la firma.")
        % {"folio": dictamen.folio},
        proponer=form,
    )


def dictamen_pdf(request, pk, dictamen_pk):
    """Only those who may see the request download its dictamen; everyone else gets 404.
    On S3 the answer is a redirect to a short-lived presigned URL."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    pdf = integridad.dictamen_pdf_descargar(dictamen=_dictamen_de(solicitud, dictamen_pk))
    if pdf.url:
        return redirect(pdf.url)
    return HttpResponse(
        pdf.contenido,
        content_type="application/pdf",
        headers={"Content-Disposition": pdf.disposicion},
    )
