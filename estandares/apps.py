"""The standards app: at start-up, the strict reading of every number a person types."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstandaresConfig(AppConfig):
    name = "estandares"
    verbose_name = _("Estándares técnicos")

    def ready(self):
        from estandares.entradas import instalar_numeros_estrictos

        # Every number a person types, in every form, the admin and the API (issue 61).
        instalar_numeros_estrictos()
