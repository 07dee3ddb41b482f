"""The Django admin of the domain's models, read-only where a service must write."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Area, Aviso, DiaInhabil, Ente, Perfil, PlazoEtapa, Sustitucion
from dictamenes.personas.services import personas
from dictamenes.personas.services.acceso import actua_en_el_tramite


class SoloLectura:
    """An admin page that only shows (issue 59: a procedural or configuration model changes
    through its audited door, never here). The writers' map (config.escritores) reads these
    permissions as a superuser would."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ente)
class EnteAdmin(admin.ModelAdmin):
    """A plain admin, not guardian's: its «object permissions» page let whoever could change
    an agency grant anyone any permission on it, outside the roles page and the audit."""

    control = (
        "alta de un ente y su grupo de requirentes (personas.ente_crear), auditada; su tipo y "
        "si está activo, auditados; su nombre y siglas, de solo lectura (el nombre se pide en "
        "«Entes», control dual)"
    )
    list_display = ["nombre", "siglas", "tipo", "activo"]
    list_filter = ["tipo", "activo"]
    search_fields = ["nombre", "siglas"]

    def get_readonly_fields(self, request, obj=None):
        # The agency's requirente group is named after its acronym (roles.nombre_grupo_ente).
        # Its name is printed in every open dataset: it changes only with a second
        # administrator's approval, on «Entes» (issue 59), which keeps the name past years had.
        return ["nombre", "siglas", "cambiar_nombre"] if obj is not None else []

    @admin.display(description=_("Cambiar el nombre"))
    def cambiar_nombre(self, obj):
        return format_html(
            '<a href="{}?ente={}">{}</a>',
            reverse("cuentas:entes"),
            obj.pk,
            _("Pedir el cambio en «Entes» (lo aprueba otra persona administradora)"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new agency grants nothing by itself: its requirente group acts on it alone and has
        # no one in it until a role is granted on «Personas y roles». It is created through the
        # same door as the demo's and the commands', which makes that group and audits it.
        creado = personas.ente_crear(
            nombre=obj.nombre, siglas=obj.siglas, tipo=obj.tipo, activo=obj.activo, por=request.user
        )
        obj.pk, obj._state.adding, obj._state.db = creado.pk, False, creado._state.db


@admin.register(Area)
class AreaAdmin(SoloLectura, admin.ModelAdmin):
    """Read only: areas are added, renamed and retired in «Áreas de revisión» (cuentas:areas),
    where each change is audited and a retirement moves or refuses its open reviews."""

    list_display = ["nombre", "clave", "activa"]
    search_fields = ["nombre"]


@admin.register(Perfil)
class PerfilAdmin(admin.ModelAdmin):
    control = (
        "alta de un perfil, auditada; su RFC, CURP, cargo, jefatura, ente y áreas son de solo "
        "lectura (control dual en «Personas y roles»), y el de quien actúa en el trámite no se "
        "borra"
    )
    list_display = ["usuario", "rfc", "curp", "ente", "cargo"]
    list_filter = ["ente", "areas"]
    search_fields = [
        "usuario__username",
        "usuario__first_name",
        "usuario__last_name",
        "rfc",
        "curp",
    ]
    list_select_related = ["usuario", "ente"]

    def get_readonly_fields(self, request, obj=None):
        # The agency and the areas go with the roles, and change with them on «Personas y
        # roles»; a profile (its RFC, which signing checks) stays with its person. Its RFC and
        # CURP (with which sign-in links an identity to the account) change only with a
        # second administrator's approval, on «Personas y roles» (issue 33).
        # Its cargo, printed under the signer's name on every dictamen, changes the same way
        # (issue 59).
        # Its jefatura (the power to reassign others' tasks) is given and taken away the same
        # way (issue 77): read only here, also on a new profile.
        if obj is None:
            return ["ente", "areas", "es_jefe"]
        return ["usuario", "rfc", "curp", "cargo", "ente", "areas", "es_jefe"]

    def has_delete_permission(self, request, obj=None):
        # Deleting and adding again the profile of someone who acts in the procedure would
        # change their RFC, CURP and cargo at once, around their dual control (issue 59).
        if obj is not None and actua_en_el_tramite(usuario=obj.usuario):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(DiaInhabil)
class DiaInhabilAdmin(SoloLectura, admin.ModelAdmin):
    """Read only (issue 59): every deadline reads the declared days, so they are declared and
    taken back on «Días inhábiles» (cuentas:dias_inhabiles), with a second administrator's
    approval."""

    list_display = ["fecha", "descripcion"]
    date_hierarchy = "fecha"


@admin.register(PlazoEtapa)
class PlazoEtapaAdmin(SoloLectura, admin.ModelAdmin):
    """Read only: the deadlines change on «Textos de la institución», with a second
    administrator's approval (issue 48); the steps are fixed by the flow."""

    list_display = ["etapa", "dias_habiles"]


@admin.register(Sustitucion)
class SustitucionAdmin(SoloLectura, admin.ModelAdmin):
    """Read only: created through suplencias.services.sustitucion_crear, which audits
    it and sends a substitute of another area to a second person's approval (issue 59); who
    stands in for whom, and when, is what was approved, and a deletion would end it with no
    event."""

    list_display = ["titular", "suplente", "desde", "hasta", "motivo"]
    readonly_fields = ["titular", "suplente", "desde", "hasta", "motivo"]


@admin.register(Aviso)
class AvisoAdmin(SoloLectura, admin.ModelAdmin):
    """The outbox, to see what was sent and what is still waiting for the mail server."""

    list_display = ["asunto", "creado_en", "enviado_en", "intentos"]
    list_filter = [("enviado_en", admin.EmptyFieldListFilter)]
    search_fields = ["asunto"]
    readonly_fields = [
        "destinatarios",
        "asunto",
        "mensaje",
        "enlace",
        "creado_en",
        "enviado_en",
        "intentos",
        "ultimo_error",
    ]
    # The HTML part says what the text part says; its markup would only clutter the page.
    exclude = ["html"]
