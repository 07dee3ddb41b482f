"""Who may do what on a request's page: its open steps as the person sees them (theirs, to
take, to reassign), what the agency has to do or what comes next, and which step forms the
person gets. The page builds its forms from this; the services enforce the same rules when
the form is sent."""

from django.utils import timezone
from django.utils.translation import gettext as _

from dictamenes.flow_port import Nodo
from dictamenes.models import Area, Solicitud
from dictamenes.selectors import access, calendario, tramite, usuarios


def lo_que_sigue(*, solicitud, tareas, dictamenes, vigente) -> list[str]:
    """For the agency, while the Subsecretaría holds its request: what happens next and by
    when, so that the box of "what you have to do" is never an empty one."""
    Estado = Solicitud.Estado
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
            texto = _("La Dirección General decide el resultado")
        elif nodo == Nodo.FIRMA:
            texto = _("Falta la firma del dictamen por la persona titular de la Subsecretaría")
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


def tareas_de(*, usuario, solicitud, abiertas=None) -> list[dict]:
    """The request's open steps as this person sees them: whose, whether they may take one,
    and, for a head of the role, to whom they may reassign it.

    `abiertas`: the open steps, if the caller already loaded them (tramite.abiertas_de)."""
    if abiertas is None:
        abiertas = tramite.abiertas_de(tramite.tareas_humanas_de(solicitud=solicitud))
    if not abiertas:
        return []
    # Only shows deadlines (sets none): the declared días inhábiles may come from the cache.
    cal = calendario.Calendario.cargar(
        timezone.localdate(), timezone.localdate(), para_mostrar=True
    )
    ahora = timezone.now()
    vista = []
    suplidos = set(tramite.titulares_suplidos(usuario=usuario))
    for tarea in abiertas:
        libre = tarea.owner_id is None and access.puede_tomar(usuario=usuario, tarea=tarea)
        de_suplido = tarea.owner_id in suplidos
        vista.append(
            {
                "tarea": tarea,
                "titulo": tramite.titulo_de(tarea=tarea, proceso=tarea.process.procesodictamen),
                **tramite.plazo_de(tarea=tarea, ahora=ahora, calendario_=cal),
                "mia": tarea.owner_id == usuario.pk or libre or de_suplido,
                # The agency's own step (subsanar) is answered, not taken.
                "tomable": (libre or de_suplido)
                and tarea.flow_task.name != Nodo.SUBSANAR
                and access.puede_atender(usuario=usuario, tarea=tarea, solicitud=solicitud),
                "nodo": tarea.flow_task.name,
            }
        )
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.es_jefe:
        for t in vista:
            if access.tiene_rol_de(usuario=usuario, tarea=t["tarea"]):
                t["candidatos"] = list(tramite.candidatos_para(tarea=t["tarea"]))
    return vista


def solicitud_acciones(*, usuario, solicitud, humanas=None, eventos=None, revisiones=None) -> dict:
    """What the request's page offers this person.

    `acciones` says which step forms the page shows, with what each one needs: True for a
    plain form, the open information requests to answer, the lines of what comes next, the
    areas (and their items) whose review is the person's, the areas the strategic decision
    may send back to, the decision to sign, the initial text of a rectification.

    What the page already loaded is passed in rather than read again: `humanas`, the request's
    human steps (tramite.tareas_humanas_de); `eventos`, all its audit events; `revisiones`, all
    its area reviews (each item's opinions point to one of them)."""
    if humanas is None:
        humanas = tramite.tareas_humanas_de(solicitud=solicitud)
    tareas = tareas_de(usuario=usuario, solicitud=solicitud, abiertas=tramite.abiertas_de(humanas))
    nodos = {t["nodo"] for t in tareas if t["mia"]}
    es_requirente = access.es_requirente_de(usuario=usuario, solicitud=solicitud)
    partidas = list(
        solicitud.partidas.select_related(
            "perfil__categoria__area", "perfil__categoria__publicacion"
        ).prefetch_related("opiniones" if revisiones is not None else "opiniones__revision")
    )
    if revisiones is not None:
        por_pk = {r.pk: r for r in revisiones}
        for partida in partidas:
            for opinion in partida.opiniones.all():
                if opinion.revision_id in por_pk:
                    opinion.revision = por_pk[opinion.revision_id]
    peticiones = list(solicitud.peticiones.select_related("area", "pedida_por"))
    dictamenes = list(solicitud.dictamenes.select_related("firmado_por", "sustituye"))
    vigente = next((d for d in dictamenes if d.cancelado_en is None), None)
    acciones = {}
    if es_requirente:
        if solicitud.estado in tramite.EDITABLE:
            acciones["editar"] = True
            acciones["anexo"] = True
        if solicitud.estado == Solicitud.Estado.BORRADOR:
            acciones["presentar"] = True
        if Nodo.SUBSANAR in nodos:
            acciones["subsanar"] = True
        abiertas = [p for p in peticiones if p.abierta]
        if abiertas:
            acciones["responder"] = abiertas
            acciones["anexo"] = True
        if not acciones and (
            sigue := lo_que_sigue(
                solicitud=solicitud, tareas=tareas, dictamenes=dictamenes, vigente=vigente
            )
        ):
            acciones["espera"] = sigue
    if Nodo.ADMISION in nodos:
        acciones["admision"] = True
    areas_mias = []
    for nodo in nodos:
        if Nodo.es_revision_de_area(nodo):
            areas_mias.append(nodo.removeprefix("revision_"))
        if nodo == Nodo.RE_REVISION:
            proceso = next(t for t in tareas if t["nodo"] == nodo)["tarea"].process
            areas_mias.append(proceso.procesodictamen.area_devuelta.clave)
    if areas_mias:
        acciones["revisiones"] = [
            {
                "area": area,
                "partidas": [p for p in partidas if p.perfil.categoria.area_id == area.pk],
                "abierta": any(p.abierta and p.area_id == area.pk for p in peticiones),
            }
            for area in Area.objects.filter(clave__in=areas_mias)
        ]
    if Nodo.REVISION_ESTRATEGICA in nodos:
        acciones["estrategica"] = Area.objects.filter(pk__in=solicitud.revisiones.values("area"))
    if Nodo.FIRMA in nodos:
        acciones["firma"] = tramite.decision_vigente(solicitud=solicitud, eventos=eventos)
    if vigente and usuario.has_perm("dictamenes.firmar_dictamen"):
        acciones["cancelar"] = True
        acciones["rectificar"] = {"motivos": vigente.motivos, "condiciones": vigente.condiciones}
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
