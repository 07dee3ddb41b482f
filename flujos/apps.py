from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlujosConfig(AppConfig):
    name = "flujos"
    verbose_name = _("Flujos de trabajo")
