"""The item form's autoevaluación as the person types: a small JSON answer from the same
compliance engine that judges the item when it is saved; and the draft's track with the item
as typed (issue 61), drawn by the server. The rules stay on the server; the page's script only
shows what this answers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dictamenes.models import Partida, Solicitud, UnidadPrecio
from dictamenes.precios.selectors.en_vivo import precio_en_vivo
from dictamenes.tramite.forms.solicitud import PartidaForm
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.via_en_vivo import Tecleada, via_en_vivo
from estandares import selectors as estandares_selectors
from estandares.cumplimiento import Evaluacion, Resultado, Veredicto
from estandares.entradas import EnteroField
from estandares.models import Perfil


def _como_json(evaluacion: Evaluacion) -> dict:
    return {
        "veredicto": evaluacion.veredicto,
        "etiqueta_veredicto": str(Veredicto(evaluacion.veredicto).label),
        "resultados": [
            {
                "clave": r.clave,
                "nombre": r.nombre,
                "obligatorio": r.obligatorio,
                "resultado": r.resultado,
                "etiqueta": str(Resultado(r.resultado).label),
                "motivo": r.motivo,
                "valor": r.valor,
            }
            for r in evaluacion.resultados
        ],
    }


@login_required
@require_POST
def partida_evaluar(request, pk):
    """Judge the specifications typed in the item form (fields "esp-…") against `perfil`,
    without saving anything. Same access as the form: the requirente of the agency."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not access.es_requirente_de(usuario=request.user, solicitud=solicitud):
        raise Http404
    try:
        perfil = estandares_selectors.perfil_vigente_spec(
            perfil_id=request.POST.get("perfil"), fecha=timezone.localdate()
        )
        evaluacion = estandares_selectors.especificaciones_evaluar(
            perfil=perfil, datos=request.POST, prefijo="esp"
        )
    except ValidationError as exc:
        errores = exc.message_dict if hasattr(exc, "error_dict") else {}
        mensaje = (
            str(estandares_selectors.ERROR_VALORES_ILEGIBLES) if errores else " ".join(exc.messages)
        )
        return JsonResponse({"error": mensaje, "errores": errores}, status=400)
    return JsonResponse(_como_json(evaluacion))


def _leido(nombre: str, valor):
    """A field of the item form read by the form's own field (a profile's or an item's
    number as a whole number); None if it cannot be read yet."""
    campo = EnteroField(required=False) if nombre == "numero" else PartidaForm.base_fields[nombre]
    try:
        return campo.clean(valor)
    except ValidationError:
        return None


def tecleada_de(datos, *, partida_pk=None) -> Tecleada:
    """What the item form holds, as via_en_vivo reads it."""
    return Tecleada(
        partida_pk=partida_pk,
        perfil_id=_leido("numero", datos.get("perfil")),
        descripcion=str(datos.get("descripcion") or ""),
        cantidad=_leido("cantidad", datos.get("cantidad")),
        precio=_leido("precio_unitario", datos.get("precio_unitario")),
    )


def _tecleado_precio(datos, instancia, perfil_id) -> dict:
    """Profile, unit, months and unit price as the item form holds them (`datos`), else as
    the item was saved; each None when it cannot be read yet."""
    if datos is None and instancia is not None:
        return {
            "perfil_id": instancia.perfil_id,
            "unidad": instancia.unidad,
            "meses": instancia.meses,
            "precio": instancia.precio_unitario,
        }
    datos = datos or {}
    unidad = datos.get("unidad") or UnidadPrecio.PIEZA
    return {
        "perfil_id": _leido("numero", datos.get("perfil")) or perfil_id,
        "unidad": unidad if unidad in UnidadPrecio.values else None,
        "meses": _leido("meses", datos.get("meses")),
        "precio": _leido("precio_unitario", datos.get("precio_unitario")),
    }


def contexto_precio(*, solicitud, datos=None, instancia=None, perfil_id=None) -> dict:
    """The item's price box (issue 62): the reference of its profile in its unit, where its
    price stands, the other agencies' purchases. Empty without a profile of the edition in
    force (nothing to compare with)."""
    leido = _tecleado_precio(datos, instancia, perfil_id)
    # References are kept by the profile's clave (and its category's), which an edition
    # continues: a saved item of an earlier edition still reads its profile's.
    perfil = (
        Perfil.objects.select_related("categoria").filter(pk=leido["perfil_id"]).first()
        if leido["perfil_id"] and leido["unidad"]
        else None
    )
    if perfil is None:
        return {"precio_en_vivo": None}
    return {
        "precio_en_vivo": precio_en_vivo(
            perfil=perfil,
            unidad=leido["unidad"],
            meses=leido["meses"],
            precio=leido["precio"],
            ente_id=solicitud.ente_id,
            # Its quotes: the market research, and the law's price tests (issue 76, item 5).
            partida=instancia,
        )
    }


@login_required
@require_POST
def partida_precio_en_vivo(request, pk):
    """The item's price box with the profile, unit, months and price typed in its form
    (fields as the form names them), saving nothing. Same access as the form."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not access.es_requirente_de(usuario=request.user, solicitud=solicitud):
        raise Http404
    # The item being written, when it is saved: one of this request's, or none.
    partida_pk = _leido("numero", request.POST.get("partida"))
    instancia = (
        Partida.objects.filter(pk=partida_pk, solicitud=solicitud).first() if partida_pk else None
    )
    return render(
        request,
        "solicitudes/_precio_en_vivo.html",
        contexto_precio(solicitud=solicitud, datos=request.POST, instancia=instancia),
    )


def contexto_via_en_vivo(*, solicitud, datos=None, partida_pk=None) -> dict:
    """The item page's track box: as saved, or with what the form holds (`datos`)."""
    en_vivo = via_en_vivo(
        solicitud=solicitud,
        fecha=timezone.localdate(),
        tecleada=tecleada_de(datos, partida_pk=partida_pk) if datos is not None else None,
        datos=datos or {},
    )
    return {
        "via_prevista": en_vivo.decidida,
        "pasos": en_vivo.pasos,
        "con_lo_capturado": datos is not None,
    }


@login_required
@require_POST
def via_prevista(request, pk):
    """The draft's track and steps with the item as typed in its form (fields as the form
    names them; `partida` the saved item being changed, if any), saving nothing. Same access
    as the form; only a draft has a track still to choose."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not access.es_requirente_de(usuario=request.user, solicitud=solicitud):
        raise Http404
    if solicitud.estado != Solicitud.Estado.BORRADOR:
        raise Http404
    partida_pk = _leido("numero", request.POST.get("partida"))
    if partida_pk is not None and not solicitud.partidas.filter(pk=partida_pk).exists():
        raise Http404
    return render(
        request,
        "solicitudes/_via_en_vivo.html",
        contexto_via_en_vivo(solicitud=solicitud, datos=request.POST, partida_pk=partida_pk),
    )
