from django.contrib.auth import views as auth_views
from django.urls import include, path

from tests.proveedor_oidc import views

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("entrar/", auth_views.LoginView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("llave/oauth.xhtml", views.AutorizarLlave.as_view(), name="llave-autorizar"),
    path("llave/rest/oauth/obtenerToken", views.ObtenerTokenLlave.as_view(), name="llave-token"),
    path("llave/rest/oauth/datosUsuario", views.DatosUsuarioLlave.as_view(), name="llave-datos"),
    path("llave/cerrarSesion", views.CerrarSesionLlave.as_view(), name="llave-salir"),
    path("pruebas/caducar", views.caducar, name="caducar"),
    path("pruebas/firma", views.firma, name="firma"),
    path("pruebas/sesion", views.sesion, name="sesion"),
    path("pruebas/redirecciones", views.redirecciones, name="redirecciones"),
]
