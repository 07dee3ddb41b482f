from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from dictamenes.models import Area, Ente, Perfil


@admin.register(Ente)
class EnteAdmin(GuardedModelAdmin):
    list_display = ["nombre", "siglas", "tipo", "activo"]
    list_filter = ["tipo", "activo"]
    search_fields = ["nombre", "siglas"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["nombre", "clave", "activa"]
    search_fields = ["nombre"]


@admin.register(Perfil)
class PerfilAdmin(admin.ModelAdmin):
    list_display = ["usuario", "rfc", "ente", "cargo"]
    list_filter = ["ente", "areas"]
    search_fields = ["usuario__username", "usuario__first_name", "usuario__last_name", "rfc"]
    autocomplete_fields = ["ente"]
    filter_horizontal = ["areas"]
    list_select_related = ["usuario", "ente"]
