from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstandaresConfig(AppConfig):
    name = "estandares"
    verbose_name = _("Estándares técnicos")
