"""A request's procedure as a stepper: what was done (when, by whom), what is under way (who
holds it, when it is due) and what comes next. One selector, pasos_de(), reads the request's
human tasks, its audit events and its areas with a fixed number of queries, however long the
history; the page only renders what it returns.

Branches that did not happen are not drawn: a request admitted directly shows no prevención.
A step that happened more than once (admission after a correction, the strategic review after
a re-review) appears once per time it was concluded, in the order it happened.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from viewflow.workflow.status import STATUS

from dictamenes.comun.cache import huella_del_contenido
from dictamenes.flow_port import Nodo
from dictamenes.models import Area, ConfiguracionVias, PlazoEtapa, Resultado, Solicitud, Via
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors import usuarios
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.tramite.selectors.areas import area_de_tarea, areas_de, es_revision_unica
from dictamenes.tramite.selectors.plazos import ETAPA_DE_NODO, PLAZOS_POR_OMISION, vencimiento_de
from dictamenes.tramite.selectors.resoluciones import CIERRES
from dictamenes.tramite.selectors.tareas import (
    TITULO_UNICA,
    abiertas_de,
    tareas_humanas_de,
    titulo_de,
)

HECHO, ACTUAL, SIGUIENTE = "hecho", "actual", "siguiente"
ETIQUETA_ESTADO = {HECHO: _("Hecho"), ACTUAL: _("En curso"), SIGUIENTE: _("Siguiente")}

# Who attends each kind of step, as the public page "¿Cómo es el trámite?" names them.
RESPONSABLE = {
    "presentar": _("Requirente de la dependencia o entidad"),
    "admision": _("Mesa de control"),
    "subsanar": _("Requirente de la dependencia o entidad"),
    "revision_area": _("Revisor técnico del área"),
    # The deciding and the signing unit, from the current texts (the cache: no query once warm).
    "revision_estrategica": lazy(
        lambda: (
            _("%(unidad)s (revisión estratégica)")
            % {"unidad": textos_vigentes_en_cache().unidad_resuelve}
        ),
        str,
    )(),
    "firma": lazy(lambda: textos_vigentes_en_cache().unidad_firma, str)(),
}
# The steps the agency attends itself: nobody "takes" them; its requirente reads them as hers.
DE_LA_DEPENDENCIA = frozenset({"presentar", "subsanar"})
# The next step of a fast-track request in admission: its single review, for all its areas.
UNICA = "*unica*"
# The technical review of a draft with no items yet: one per area of its items, once added.
SIN_AREAS = "*sin-areas*"
TITULO_SIN_AREAS = _(
    "Revisión técnica: una por cada área de sus partidas (se sabrá cuáles al agregarlas)"
)
TITULO = {
    "presentar": _("Presentación de la solicitud"),
    "admision": _("Admisión"),
    "subsanar": _("Subsanar la prevención"),
    "revision_estrategica": _("Revisión estratégica"),
    "firma": _("Firma del dictamen"),
}
# The events that tell how a step ended, in the order the steps happened.
EVENTOS = (
    "presentacion",
    "admision",
    "prevencion",
    "subsanacion",
    "devolucion_area",
    "decision_estrategica",
    "dictamen",
    "desechada",
    *CIERRES,
    *("cancelacion", "rectificacion"),
)
# After the dictamen: it was cancelled, or rectified by a new one.
DESPUES_DEL_DICTAMEN = ("cancelacion", "rectificacion")
# The steps that leave a request without a dictamen (in force).
FINALES = ("desechada", "desistida", "cancelada", "dictamen_cancelado")


@dataclass(frozen=True)
class Paso:
    clave: str  # the flow node's name (admision, revision_tecnica, re_revision, …)
    titulo: str
    estado: str  # HECHO, ACTUAL or SIGUIENTE
    responsable: str
    cuando: datetime.datetime | None = None  # concluded at
    quien: str = ""  # who concluded it, or who holds it now ("" = nobody took it yet)
    vence: datetime.datetime | None = None
    vencido: bool = False
    plazo_dias: int | None = None
    nota: str = ""  # how it ended: "Admitida", "Dictamen emitido", …
    detalle: str = ""  # the reason, when the step sent the request somewhere else
    area: str = ""  # the area's key, for a technical review (one node serves every area)

    @property
    def marca(self) -> str:
        """What tells one step from another on the page: the node, and the area if any."""
        return f"{self.clave}:{self.area}" if self.area else self.clave

    @property
    def etiqueta(self) -> str:
        return _("Cerrada") if self.final else ETIQUETA_ESTADO[self.estado]

    @property
    def final(self) -> bool:
        return self.clave in FINALES


@dataclass(frozen=True)
class Pasos:
    lista: list[Paso]
    resumen: str

    @property
    def huella(self) -> str:
        """What the steps say, every field as the page reads it (texts in the active
        language): the key under which the request's page renders them once
        (templates/solicitudes/detalle.html). Made of the content itself, it cannot go stale:
        a step taken, concluded or overdue since changes it."""
        return huella_del_contenido(self.resumen, self.lista)


def _nombre(usuario) -> str:
    if usuario is None:
        return "el sistema"
    return usuario.get_full_name() or usuario.username


def _es_revision_area(nombre: str) -> bool:
    return Nodo.es_revision_de_area(nombre)


def _etapa(nombre: str) -> str | None:
    if _es_revision_area(nombre) or nombre == Nodo.RE_REVISION:
        return PlazoEtapa.Etapa.REVISION_AREA
    return ETAPA_DE_NODO.get(nombre)


# The areas' names and the stages' deadlines change a few times a year, yet every request's
# page showed them: they are kept CATALOGOS_S seconds, and a change to an Area or a PlazoEtapa
# (admin or service: post_save, post_delete, connected in apps.py) empties them at once, and
# again when its transaction commits, so no page reads the old rows back in between.
CATALOGOS_S = 300
CLAVE_CATALOGOS = "pasos:catalogos"


def catalogos() -> tuple[dict[str, str], dict[str, int], dict[int, str]]:
    """The areas' names by key, the stages' deadlines (business days) by stage, and the areas'
    keys by id (a review task names its area by id)."""

    def leer():
        areas = list(Area.objects.values_list("pk", "clave", "nombre"))
        return (
            {clave: nombre for _pk, clave, nombre in areas},
            dict(PlazoEtapa.objects.values_list("etapa", "dias_habiles")),
            {pk: clave for pk, clave, _nombre in areas},
        )

    return cache.get_or_set(CLAVE_CATALOGOS, leer, CATALOGOS_S)


def catalogos_vaciar(**kwargs) -> None:
    claves = [CLAVE_CATALOGOS, usuarios.AREAS_NOMBRES]
    cache.delete_many(claves)
    transaction.on_commit(lambda: cache.delete_many(claves))


def pasos_de(
    *, solicitud: Solicitud, humanas=None, eventos=None, areas=None, dictamenes=None, via=None
) -> Pasos:
    """The request's steps, in order: done, then under way, then next.

    What the request's page already loaded is passed in rather than read again: `humanas`, its
    human steps (tareas.tareas_humanas_de); `eventos`, all its audit events with their
    person; `areas`, the keys of its items' areas; `dictamenes`, its dictámenes (for the
    folios a cancellation or a rectification names); `via`, the track a draft would take
    (tramite.selectors.vias.via_de_solicitud), which it has not been given yet."""
    via = via or solicitud.via
    if eventos is None:
        eventos = solicitud.eventos.filter(tipo__in=EVENTOS).select_related("usuario")
    eventos = sorted((e for e in eventos if e.tipo in EVENTOS), key=lambda e: e.numero)
    if humanas is None:
        humanas = tareas_humanas_de(solicitud=solicitud)
    abiertas = abiertas_de(humanas)
    hechas = sorted(
        (t for t in humanas if t.status == STATUS.DONE),
        # finished is set on every concluded task; were it not, last, as PostgreSQL sorts it
        key=lambda t: (t.finished is None, t.finished or t.created, t.pk),
    )
    nombres_area, plazos_fijados, claves_area = catalogos()
    plazos = PLAZOS_POR_OMISION | plazos_fijados

    def area(clave) -> str:
        return nombres_area.get(clave, clave)

    def clave_de(tarea) -> str:
        return claves_area.get(area_de_tarea(tarea=tarea), "")

    def titulo(nombre: str, clave_area: str = "", tarea=None) -> str:
        if _es_revision_area(nombre) and tarea is not None and es_revision_unica(tarea=tarea):
            return titulo_de(tarea=tarea)  # the fast track's single review
        if _es_revision_area(nombre) and clave_area == SIN_AREAS:
            return TITULO_SIN_AREAS
        if _es_revision_area(nombre) and clave_area == UNICA:
            unica = ", ".join(sorted(area(c) for c in areas or ()))
            return f"{TITULO_UNICA}: {unica}"
        if _es_revision_area(nombre):
            return _("Revisión técnica: %(area)s") % {"area": area(clave_area)}
        if nombre == Nodo.RE_REVISION:
            return _("Re-revisión técnica: %(area)s") % {"area": area(clave_area)}
        return TITULO[nombre]

    def responsable(nombre: str) -> str:
        if _es_revision_area(nombre) or nombre == Nodo.RE_REVISION:
            return RESPONSABLE["revision_area"]
        return RESPONSABLE[nombre]

    # How each concluded step ended, matched to its task in order of occurrence.
    de_admision = [e for e in eventos if e.tipo in ("admision", "prevencion")]
    de_estrategica = [e for e in eventos if e.tipo in ("decision_estrategica", "devolucion_area")]
    devoluciones = [e for e in eventos if e.tipo == "devolucion_area"]
    dictamen = next((e for e in eventos if e.tipo == "dictamen"), None)
    presentacion = next((e for e in eventos if e.tipo == "presentacion"), None)
    desechada = next((e for e in eventos if e.tipo == "desechada"), None)

    lista: list[Paso] = []
    if presentacion is not None:
        lista.append(
            Paso(
                clave="presentar",
                titulo=TITULO["presentar"],
                estado=HECHO,
                responsable=RESPONSABLE["presentar"],
                cuando=presentacion.ocurrido_en,
                quien=_nombre(presentacion.usuario),
                nota=_("Folio %(folio)s") % {"folio": solicitud.folio} if solicitud.folio else "",
            )
        )
    vistas = {"admision": 0, "revision_estrategica": 0, "re_revision": 0}
    for tarea in hechas:
        nombre = tarea.flow_task.name
        nota = detalle = ""
        clave_area = ""
        if nombre == Nodo.ADMISION:
            evento = _enesimo(de_admision, vistas, nombre)
            if evento is not None and evento.tipo == "prevencion":
                nota, detalle = _("Se emitió una prevención: faltaba información"), evento.motivo
            elif evento is not None:
                nota = _("Admitida")
        elif nombre == Nodo.SUBSANAR:
            nota = _("Prevención atendida; volvió a admisión")
        elif nombre == Nodo.RE_REVISION:
            evento = _enesimo(devoluciones, vistas, nombre)
            clave_area = evento.datos.get("area", "") if evento else ""
        elif _es_revision_area(nombre):
            clave_area = clave_de(tarea)
        elif nombre == Nodo.REVISION_ESTRATEGICA:
            evento = _enesimo(de_estrategica, vistas, nombre)
            if evento is not None and evento.tipo == "devolucion_area":
                nota = _("Devuelta a %(area)s para re-revisión") % {
                    "area": area(evento.datos.get("area"))
                }
                detalle = evento.motivo
            elif evento is not None and evento.datos.get("resultado") in Resultado.values:
                nota = _("Decisión: %(resultado)s") % {
                    "resultado": Resultado(evento.datos["resultado"]).label
                }
        elif nombre == Nodo.FIRMA and dictamen is not None:
            nota = _("Dictamen emitido con folio %(folio)s") % {
                "folio": dictamen.datos.get("folio", "")
            }
        lista.append(
            Paso(
                clave=nombre,
                titulo=titulo(nombre, clave_area, tarea),
                area=clave_area if _es_revision_area(nombre) else "",
                estado=HECHO,
                responsable=responsable(nombre),
                cuando=tarea.finished,
                quien=_nombre(tarea.owner),
                nota=nota,
                detalle=detalle,
            )
        )
    if desechada is not None:
        lista.append(
            Paso(
                clave="desechada",
                titulo=_("Solicitud desechada sin dictamen"),
                estado=HECHO,
                responsable=_("El sistema, al vencer el plazo"),
                cuando=desechada.ocurrido_en,
                quien=_nombre(desechada.usuario),
                detalle=desechada.motivo,
            )
        )

    cierre = next((e for e in eventos if e.tipo in CIERRES), None)
    if cierre is not None:
        lista.append(_paso_de_cierre(cierre))

    despues = [e for e in eventos if e.tipo in DESPUES_DEL_DICTAMEN]
    if despues:
        if dictamenes is None:
            dictamenes = solicitud.dictamenes.only("pk", "folio")
        folios = {d.pk: d.folio for d in dictamenes}
        lista += [_paso_despues_del_dictamen(e, folios) for e in despues]

    ahora = timezone.now()
    ultima_devolucion = devoluciones[-1].datos.get("area", "") if devoluciones else ""

    def area_abierta(tarea) -> str:
        return clave_de(tarea) if _es_revision_area(tarea.flow_task.name) else ultima_devolucion

    actuales = sorted(
        abiertas,
        key=lambda t: (t.created, titulo(t.flow_task.name, area_abierta(t))),
    )
    for tarea in actuales:
        nombre = tarea.flow_task.name
        vence = vencimiento_de(tarea=tarea)
        lista.append(
            Paso(
                clave=nombre,
                titulo=titulo(nombre, area_abierta(tarea), tarea),
                area=clave_de(tarea) if _es_revision_area(nombre) else "",
                estado=ACTUAL,
                responsable=responsable(nombre),
                quien=_nombre(tarea.owner) if tarea.owner_id else "",
                vence=vence,
                vencido=vence is not None and vence < ahora,
            )
        )
    if solicitud.estado == Solicitud.Estado.BORRADOR:
        lista.append(
            Paso(
                clave="presentar",
                titulo=TITULO["presentar"],
                estado=ACTUAL,
                responsable=RESPONSABLE["presentar"],
                quien=_nombre(solicitud.creada_por),
            )
        )

    # What comes next, after the furthest step under way. Nothing after a closed request.
    en_curso = {p.clave for p in lista if p.estado == ACTUAL}
    siguientes: list[str | tuple[str, str]] = []
    if en_curso & {"presentar", "subsanar"}:
        siguientes.append("admision")
    if en_curso & {"presentar", "admision", "subsanar"}:
        if areas is None:
            areas = areas_de(solicitud=solicitud)
        areas = sorted((c for c in areas if c), key=area)
        if via == Via.RAPIDA:  # one review, shared by its areas (issue 36)
            siguientes.append((Nodo.REVISION_TECNICA, UNICA))
        elif areas:
            siguientes += [(Nodo.REVISION_TECNICA, c) for c in areas]
        else:  # no items yet: the step is there all the same (issue 61)
            siguientes.append((Nodo.REVISION_TECNICA, SIN_AREAS))
        siguientes += ["revision_estrategica", "firma"]
    elif any(_es_revision_area(c) or c == Nodo.RE_REVISION for c in en_curso):
        siguientes = ["revision_estrategica", "firma"]
    elif "revision_estrategica" in en_curso:
        siguientes = ["firma"]
    for siguiente in siguientes:
        nombre, clave_area = siguiente if isinstance(siguiente, tuple) else (siguiente, "")
        plazo = plazos.get(_etapa(nombre))
        if via == Via.RAPIDA and nombre in (
            Nodo.REVISION_TECNICA,
            Nodo.REVISION_ESTRATEGICA,
        ):
            # The fast track's shorter deadlines (plazos.plazo_de_via)
            config = solicitud.via_config or ConfiguracionVias.objects.vigentes()
            plazo = (
                config.dias_revision_rapida
                if nombre == Nodo.REVISION_TECNICA
                else config.dias_estrategica_rapida
            )
        lista.append(
            Paso(
                clave=nombre,
                titulo=titulo(nombre, clave_area),
                area="" if clave_area in (UNICA, SIN_AREAS) else clave_area,
                estado=SIGUIENTE,
                responsable=responsable(nombre),
                plazo_dias=plazo,
            )
        )
    resumen = _resumen(solicitud, lista, dictamen, desechada, cierre)
    if despues and solicitud.estado == Solicitud.Estado.DICTAMINADA:
        resumen = _resumen_despues(despues[-1], folios)
    return Pasos(lista=lista, resumen=resumen)


def _enesimo(eventos, vistas: dict, nombre: str):
    """The event of the n-th concluded task of a node: the n-th event of its kinds."""
    indice = vistas[nombre]
    vistas[nombre] += 1
    return eventos[indice] if indice < len(eventos) else None


def _paso_de_cierre(evento) -> Paso:
    """The request closed early: withdrawn by its agency, or cancelled by the Subsecretaría."""
    desistida = evento.tipo == "desistimiento"
    return Paso(
        clave="desistida" if desistida else "cancelada",
        titulo=_("Desistimiento: la dependencia retiró la solicitud")
        if desistida
        else _("Cancelación %(institucion)s")
        % {"institucion": con_articulo(textos_vigentes_en_cache().institucion_nombre, "por")},
        estado=HECHO,
        responsable=RESPONSABLE["presentar" if desistida else "revision_estrategica"],
        cuando=evento.ocurrido_en,
        quien=_nombre(evento.usuario),
        nota=_("Cerrada sin dictamen"),
        detalle=evento.motivo,
    )


def _paso_despues_del_dictamen(evento, folios: dict) -> Paso:
    """The dictamen was cancelled by the Subsecretaría, or rectified by a new one."""
    if evento.tipo == "cancelacion":
        folio = folios.get(evento.datos.get("dictamen"), "")
        return Paso(
            clave="dictamen_cancelado",
            titulo=_("Cancelación del dictamen %(folio)s") % {"folio": folio},
            estado=HECHO,
            responsable=RESPONSABLE["firma"],
            cuando=evento.ocurrido_en,
            quien=_nombre(evento.usuario),
            nota=_("Dictamen %(folio)s cancelado: ya no ampara la contratación") % {"folio": folio},
            detalle=evento.motivo,
        )
    anterior = folios.get(evento.datos.get("anterior"), "")
    nuevo = folios.get(evento.datos.get("nuevo"), "")
    return Paso(
        clave="rectificacion",
        titulo=_("Rectificación del dictamen %(folio)s") % {"folio": anterior},
        estado=HECHO,
        responsable=RESPONSABLE["firma"],
        cuando=evento.ocurrido_en,
        quien=_nombre(evento.usuario),
        nota=_("Dictamen %(anterior)s rectificado por el dictamen %(nuevo)s, que es el que cuenta")
        % {"anterior": anterior, "nuevo": nuevo},
        detalle=evento.motivo,
    )


def _resumen_despues(evento, folios: dict) -> str:
    """The summary once the dictamen was cancelled or rectified: what counts now."""
    fecha = f"{timezone.localtime(evento.ocurrido_en):%d/%m/%Y}"
    if evento.tipo == "cancelacion":
        return _(
            "Trámite concluido: el %(fecha)s se canceló el dictamen %(folio)s; la solicitud no "
            "tiene dictamen vigente."
        ) % {"fecha": fecha, "folio": folios.get(evento.datos.get("dictamen"), "")}
    return _(
        "Trámite concluido: el %(fecha)s se rectificó el dictamen %(anterior)s; el que cuenta "
        "es el dictamen %(nuevo)s."
    ) % {
        "fecha": fecha,
        "anterior": folios.get(evento.datos.get("anterior"), ""),
        "nuevo": folios.get(evento.datos.get("nuevo"), ""),
    }


def _resumen(solicitud, lista, dictamen, desechada, cierre=None) -> str:
    if solicitud.estado == Solicitud.Estado.BORRADOR:
        return _("Borrador: el trámite empieza cuando la dependencia presenta la solicitud.")
    if cierre is not None:
        fecha = f"{timezone.localtime(cierre.ocurrido_en):%d/%m/%Y}"
        if cierre.tipo == "desistimiento":
            return _(
                "Trámite concluido el %(fecha)s: la dependencia desistió de la solicitud, que "
                "se cerró sin dictamen."
            ) % {"fecha": fecha}
        return _(
            "Trámite concluido el %(fecha)s: %(institucion)s canceló la solicitud, que se "
            "cerró sin dictamen."
        ) % {
            "fecha": fecha,
            "institucion": con_articulo(textos_vigentes_en_cache().institucion_nombre),
        }
    if desechada is not None:
        return _("Trámite concluido el %(fecha)s: la solicitud se desechó sin dictamen.") % {
            "fecha": f"{timezone.localtime(desechada.ocurrido_en):%d/%m/%Y}"
        }
    if dictamen is not None and solicitud.estado == Solicitud.Estado.DICTAMINADA:
        return _("Trámite concluido el %(fecha)s: dictamen emitido.") % {
            "fecha": f"{timezone.localtime(dictamen.ocurrido_en):%d/%m/%Y}"
        }
    actuales = sum(1 for p in lista if p.estado == ACTUAL)
    siguientes = sum(1 for p in lista if p.estado == SIGUIENTE)
    texto = ngettext(
        "En curso: %(n)d paso abierto.", "En curso: %(n)d pasos abiertos en paralelo.", actuales
    ) % {"n": actuales}
    if siguientes:
        texto += " " + ngettext(
            "Después falta %(m)d paso.", "Después faltan %(m)d pasos.", siguientes
        ) % {"m": siguientes}
    return texto
