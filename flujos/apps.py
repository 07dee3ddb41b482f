"""The flows app: at start-up, registers the dictamen flow with the domain (flow_port)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlujosConfig(AppConfig):
    name = "flujos"
    verbose_name = _("Flujos de trabajo")

    def ready(self):
        from dictamenes import flow_port
        from flujos.flows import DictamenFlow

        flow_port.flujo_registrar(DictamenFlow)
