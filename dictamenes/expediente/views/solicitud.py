"""The request's page itself (GET), and what its boxes of items and attachments send:
deleting an item, uploading an attachment."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dictamenes.expediente.pagina import contexto_detalle, ejecutar, rechazo
from dictamenes.models import Partida
from dictamenes.tramite.forms.solicitud import AnexoForm
from dictamenes.tramite.selectors import access
from dictamenes.tramite.services import solicitudes
from dictamenes.tramite.views.editable import fuera_de_su_paso


@login_required
def detalle(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    # Only now that the reader may see it: the header's «Ayuda» follows its situation
    # (config.ayuda), and a 404 for someone else's request says what one for none says.
    request.solicitud_mostrada = solicitud.pk
    contexto = contexto_detalle(request, solicitud)
    if contexto["dictamen"] is None:
        # Without a dictamen in force nothing hangs on one (no result, contract or condition
        # to read): what the page read is the situation's facts, without a query of their own.
        request.solicitud_hechos = {
            "estado": solicitud.estado,
            "peticion": any(p.respondida_en is None for p in contexto["peticiones"]),
            "resultado": None,
            "contrato": False,
            "condicion": False,
        }
    return render(request, "solicitudes/detalle.html", contexto)


@login_required
@require_POST
def partida_eliminar(request, pk, partida_pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    instancia = get_object_or_404(Partida, pk=partida_pk, solicitud=solicitud)
    if access.es_requirente_de(usuario=request.user, solicitud=solicitud) and (
        fuera := fuera_de_su_paso(request, solicitud)
    ):
        return fuera
    return ejecutar(
        request,
        solicitud,
        lambda: solicitudes.partida_eliminar(partida=instancia, usuario=request.user),
        _("Partida eliminada."),
    )


@login_required
@require_POST
def anexo_subir(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    form = AnexoForm(request.POST, request.FILES)
    if not form.is_valid():
        return rechazo(
            request,
            solicitud,
            ValidationError(" ".join(str(e) for errores in form.errors.values() for e in errores)),
            anexo=form,
        )
    return ejecutar(
        request,
        solicitud,
        lambda: solicitudes.anexo_agregar(
            solicitud=solicitud,
            usuario=request.user,
            tipo=form.cleaned_data["tipo"],
            archivo=form.cleaned_data["archivo"],
        ),
        _("Anexo agregado."),
        anexo=form,
    )
