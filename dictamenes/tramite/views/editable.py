"""Where a requester's writing pages (a draft's data, its items, their quotes) stop: past the
step that may change them, GET and POST alike go back to the request's page with the reason."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from dictamenes.tramite.selectors.estados import EDITABLE, EN_TRAMITE

# Why a requester's writing page does not open (issue 78): «Nueva partida» opened on a signed
# request, with no save button. Said with the request's state, so the person sees where it is.
PASO_PASADO_EN_TRAMITE = gettext_lazy(
    "La solicitud está «%(estado)s»: ya se presentó, y sus datos, partidas y cotizaciones solo "
    "pueden cambiarse si la mesa de control la previene."
)
PASO_PASADO_CERRADA = gettext_lazy(
    "La solicitud está «%(estado)s»: su trámite terminó, y sus datos, partidas y cotizaciones "
    "ya no pueden cambiarse."
)


def fuera_de_su_paso(request, solicitud):
    """The requester's pages that write a draft (its data, its items, their quotes) open only
    while it may be changed (EDITABLE: a draft, or a prevenida request): past that
    step, GET and POST alike go back to the request's page with the reason, and nothing is
    written. None when the page may open. The services refuse the same writes (exigir_editable)
    for the API and the commands; this only keeps a page from offering what it cannot do."""
    if solicitud.estado in EDITABLE:
        return None
    en_tramite = solicitud.estado in EN_TRAMITE
    texto = PASO_PASADO_EN_TRAMITE if en_tramite else PASO_PASADO_CERRADA
    messages.error(request, texto % {"estado": solicitud.get_estado_display()})
    return redirect("solicitudes:detalle", pk=solicitud.pk)
