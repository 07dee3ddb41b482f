from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DictamenesConfig(AppConfig):
    name = "dictamenes"
    verbose_name = _("Dictámenes")
