"""Task views for viewflow's inbox links. The work itself happens on the request's page,
where the action forms call the services; viewflow only needs a door to each task."""

from django.shortcuts import redirect


def tarea(request, **kwargs):
    solicitud = request.activation.process.solicitud
    return redirect("solicitudes:detalle", pk=solicitud.pk)
