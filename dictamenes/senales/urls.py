"""The addresses of the signs' pages (/senales/, namespace «senales»)."""

from django.urls import path

from dictamenes.senales import views

app_name = "senales"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("senales.csv", views.lista_csv, name="lista_csv"),
    path("entes/<int:pk>/", views.ente, name="ente"),
    path("proveedores/<str:clave>/", views.proveedor, name="proveedor"),
]
