from django.urls import path

from dictamenes.views import planeacion as v

app_name = "planeacion"

urlpatterns = [
    path("programa/", v.programa, name="programa"),
    path("consolidacion/", v.consolidacion, name="consolidacion"),
    path("pronostico/", v.pronostico, name="pronostico"),
]
