"""The purchase made under a dictamen: the agency records its contract, and the Subsecretaría
reads the ones that do not match what the dictamen allowed."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dictamenes.models import Dictamen
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors import usuarios
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.seguimiento.selectors.contratos import contratos_senalados
from dictamenes.seguimiento.services import contratos
from dictamenes.tramite.forms.contrato import ContratoForm
from dictamenes.tramite.selectors import access
from dictamenes.tramite.views.solicitudes import ejecutar, rechazo


@login_required
@require_POST
def contrato(request, pk, dictamen_pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    dictamen = get_object_or_404(Dictamen, pk=dictamen_pk, solicitud=solicitud)
    form = ContratoForm(request.POST, prefix="contrato")
    if not form.is_valid():
        return rechazo(
            request, solicitud, ValidationError(_("Revise los campos marcados.")), contrato=form
        )
    return ejecutar(
        request,
        solicitud,
        lambda: contratos.contrato_registrar(
            dictamen=dictamen, usuario=request.user, **form.cleaned_data
        ),
        _("Contrato %(numero)s registrado bajo el dictamen %(folio)s.")
        % {"numero": form.cleaned_data["numero"], "folio": dictamen.folio},
        contrato=form,
    )


@login_required
@require_safe
def senalados(request):
    if not usuarios.es_interno(usuario=request.user):
        raise PermissionDenied(
            _("Esta página es para el personal %(institucion)s.")
            % {"institucion": con_articulo(textos_vigentes_en_cache().institucion_nombre, "de")}
        )
    return render(
        request, "planeacion/contratos.html", {"contratos": list(contratos_senalados()[:500])}
    )
