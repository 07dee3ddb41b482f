"""Sign-in addresses without a namespace: Django's `login`/`logout` names, and the names
allauth reverses for its providers (`<provider id>_login`, `<provider id>_callback`).
Registered at the identity provider: …/cuentas/oidc/<clave>/login/callback/ and
…/cuentas/llave/login/callback/."""

from django.urls import path

from cuentas import provider, views_contrasenas, views_identidad

urlpatterns = [
    path("login/", views_identidad.Entrar.as_view(), name="login"),
    path("logout/", views_identidad.salir, name="logout"),
    path("pendiente/", views_identidad.pendiente, name="acceso_pendiente"),
    # Django's password pages with the change audited (issue 33); before viewflow's.
    path(
        "password_change/",
        views_contrasenas.CambiarContrasena.as_view(),
        name="password_change",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views_contrasenas.RestablecerContrasena.as_view(),
        name="password_reset_confirm",
    ),
    path("oidc/<str:provider_id>/login/", provider.oidc_login, name="openid_connect_login"),
    path(
        "oidc/<str:provider_id>/login/callback/",
        provider.oidc_callback,
        name="openid_connect_callback",
    ),
    path("llave/login/", provider.llave_login, name="llave_login"),
    path("llave/login/callback/", provider.llave_callback, name="llave_callback"),
]
