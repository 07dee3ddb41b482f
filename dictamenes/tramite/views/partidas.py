"""Pages of a request's items and attachments: the item form with its technical profile,
deleting an item, uploading and downloading an attachment."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch, Sum, prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dictamenes import exceptions
from dictamenes.comun import archivos
from dictamenes.comun.vistas import mensaje_de
from dictamenes.models import (
    Anexo,
    ConfiguracionVias,
    Cotizacion,
    Partida,
    Solicitud,
)
from dictamenes.precios import reglas
from dictamenes.precios import selectors as precios_selectors
from dictamenes.precios.selectors.en_vivo import precio_con_unidad
from dictamenes.tramite.forms.solicitud import CotizacionForm, PartidaForm
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.estados import EDITABLE
from dictamenes.tramite.services import solicitudes
from dictamenes.tramite.views.autoevaluacion import contexto_precio, contexto_via_en_vivo
from dictamenes.tramite.views.editable import fuera_de_su_paso
from dictamenes.tramite.views.solicitudes import conflicto_de_version
from estandares import selectors as estandares_selectors
from estandares.entradas import EnteroField, parametros_leer
from estandares.forms import EspecificacionesForm, ParametrosAutoevaluacion

# --- Items and attachments ------------------------------------------------------------------------


def _numero_de_perfil(valor) -> int | None:
    """A profile's number as a form sent it, or None if it is not one (never a 500)."""
    try:
        return EnteroField(required=False).clean(valor)
    except ValidationError:
        return None


@login_required
def partida(request, pk, partida_pk=None):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not access.es_requirente_de(usuario=request.user, solicitud=solicitud):
        raise Http404
    if fuera := fuera_de_su_paso(request, solicitud):
        return fuera
    instancia = (
        get_object_or_404(Partida, pk=partida_pk, solicitud=solicitud) if partida_pk else None
    )
    datos = request.POST if request.method == "POST" else None
    guardar = bool(datos and datos.get("guardar"))
    parametros = ParametrosAutoevaluacion(request.GET) if request.GET.get("perfil") else None
    pedido = parametros_leer(request, parametros).get("perfil") if parametros else None
    if datos and not guardar:
        # Choosing the profile is not saving: what was typed comes back as it was, unjudged.
        form = PartidaForm(instance=instancia, initial=datos.dict())
    else:
        # ?perfil= preselects a profile; without it an item keeps its own (an initial of None
        # would blank it out).
        elegido = {"perfil": pedido} if pedido else {}
        form = PartidaForm(datos, instance=instancia, initial=elegido)
    perfil_id = (
        _numero_de_perfil((datos or {}).get("perfil"))
        or pedido
        or (instancia.perfil_id if instancia else None)
    )
    especificaciones = None
    conflicto = False
    if perfil_id and form.fields["perfil"].queryset.filter(pk=perfil_id).exists():
        spec = estandares_selectors.perfil_spec(
            perfil=estandares_selectors.perfil_con_requisitos(perfil_id=int(perfil_id))
        )
        inicial = _iniciales(instancia.especificaciones, spec) if instancia else {}
        if datos and not guardar:
            inicial |= _iniciales(datos, spec, prefijo="esp-")
        especificaciones = EspecificacionesForm(
            datos if guardar else None,
            perfil=spec,
            prefix="esp",
            initial=inicial,
        )
    if guardar and form.is_valid() and especificaciones and especificaciones.is_valid():
        try:
            guardada = solicitudes.partida_guardar(
                solicitud=solicitud,
                usuario=request.user,
                partida=instancia,
                datos={
                    **form.cleaned_data,
                    "especificaciones": especificaciones.especificaciones(),
                },
                version=form.cleaned_data.get("version"),
            )
        except exceptions.Conflicto as exc:
            conflicto = True
            actual = Partida.objects.filter(pk=instancia.pk).values_list("version", flat=True)
            conflicto_de_version(form, exc, actual.first())
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, mensaje_de(exc))
        else:
            if instancia is None and _le_faltan_cotizaciones(solicitud, guardada):
                # A new item that needs its quotes: they are added on its own page, where it
                # was just written (issue 76, item 8).
                messages.success(
                    request,
                    _(
                        "Partida guardada y evaluada contra los estándares. Agregue aquí sus "
                        "cotizaciones."
                    ),
                )
                return redirect(
                    reverse("solicitudes:partida", args=[solicitud.pk, guardada.pk])
                    + "#cotizaciones"
                )
            messages.success(request, _("Partida guardada y evaluada contra los estándares."))
            return redirect("solicitudes:detalle", pk=solicitud.pk)
    status = 409 if conflicto else 400 if guardar or (parametros and parametros.errors) else 200
    return pagina_de_partida(
        request,
        solicitud,
        instancia,
        form=form,
        especificaciones=especificaciones,
        datos=datos,
        sin_perfil=bool(datos and not guardar and not especificaciones),
        conflicto=conflicto,
        perfil_id=perfil_id if especificaciones else None,
        status=status,
    )


def _le_faltan_cotizaciones(solicitud, partida) -> bool:
    """Whether presenting would ask this item for its quotes now (the request's total above
    the office's amount, without three that count nor a justification)."""
    partidas = solicitudes.partidas_con_cotizaciones(solicitud=solicitud)
    return any(
        (e.params or {}).get("partida_pk") == partida.pk
        for e in solicitudes.faltan_cotizaciones(partidas=partidas)
    )


def pagina_de_partida(
    request,
    solicitud,
    instancia,
    *,
    form=None,
    especificaciones=None,
    datos=None,
    sin_perfil=False,
    conflicto=False,
    perfil_id=None,
    cotizacion_form=None,
    status=200,
):
    """The item's page: its form, its specifications, the draft's track, its price (the
    reference and the other agencies' purchases) and its market research. Called again by
    the quotes' views with their bound form when they refuse one."""
    if form is None:
        form = PartidaForm(instance=instancia)
        perfil_id = instancia.perfil_id
    if especificaciones is None and perfil_id and instancia and not datos:
        spec = estandares_selectors.perfil_spec(
            perfil=estandares_selectors.perfil_con_requisitos(perfil_id=int(perfil_id))
        )
        especificaciones = EspecificacionesForm(
            None, perfil=spec, prefix="esp", initial=_iniciales(instancia.especificaciones, spec)
        )
    # The result stored at the last save, shown under each requisito until the person types
    # (the page's script then asks partida_evaluar); none once values differ from the saved.
    guardada = instancia.evaluacion if instancia and not datos else None
    # A draft's track with this item as typed (issue 61); the page's script keeps it live.
    via = (
        contexto_via_en_vivo(
            solicitud=solicitud, datos=datos, partida_pk=instancia.pk if instancia else None
        )
        if solicitud.estado == Solicitud.Estado.BORRADOR
        else {}
    )
    return render(
        request,
        "solicitudes/partida.html",
        {
            **via,
            **contexto_precio(
                solicitud=solicitud, datos=datos, instancia=instancia, perfil_id=perfil_id
            ),
            **contexto_cotizaciones(solicitud=solicitud, instancia=instancia, form=cotizacion_form),
            "solicitud": solicitud,
            "form": form,
            "especificaciones": especificaciones,
            "filas": especificaciones.filas_con_resultado(guardada) if especificaciones else (),
            "sin_perfil": sin_perfil,
            "partida": instancia,
            "conflicto": conflicto,
        },
        status=status,
    )


def _iniciales(especificaciones, spec, *, prefijo: str = "") -> dict:
    """Initial values of the specifications form: from a saved item's dict, or (with
    `prefijo`) from what was typed in the form before choosing the profile."""
    inicial = {}
    for req in spec.requisitos:
        if prefijo:
            for clave in (req.clave, f"{req.clave}__unidad"):
                if especificaciones.get(prefijo + clave):
                    inicial[clave] = especificaciones.get(prefijo + clave)
            continue
        valor = especificaciones.get(req.clave)
        if isinstance(valor, dict):
            inicial[req.clave] = valor.get("valor")
            inicial[f"{req.clave}__unidad"] = valor.get("unidad")
        elif isinstance(valor, bool):
            inicial[req.clave] = "si" if valor else "no"
        elif valor is not None:
            inicial[req.clave] = valor
    return inicial


@login_required
def anexo_descargar(request, pk, anexo_pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    anexo = get_object_or_404(Anexo, pk=anexo_pk, solicitud=solicitud)
    return FileResponse(
        archivos.anexo_leer(anexo=anexo),
        as_attachment=True,
        filename=anexo.nombre,
        content_type=anexo.content_type,
    )


def contexto_cotizaciones(*, solicitud, instancia, form=None) -> dict:
    """The item's market research (issues 62 and 76): each quote with its price, date and
    validity, whether it counts or why not, and whether it is far from the profile's reference
    (precios.reglas.mercado), the market price by its category's method with the rule
    applied, and whether this request needs three quotes per item."""
    if instancia is None:
        return {"investigacion": None}
    config = ConfiguracionVias.objects.vigentes()
    prefetch_related_objects(
        [instancia], Prefetch("cotizaciones", queryset=Cotizacion.objects.select_related("anexo"))
    )
    referencia = precios_selectors.referencias_de([instancia]).get(
        precios_selectors.clave_de(instancia)
    )
    precio = precios_selectors.precio_de(instancia, referencia=referencia, config=config)
    por_pk = {c.pk: c for c in instancia.cotizaciones.all()}
    unidad, meses = instancia.unidad, instancia.meses
    total = instancia.solicitud.partidas.aggregate(total=Sum(F("cantidad") * F("precio_unitario")))[
        "total"
    ] or Decimal(0)
    return {
        "investigacion": {
            "filas": [
                (por_pk[c.pk], precio_con_unidad(c.precio, unidad, meses), motivo, lejana)
                for c, motivo, lejana in precio.mercado.filas
            ],
            "mercado": precio_con_unidad(precio.mercado.precio, unidad, meses)
            if precio.mercado.precio is not None
            else "",
            "metodo": precio.mercado.regla,
            "ley": precio.ley,
            "atipico_pct": config.precio_atipico_pct,
            "total": total,
            "umbral": config.cotizaciones_umbral,
            "exigidas": reglas.cotizaciones_exigidas(
                total=total, umbral=config.cotizaciones_umbral
            ),
            "editable": solicitud.estado in EDITABLE,
            "form": form or CotizacionForm(),
        },
        "precio_tecleado": precio_con_unidad(instancia.precio_unitario, unidad, meses),
    }
