"""The viewflow Site: inbox, queue and archive of the dictamen flow."""

from viewflow.urls import Site
from viewflow.workflow.flow.viewset import FlowViewset, WorkflowAppViewset

from flujos.flows import DictamenFlow

site = Site(
    title="Dictámenes TIC",
    viewsets=[
        WorkflowAppViewset(
            flow_viewsets=[FlowViewset(DictamenFlow, icon="assignment")], title="Trámites"
        )
    ],
)
