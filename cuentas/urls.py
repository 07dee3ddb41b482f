from django.urls import path

from cuentas import views as views_cuentas

app_name = "cuentas"

urlpatterns = [
    path("segundo-factor/", views_cuentas.segundo_factor, name="segundo_factor"),
    path("codigo/", views_cuentas.codigo, name="codigo"),
]
