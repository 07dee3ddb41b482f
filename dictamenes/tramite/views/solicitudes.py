"""Pages of a request. Each POST calls one service; refusals come back in Spanish, with a
4xx status and what the person typed still in the form."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dictamenes import exceptions
from dictamenes.comun.paginacion import PaginadorEstimado
from dictamenes.models import (
    Area,
    Ente,
    Resultado,
    Solicitud,
)
from dictamenes.models.contratos import TopeDeContratos
from dictamenes.organizacion.selectors import usuarios
from dictamenes.tramite.filtros import ListaSolicitudesFilter
from dictamenes.tramite.forms.contrato import ContratoForm
from dictamenes.tramite.forms.firma import (
    CancelacionForm,
    EfirmaForm,
    PropuestaRectificacionForm,
    RectificacionForm,
)
from dictamenes.tramite.forms.pasos import (
    AdmisionForm,
    CierreForm,
    EstrategicaForm,
    RevisionAreaForm,
    TextoForm,
)
from dictamenes.tramite.forms.solicitud import AnexoForm, SolicitudForm
from dictamenes.tramite.selectors import access, historial, pasos, tramite
from dictamenes.tramite.selectors import acciones as acciones_selectors
from dictamenes.tramite.selectors import decisiones as decisiones_selectors
from dictamenes.tramite.selectors import precios as precios_selectors
from dictamenes.tramite.selectors.vias import fracciones_de, via_de_solicitud
from dictamenes.tramite.services import decisiones as decisiones_servicio
from dictamenes.tramite.services import solicitudes

POR_PAGINA = 25


def mensaje_de(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("No tiene permiso para esta acción.")


CATALOGO_S = 300


def _catalogo(clave, modelo, *campos) -> list[tuple]:
    """A catalogue's rows (those fields, in the model's order), kept CATALOGO_S seconds."""
    return cache.get_or_set(clave, lambda: list(modelo.objects.values_list(*campos)), CATALOGO_S)


@login_required
def lista(request):
    # A value a filter cannot read (NaN, 1e309, "١٢") answers 400 with its message.
    filtro = ListaSolicitudesFilter(
        request.GET,
        queryset=tramite.solicitudes_visibles(usuario=request.user).select_related("ente"),
    )
    qs = filtro.qs
    pagina = PaginadorEstimado(tramite.abiertas_primero(qs), POR_PAGINA).get_page(
        request.GET.get("p")
    )
    es_requirente = not usuarios.es_interno(usuario=request.user)
    return render(
        request,
        "solicitudes/lista.html",
        {
            "pagina": pagina,
            "filtros": filtro.valores(),
            "errores_filtros": filtro.mensajes(),
            "es_requirente": es_requirente,
            # Catalogues for the filters, kept five minutes: they change a few times a year.
            "entes": [] if es_requirente else _catalogo("lista:entes", Ente, "pk", "siglas"),
            "estados": Solicitud.Estado.choices,
            "tipos": Solicitud._meta.get_field("tipo_operacion").choices,
            "resultados": Resultado.choices,
            "areas": [] if es_requirente else _catalogo("lista:areas", Area, "clave", "nombre"),
        },
        status=filtro.estado_http,
    )


@login_required
def nueva(request):
    ente = solicitudes.ente_de_quien_crea(usuario=request.user)
    form = SolicitudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            solicitud = solicitudes.solicitud_crear(usuario=request.user, datos=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, mensaje_de(exc))
        else:
            messages.success(request, _("Borrador creado. Agregue sus partidas y anexos."))
            return redirect("solicitudes:detalle", pk=solicitud.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "solicitudes/formulario.html", {"form": form, "ente": ente}, status=status
    )


def conflicto_de_version(form, exc, version_actual) -> None:
    """Keep what the person typed, say who changed what, and carry the current version so
    that saving again, after comparing, is a deliberate overwrite."""
    form.add_error(None, mensaje_de(exc))
    if version_actual is not None:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(version_actual)


@login_required
def editar(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not access.es_requirente_de(usuario=request.user, solicitud=solicitud):
        # Only the agency edits its request; the form is not offered to anyone else.
        raise Http404
    form = SolicitudForm(
        request.POST or None,
        instance=None,
        initial={campo: getattr(solicitud, campo) for campo in solicitudes.CAMPOS_SOLICITUD}
        | {"version": solicitud.version},
    )
    conflicto = False
    if request.method == "POST" and form.is_valid():
        try:
            solicitudes.solicitud_actualizar(
                solicitud=solicitud,
                usuario=request.user,
                datos=form.cleaned_data,
                version=form.cleaned_data.get("version"),
            )
        except exceptions.Conflicto as exc:
            conflicto = True
            solicitud.refresh_from_db()
            conflicto_de_version(form, exc, solicitud.version)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, mensaje_de(exc))
        else:
            return redirect("solicitudes:detalle", pk=solicitud.pk)
    status = 409 if conflicto else 400 if request.method == "POST" else 200
    return render(
        request,
        "solicitudes/formulario.html",
        {"form": form, "solicitud": solicitud, "ente": solicitud.ente, "conflicto": conflicto},
        status=status,
    )


# What the history shows of an event's data, each key always there: a key missing from a
# dict costs the template an exception and a dir() of the dict, four times an event.
_DATOS_HISTORIAL = {
    "condiciones": "",
    "motivos": "",
    "detalle": (),
    "partidas": (),
    "sha256": "",
    "pdf_sha256": "",
}


def _historial(eventos) -> list[tuple]:
    """Each event with its data for the page, the tracked conditions (a list) in words."""
    filas = [
        (e, _DATOS_HISTORIAL | (e.datos if isinstance(e.datos, dict) else {})) for e in eventos
    ]
    if any(isinstance(datos["condiciones"], list) for _e, datos in filas):
        areas = historial.nombres_de_areas()
        for _e, datos in filas:
            datos["condiciones"] = historial.condiciones_legibles(datos["condiciones"], areas)
    return filas


def _fecha_iso(texto):
    try:
        return datetime.datetime.fromisoformat(texto) if texto else None
    except (TypeError, ValueError):
        return None


def _area_elegida(form, pregunta) -> str:
    """The area a reviewer of several chose in the form sent back, or the first offered."""
    datos = form.data if form is not None else {}
    return datos.get(f"pet-{pregunta.clave}-area", pregunta.clave)


def _opiniones_vigentes(revisiones, partidas) -> list[dict]:
    """Each area's latest review with its opinion of each item: what the strategic decision
    rests on, read from what the page already loaded."""
    ultimas = {}
    for revision in revisiones:
        if revision.area_id not in ultimas or revision.ronda > ultimas[revision.area_id].ronda:
            ultimas[revision.area_id] = revision
    return [
        {
            "revision": revision,
            "partidas": [
                (partida, opinion)
                for partida in partidas
                for opinion in partida.opiniones.all()
                if opinion.revision_id == revision.pk
            ],
        }
        for revision in sorted(ultimas.values(), key=lambda r: r.area.nombre)
    ]


def _contexto_detalle(request, solicitud, **formularios):
    """The request's page: what the selector says the person may do, as forms (the bound
    ones of a refused POST, with their errors, in place of fresh ones).

    Each table is read once: the events, the reviews and the human steps feed the history,
    the opinions, the open steps and the stepper alike; the items give the sum of amounts."""
    eventos = list(solicitud.eventos.select_related("usuario"))
    revisiones = list(
        solicitud.revisiones.select_related("area", "revisor").prefetch_related(
            tramite.cubiertas_de(solicitud=solicitud)
        )
    )
    puede = acciones_selectors.solicitud_acciones(
        usuario=request.user, solicitud=solicitud, eventos=eventos, revisiones=revisiones
    )
    # Each item's price beside it (issue 62): three queries whatever the number of items.
    precios = precios_selectors.precios_de_partidas(solicitud=solicitud, partidas=puede["partidas"])
    acciones = dict(puede["acciones"])
    if "anexo" in acciones:
        acciones["anexo"] = formularios.get("anexo") or AnexoForm()
    if "presentar" in acciones:
        # What presenting would refuse, asked of the service itself, before the person tries.
        acciones["faltantes"] = [
            (error.code, " ".join(error.messages))
            for error in solicitudes.faltantes_para_presentar(solicitud=solicitud)
        ]
    if "subsanar" in acciones:
        # What the mesa asked for and by when, above the means to fix it.
        prevencion = next((e for e in reversed(eventos) if e.tipo == "prevencion"), None)
        if prevencion is not None:
            acciones["prevencion"] = prevencion
            acciones["prevencion_vence"] = _fecha_iso(prevencion.datos.get("vence"))
        acciones["subsanar"] = formularios.get("subsanar") or TextoForm(
            etiqueta=_("Describa cómo atendió la prevención")
        )
    if "admision" in acciones:
        acciones["admision"] = formularios.get("admision") or AdmisionForm()
    if "revisiones" in acciones:
        acciones["revisiones"] = [
            {
                "area": r["area"],
                "form": formularios.get(f"revision_{r['area'].clave}")
                or RevisionAreaForm(partidas=r["partidas"], prefix=r["area"].clave),
                "abierta": r["abierta"],
                "titulo": r["titulo"],
                # Asked as the area of who asks (issue 47): on the fast track's single
                # review, not necessarily the review's own.
                "pregunta": r["pregunta"],
                # A reviewer of several of the areas it covers chooses (issue 61).
                "preguntas": r["preguntas"] if len(r["preguntas"]) > 1 else [],
                "elegida": _area_elegida(
                    formularios.get(f"peticion_{r['pregunta'].clave}"), r["pregunta"]
                ),
                "peticion": formularios.get(f"peticion_{r['pregunta'].clave}")
                or TextoForm(
                    etiqueta=_("Información que necesita del requirente")
                    if (r["pregunta"] == r["area"] and not r["titulo"]) or len(r["preguntas"]) > 1
                    else _("Información que necesita del requirente (la pide %(area)s)")
                    % {"area": r["pregunta"]},
                    prefix=f"pet-{r['pregunta'].clave}",
                ),
            }
            for r in acciones["revisiones"]
        ]
        for r in acciones["revisiones"]:
            # A refused review's form was built from items read again: the same price lines.
            for partida in r["form"].partidas:
                partida.precio = precios.get(partida.pk)
    if "estrategica" in acciones:
        from dictamenes.planeacion.services.programa import consolidaciones_de

        acciones["consolidacion"] = consolidaciones_de(solicitud=solicitud)
        acciones["opiniones_areas"] = _opiniones_vigentes(revisiones, puede["partidas"])
        acciones["estrategica"] = formularios.get("estrategica") or EstrategicaForm(
            areas=acciones["estrategica"], partidas=puede["partidas"]
        )
        # The page's items, with their opinions already loaded, for the per-item rows.
        acciones["estrategica"].partidas = puede["partidas"]
        # «Reducir a la referencia» (issue 62), where it applies and the catalogue's reason
        # for it is active.
        motivo = acciones["estrategica"].motivos_rechazo.get(decisiones_servicio.MOTIVO_PRECIO)
        for partida in puede["partidas"]:
            reduccion = decisiones_servicio.reduccion_a_referencia(
                partida=partida, precio=partida.precio
            )
            ofrecida = reduccion is not None and motivo is not None
            partida.reduccion = reduccion | {"motivo_nombre": motivo.nombre} if ofrecida else None
        acciones["reducibles"] = any(p.reduccion for p in puede["partidas"])
    if "firma" in acciones:
        acciones["firma_form"] = formularios.get("firma") or EfirmaForm()
    if "cancelar" in acciones:
        acciones["cancelar"] = formularios.get("cancelar") or CancelacionForm(prefix="cancelar")
    if "rectificar" in acciones:
        acciones["rectificar_form"] = formularios.get("rectificar") or RectificacionForm(
            prefix="rectificar", initial={"propuesta": acciones["rectificar"].pk}
        )
    decisiones = _decisiones(solicitud, puede["dictamen"], puede["partidas"])
    if "contrato" in acciones:
        acciones |= _contrato(acciones["contrato"], formularios.get("contrato"), decisiones)
    if "proponer" in acciones:
        acciones["proponer"] = formularios.get("proponer") or PropuestaRectificacionForm(
            prefix="proponer", initial=acciones["proponer"]
        )
    # Closing the request early is offered apart from "what you have to do": it is always
    # possible while the request is under way, and never anyone's pending step.
    cierre = {
        clave: formularios.get(clave) or CierreForm(prefix=clave)
        for clave in ("desistir", "cancelar_solicitud")
        if acciones.pop(clave, False)
    }
    # The mesa's move to the full track goes in the box that says the track (issue 36).
    # A draft says which track it would take if presented now, by the rule presentation
    # applies (issue 47); each save of its data or items renders the page again.
    via_prevista = (
        via_de_solicitud(solicitud=solicitud)
        if solicitud.estado == Solicitud.Estado.BORRADOR
        else None
    )
    via_form = None
    if acciones.pop("via_completa", False):
        via_form = formularios.get("via") or TextoForm(
            prefix="via", etiqueta=_("Motivo para pasarla a la vía completa")
        )
    return {
        "solicitud": solicitud,
        "partidas": puede["partidas"],
        "anexos": list(solicitud.anexos.select_related("subido_por")),
        "eventos": eventos,
        "historial": _historial(eventos),
        # Events are only ever appended: the rendered history is kept until the next one.
        "historial_version": f"{len(eventos)}-{eventos[-1].pk if eventos else 0}",
        "peticiones": puede["peticiones"],
        "revisiones": revisiones,
        "tareas": puede["tareas"],
        "aviso_montos": aviso_montos(
            tramite.montos_de(solicitud=solicitud, partidas=puede["partidas"])
        ),
        "tomables": puede["tomables"],
        "acciones": acciones,
        # Only what happens next, nothing to do: the box is headed «Lo que sigue».
        "solo_espera": set(acciones) == {"espera"},
        # The agency's own steps (presenting, correcting a prevention) read as hers.
        "pasos_de_la_dependencia": pasos.DE_LA_DEPENDENCIA,
        "cierre": cierre,
        "via_form": via_form,
        "via_prevista": via_prevista,
        # Possible split purchases (issue 48), for the mesa and the strategic reviewer.
        "fracciones": fracciones_de(solicitud=solicitud),
        "es_requirente": puede["es_requirente"],
        "dictamenes": puede["dictamenes"],
        "dictamen": puede["dictamen"],
        "decisiones": decisiones,
        "puede_expediente": puede["puede_expediente"],
        "pasos": pasos.pasos_de(
            solicitud=solicitud,
            humanas=puede["humanas"],
            eventos=eventos,
            areas={p.perfil.categoria.area.clave for p in puede["partidas"]},
            dictamenes=puede["dictamenes"],
            via=via_prevista.via if via_prevista else None,
        ),
    }


def _decisiones(solicitud, dictamen, partidas):
    """What the dictamen in force approved of each item, beside what was asked: each item of
    the page gets its decision as `.dictaminada` for the items' table."""
    if dictamen is None:
        return None
    leidas = decisiones_selectors.decisiones_de_solicitud(
        solicitud=solicitud, resultado=dictamen.resultado, partidas=partidas
    )
    for decision in leidas.partidas if leidas else ():
        decision.partida.dictaminada = decision
    return leidas


@login_required
def detalle(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    return render(request, "solicitudes/detalle.html", _contexto_detalle(request, solicitud))


# The service's refusals that concern one field of the form that was sent (by their code):
# shown beside that field, not only in the banner at the top of the page.
CAMPO_DEL_RECHAZO = {
    "sin_faltantes": "faltantes",
    "sin_respuesta": "texto",
    "sin_pregunta": "texto",
    "sin_resultado": "resultado",
    "condiciones_sin_aprobadas": "condiciones",
    "sin_motivos": "motivos",
    "sin_motivo": "motivos",
    "sin_condiciones": "condiciones",
    "area_ajena": "area",
}


def _contrato(dictamen, form, decisiones) -> dict:
    """The contract form under the dictamen in force (issue 61): what the dictamen approved
    and what is already contracted under it (its contracts, read with the page), what the
    amount typed would make, and whether a contract is due (none yet, the dictamen valid):
    then the form is open."""
    form = form or ContratoForm(prefix="contrato")
    registrados = dictamen.contratos.all()
    tope = TopeDeContratos(
        aprobado=decisiones_selectors.tope_de_contratos(decisiones, solicitud=dictamen.solicitud),
        contratado=sum((c.monto for c in registrados), Decimal(0)),
    )
    escrito = form.cleaned_data.get("monto") if hasattr(form, "cleaned_data") else None
    return {
        "contrato_form": form,
        "contrato_tope": tope,
        "contrato_propuesta": tope.con(escrito),
        "contrato_debido": not registrados and dictamen.vigencia_hasta >= timezone.localdate(),
    }


def _rechazo_en_el_formulario(form, exc) -> None:
    """A valid form the service refused carries the refusal: on its field when the code
    names one, else above the form's fields. The e.firma forms say their own."""
    if isinstance(form, EfirmaForm) or not isinstance(exc, ValidationError):
        return
    if not form.is_bound or not form.is_valid():
        return  # the form's own errors are already beside its fields
    campo = CAMPO_DEL_RECHAZO.get(getattr(exc, "code", None))
    form.add_error(campo if campo in form.fields else None, mensaje_de(exc))


def rechazo(request, solicitud, exc, **formularios):
    """Render the page again with the refusal and the bound form that caused it."""
    messages.error(request, mensaje_de(exc))
    for form in formularios.values():
        _rechazo_en_el_formulario(form, exc)
    if isinstance(exc, exceptions.Conflicto):
        status = 409  # someone else concluded or changed it first; nothing was written
    else:
        status = 403 if isinstance(exc, PermissionDenied) else 400
    return render(
        request,
        "solicitudes/detalle.html",
        _contexto_detalle(request, solicitud, **formularios),
        status=status,
    )


def ejecutar(request, solicitud, accion, exito: str, **formularios):
    try:
        accion()
    except (ValidationError, PermissionDenied) as exc:
        return rechazo(request, solicitud, exc, **formularios)
    messages.success(request, exito)
    return redirect("solicitudes:detalle", pk=solicitud.pk)


def aviso_montos(montos) -> str:
    if not montos["diferencia"] or not montos["hay_partidas"]:
        return ""
    return _(
        "El monto total declarado (%(declarado)s) no coincide con la suma de las partidas "
        "(%(partidas)s): la diferencia es de %(diferencia)s."
    ) % {
        "declarado": f"${montos['declarado']:,.2f}",
        "partidas": f"${montos['partidas']:,.2f}",
        "diferencia": f"${abs(montos['diferencia']):,.2f}",
    }
