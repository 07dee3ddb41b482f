"""Who may do what on a request's page: its open steps as the person sees them (theirs, to
take, to reassign), what the agency has to do or what comes next, and which step forms the
person gets. The page builds its forms from this; the services enforce the same rules when
the form is sent."""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from dictamenes.comun import cache, consultas
from dictamenes.flow_port import Nodo
from dictamenes.models import (
    Area,
    Contrato,
    Dictamen,
    Entrega,
    OpinionPartida,
    Partida,
    PeticionInformacion,
    Resultado,
    Solicitud,
    Via,
)
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors import calendario, usuarios
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.precios import selectors as precios_selectors
from dictamenes.separacion.implicados import DECISIONES
from dictamenes.suplencias.selectors import titulares_suplidos
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.areas import (
    area_de_tarea,
    areas_de_tarea,
    areas_que_pregunta,
    areas_revisadas,
    es_revision_unica,
)
from dictamenes.tramite.selectors.estados import CERRADA_ANTES, EDITABLE, EN_TRAMITE
from dictamenes.tramite.selectors.plazos import plazo_de
from dictamenes.tramite.selectors.resoluciones import (
    cierre_de,
    decision_vigente,
    propuesta_pendiente,
)
from dictamenes.tramite.selectors.tareas import (
    TITULO_UNICA,
    abiertas_de,
    candidatos_para,
    tareas_humanas_de,
    titulo_de,
)
from estandares import selectors as estandares_selectors
from estandares.models import Requisito


def _cierre_explicado(*, solicitud, cierre) -> str:
    fecha = f"{timezone.localtime(solicitud.atendida_en):%d/%m/%Y}" if solicitud.atendida_en else ""
    if solicitud.estado == Solicitud.Estado.DESISTIDA:
        texto = _("Su dependencia desistió de esta solicitud el %(fecha)s: se cerró sin dictamen.")
    else:
        texto = _("%(institucion)s canceló esta solicitud el %(fecha)s: se cerró sin dictamen.")
    institucion = con_articulo(textos_vigentes_en_cache().institucion_nombre, mayuscula=True)
    texto = texto % {"fecha": fecha, "institucion": institucion}
    if cierre is not None and cierre.motivo:
        texto += " " + _("Motivo: %(motivo)s") % {"motivo": cierre.motivo}
    return texto + " " + _("Si aún necesita la contratación, presente una nueva solicitud.")


def lo_que_sigue(*, solicitud, tareas, dictamenes, vigente, cierre=None) -> list[str]:
    """For the agency, while the Subsecretaría holds its request: what happens next and by
    when, so that the box of "what you have to do" is never an empty one. Once the request is
    closed early, how and why (`cierre`: its closing event)."""
    Estado = Solicitud.Estado
    if solicitud.estado in CERRADA_ANTES:
        return [_cierre_explicado(solicitud=solicitud, cierre=cierre)]
    if solicitud.estado == Estado.DICTAMINADA:
        if vigente is not None:
            return [
                _("El dictamen está emitido y firmado: puede descargarlo abajo, en «Dictamen».")
            ]
        ultimo = dictamenes[0] if dictamenes else None
        if ultimo is not None and ultimo.cancelado_en:
            return [
                _(
                    "El dictamen %(folio)s se canceló el %(fecha)s: %(motivo)s Ya no respalda la "
                    "contratación; si aún la necesita, presente una nueva solicitud."
                )
                % {
                    "folio": ultimo.folio,
                    "fecha": f"{timezone.localtime(ultimo.cancelado_en):%d/%m/%Y}",
                    "motivo": ultimo.motivo_cancelacion,
                }
            ]
    if solicitud.estado == Estado.DESECHADA:
        return [_("La solicitud se desechó sin dictamen; el motivo está en el historial.")]
    lineas = []
    for t in tareas:
        vence = f"{timezone.localtime(t['vence']):%d/%m/%Y}" if t["vence"] else ""
        nodo = t["nodo"]
        if nodo == Nodo.ADMISION:
            texto = _("La mesa de control revisa que su solicitud esté completa")
        elif nodo == Nodo.REVISION_ESTRATEGICA:
            texto = _("%(unidad)s decide el resultado") % {
                "unidad": con_articulo(
                    textos_vigentes_en_cache().unidad_resuelve_nombre, mayuscula=True
                )
            }
        elif nodo == Nodo.FIRMA:
            texto = _("Falta la firma del dictamen por la persona titular %(unidad)s") % {
                "unidad": con_articulo(textos_vigentes_en_cache().unidad_firma_nombre, "de")
            }
        elif nodo != Nodo.SUBSANAR and es_revision_unica(tarea=t["tarea"]):
            texto = _("%(paso)s: una sola revisión de todas sus partidas contra los estándares") % {
                "paso": t["titulo"]
            }
        elif nodo != Nodo.SUBSANAR:
            texto = _("%(paso)s: el área revisa sus partidas contra los estándares") % {
                "paso": t["titulo"]
            }
        else:
            continue
        if vence:
            texto = _("%(texto)s, a más tardar el %(fecha)s") % {"texto": texto, "fecha": vence}
        lineas.append(f"{texto}.")
    if lineas:
        lineas.append(
            _(
                "Por ahora no le toca hacer nada. Si falta algo o un área necesita información, "
                "se lo pedirán aquí y por correo."
            )
        )
    return lineas


def puede_pasar_a_completa(*, usuario, solicitud) -> bool:
    """The mesa de control may still move a fast-track request to the full track (the rules
    of services.vias.via_pasar_a_completa, asked before the form is offered). Who may is
    separation of duties' (access.impedimento: the mesa's role, never a superuser nor anyone
    of the request's agency)."""
    return (
        solicitud.via == Via.RAPIDA
        and solicitud.estado in (Solicitud.Estado.ADMISION, Solicitud.Estado.PREVENIDA)
        and not access.impedimento(
            usuario=usuario, solicitud=solicitud, accion=access.PASAR_A_COMPLETA
        )
    )


def tareas_de(*, usuario, solicitud, abiertas=None, revisores=None, decisores=None) -> list[dict]:
    """The request's open steps as this person sees them: whose, whether they may take one,
    and, for a head of the role, to whom they may reassign it.

    `abiertas`: the open steps, if the caller already loaded them (tareas.abiertas_de);
    `revisores`, `decisores`: the ids separation of duties asks about (access.impedimento_de),
    if the caller already has them."""
    if abiertas is None:
        abiertas = abiertas_de(tareas_humanas_de(solicitud=solicitud))
    if not abiertas:
        return []
    # Only shows deadlines (sets none): the declared días inhábiles may come from the cache.
    cal = calendario.Calendario.cargar(
        timezone.localdate(), timezone.localdate(), para_mostrar=True
    )
    ahora = timezone.now()
    vista = []
    suplidos = set(titulares_suplidos(usuario=usuario))
    for tarea in abiertas:
        libre = tarea.owner_id is None and access.puede_tomar(usuario=usuario, tarea=tarea)
        de_suplido = tarea.owner_id in suplidos
        vista.append(
            {
                "tarea": tarea,
                "titulo": titulo_de(tarea=tarea, proceso=tarea.process.procesodictamen),
                **plazo_de(tarea=tarea, ahora=ahora, calendario_=cal),
                "mia": tarea.owner_id == usuario.pk or libre or de_suplido,
                # The agency's own step (subsanar) is answered, not taken.
                "tomable": (libre or de_suplido)
                and tarea.flow_task.name != Nodo.SUBSANAR
                and access.puede_atender(
                    usuario=usuario,
                    tarea=tarea,
                    solicitud=solicitud,
                    revisores=revisores,
                    decisores=decisores,
                ),
                "nodo": tarea.flow_task.name,
            }
        )
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.es_jefe:
        for t in vista:
            if access.tiene_rol_de(usuario=usuario, tarea=t["tarea"]):
                t["candidatos"] = list(candidatos_para(tarea=t["tarea"]))
    return vista


def _sobre_el_dictamen(*, usuario, solicitud, vigente, eventos, revisores) -> dict:
    """What the person may do with the dictamen in force: the Dirección General proposes a
    rectification (its new content); a firmante, kept apart from the request as signing
    requires, cancels it or signs the pending proposal. `propuesta` is shown to both."""
    acciones = {}
    propuesta = propuesta_pendiente(dictamen=vigente, eventos=eventos)
    if propuesta is not None:
        propuesta.resultado_etiqueta = Resultado(propuesta.datos["resultado"]).label
    decisores = None
    if eventos is not None:
        decisores = {e.usuario_id for e in eventos if e.tipo in DECISIONES}
    # Cancelling and rectifying keep the same people apart: one answer serves both.
    if usuario.has_perm("dictamenes.firmar_dictamen") and not access.impedimento(
        usuario=usuario,
        solicitud=solicitud,
        accion=access.CANCELAR,
        revisores=revisores,
        decisores=decisores,
    ):
        acciones["cancelar"] = True
        if propuesta is not None:
            acciones["rectificar"] = propuesta
    if not access.impedimento(
        usuario=usuario, solicitud=solicitud, accion=access.PROPONER, revisores=revisores
    ):
        base = (
            {"resultado": propuesta.datos.get("resultado"), "motivo": propuesta.motivo}
            | {c: propuesta.datos.get(c, "") for c in ("motivos", "condiciones")}
            if propuesta is not None
            else {c: getattr(vigente, c) for c in ("resultado", "motivos", "condiciones")}
        )
        acciones["proponer"] = base
    if acciones:
        acciones["propuesta"] = propuesta
    return acciones


_SELECCION_PARTIDAS = (
    "perfil__categoria__area",
    "perfil__categoria__publicacion",
    "decision__motivo",
)


def _partidas_de(solicitud: int):
    return Partida.objects.filter(solicitud_id=solicitud).select_related(*_SELECCION_PARTIDAS)


def _opiniones_de(solicitud: int):
    return OpinionPartida.objects.filter(partida__solicitud_id=solicitud)


def _requisitos_de(solicitud: int):
    return Requisito.objects.filter(
        perfil_id__in=Partida.objects.filter(solicitud_id=solicitud).values("perfil_id")
    )


def _cotizaciones_de(solicitud: int):
    return precios_selectors.cotizaciones_con_huella().filter(partida__solicitud_id=solicitud)


def _peticiones_de(solicitud: int):
    return PeticionInformacion.objects.filter(solicitud_id=solicitud).select_related(
        "area", "pedida_por"
    )


def _dictamenes_de(solicitud: int):
    return (
        Dictamen.objects.filter(solicitud_id=solicitud)
        .select_related("firmado_por", "sustituye")
        .annotate(sustituto_folio=Dictamen.sustituto_folio_sql())  # its status, same query
    )


def _prefetch(objetos, nombre: str, filas, clave: str) -> None:
    """Each of `objetos` gets the rows of `filas` whose `clave` is its pk as its prefetched
    `nombre` (each row pointing back at it), as prefetch_related leaves them: in the rows'
    order, one list shared by the objects of the same pk."""
    por_pk = {}
    for fila in filas:
        por_pk.setdefault(getattr(fila, clave), []).append(fila)
    campo = type(objetos[0])._meta.get_field(nombre).field if objetos else None
    duenos = {o.pk: o for o in objetos}
    for fila in filas:
        campo.set_cached_value(fila, duenos[getattr(fila, clave)])
    for objeto in objetos:
        consulta = getattr(objeto, nombre).get_queryset()
        consulta._result_cache = por_pk.get(objeto.pk, [])
        consulta._prefetch_done = True
        objeto.__dict__.setdefault("_prefetched_objects_cache", {})[nombre] = consulta


def _partidas_compiladas(solicitud) -> list:
    """The page's items with their opinions, profile requirements and quotes (the hash of
    their files), as _datos_de's prefetch_related reads them, in four queries compiled once
    (comun.consultas): Django compiled the items' query and each prefetch's again after every
    change of the data, ~20 ms of CPU for ten items, more than the database took."""
    partidas = consultas.instancias(_partidas_de, solicitud.pk)
    if not partidas:
        return partidas
    for partida in partidas:
        partida.solicitud = solicitud
    _prefetch(
        partidas, "opiniones", consultas.instancias(_opiniones_de, solicitud.pk), "partida_id"
    )
    _prefetch(
        [p.perfil for p in partidas],
        "requisitos",
        consultas.instancias(_requisitos_de, solicitud.pk),
        "perfil_id",
    )
    _prefetch(
        partidas, "cotizaciones", consultas.instancias(_cotizaciones_de, solicitud.pk), "partida_id"
    )
    return partidas


def _datos_de(*, solicitud, revisiones) -> tuple[list, list, list]:
    """The request's items (with their opinions, profile, requirements, declarations and
    quotes), its
    questions to the agency and its dictámenes (with their contracts): what every reader of
    its page sees alike."""
    if revisiones is not None:
        partidas = _partidas_compiladas(solicitud)
        peticiones = consultas.instancias(_peticiones_de, solicitud.pk)
        for peticion in peticiones:
            peticion.solicitud = solicitud
    else:
        partidas = list(
            solicitud.partidas.select_related(*_SELECCION_PARTIDAS).prefetch_related(
                "opiniones__revision__area",
                "opiniones__revision__cubre",
                "perfil__requisitos",
                # Each item's price beside it (precios.selectors.partidas), its quotes with
                # the hash of their files, which each one counts by (precios.huellas_de).
                Prefetch("cotizaciones", queryset=precios_selectors.cotizaciones_con_huella()),
            )
        )
        peticiones = list(solicitud.peticiones.select_related("area", "pedida_por"))
    for partida in partidas:
        # What the requester wrote for each declaration: every reader of the request sees it.
        partida.declaraciones = estandares_selectors.declaraciones_de(partida=partida)
    # Who checked each contract against its document (issue 76), in the same query; its
    # deliveries with their acta (issue 80), one query more only when there are contracts.
    contratos = Prefetch(
        "contratos",
        queryset=Contrato.objects.select_related("verificado_por").prefetch_related(
            Prefetch("entregas", queryset=Entrega.objects.select_related("anexo"))
        ),
    )
    if revisiones is not None:
        dictamenes = consultas.instancias(_dictamenes_de, solicitud.pk)
        for dictamen in dictamenes:
            dictamen.solicitud = solicitud
        prefetch_related_objects(dictamenes, contratos)
    else:
        dictamenes = list(
            solicitud.dictamenes.select_related("firmado_por", "sustituye")
            .annotate(sustituto_folio=Dictamen.sustituto_folio_sql())
            .prefetch_related(contratos)
        )
    return partidas, peticiones, dictamenes


def solicitud_acciones(
    *, usuario, solicitud, humanas=None, eventos=None, revisiones=None, version=None
) -> dict:
    """What the request's page offers this person.

    `acciones` says which step forms the page shows, with what each one needs: True for a
    plain form, the open information requests to answer, the lines of what comes next, the
    areas (and their items) whose review is the person's, the areas the strategic decision
    may send back to, the decision to sign, closing the request early, and on the dictamen the
    initial content of a proposed rectification and the pending proposal to sign.

    What the page already loaded is passed in rather than read again: `humanas`, the request's
    human steps (tareas.tareas_humanas_de); `eventos`, all its audit events; `revisiones`, all
    its area reviews (each item's opinions point to one of them); `version`, the data's
    version read with the events (cache.version_en_sql), under which the request's own rows
    are kept (with `revisiones`)."""
    if humanas is None:
        humanas = tareas_humanas_de(solicitud=solicitud)
    # The ids of the request's technical reviewers and of who decided its content, from the
    # reviews and the events the page already read.
    revisores = None if revisiones is None else {r.revisor_id for r in revisiones}
    decisores = None if eventos is None else {e.usuario_id for e in eventos if e.tipo in DECISIONES}
    tareas = tareas_de(
        usuario=usuario,
        solicitud=solicitud,
        abiertas=abiertas_de(humanas),
        revisores=revisores,
        decisores=decisores,
    )
    nodos = {t["nodo"] for t in tareas if t["mia"]}
    es_requirente = access.es_requirente_de(usuario=usuario, solicitud=solicitud, version=version)
    if version is not None and revisiones is not None:
        # The same for every reader: kept per version of the data (every change to the
        # items, the questions, the dictámenes or the catalogues they name writes an event).
        # memorizar_por, not memorizar_en: the first visit after a change uses the rows it
        # read, not a copy read back from the cache (get_or_set stores them and then reads
        # them again: ~2 ms of unpickling 150 rows for the decision on ten items).
        partidas, peticiones, dictamenes = cache.memorizar_por(
            "solicitud-datos",
            solicitud.pk,
            version=version,
            calcular=lambda: (_datos_de(solicitud=solicitud, revisiones=revisiones), None),
        )
        # Each row's request is the page's own object, as the related managers leave it.
        for fila in (*partidas, *peticiones, *dictamenes):
            fila.solicitud = solicitud
    else:
        partidas, peticiones, dictamenes = _datos_de(solicitud=solicitud, revisiones=revisiones)
    if revisiones is not None:
        por_pk = {r.pk: r for r in revisiones}
        for partida in partidas:
            for opinion in partida.opiniones.all():
                if opinion.revision_id in por_pk:
                    opinion.revision = por_pk[opinion.revision_id]
    vigente = next((d for d in dictamenes if d.cancelado_en is None), None)
    acciones = {}
    en_tramite = solicitud.estado in EN_TRAMITE
    if es_requirente:
        if solicitud.estado in EDITABLE:
            acciones["editar"] = True
            acciones["anexo"] = True
        if solicitud.estado == Solicitud.Estado.BORRADOR:
            acciones["presentar"] = True
        if Nodo.SUBSANAR in nodos:
            acciones["subsanar"] = True
        abiertas = [p for p in peticiones if p.abierta]
        if abiertas and en_tramite:
            acciones["responder"] = abiertas
            acciones["anexo"] = True
        if not acciones and (
            sigue := lo_que_sigue(
                solicitud=solicitud,
                tareas=tareas,
                dictamenes=dictamenes,
                vigente=vigente,
                cierre=cierre_de(solicitud=solicitud, eventos=eventos),
            )
        ):
            acciones["espera"] = sigue
        if en_tramite:
            acciones["desistir"] = True
    if en_tramite and not access.impedimento(
        usuario=usuario,
        solicitud=solicitud,
        accion=access.CANCELAR_SOLICITUD,
        revisores=revisores,
    ):
        acciones["cancelar_solicitud"] = True
    if Nodo.ADMISION in nodos:
        acciones["admision"] = True
    if puede_pasar_a_completa(usuario=usuario, solicitud=solicitud):
        acciones["via_completa"] = True
    areas_mias = {}
    for t in tareas:
        if not t["mia"]:
            continue
        if Nodo.es_revision_de_area(t["nodo"]):
            areas_mias[area_de_tarea(tarea=t["tarea"])] = t["tarea"]
        if t["nodo"] == Nodo.RE_REVISION:
            areas_mias[t["tarea"].process.procesodictamen.area_devuelta_id] = t["tarea"]
    if areas_mias:
        # A fast-track request's single review covers every item (issue 36); its questions
        # to the agency carry the area of who asks (issue 47).
        unica = solicitud.via == Via.RAPIDA
        revisiones_mias = []
        for area in Area.objects.filter(pk__in=areas_mias):
            tarea = areas_mias[area.pk]
            cubiertas = set(areas_de_tarea(tarea=tarea)) | {area.pk}
            suyas = areas_que_pregunta(tarea=tarea, usuario=usuario) or [area.pk]
            # A reviewer of several areas the review covers chooses which one asks (issue 61).
            por_pk = {area.pk: area} | Area.objects.in_bulk(set(suyas) - {area.pk})
            revisiones_mias.append(
                {
                    "area": area,
                    "pregunta": por_pk[suyas[0]],
                    "preguntas": [por_pk[pk] for pk in suyas],
                    "partidas": [
                        p for p in partidas if unica or p.perfil.categoria.area_id == area.pk
                    ],
                    "abierta": any(p.abierta and p.area_id in cubiertas for p in peticiones),
                    "titulo": TITULO_UNICA if unica else "",
                }
            )
        acciones["revisiones"] = revisiones_mias
    if Nodo.REVISION_ESTRATEGICA in nodos:
        acciones["estrategica"] = areas_revisadas(solicitud=solicitud).filter(activa=True)
    if Nodo.FIRMA in nodos:
        acciones["firma"] = decision_vigente(solicitud=solicitud, eventos=eventos)
    if vigente is not None:
        acciones |= _sobre_el_dictamen(
            usuario=usuario,
            solicitud=solicitud,
            vigente=vigente,
            eventos=eventos,
            revisores=revisores,
        )
    return {
        "tareas": tareas,
        "tomables": any(t["tomable"] for t in tareas),
        "es_requirente": es_requirente,
        "puede_expediente": not es_requirente and usuarios.es_interno(usuario=usuario),
        "partidas": partidas,
        "humanas": humanas,
        "peticiones": peticiones,
        "dictamenes": dictamenes,
        "dictamen": vigente,
        "acciones": acciones,
    }
