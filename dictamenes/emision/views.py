"""The dictamen's own pages: its PDF, and the preview the firmante reads before signing. The
POSTs that sign, cancel, rectify or propose a rectification are on the request's page
(dictamenes.expediente.views.dictamen); their forms are emision.acciones'."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from dictamenes.emision.services import emision, integridad
from dictamenes.models import (
    Dictamen,
)
from dictamenes.tramite.selectors import access


@login_required
def vista_previa(request, pk):
    """The dictamen the firmante is about to sign, unsigned and marked «Vista previa · sin
    validez», from the same code and data as the signed PDF. Whoever may not sign it now gets
    the same 404 as for a request that does not exist."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    try:
        pdf = emision.dictamen_vista_previa(solicitud=solicitud, usuario=request.user)
    except (ValidationError, PermissionDenied) as exc:
        raise Http404 from exc
    nombre = f"vista-previa-{solicitud.folio}.pdf"
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{nombre}"',
            # The decision may still change (a return to an area): never a stale copy.
            "Cache-Control": "no-store",
        },
    )


def _dictamen_de(solicitud, dictamen_pk) -> Dictamen:
    return get_object_or_404(Dictamen, pk=dictamen_pk, solicitud=solicitud)


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
