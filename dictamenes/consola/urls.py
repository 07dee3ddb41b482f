"""The console's addresses. They keep the names and paths they had when the pages lived in
`cuentas` (/cuentas/…, namespace «cuentas»): config.urls serves them in that namespace
beside the sign-in pages, so no link, bookmark or audit record changes."""

from django.urls import path

from dictamenes.consola.views import (
    areas,
    calendario,
    cambios,
    capacidad,
    entes,
    institucion,
    reglas,
    roles,
    sistema,
    vias,
)

urlpatterns = [
    path("roles/", roles.roles, name="roles"),
    path("roles/<int:pk>/", roles.rol_persona, name="rol_persona"),
    path("cambios/", cambios.cambios, name="cambios"),
    path("cambios/<int:pk>/", cambios.cambio_resolver, name="cambio_resolver"),
    path(
        "cambios/<int:pk>/imagen/<str:cual>/",
        cambios.cambio_imagen,
        name="cambio_imagen",
    ),
    path("institucion/", institucion.institucion, name="institucion"),
    path("vias/", vias.vias, name="vias"),
    path("sistema/", sistema.sistema, name="sistema"),
    *areas.rutas,
    *entes.rutas,
    *reglas.rutas,
    *capacidad.rutas,
    *calendario.rutas,
]
