"""The two pages that change a password, Django's own with the save audited
(cuentas.contrasenas): the person's «Cambiar contraseña» and the reset link's page. Mounted
before viewflow's AuthViewset, on the same addresses and names."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpResponseRedirect

from cuentas import contrasenas


class CambiarContrasena(auth_views.PasswordChangeView):
    def form_valid(self, form):
        contrasenas.contrasena_guardar(form=form, tipo="contrasena_cambiada")
        # The session stays open with the new password, as Django's own view does.
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


class RestablecerContrasena(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        contrasenas.contrasena_guardar(form=form, tipo="contrasena_restablecida")
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())
