"""The viewflow Site. Each flow of flujos/flows.py is registered here as it is built."""

from viewflow.urls import Site
from viewflow.workflow.flow.viewset import WorkflowAppViewset

FLOW_VIEWSETS: list = []

site = Site(
    title="Dictámenes TIC",
    viewsets=[WorkflowAppViewset(flow_viewsets=FLOW_VIEWSETS, title="Trámites")],
)
