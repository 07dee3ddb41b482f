from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicoConfig(AppConfig):
    """What anyone may read without an account: verification, the register, open data and
    how the procedure works. No models."""

    name = "publico"
    verbose_name = _("Transparencia")

    def ready(self):
        from django.core import checks

        from publico import catalogo
        from publico.ocds import estandar

        # The demo's placeholder ocid prefix would publish ocids that are not the state's.
        checks.register(estandar.comprobar_prefijo, checks.Tags.compatibility, deploy=True)
        # A package name harvesters would refuse: the open data would not validate.
        checks.register(catalogo.comprobar_nombre, checks.Tags.compatibility)
