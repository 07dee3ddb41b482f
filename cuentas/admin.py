"""The admin's pages for accounts and groups, closed as a way to hand out power (issue 18).

Django's stock UserAdmin lets whoever holds `change_user` set `is_superuser`, `is_staff`,
groups and permissions: that is how the demo's administrator made itself superuser. Here no
one sets any of them in the admin. Roles go through «Personas y roles»
(dictamenes.consola.views.roles, which calls dictamenes.personas.services.personas and audits
each change), and superusers are made only with `createsuperuser`, at the server. A superuser
still sees them, read-only.

Every write anyone makes in the admin is audited as well: see cuentas.auditoria_admin.
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy
from viewflow.workflow.models import Process, Task

from cuentas import contrasenas
from dictamenes.admin import SoloLectura
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.personas.services.acceso import actua_en_el_tramite
from dictamenes.personas.services.personas import ROLES_DEL_PROCEDIMIENTO
from estandares.entradas import TextoCortoField

User = get_user_model()

admin.site.unregister(User)
admin.site.unregister(Group)
# allauth's own tables: providers come from the environment, and a person's link to a provider
# is made only by signing in (dictamenes.personas.services.identidad, audited), never typed in here.
for modelo in (SocialApp, SocialAccount, SocialToken, EmailAddress):
    admin.site.unregister(modelo)

# Django's «delete selected» logs two or more deletions with bulk_create, which sends no
# signal, so those deletions would escape the audit chain (and it runs outside a transaction).
# One deletion at a time goes through delete_view: one transaction, one audited log entry.
admin.site.disable_action("delete_selected")

# What a superuser sees of the power an account carries, never editable in the admin.
_PODER = ("is_staff", "is_superuser", "groups", "user_permissions")


# The admin's own «change my password» goes to the audited page (cuentas.contrasenas).
admin.site.password_change = lambda request, extra_context=None: redirect("password_change")


class CuentaNuevaForm(forms.ModelForm):
    """A new account: who it is and where to write to them. No password: the person chooses
    it with a link sent to that e-mail (issue 33), so whoever created the account never
    knows it."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "Ahí recibirá la persona el enlace para elegir su contraseña."
        )

    def save(self, commit=True):
        usuario = super().save(commit=False)
        usuario.set_unusable_password()
        if commit:
            usuario.save()
        return usuario


@admin.register(User)
class UsuarioAdmin(auth_admin.UserAdmin):
    """Name, username and whether the account is active. The e-mail is read only (its change
    waits for a second administrator, on «Personas y roles») and nobody sets another person's
    password: the admin sends them a link to their own e-mail. The roles are shown and
    linked, not edited. Creating an account asks for no role and no password either."""

    add_form = CuentaNuevaForm
    # The writers' map (config.escritores): what this page still writes, and how.
    control = (
        "crea cuentas sin rol ni contraseña; nombres, acceso y borrado de requirentes y "
        "auditores, auditados; de quien actúa en el trámite, su nombre, su acceso y su borrado "
        "son de solo lectura: se piden en «Personas y roles» (control dual)"
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "first_name", "last_name", "email")}),
    )

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Datos personales"), {"fields": ("first_name", "last_name", "email")}),
        (_("Acceso"), {"fields": ("is_active", "last_login", "roles")}),
    )
    fieldsets_superusuario = (
        *fieldsets,
        (
            _("Poder de la cuenta (solo lectura: los roles se cambian en «Personas y roles»)"),
            {"fields": (*_PODER, "date_joined")},
        ),
    )
    readonly_fields = ("last_login", "date_joined", "roles", *_PODER)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return super().get_readonly_fields(request, obj)
        solo_lectura = (*super().get_readonly_fields(request, obj), "email")
        # The names and username of someone who acts in the procedure print on dictámenes and
        # in the audit: they change with a second administrator's approval (issue 48).
        if set(roles_de(usuario=obj)) & ROLES_DEL_PROCEDIMIENTO:
            solo_lectura = (*solo_lectura, "username", "first_name", "last_name")
        # Deactivating someone who acts in the procedure (an administrator, the signer, a
        # reviewer) waits for a second administrator (issue 59): it is asked on «Personas y
        # roles», never done here. Nor does anyone switch off their own account here.
        if actua_en_el_tramite(usuario=obj) or obj.pk == request.user.pk:
            solo_lectura = (*solo_lectura, "is_active")
        return solo_lectura

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            contrasenas.contrasena_enlace_enviar(persona=obj, por=request.user, alta=True)

    list_display = ("username", "first_name", "last_name", "email", "is_active", "roles")
    list_filter = ("is_active", "groups")
    filter_horizontal = ()

    def get_fieldsets(self, request, obj=None):
        if obj is not None and request.user.is_superuser:
            return self.fieldsets_superusuario
        return super().get_fieldsets(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A name is a line people read (estandares.entradas): no invisible characters.
        if db_field.name in ("first_name", "last_name"):
            return TextoCortoField(
                label=db_field.verbose_name.capitalize(),
                max_length=db_field.max_length,
                required=False,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("Roles"))
    def roles(self, obj):
        nombres = ", ".join(str(rol.label) for rol in roles_de(usuario=obj)) or _("Sin rol")
        return format_html(
            '{} · <a href="{}">{}</a>',
            nombres,
            reverse("cuentas:rol_persona", args=[obj.pk]),
            _("ver y cambiar en «Personas y roles»"),
        )

    def has_change_permission(self, request, obj=None):
        # A superuser's account (its password included) is beyond anyone else's reach.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Nobody deletes an account that acts in the procedure (issue 59): it is deactivated
        # with a second administrator's approval, and its history stays; nor their own.
        if obj is not None and (actua_en_el_tramite(usuario=obj) or obj.pk == request.user.pk):
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        """Django's «set this person's password» page, replaced (issue 33): one's own
        password is changed on the audited page; someone else's, never: a link goes to
        their own e-mail, for them to choose it."""
        persona = self.get_object(request, unquote(id))
        if persona is None:
            raise Http404
        if not self.has_change_permission(request, persona):
            raise PermissionDenied
        if persona.pk == request.user.pk:
            return redirect("password_change")
        if request.method == "POST":
            try:
                correo = contrasenas.contrasena_enlace_enviar(persona=persona, por=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Se envió a %(correo)s un enlace para que la persona elija su contraseña.")
                    % {"correo": correo},
                )
            return redirect("admin:auth_user_change", persona.pk)
        contexto = {
            **self.admin_site.each_context(request),
            "title": _("Enviar un enlace para elegir la contraseña"),
            "persona": persona,
            "opts": self.opts,
            "original": persona,
        }
        return TemplateResponse(request, "admin/auth/user/enlace_contrasena.html", contexto)


@admin.register(Group)
class GrupoAdmin(SoloLectura, auth_admin.GroupAdmin):
    """To read only. A role group's permissions come from personas.roles_asegurar, an
    agency's and an area's from ente_crear and area_crear; people join them through the
    roles page."""

    list_display = ("name",)
    fields = ("name", "permisos")
    readonly_fields = ("name", "permisos")
    filter_horizontal = ()

    @admin.display(description=_("Permisos"))
    def permisos(self, obj):
        return ", ".join(str(p) for p in obj.permissions.select_related("content_type"))


# viewflow's own admin of processes and tasks would let a superuser change a status or an owner
# by hand, behind the procedure's back (issue 18): here they are read, never written.
for _modelo in (Process, Task):
    _clase = type(admin.site._registry[_modelo])
    admin.site.unregister(_modelo)
    admin.site.register(
        _modelo, type(_clase.__name__, (SoloLectura, _clase), {"__module__": __name__})
    )


# The second factor and the API's tokens of a person: only a superuser (made at the server) holds
# their permissions; the writers' map (config.escritores) says so.
class _SinAltaNiCambio:
    """A person's API token is made at the server (`drf_create_token --usuario`, audited):
    here it is only revoked, so that nobody makes one to act as someone else.

    Nor read (issue 77): DRF's TokenAdmin lists the key, and Token's name is its key, which the
    detail, the deletion page, the history, the success message and the audit event of a
    revocation print. Here the list shows the person and the date, the name is the person's
    (below), and neither a filter on the key (`?key__startswith=`, an oracle one character at
    a time) nor `_to_field=key` (which writes each row's value into the popup's links) is
    allowed: both answer 400."""

    list_display = ("user", "created")
    list_display_links = ("user",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def lookup_allowed(self, lookup, value, request=None):
        # Only the list's own filter (the date); `pk` of a token is its key.
        return lookup.split("__")[0] == "created"

    def to_field_allowed(self, request, to_field):
        return False


def _nombre_del_token(token) -> str:
    return f"token de la API de «{token.user.get_username()}»"


# TokenProxy is DRF's model for its admin alone (the API authenticates with Token): its name
# here is whose it is, never the key.
TokenProxy.__str__ = _nombre_del_token


for _modelo, _mixin, _control in (
    (
        TOTPDevice,
        (),
        "solo un superusuario, auditado: borra el dispositivo de quien perdió su teléfono",
    ),
    (
        TokenProxy,
        (_SinAltaNiCambio,),
        "solo un superusuario la revoca, auditado; se crea en el servidor (drf_create_token)",
    ),
):
    _clase = type(admin.site._registry[_modelo])
    admin.site.unregister(_modelo)
    admin.site.register(
        _modelo,
        type(_clase.__name__, (*_mixin, _clase), {"__module__": __name__, "control": _control}),
    )
