"""The addresses of the OCDS publication: its index, monthly releases, records and extension."""

from django.urls import path

from publico.ocds import views

urlpatterns = [
    path("", views.indice, name="ocds_indice"),
    path("entregas/<str:mes>.json", views.entregas_del_mes, name="ocds_entregas"),
    path("registros/<path:ocid>.json", views.registro, name="ocds_registro"),
    path("extension/<str:archivo>", views.extension, name="ocds_extension"),
]
