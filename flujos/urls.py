"""The viewflow Site: inbox, queue and archive of the dictamen flow, with due dates."""

from django.conf import settings
from django.urls import path
from viewflow.urls import Site
from viewflow.workflow.flow.views import list as listas
from viewflow.workflow.flow.viewset import FlowViewset, WorkflowAppViewset

from flujos import views
from flujos.flows import DictamenFlow


class Tramites(WorkflowAppViewset):
    inbox_view_class = views.Bandeja
    queue_view_class = views.Cola
    archive_view_class = views.Archivo
    # Bulk assign and unassign would skip the audit and the separation of duties.
    tasks_assign_view_class = views.SinGestionEnBloque
    tasks_unassign_view_class = views.SinDesasignarEnBloque


class TramitesConBase(Tramites):
    """make bench: viewflow's own inbox and queue over the same data, to compare with ours."""

    @property
    def base_inbox_path(self):
        vista = listas.WorkflowInboxListView
        return path("base/inbox/", vista.as_view(**self.filter_kwargs(vista)), name="base_inbox")

    @property
    def base_queue_path(self):
        vista = listas.WorkflowQueueListView
        return path("base/queue/", vista.as_view(**self.filter_kwargs(vista)), name="base_queue")


class TramitesDelFlujo(FlowViewset):
    """viewflow's process and task lists of the flow, with the page number read strictly."""

    process_list_view_class = views.ListaDeProcesos
    task_list_view_class = views.ListaDeTareas


site = Site(
    title="Dictámenes TIC",
    viewsets=[
        (TramitesConBase if settings.DICTAMENES_MEDICION else Tramites)(
            flow_viewsets=[TramitesDelFlujo(DictamenFlow, icon="assignment")], title="Trámites"
        )
    ],
)
