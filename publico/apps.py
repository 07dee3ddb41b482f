from django.apps import AppConfig
from django.db.models.signals import post_migrate
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
        # Each deployment migrates: the OCDS releases kept before it are masked again with
        # its detector of personal data (issue 77).
        post_migrate.connect(_enmascarar_entregas, dispatch_uid="publico.enmascarar_entregas")


def _enmascarar_entregas(sender, using, **kwargs) -> None:
    # Sent once per app with models; the kept releases are dictamenes' models.
    if sender.label != "dictamenes":
        return
    from django.core.cache import cache
    from django.db import transaction

    from publico.ocds import guardadas

    with transaction.atomic(using=using):
        if guardadas.entregas_enmascarar():
            # The packages cached for the data's version still carry them (sessions are in
            # the database too: nobody is signed out).
            transaction.on_commit(cache.clear, using=using)
