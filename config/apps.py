from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitioConfig(AppConfig):
    """The site itself (settings, middleware, URLs): no models, only its deploy checks."""

    name = "config"
    label = "sitio"
    verbose_name = _("Sitio")

    def ready(self):
        from django.core import checks

        from config import comprobaciones, traducciones

        # Limits per address counted in one process's memory are no limits behind a balancer.
        checks.register(comprobaciones.cache_compartida, checks.Tags.caches, deploy=True)
        # Every {% translate %} of a Spanish text walked seventeen catalogues (config.traducciones).
        traducciones.aplanar_idiomas()
