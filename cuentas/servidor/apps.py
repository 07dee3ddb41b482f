from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServidorConfig(AppConfig):
    """Django's, DRF's and axes' server commands with the house's rules (cuentas.servidor)."""

    name = "cuentas.servidor"
    label = "cuentas_servidor"
    verbose_name = _("Comandos de cuentas del servidor")
