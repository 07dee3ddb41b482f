"""The purchase made under a dictamen: the agency records its contract (told, while it types
the amount, whether the running total passes what the dictamen approved), and the
Subsecretaría reads the ones that do not match what the dictamen allowed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dictamenes.models import Contrato, Dictamen, Resultado
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors import usuarios
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.seguimiento.forms.contrato import ContratoForm
from dictamenes.seguimiento.selectors.contratos import (
    contratos_por_resolver,
    contratos_senalados,
    tope_del_dictamen,
)
from dictamenes.seguimiento.services import contratos
from dictamenes.tramite.selectors import access


@login_required
@require_POST
def contrato_revisar(request, pk, dictamen_pk):
    """The contract form's live check while the amount is typed: the fragment that says the
    running total it would make against what the dictamen approved. Saves nothing; the same
    access as the form (the agency's requirentes), and 404 to everyone else."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not access.es_requirente_de(usuario=request.user, solicitud=solicitud):
        raise Http404
    dictamen = get_object_or_404(
        Dictamen.objects.exclude(resultado=Resultado.NO_FAVORABLE).select_related("solicitud"),
        pk=dictamen_pk,
        solicitud=solicitud,
        cancelado_en__isnull=True,
    )
    tope = tope_del_dictamen(dictamen=dictamen)
    try:
        # The form's own field: the same digits, decimal places and maximum as when saved.
        monto = ContratoForm.base_fields["monto"].clean(request.POST.get("contrato-monto", ""))
    except ValidationError:
        monto = None  # the form says it beside the field when it is saved
    return render(
        request,
        "solicitudes/_contrato_tope.html",
        {"tope": tope, "propuesta": tope.con(monto)},
    )


def _exigir_interno(usuario) -> None:
    if not usuarios.es_interno(usuario=usuario):
        raise PermissionDenied(
            _("Esta página es para el personal %(institucion)s.")
            % {"institucion": con_articulo(textos_vigentes_en_cache().institucion_nombre, "de")}
        )


def _pagina(request, *, errores=None, status=200):
    usuario = request.user
    por_resolver = list(contratos_por_resolver()[:500])
    for c in por_resolver:
        c.puede_autorizar = contratos.puede_autorizar(usuario=usuario, contrato=c)
        c.puede_verificar = contratos.puede_verificar(usuario=usuario, contrato=c)
        c.errores = (errores or {}).get(c.pk, [])
    return render(
        request,
        "planeacion/contratos.html",
        {
            "contratos": list(contratos_senalados()[:500]),
            "pendientes": [c for c in por_resolver if c.autorizacion == "pendiente"],
            "por_verificar": [c for c in por_resolver if c.autorizacion != "pendiente"],
        },
        status=status,
    )


@login_required
@require_safe
def senalados(request):
    _exigir_interno(request.user)
    return _pagina(request)


def _resolver(request, contrato_pk, accion):
    _exigir_interno(request.user)
    contrato = get_object_or_404(
        Contrato.objects.select_related("dictamen__solicitud"), pk=contrato_pk
    )
    try:
        accion(contrato)
    except ValidationError as exc:
        # What was wrong goes beside the contract; whoever may not act gets 403 (the service's
        # PermissionDenied), as every refused page.
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return _pagina(request, errores={contrato.pk: exc.messages}, status=400)
    return redirect("planeacion:contratos")


@login_required
@require_POST
def autorizar(request, contrato_pk):
    """The strategic reviewer authorises, or not, a contract that waits (issue 76, item 2)."""
    autoriza = request.POST.get("decision") == "autorizar"

    def accion(contrato):
        contratos.contrato_autorizar(
            contrato=contrato,
            usuario=request.user,
            autorizar=autoriza,
            motivo=request.POST.get("motivo", ""),
        )
        messages.success(
            request,
            (
                _("Contrato %(numero)s autorizado.")
                if autoriza
                else _("Contrato %(numero)s no autorizado.")
            )
            % {"numero": contrato.numero},
        )

    return _resolver(request, contrato_pk, accion)


@login_required
@require_POST
def verificar(request, contrato_pk):
    """Someone who is not the requester checked the contract against its document (item 1)."""

    def accion(contrato):
        contratos.contrato_verificar(contrato=contrato, usuario=request.user)
        messages.success(
            request,
            _("Contrato %(numero)s verificado contra su documento.") % {"numero": contrato.numero},
        )

    return _resolver(request, contrato_pk, accion)
