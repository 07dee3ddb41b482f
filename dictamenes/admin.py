from django.contrib import admin

from dictamenes.models import Area, Aviso, DiaInhabil, Ente, Perfil, PlazoEtapa, Sustitucion


@admin.register(Ente)
class EnteAdmin(admin.ModelAdmin):
    """A plain admin, not guardian's: its «object permissions» page let whoever could change
    an agency grant anyone any permission on it, outside the roles page and the audit."""

    control = "alta de un ente y su grupo de requirentes, auditada"
    list_display = ["nombre", "siglas", "tipo", "activo"]
    list_filter = ["tipo", "activo"]
    search_fields = ["nombre", "siglas"]

    def get_readonly_fields(self, request, obj=None):
        # The agency's requirente group is named after its acronym (roles.nombre_grupo_ente).
        return ["siglas"] if obj is not None else []


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """Read only: areas are added, renamed and retired in «Áreas de revisión» (cuentas:areas),
    where each change is audited and a retirement moves or refuses its open reviews."""

    list_display = ["nombre", "clave", "activa"]
    search_fields = ["nombre"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Perfil)
class PerfilAdmin(admin.ModelAdmin):
    control = (
        "alta de un perfil, auditada; su RFC, CURP, ente y áreas son de solo lectura (control "
        "dual en «Personas y roles»)"
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
        if obj is None:
            return ["ente", "areas"]
        return ["usuario", "rfc", "curp", "ente", "areas"]


@admin.register(DiaInhabil)
class DiaInhabilAdmin(admin.ModelAdmin):
    """Read only (issue 59): every deadline reads the declared days, so they are declared and
    taken back on «Días inhábiles» (cuentas:dias_inhabiles), with a second administrator's
    approval."""

    list_display = ["fecha", "descripcion"]
    date_hierarchy = "fecha"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlazoEtapa)
class PlazoEtapaAdmin(admin.ModelAdmin):
    """Read only: the deadlines change on «Textos de la institución», with a second
    administrator's approval (issue 48)."""

    list_display = ["etapa", "dias_habiles"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False  # the steps are fixed by the flow; only their deadlines change

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sustitucion)
class SustitucionAdmin(admin.ModelAdmin):
    list_display = ["titular", "suplente", "desde", "hasta", "motivo"]
    readonly_fields = ["titular", "suplente", "desde", "hasta", "motivo"]

    def has_add_permission(self, request):
        # Created through tramite.services.suplencias.sustitucion_crear, which audits it and
        # sends a substitute of another area to a second person's approval (issue 59).
        return False

    def has_change_permission(self, request, obj=None):
        return False  # who stands in for whom, and when, is what was approved

    def has_delete_permission(self, request, obj=None):
        return False  # a deletion would end a substitution with no event


@admin.register(Aviso)
class AvisoAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False  # written by avisos.aviso_encolar with the decision it announces

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
