from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CuentasConfig(AppConfig):
    """Sign-in machinery: second factor, lockout and the password pages. No models."""

    name = "cuentas"
    verbose_name = _("Cuentas")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from cuentas import services

        # Every login (our page, the admin's) asks for the second factor of whoever has one.
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: services.codigo_exigir_al_entrar(
                request=request, usuario=user
            ),
            dispatch_uid="cuentas.segundo_factor",
            weak=False,
        )
