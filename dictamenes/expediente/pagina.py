"""The request's page (templates/solicitudes/detalle.html), which every action on a request
comes back to: its context (`contexto_detalle`), and the two ways an action ends on it,
`ejecutar` (done: to the page, with a message) and `rechazo` (refused: the page again, with the
refusal beside the form that was sent and a 4xx status).

The forms of the actions other capabilities own after the dictamen (emisión's signing,
cancelling and rectifying, seguimiento's contract) come from what the registry declares
(expediente.registro: its SECCIONES and ACCIONES), imported here in the open: the page sits
above them."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dictamenes.comun import cache, consultas, widgets
from dictamenes.comun.vistas import estado_del_rechazo, mensaje_de
from dictamenes.expediente import anexos_lista, precio_linea, registro
from dictamenes.models import Anexo, ConfiguracionVias, EventoAuditoria, RevisionArea, Solicitud
from dictamenes.precios.selectors import partidas as precios_selectors
from dictamenes.precios.selectors import version_en_sql as version_referencias_en_sql
from dictamenes.tramite.forms.pasos import (
    AdmisionForm,
    CierreForm,
    EstrategicaForm,
    RevisionAreaForm,
    TextoForm,
)
from dictamenes.tramite.forms.solicitud import AnexoForm
from dictamenes.tramite.selectors import acciones as acciones_selectors
from dictamenes.tramite.selectors import decisiones as decisiones_selectors
from dictamenes.tramite.selectors import historial, motivos, pasos
from dictamenes.tramite.selectors.areas import cubiertas_cargar
from dictamenes.tramite.selectors.montos import montos_de
from dictamenes.tramite.selectors.vias import fracciones_de, via_de_solicitud
from dictamenes.tramite.services import decisiones as decisiones_servicio
from dictamenes.tramite.services import solicitudes

# What the history shows of an event's data, each key always there: a key missing from a
# dict costs the template an exception and a dir() of the dict, four times an event.
_DATOS_HISTORIAL = {
    "condiciones": "",
    "motivos": "",
    "detalle": (),
    "partidas": (),
    # A delivery's units received of each approved item (seguimiento.services.entregas).
    "recibido": (),
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


class _DibujoPerezoso:
    """An item's price line (solicitudes/_precio_partida.html, drawn in Python by
    expediente.precio_linea) drawn the first time a page prints it, and only then: it is
    printed by two fragments of the page (the items' table and the strategic decision), both
    drawn again after each change of the data and neither while they are kept."""

    def __init__(self, partida, solicitud):
        self._partida, self._solicitud, self._dibujo = partida, solicitud, None

    def __html__(self) -> str:
        if self._dibujo is None:
            self._dibujo = mark_safe(precio_linea.dibujar(self._partida, self._solicitud))  # noqa: S308
        return self._dibujo

    __str__ = __html__


class _AnexosPerezosos:
    """The request's attachments' list (solicitudes/_anexos.html, drawn in Python by
    expediente.anexos_lista), read and drawn the first time the page prints it: not at all
    while its fragment is kept (per version of the data)."""

    def __init__(self, solicitud):
        self._solicitud, self._dibujo = solicitud, None

    def __html__(self) -> str:
        if self._dibujo is None:
            anexos = consultas.instancias(_anexos_de, self._solicitud.pk)
            self._dibujo = mark_safe(anexos_lista.dibujar(anexos, self._solicitud))  # noqa: S308
        return self._dibujo

    __str__ = __html__


def _dibujados(form) -> SimpleLazyObject:
    """The strategic decision's own fields (but the area's select, a template of Django's) as
    _campo.html draws them, drawn in Python (widgets.CampoDibujado) by _decision_campos.html:
    made when its fragment is drawn, not while it is kept (the form makes its fields on their
    first use)."""
    return SimpleLazyObject(
        lambda: {
            "accion": widgets.CampoDibujado(form["accion"]),
            "motivos": widgets.CampoDibujado(form["motivos"]),
            "condiciones": widgets.CampoDibujado(form["condiciones"], "campo--si-decide"),
        }
    )


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


def _fragmentos(eventos, precios) -> str | None:
    """The key under which the page's heaviest fragments, the items' table and the strategic
    decision's items, are rendered once per version of the data (the template's {% cache %};
    None without items): the data's version (read with the events, cache.version_en_sql),
    today (the quotes' validity, the prices' window) and each reference's date, since the
    daily run of the references (manage.py precios_recalcular) writes no event."""
    if not precios or not eventos:
        return None
    referencias = sorted(
        (p.referencia.pk, p.referencia.calculada_el.isoformat())
        for p in precios.values()
        if p.referencia is not None
    )
    return f"{eventos[0].version_datos}|{timezone.localdate()}|{referencias}"


def _eventos_de(solicitud: int):
    """A request's events with who wrote each, and the data's version (and the price
    references' own: the daily run writes no event) read with them; compiled once
    (comun.consultas)."""
    return (
        EventoAuditoria.objects.filter(solicitud_id=solicitud)
        .select_related("usuario")
        .annotate(
            version_datos=cache.version_en_sql(),
            version_referencias=version_referencias_en_sql(),
        )
    )


def _revisiones_de(solicitud: int):
    """A request's area reviews with their area and reviewer, in the model's order (by area
    name, then round); compiled once (comun.consultas: the ORM took longer to build this
    query than the database to answer it)."""
    return (
        RevisionArea.objects.filter(solicitud_id=solicitud)
        .select_related("area", "revisor")
        .order_by("area__nombre", "ronda")
    )


def _anexos_de(solicitud: int):
    """A request's attachments with who uploaded each, only what their list prints
    (anexos_lista, as _anexos.html); compiled once (comun.consultas: Django compiled it again
    on every first visit after a change)."""
    return (
        Anexo.objects.filter(solicitud_id=solicitud)
        .select_related("subido_por")
        .only(
            "tipo",
            "nombre",
            "tamano",
            "sha256",
            "advertencias",
            "subido_por__first_name",
            "subido_por__last_name",
        )
    )


def contexto_detalle(request, solicitud, *, faltantes=None, **formularios) -> dict:
    """The request's page (templates/solicitudes/detalle.html): what the selector
    (acciones.solicitud_acciones) says the person may do, as forms; `formularios`, by the
    action's key, are the bound ones of a refused POST, shown with their errors in place of
    fresh ones. The forms of emisión's and seguimiento's actions come from their own
    capability (registro.SECCIONES and ACCIONES). `faltantes`: what a refused presentation
    already found missing (solicitudes.FaltaParaPresentar), not asked again.

    Each table is read once: the events, the reviews and the human steps feed the history,
    the opinions, the open steps and the stepper alike; the items give the sum of amounts."""
    eventos = consultas.instancias(_eventos_de, solicitud.pk)
    para_la_solicitud = EventoAuditoria._meta.get_field("solicitud")
    for evento in eventos:
        para_la_solicitud.set_cached_value(evento, solicitud)
    revisiones = consultas.instancias(_revisiones_de, solicitud.pk)
    para_la_revision = RevisionArea._meta.get_field("solicitud")
    for revision in revisiones:
        para_la_revision.set_cached_value(revision, solicitud)
    cubiertas_cargar(revisiones, solicitud=solicitud)
    version = eventos[0].version_datos if eventos else None
    puede = acciones_selectors.solicitud_acciones(
        usuario=request.user,
        solicitud=solicitud,
        eventos=eventos,
        revisiones=revisiones,
        version=version,
    )
    # Each item's price beside it (issue 62): the references in one query whatever the number
    # of items; the quotes came with the items, and the office's configuration (a new version
    # of it writes an event) is kept per version of the data.
    precios = precios_selectors.precios_de_partidas(
        solicitud=solicitud,
        partidas=puede["partidas"],
        config=None
        if version is None
        else cache.memorizar_en(
            version, "vias-vigentes", calcular=ConfiguracionVias.objects.vigentes
        ),
        versiones=None if version is None else (version, eventos[0].version_referencias),
    )
    for partida in puede["partidas"]:
        partida.precio_html = _DibujoPerezoso(partida, solicitud)
    acciones = dict(puede["acciones"])
    if "anexo" in acciones:
        acciones["anexo"] = formularios.get("anexo") or AnexoForm()
    if "presentar" in acciones:
        # What presenting would refuse, asked of the service itself, before the person tries.
        # The item a missing thing belongs to, when it does: its link goes there (issue 76).
        acciones["faltantes"] = [
            (error.code, " ".join(error.messages), (error.params or {}).get("partida_pk"))
            for error in (
                solicitudes.faltantes_para_presentar(solicitud=solicitud)
                if faltantes is None
                else faltantes
            )
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

        acciones["consolidacion"] = consolidaciones_de(solicitud=solicitud, version=version)
        # Its notices are rendered once for what they say ({% cache %} in detalle.html).
        acciones["consolidacion_huella"] = cache.huella_del_contenido(acciones["consolidacion"])
        # Read where it is rendered: not at all while its fragment is kept (per version of the
        # data). The consolidations stay out of it: theirs also ends when an item leaves
        # their window.
        acciones["opiniones_areas"] = SimpleLazyObject(
            lambda: _opiniones_vigentes(revisiones, puede["partidas"])
        )
        acciones["estrategica"] = formularios.get("estrategica") or EstrategicaForm(
            areas=acciones["estrategica"],
            partidas=puede["partidas"],
            # The catalogue of reasons, kept per version (motivo_guardar writes an event).
            motivos_rechazo=None
            if version is None
            else cache.memorizar_en(
                version, "motivos-rechazo", calcular=lambda: list(motivos.motivos_publicados())
            ),
        )
        # The page's items, with their opinions already loaded, for the per-item rows.
        acciones["estrategica"].partidas = puede["partidas"]
        acciones["estrategica"].dibujados = _dibujados(acciones["estrategica"])
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
    decisiones = _decisiones(solicitud, puede["dictamen"], puede["partidas"])
    # The registered actions the capability that owns each offers this person (the contract),
    # for the entries each draws from its offer (`en_la_pagina`); the conditions' rows are
    # their fragment's, which asks the same predicates (_condiciones.html).
    for accion in registro.ACCIONES:
        if (
            accion.ofrecer
            and accion.en_la_pagina
            and (
                oferta := accion.ofrecer(
                    usuario=request.user,
                    solicitud=solicitud,
                    dictamen=puede["dictamen"],
                    es_requirente=puede["es_requirente"],
                )
            )
            is not None
        ):
            acciones[accion.prefijo] = oferta
    # The forms of the sections other capabilities declare (signing, the contract).
    ofrecidas = dict(acciones)
    for seccion in registro.SECCIONES:
        acciones |= seccion(ofrecidas, formularios, decisiones=decisiones)
    # The registered actions' entries, and their fragments under the dictamen where they have
    # some (the contract's form).
    bajo_el_dictamen = []
    for accion in registro.ACCIONES:
        if accion.en_la_pagina and (
            entradas := accion.en_la_pagina(ofrecidas, formularios, decisiones=decisiones)
        ):
            acciones |= entradas
            if accion.plantilla:
                bajo_el_dictamen.append(accion.plantilla)
    # The request's signs (issue 80) are their own section, for whoever reads them, whether or
    # not they have something to do on the page.
    senales = acciones.pop("senal", None)
    for senal in senales or ():
        # Its form's fields as _campo.html draws them, drawn in Python: the section is drawn
        # on every visit, one include of that template per field.
        if senal["form"] is not None:
            senal["campos"] = [widgets.CampoDibujado(campo) for campo in senal["form"]]
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
    montos = montos_de(solicitud=solicitud, partidas=puede["partidas"])
    via_form = None
    if acciones.pop("via_completa", False):
        via_form = formularios.get("via") or TextoForm(
            prefix="via", etiqueta=_("Motivo para pasarla a la vía completa")
        )
    return {
        "solicitud": solicitud,
        # A refused verification of a condition's evidence: its errors and what was typed.
        "condicion_rechazada": formularios.get("verificar"),
        "partidas": puede["partidas"],
        "fragmentos": _fragmentos(eventos, precios),
        # The items' table links each item to its form for who may edit them.
        "puede_editar": bool(acciones.get("editar")),
        # Read where the list is rendered: not at all while its fragment is kept.
        "anexos_html": _AnexosPerezosos(solicitud),
        "eventos": eventos,
        "historial": _historial(eventos),
        # Events are only ever appended: the rendered history is kept until the next one.
        "historial_version": f"{len(eventos)}-{eventos[-1].pk if eventos else 0}",
        "peticiones": puede["peticiones"],
        "revisiones": revisiones,
        "tareas": puede["tareas"],
        # The declared total and the items' sum, named apart in the header (issue 78):
        # «monto estimado» is the figure the agency typed, never the sum.
        "montos": montos,
        "aviso_montos": aviso_montos(montos),
        "tomables": puede["tomables"],
        "acciones": acciones,
        # The registered actions' fragments under the dictamen (the contract's form).
        "bajo_el_dictamen": bajo_el_dictamen,
        # Only what happens next, nothing to do: the box is headed «Lo que sigue».
        "solo_espera": set(acciones) == {"espera"},
        # The agency's own steps (presenting, correcting a prevention) read as hers.
        "pasos_de_la_dependencia": pasos.DE_LA_DEPENDENCIA,
        "cierre": cierre,
        "senales": senales,
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


# The service's refusals that concern one field of the form that was sent (by their code):
# shown beside that field, not only in the banner at the top of the page.
CAMPO_DEL_RECHAZO = {
    "sin_faltantes": "faltantes",
    "sin_respuesta": "texto",
    "sin_pregunta": "texto",
    "sin_resultado": "resultado",
    "condiciones_sin_aprobadas": "condiciones",
    "sin_motivos": "motivos",
    "sin_motivo": ("motivos", "motivo", "texto"),
    # A reason short of the rule of every reason (estandares.motivos): beside the form's
    # reason, whichever it is.
    "motivo_sin_palabras": ("motivos", "motivo", "faltantes", "texto"),
    "sin_condiciones": "condiciones",
    "area_ajena": "area",
}


def _rechazo_en_el_formulario(form, exc) -> None:
    """A valid form the service refused carries the refusal: on its field when the code
    names one, else above the form's fields. (The e.firma forms never come here: emision's
    views say their refusals themselves.)"""
    if not isinstance(exc, ValidationError):
        return
    if not form.is_bound or not form.is_valid():
        return  # the form's own errors are already beside its fields
    campos = CAMPO_DEL_RECHAZO.get(getattr(exc, "code", None)) or ()
    campos = (campos,) if isinstance(campos, str) else campos
    campo = next((c for c in campos if c in form.fields), None)
    form.add_error(campo, mensaje_de(exc))


def rechazo(request, solicitud, exc, **formularios):
    """Render the page again with the refusal and the bound form that caused it."""
    messages.error(request, mensaje_de(exc))
    for form in formularios.values():
        _rechazo_en_el_formulario(form, exc)
    return render(
        request,
        "solicitudes/detalle.html",
        # What the refused service already read is not read again (a presentation's list of
        # what is missing): only the page's other parts are built.
        contexto_detalle(
            request, solicitud, faltantes=getattr(exc, "faltantes", None), **formularios
        ),
        status=estado_del_rechazo(exc),
    )


def ejecutar(request, solicitud, accion, exito: str, **formularios):
    """Run `accion()`, a service's door: done, to the request's page with `exito`; refused,
    the page again with the refusal (`rechazo`)."""
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
