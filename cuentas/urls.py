"""The account's own pages in the «cuentas» namespace: the second factor. config.urls serves
them together with the configuration console's (dictamenes.consola.urls), which keep the
names they had here."""

from django.urls import path

from cuentas import views as views_cuentas

urlpatterns = [
    path("segundo-factor/", views_cuentas.segundo_factor, name="segundo_factor"),
    path("codigo/", views_cuentas.codigo, name="codigo"),
]
