"""The mesa de control moves a request to the full track (issue 36): one POST, one service.
The administrators' page of the tracks is dictamenes.consola.views.vias (issue 48: dual control)."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dictamenes.expediente.pagina import ejecutar
from dictamenes.tramite.forms.pasos import TextoForm
from dictamenes.tramite.selectors import access
from dictamenes.tramite.services import vias as servicio

# The form's prefix on the request's page (expediente.pagina builds it).
PREFIJO = "via"


@login_required
@require_POST
def pasar_a_completa(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    form = TextoForm(request.POST, prefix=PREFIJO)
    # Only the reason is read: whatever else the POST says (a track, say) is ignored.
    motivo = request.POST.get(f"{PREFIJO}-texto", "")
    return ejecutar(
        request,
        solicitud,
        lambda: servicio.via_pasar_a_completa(
            solicitud=solicitud, usuario=request.user, motivo=motivo
        ),
        _("La solicitud pasó a la vía completa: cada área revisará sus partidas."),
        via=form,
    )
