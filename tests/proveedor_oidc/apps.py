from django.apps import AppConfig


class ProveedorOidcConfig(AppConfig):
    name = "tests.proveedor_oidc"
    label = "proveedor_oidc"
    verbose_name = "Proveedor de identidad de pruebas"
