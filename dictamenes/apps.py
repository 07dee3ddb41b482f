from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DictamenesConfig(AppConfig):
    name = "dictamenes"
    verbose_name = _("Dictámenes")

    def ready(self):
        from dictamenes.services import auditoria
        from estandares import signals

        # Publishing an edition of the standards is audited like every other change.
        signals.edicion_publicada.connect(
            lambda sender, **kwargs: auditoria.edicion_publicada_registrar(**kwargs),
            dispatch_uid="dictamenes.edicion_publicada",
            weak=False,
        )
