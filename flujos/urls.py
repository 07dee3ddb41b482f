"""The viewflow Site: inbox, queue and archive of the dictamen flow, with due dates."""

from viewflow.urls import Site
from viewflow.workflow.flow.viewset import FlowViewset, WorkflowAppViewset

from flujos import views
from flujos.flows import DictamenFlow


class Tramites(WorkflowAppViewset):
    inbox_view_class = views.Bandeja
    queue_view_class = views.Cola
    archive_view_class = views.Archivo


site = Site(
    title="Dictámenes TIC",
    viewsets=[
        Tramites(flow_viewsets=[FlowViewset(DictamenFlow, icon="assignment")], title="Trámites")
    ],
)
