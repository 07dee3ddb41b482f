"""The conditions of a condicionado dictamen: the evidence downloaded, and the Subsecretaría
following the open ones by their traffic light. Uploading evidence and verifying it are POSTs
on the request's page (dictamenes.expediente.views.condiciones)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dictamenes.comun import archivos
from dictamenes.models import EvidenciaCondicion
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors import usuarios
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.seguimiento.selectors.condiciones import condiciones_por_cumplir, dias_aviso
from dictamenes.tramite.selectors import access


@login_required
@require_safe
def evidencia_descargar(request, pk, evidencia_pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    evidencia = get_object_or_404(
        EvidenciaCondicion, pk=evidencia_pk, condicion__dictamen__solicitud=solicitud
    )
    return FileResponse(
        archivos.anexo_leer(anexo=evidencia),
        as_attachment=True,
        filename=evidencia.nombre,
        content_type=evidencia.content_type,
    )


@login_required
@require_safe
def por_cumplir(request):
    if not usuarios.es_interno(usuario=request.user):
        raise PermissionDenied(
            _("Esta página es para el personal %(institucion)s.")
            % {"institucion": con_articulo(textos_vigentes_en_cache().institucion_nombre, "de")}
        )
    filas = condiciones_por_cumplir()
    return render(
        request,
        "planeacion/condiciones.html",
        {
            "filas": filas,
            "rojas": sum(f.semaforo == "rojo" for f in filas),
            "dias_aviso": dias_aviso(),
        },
    )
