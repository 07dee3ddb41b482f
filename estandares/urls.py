"""The addresses of the public standards catalogue and the self-assessment."""

from django.urls import path

from estandares import views

app_name = "estandares"

urlpatterns = [
    path("", views.catalogo, name="catalogo"),
    path("comparar/", views.comparar, name="comparar"),
    path("autoevaluacion/", views.autoevaluacion, name="autoevaluacion"),
    path("ediciones/<str:version>/", views.catalogo, name="edicion"),
    path("ediciones/<str:version>/<slug:clave>/", views.categoria, name="categoria"),
]
