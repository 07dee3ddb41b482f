from django.urls import path

from cuentas import views as views_cuentas
from cuentas import (
    views_areas,
    views_calendario,
    views_cambios,
    views_capacidad,
    views_entes,
    views_institucion,
    views_reglas,
    views_roles,
    views_sistema,
    views_vias,
)

app_name = "cuentas"

urlpatterns = [
    path("segundo-factor/", views_cuentas.segundo_factor, name="segundo_factor"),
    path("codigo/", views_cuentas.codigo, name="codigo"),
    path("roles/", views_roles.roles, name="roles"),
    path("roles/<int:pk>/", views_roles.rol_persona, name="rol_persona"),
    path("cambios/", views_cambios.cambios, name="cambios"),
    path("cambios/<int:pk>/", views_cambios.cambio_resolver, name="cambio_resolver"),
    path(
        "cambios/<int:pk>/imagen/<str:cual>/",
        views_cambios.cambio_imagen,
        name="cambio_imagen",
    ),
    path("institucion/", views_institucion.institucion, name="institucion"),
    path("vias/", views_vias.vias, name="vias"),
    path("sistema/", views_sistema.sistema, name="sistema"),
    *views_areas.rutas,
    *views_entes.rutas,
    *views_reglas.rutas,
    *views_capacidad.rutas,
    *views_calendario.rutas,
]
