from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DictamenesConfig(AppConfig):
    name = "dictamenes"
    verbose_name = _("Dictámenes")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from dictamenes import cuentas

        # Every login (our page, the admin's) asks for the second factor of whoever has one.
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: cuentas.codigo_exigir_al_entrar(
                request=request, usuario=user
            ),
            dispatch_uid="dictamenes.segundo_factor",
            weak=False,
        )
