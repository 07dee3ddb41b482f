"""The dictamen flow. Routing only: every step's rules live in dictamenes.services.

presentar → admisión ─┬─ admitida → una revisión técnica por área (vía completa) o una única,
                      │            compartida por sus áreas (vía rápida) → estratégica → firma
                      └─ prevención → subsanar (plazo) → admisión
                                         └─ vence → desechada
La revisión estratégica puede devolver la solicitud a un área (re-revisión) y volver.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from dictamenes.models import ProcesoDictamen
from dictamenes.tramite.selectors.areas import revisiones_a_crear
from dictamenes.tramite.services import etapas, tareas
from flujos import views
from flujos.nodos import Paso, PorDatos, RevisionDeArea


class DictamenFlow(flow.Flow):
    process_class = ProcesoDictamen
    # viewflow's ready-made select_for_update_lock takes the process row with NOWAIT and gives
    # up after five tries (6 to 10 s of back-off): a FlowLockFailed, a 500, whenever another
    # step of the same request holds the row a little longer (a signature, a busy server).
    # Waiting for the holder serializes the steps instead; PostgreSQL still breaks deadlocks.
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("Solicitud de dictamen")
    process_description = _("Del registro de la solicitud a la firma del dictamen.")

    def has_manage_permission(self, user, obj=None) -> bool:
        """Nobody manages the flow by hand, superusers included. viewflow's manage actions
        (cancel a process or a task, undo, revive) change the procedure with no audit event
        and none of its rules, and a cancelled process leaves its request with no step anyone
        can act on. Their pages answer 403 and no viewflow page offers them; a request closes
        early only from its own page (tramite.services.cierre: desistimiento or cancelación)."""
        return False

    presentar = flow.StartHandle(this.iniciar).Next(this.admision)

    admision = (
        Paso(views.tarea)
        .Annotation(title=_("Admisión"))
        .Permission("dictamenes.admitir_solicitud")
        .onCreate(this.tarea_creada)
        .Next(this.admitida)
    )
    admitida = flow.If(lambda act: act.process.admitida).Then(this.dividir).Else(this.subsanar)

    subsanar = (
        Paso(views.tarea)
        .Annotation(title=_("Subsanar la prevención"))
        .Permission(
            "dictamenes.actuar_como_requirente", obj=lambda process: process.coerced.solicitud.ente
        )
        .onCreate(this.tarea_creada)
        .OnTimeout(lambda act: act.process.subsanar_vence, this.desechar)
        .Next(this.admision)
    )
    desechar = flow.Function(this.desechar_por_plazo).Next(this.fin_desechada)
    fin_desechada = flow.End()

    # One technical review per area the request's items touch, whatever areas exist: the
    # areas are data the administrator keeps (dictamenes.organizacion.services.areas), not nodes. A
    # fast-track request (issue 36) gets a single one, shared by its areas.
    dividir = PorDatos().Next(this.revision_tecnica, data_source=this.areas_a_revisar)
    revision_tecnica = (
        RevisionDeArea(views.tarea)
        .Annotation(title=_("Revisión técnica"))
        .Permission("dictamenes.revisar_area")
        .onCreate(this.tarea_creada)
        .Next(this.unir_revisiones)
    )
    unir_revisiones = flow.Join().Next(this.revision_estrategica)

    revision_estrategica = (
        Paso(views.tarea)
        .Annotation(title=_("Revisión estratégica"))
        .Permission("dictamenes.decidir_solicitud")
        .onCreate(this.tarea_creada)
        .Next(this.devuelta)
    )
    devuelta = (
        flow.If(lambda act: act.process.area_devuelta_id is not None)
        .Then(this.re_revision)
        .Else(this.firma)
    )
    re_revision = (
        Paso(views.tarea)
        .Annotation(title=_("Re-revisión técnica"))
        .Permission("dictamenes.revisar_area", obj=lambda process: process.coerced.area_devuelta)
        .onCreate(this.tarea_creada)
        .Next(this.revision_estrategica)
    )

    firma = (
        Paso(views.tarea)
        .Annotation(title=_("Firma"))
        .Permission("dictamenes.firmar_dictamen")
        .onCreate(this.tarea_creada)
        .Next(this.fin)
    )
    fin = flow.End()

    def iniciar(self, activation, solicitud):
        activation.process.solicitud = solicitud
        return activation.process

    def areas_a_revisar(self, activation):
        """One review per area on the full track; on the fast track one review, for the lead
        area, that the reviewers of every area involved may take (a shared queue)."""
        return revisiones_a_crear(solicitud=activation.process.solicitud)

    def tarea_creada(self, activation):
        tareas.tarea_programar(tarea=activation.task)

    def desechar_por_plazo(self, activation):
        etapas.solicitud_desechar(solicitud=activation.process.solicitud)
