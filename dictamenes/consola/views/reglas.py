"""Two catalogues the procedure runs on, under dual control (issue 48): the reasons for not
approving an item (dictamenes.tramite.services.motivos applies a change), and the standards'
editions, whose publication decides which area reviews each category and which requirements
are mandatory (estandares.services.publicacion_publicar applies it). Each form asks for a
change that a second administrator approves on «Cambios por aprobar»."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from dictamenes.consola.forms.todos_los_campos import TodosLosCampos
from dictamenes.consola.views.pedidos import cambio_pedir_desde, pendientes_de
from dictamenes.models import CambioPendiente, MotivoRechazo
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.tramite.services.motivos import ERROR_MOTIVOS_SIN_PERMISO
from estandares.entradas import TextoCortoField, TextoLargoField
from estandares.models import Publicacion
from estandares.motivos import MotivoCortoField


def _exigir_administrador(usuario) -> None:
    if not administra_roles(usuario=usuario):
        raise PermissionDenied(ERROR_MOTIVOS_SIN_PERMISO)


class MotivoForm(TodosLosCampos, forms.Form):
    nombre = TextoCortoField(label=_("Motivo"), max_length=200)
    descripcion = TextoLargoField(
        label=_("Descripción"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Se publica con el catálogo: diga cuándo aplica."),
    )
    orden = forms.IntegerField(label=_("Orden"), min_value=0, max_value=999)
    activo = forms.BooleanField(
        label=_("Activo: se puede citar al decidir"),
        required=False,
        help_text=_("Un motivo ya citado no se borra: se desactiva."),
    )
    motivo = MotivoCortoField(label=_("Motivo del cambio"), max_length=300)


class PublicarForm(TodosLosCampos, forms.Form):
    vigente_desde = forms.DateField(
        label=_("Vigente desde"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Desde ese día la edición vigente queda derogada."),
    )
    motivo = MotivoCortoField(label=_("Motivo del cambio"), max_length=300)


CAMPOS_MOTIVO = ("nombre", "descripcion", "orden", "activo")


def _motivo_pedir(request, *, actual, inicial):
    """The form of a reason (new: `actual` None), and the pending change it asks: a redirect
    once asked, else (form, None) to render it again."""
    form = MotivoForm(request.POST if request.method == "POST" else None, initial=inicial)
    if form.is_valid():
        d = form.cleaned_data
        hecho = cambio_pedir_desde(
            request,
            form,
            tipo=CambioPendiente.Tipo.MOTIVO,
            accion="cambiar" if actual else "agregar",
            pedido={"motivo": actual.pk if actual else None, **{c: d[c] for c in CAMPOS_MOTIVO}},
            ir_a="cuentas:motivos",
        )
        if hecho:
            return form, hecho
    return form, None


@login_required
def motivos(request):
    _exigir_administrador(request.user)
    form, hecho = _motivo_pedir(request, actual=None, inicial={"orden": 0, "activo": True})
    if hecho:
        return hecho
    return render(
        request,
        "cuentas/motivos.html",
        {
            "motivos": MotivoRechazo.objects.order_by("orden", "nombre"),
            "form": form,
            "pendientes": pendientes_de(CambioPendiente.Tipo.MOTIVO),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def motivo(request, pk):
    _exigir_administrador(request.user)
    actual = get_object_or_404(MotivoRechazo, pk=pk)
    form, hecho = _motivo_pedir(
        request, actual=actual, inicial={c: getattr(actual, c) for c in CAMPOS_MOTIVO}
    )
    if hecho:
        return hecho
    return render(
        request,
        "cuentas/motivo.html",
        {"actual": actual, "form": form, "pendientes": pendientes_de(CambioPendiente.Tipo.MOTIVO)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def ediciones(request):
    _exigir_administrador(request.user)
    borradores = list(Publicacion.objects.filter(estado=Publicacion.Estado.BORRADOR))
    elegida, error = None, ""
    if request.method == "POST":
        pk = request.POST.get("publicacion", "")
        elegida = next((b for b in borradores if str(b.pk) == pk), None)
        if elegida is None:
            error = _("Elija uno de los borradores de abajo: ese ya no está en borrador.")
    formularios = []
    for borrador in borradores:
        form = PublicarForm(
            request.POST if elegida and elegida.pk == borrador.pk else None,
            prefix=f"b{borrador.pk}",
            initial={"vigente_desde": borrador.vigente_desde},
        )
        if form.is_bound and form.is_valid():
            hecho = cambio_pedir_desde(
                request,
                form,
                tipo=CambioPendiente.Tipo.EDICION,
                accion="publicar",
                pedido={
                    "publicacion": borrador.pk,
                    "vigente_desde": form.cleaned_data["vigente_desde"].isoformat(),
                },
                ir_a="cuentas:ediciones",
            )
            if hecho:
                return hecho
        formularios.append({"publicacion": borrador, "form": form})
    return render(
        request,
        "cuentas/ediciones.html",
        {
            "vigente": Publicacion.objects.filter(estado=Publicacion.Estado.VIGENTE).first(),
            "borradores": formularios,
            "pendientes": pendientes_de(CambioPendiente.Tipo.EDICION),
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )


rutas = [
    path("motivos/", motivos, name="motivos"),
    path("motivos/<int:pk>/", motivo, name="motivo"),
    path("ediciones/", ediciones, name="ediciones"),
]
