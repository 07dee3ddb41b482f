"""«Entes» (issue 59): the agencies and the names they had. Renaming one asks for a change that
a second administrator approves (dictamenes.operacion.services.configuracion, kind ENTE); the
door that applies it, dictamenes.organizacion.services.entes.ente_renombrar, keeps the old name
for the open data of past years. The admin site shows the name read-only and links here."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import path

from dictamenes.consola.forms.entes import EnteNombreForm, ParametrosEntes
from dictamenes.consola.views.pedidos import cambio_pedir_desde, pendientes_de
from dictamenes.models import CambioPendiente, Ente
from dictamenes.organizacion.selectors.entes import nombres_anteriores
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.organizacion.services import entes as servicio
from estandares.entradas import parametros_leer


def _exigir_administrador(usuario) -> None:
    if not administra_roles(usuario=usuario):
        raise PermissionDenied(servicio.ERROR_ENTES_SIN_PERMISO)


@login_required
def entes(request):
    _exigir_administrador(request.user)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    todos = Ente.objects.order_by("nombre")
    if request.method == "POST":
        form = EnteNombreForm(request.POST, entes=todos)
        if form.is_valid() and (
            hecho := cambio_pedir_desde(
                request,
                form,
                tipo=CambioPendiente.Tipo.ENTE,
                accion="renombrar",
                pedido={
                    "ente": form.cleaned_data["ente"].pk,
                    "nombre": form.cleaned_data["nombre"],
                    "correccion": form.cleaned_data["correccion"],
                },
                ir_a="cuentas:entes",
            )
        ):
            return hecho
        status = 400
    else:
        # The admin's link names the agency (?ente=<pk>), read strictly: what cannot be read
        # is a 400 with its message.
        parametros = ParametrosEntes(request.GET)
        leidos = parametros_leer(request, parametros)
        form = EnteNombreForm(initial={"ente": leidos.get("ente")}, entes=todos)
        status = 400 if parametros.errors else 200
    anteriores = nombres_anteriores()
    return render(
        request,
        "cuentas/entes.html",
        {
            "entes": [(ente, anteriores.get(ente.pk, [])) for ente in todos],
            "form": form,
            "pendientes": pendientes_de(CambioPendiente.Tipo.ENTE),
        },
        status=status,
    )


rutas = [path("entes/", entes, name="entes")]
