"""The dictamen flow. Routing only: every step's rules live in dictamenes.services.

presentar → admisión ─┬─ admitida → revisión técnica por área (en paralelo) → estratégica → firma
                      └─ prevención → subsanar (plazo) → admisión
                                         └─ vence → desechada
La revisión estratégica puede devolver la solicitud a un área (re-revisión) y volver.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from dictamenes.models import Area, ProcesoDictamen
from dictamenes.selectors import tramite, usuarios
from dictamenes.services import etapas, tareas
from flujos import views

# The five review areas of domain.md. viewflow's open-source Split has no per-item fan-out,
# so each area is its own branch, activated when the request has items of that area.
AREAS = ("infraestructura", "redes", "seguridad", "software", "computo")


class Paso(flow.View):
    """A step a person attends. viewflow's own assign and unassign pages would change who owns
    the task with no audit event and none of the separation-of-duties rules; here a step is
    taken from the request's page (tareas.tarea_tomar, tareas.paso_tomar): their links lead
    there, and a POST to them is refused (views.AlExpediente)."""

    assign_view_class = views.AlExpediente
    unassign_view_class = views.AlExpediente


def _tiene_area(clave):
    def condicion(activation):
        return clave in tramite.areas_de(solicitud=activation.process.solicitud)

    return condicion


def _area(clave):
    return lambda process: Area.objects.get(clave=clave)


class _TituloRevision(str):
    """The step's title names the area as people know it ("Equipo de cómputo e impresión"),
    read when shown: the areas are data the administrator keeps, the node only has the key.
    A str subclass, so viewflow's `if not task_title` at class creation reads no database."""

    def __new__(cls, clave):
        titulo = super().__new__(cls, clave)
        titulo.clave = clave
        return titulo

    def __str__(self):
        return str(
            _("Revisión técnica: %(area)s") % {"area": usuarios.nombre_de_area(clave=self.clave)}
        )

    def __format__(self, spec):
        return format(str(self), spec)


def _revision_area(clave):
    return (
        Paso(views.tarea)
        .Annotation(title=_TituloRevision(clave))
        .Permission("dictamenes.revisar_area", obj=_area(clave))
        .onCreate(this.tarea_creada)
        .Next(this.unir_revisiones)
    )


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
        early only from its own page (services.cierre: desistimiento or cancelación)."""
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

    dividir = (
        flow.Split()
        .Next(this.revision_infraestructura, case=_tiene_area("infraestructura"))
        .Next(this.revision_redes, case=_tiene_area("redes"))
        .Next(this.revision_seguridad, case=_tiene_area("seguridad"))
        .Next(this.revision_software, case=_tiene_area("software"))
        .Next(this.revision_computo, case=_tiene_area("computo"))
    )
    revision_infraestructura = _revision_area("infraestructura")
    revision_redes = _revision_area("redes")
    revision_seguridad = _revision_area("seguridad")
    revision_software = _revision_area("software")
    revision_computo = _revision_area("computo")
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

    def tarea_creada(self, activation):
        tareas.tarea_programar(tarea=activation.task)

    def desechar_por_plazo(self, activation):
        etapas.solicitud_desechar(solicitud=activation.process.solicitud)
