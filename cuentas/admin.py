"""The admin's pages for accounts and groups, closed as a way to hand out power (issue 18).

Django's stock UserAdmin lets whoever holds `change_user` set `is_superuser`, `is_staff`,
groups and permissions: that is how the demo's administrator made itself superuser. Here no
one sets any of them in the admin. Roles go through «Personas y roles» (cuentas.views_roles,
which calls dictamenes.services.personas and audits each change), and superusers are made
only with `createsuperuser`, at the server. A superuser still sees them, read-only.

Every write anyone makes in the admin is audited as well: see cuentas.auditoria_admin.
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import router, transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from dictamenes.selectors.usuarios import roles_de
from estandares.entradas import TextoCortoField

User = get_user_model()

admin.site.unregister(User)
admin.site.unregister(Group)
# allauth's own tables: providers come from the environment, and a person's link to a provider
# is made only by signing in (dictamenes.services.identidad, audited), never typed in here.
for modelo in (SocialApp, SocialAccount, SocialToken, EmailAddress):
    admin.site.unregister(modelo)

# Django's «delete selected» logs two or more deletions with bulk_create, which sends no
# signal, so those deletions would escape the audit chain (and it runs outside a transaction).
# One deletion at a time goes through delete_view: one transaction, one audited log entry.
admin.site.disable_action("delete_selected")

# What a superuser sees of the power an account carries, never editable in the admin.
_PODER = ("is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class UsuarioAdmin(auth_admin.UserAdmin):
    """Name, e-mail, username, whether the account is active, and its password. The roles
    are shown and linked, not edited. Creating an account asks for no role either."""

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
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Django's view saves the password and its log entry outside a transaction; the audit
        # event written for that log entry must commit or roll back with them.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().user_change_password(request, id, form_url)


@admin.register(Group)
class GrupoAdmin(auth_admin.GroupAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _SoloLectura:
    """viewflow's own admin of processes and tasks would let a superuser change a status or an
    owner by hand, behind the procedure's back (issue 18): here they are read, never written."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _modelo in (Process, Task):
    _clase = type(admin.site._registry[_modelo])
    admin.site.unregister(_modelo)
    admin.site.register(
        _modelo, type(_clase.__name__, (_SoloLectura, _clase), {"__module__": __name__})
    )
