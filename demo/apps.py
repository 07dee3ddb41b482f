from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data, the years-of-history generator and the test certificate authority, with
    their commands. Installed only in the local, test and bench settings. No models."""

    name = "demo"
    verbose_name = _("Demostración")
