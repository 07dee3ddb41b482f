"""The dictamenes app: at start-up, its checks, signals and the parts it wires together."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DictamenesConfig(AppConfig):
    name = "dictamenes"
    verbose_name = _("Dictámenes")

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_delete, post_save

        from dictamenes.comun import auditoria, operador_so
        from dictamenes.emision.documentos import consultas, fuentes, sello_tiempo
        from dictamenes.models import Area, DiaInhabil, PlazoEtapa
        from dictamenes.organizacion.selectors import calendario
        from dictamenes.tramite.selectors import pasos
        from estandares import signals

        # Without its fonts no dictamen can be rendered, hence signed: say so at start.
        checks.register(fuentes.fuentes_check)
        # Without a timestamping authority nothing can be signed in production.
        checks.register(sello_tiempo.comprobar_tsa, checks.Tags.security, deploy=True)
        checks.register(sello_tiempo.comprobar_raices, checks.Tags.security)
        # Certificates' status is asked only of configured services (DJANGO_EFIRMA_SERVICIOS).
        checks.register(consultas.comprobar_servicios, checks.Tags.security)
        checks.register(consultas.comprobar_servicios_despliegue, checks.Tags.security, deploy=True)
        # Every server command's events name the machine's login that ran it (issue 93).
        operador_so.comandos_envolver()
        # Publishing an edition of the standards is audited like every other change.
        signals.edicion_publicada.connect(
            lambda sender, **kwargs: auditoria.edicion_publicada_registrar(**kwargs),
            dispatch_uid="dictamenes.edicion_publicada",
            weak=False,
        )
        # Catalogues that pages keep a few minutes (declared días inhábiles, areas' names,
        # stages' deadlines): a change reaches them at once.
        for senal in (post_save, post_delete):
            senal.connect(
                lambda sender, **kwargs: calendario.cache_vaciar(),
                sender=DiaInhabil,
                dispatch_uid=f"dictamenes.calendario.{senal is post_save}",
                weak=False,
            )
            for modelo in (Area, PlazoEtapa):
                senal.connect(
                    pasos.catalogos_vaciar,
                    sender=modelo,
                    dispatch_uid=f"dictamenes.pasos.{modelo.__name__}.{senal is post_save}",
                )
