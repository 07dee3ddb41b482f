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
