"""The purchase made under a dictamen: the agency records its contract (told, while it types
the amount, whether the running total passes what the dictamen approved), and the
Subsecretaría reads the ones that do not match what the dictamen allowed."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dictamenes.comun import archivos
from dictamenes.models import Contrato, Dictamen, Resultado
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors import usuarios
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.seguimiento.forms.contrato import ContratoForm
from dictamenes.seguimiento.selectors.contratos import (
    contratos_por_resolver,
    contratos_senalados,
    documento_abierto_en,
    impedimento_para_verificar,
    tope_del_dictamen,
)
from dictamenes.seguimiento.services import contratos
from dictamenes.separacion.implicados import decididas_entre
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


def _pagina(request, *, errores=None, escrito=None, status=200):
    usuario = request.user
    por_resolver = list(contratos_por_resolver()[:500])
    # Who decided which of these requests, and the person's roles: read once for the list.
    decididas = decididas_entre(
        usuario=usuario, solicitudes=[c.dictamen.solicitud_id for c in por_resolver]
    )
    roles = set(usuarios.roles_de(usuario=usuario))
    for c in por_resolver:
        c.puede_autorizar = contratos.puede_autorizar(usuario=usuario, contrato=c)
        c.puede_verificar = contratos.puede_verificar(
            usuario=usuario,
            contrato=c,
            roles=roles,
            decisores={usuario.pk} if c.dictamen.solicitud_id in decididas else set(),
        )
        c.errores = (errores or {}).get(c.pk, [])
        # What was typed beside a refusal stays in its field (issue 93, item 4).
        c.escrito = (escrito or {}).get(c.pk, "")
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
        return _pagina(
            request,
            errores={contrato.pk: exc.messages},
            escrito={contrato.pk: request.POST.get("motivo", "")},
            status=400,
        )
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


def _contrato_interno(request, contrato_pk) -> Contrato:
    _exigir_interno(request.user)
    return get_object_or_404(
        Contrato.objects.select_related(
            "dictamen__solicitud__ente", "anexo", "registrado_por", "verificado_por"
        ),
        pk=contrato_pk,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verificar(request, contrato_pk):
    """The check of a contract against its document (issue 76, item 1; issue 93, item 6): the
    page shows the contract as recorded beside its document (embedded from `documento`, with
    a link to open it), whether and when the server sent the document to this person, and the
    button only to whom the predicate lets check it; otherwise, why not. POST: the check."""
    contrato = _contrato_interno(request, contrato_pk)
    errores = []
    if request.method == "POST":
        try:
            contratos.contrato_verificar(contrato=contrato, usuario=request.user)
        except ValidationError as exc:
            errores = exc.messages
        else:
            messages.success(
                request,
                _("Contrato %(numero)s verificado contra su documento.")
                % {"numero": contrato.numero},
            )
            return redirect("planeacion:contratos")
    impedimento = impedimento_para_verificar(usuario=request.user, contrato=contrato)
    return render(
        request,
        "planeacion/contrato_verificar.html",
        {
            "c": contrato,
            "impedimento": impedimento,
            "puede_verificar": impedimento is None
            and contrato.verificado_por_id is None
            and contrato.anexo_id is not None,
            "abierto_en": documento_abierto_en(contrato=contrato, usuario=request.user),
            "en_la_pagina": contrato.anexo is not None
            and contrato.anexo.content_type in EN_LA_PAGINA,
            "errores": errores,
        },
        status=400 if errores else 200,
    )


# What the browser shows inside the page: a PDF (checked by content when it was uploaded,
# comun.archivos). Office documents are sent to be opened or saved.
EN_LA_PAGINA = frozenset({"application/pdf"})


@login_required
@require_safe
@xframe_options_sameorigin
# Only this page of ours may frame it; a PDF is shown by the browser's own viewer.
@csp_replace({"frame-ancestors": ["'self'"], "object-src": ["'self'"]})
def documento(request, contrato_pk):
    """The contract's document, read through the attachments' check (its SHA-256), for the
    verification page to show (the Subsecretaría's staff only). As it answers, the server
    records that it sent it to a person who may check the contract
    (contratos.contrato_documento_abierto): the check asks for that record."""
    contrato = _contrato_interno(request, contrato_pk)
    if contrato.anexo is None:
        raise Http404
    archivo = archivos.anexo_leer(anexo=contrato.anexo)
    if request.method == "GET":
        contratos.contrato_documento_abierto(contrato=contrato, usuario=request.user)
    return FileResponse(
        archivo,
        as_attachment=contrato.anexo.content_type not in EN_LA_PAGINA,
        filename=contrato.anexo.nombre,
        content_type=contrato.anexo.content_type,
    )
