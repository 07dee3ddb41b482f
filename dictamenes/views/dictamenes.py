"""Signing, cancelling and rectifying a dictamen with the e.firma, and its PDF."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from dictamenes import access
from dictamenes.documentos import efirma
from dictamenes.forms import (
    CancelacionForm,
    EfirmaForm,
    RectificacionForm,
)
from dictamenes.models import (
    Dictamen,
)
from dictamenes.selectors import (
    emision,
)
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
        "Dictamen firmado y emitido.",
    )


def _dictamen_de(solicitud, dictamen_pk) -> Dictamen:
    return get_object_or_404(Dictamen, pk=dictamen_pk, solicitud=solicitud)


@sensitive_post_parameters("contrasena")
@sensitive_variables("form")
@login_required
@require_POST
def cancelar(request, pk, dictamen_pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    dictamen = _dictamen_de(solicitud, dictamen_pk)
    form = CancelacionForm(request.POST, request.FILES, prefix="cancelar")
    if not form.is_valid():
        return _rechazo_efirma(request, solicitud, form, "cancelar")
    return ejecutar(
        request,
        solicitud,
        lambda: emision.dictamen_cancelar(
            dictamen=dictamen,
            usuario=request.user,
            credencial=_credencial(form),
            motivo=form.cleaned_data["motivo"],
        ),
        f"Dictamen {dictamen.folio} cancelado.",
    )


@sensitive_post_parameters("contrasena")
@sensitive_variables("form")
@login_required
@require_POST
def rectificar(request, pk, dictamen_pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    dictamen = _dictamen_de(solicitud, dictamen_pk)
    form = RectificacionForm(request.POST, request.FILES, prefix="rectificar")
    if not form.is_valid():
        return _rechazo_efirma(request, solicitud, form, "rectificar")
    return ejecutar(
        request,
        solicitud,
        lambda: emision.dictamen_rectificar(
            dictamen=dictamen,
            usuario=request.user,
            credencial=_credencial(form),
            motivo=form.cleaned_data["motivo"],
            motivos=form.cleaned_data["motivos"],
            condiciones=form.cleaned_data["condiciones"],
        ),
        f"Dictamen {dictamen.folio} rectificado.",
    )


def dictamen_pdf(request, pk, dictamen_pk):
    """Only those who may see the request download its dictamen; everyone else gets 404.
    On S3 the answer is a short-lived presigned URL instead of streaming through the app."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    dictamen = _dictamen_de(solicitud, dictamen_pk)
    disposicion = f'attachment; filename="{emision.pdf_nombre(dictamen.folio)}"'
    if "s3" in settings.STORAGES["default"]["BACKEND"].lower():
        url = dictamen.pdf.storage.url(
            dictamen.pdf.name, parameters={"ResponseContentDisposition": disposicion}
        )
        return redirect(url)
    return HttpResponse(
        emision.pdf_leer(dictamen),
        content_type="application/pdf",
        headers={"Content-Disposition": disposicion},
    )
