"""The addresses of «Capacidad para el cierre» (/capacidad/, namespace «capacidad»)."""

from django.urls import path

from dictamenes.capacidad import views

app_name = "capacidad"

urlpatterns = [
    path("", views.cierre, name="cierre"),
    path("cierre.csv", views.cierre_csv, name="cierre_csv"),
]
