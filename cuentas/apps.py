from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CuentasConfig(AppConfig):
    """Sign-in machinery: second factor, lockout and the password pages; sign-in with the
    state's identity (allauth); the restricted admin of accounts, and the audit of every admin
    write. No models."""

    name = "cuentas"
    verbose_name = _("Cuentas")

    def ready(self):
        from allauth.account import signals as allauth_signals
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from cuentas import adaptadores, auditoria_admin, checks  # noqa: F401 (registers)

        # Every login (our page, the admin's, a provider's) asks for the second factor of
        # whoever has one; a provider's is audited and may carry its own (cuentas.adaptadores).
        user_logged_in.connect(
            adaptadores.al_entrar, dispatch_uid="cuentas.segundo_factor", weak=False
        )
        allauth_signals.user_logged_in.connect(
            adaptadores.al_entrar_con_proveedor, dispatch_uid="cuentas.identidad", weak=False
        )
        # Each addition, change or deletion made in the admin: an audit event (issue 18).
        post_save.connect(
            auditoria_admin.al_guardar_entrada,
            sender=LogEntry,
            dispatch_uid="cuentas.auditoria_admin",
        )
