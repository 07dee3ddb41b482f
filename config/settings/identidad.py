"""Sign-in with the state's identity (django-allauth), all from the environment. Neither
provider is on unless its variables are set; local passwords stay on unless
DJANGO_CONTRASENAS_LOCALES=false. The operator's manual explains each variable
(docs/operacion/identidad.md)."""


def proveedor_oidc(
    *,
    url: str,
    cliente: str,
    secreto: str,
    nombre: str = "Cuenta institucional",
    clave: str = "estatal",
    alcance: tuple[str, ...] = ("openid", "profile", "email"),
    campo_curp: str = "curp",
    confiar_mfa: bool = False,
    amr_mfa: tuple[str, ...] = (),
    acr_mfa: tuple[str, ...] = (),
) -> dict:
    """One OpenID Connect provider, found by discovery from its issuer's URL. PKCE, state and
    nonce are always on."""
    return {
        "provider_id": clave,
        "name": nombre,
        "client_id": cliente,
        "secret": secreto,
        "settings": {
            "server_url": url,
            "oauth_pkce_enabled": True,
            "scope": list(alcance),
            "campo_curp": campo_curp,
            "confiar_mfa": confiar_mfa,
            "amr_mfa": list(amr_mfa),
            "acr_mfa": list(acr_mfa),
        },
    }


def proveedor_llave(
    *,
    autorizacion: str,
    token: str,
    datos: str,
    cliente: str,
    secreto: str,
    nombre: str = "Llave",
    salida: str = "",
    parametro_redireccion: str = "redirect_uri",
    token_json: bool = False,
    parametros_token: dict | None = None,
    campo_token: str = "access_token",  # noqa: S107 (a field name)
    encabezado_token: str = "Authorization",  # noqa: S107 (a header name)
    prefijo_token: str = "Bearer",  # noqa: S107 (a scheme)
    campo_id: str = "curp",
    campo_curp: str = "curp",
    campo_correo: str = "correo",
    correo_verificado: bool = True,
    campos_nombre: tuple[str, ...] = ("nombre", "primerApellido", "segundoApellido"),
    alcance: tuple[str, ...] = (),
) -> dict:
    """One OAuth2 provider in the manner of Llave MX: no discovery, no ID token, the user's
    data from a separate endpoint. Every name that differs from the standard is a setting."""
    return {
        "name": nombre,
        "client_id": cliente,
        "secret": secreto,
        "settings": {
            "autorizacion": autorizacion,
            "token": token,
            "datos": datos,
            "salida": salida,
            "parametro_redireccion": parametro_redireccion,
            "token_json": token_json,
            "parametros_token": parametros_token or {},
            "campo_token": campo_token,
            "encabezado_token": encabezado_token,
            "prefijo_token": prefijo_token,
            "campo_id": campo_id,
            "campo_curp": campo_curp,
            "campo_correo": campo_correo,
            "correo_verificado": correo_verificado,
            "campos_nombre": list(campos_nombre),
            "scope": list(alcance),
            "oauth_pkce_enabled": False,
        },
    }


def proveedores(*, oidc: dict | None = None, llave: dict | None = None) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS for the providers given."""
    return {
        "openid_connect": {"APPS": [oidc] if oidc else []},
        "llave": {"APPS": [llave] if llave else []},
    }


def desde_entorno(env) -> dict:
    oidc = llave = None
    if env.str("DJANGO_OIDC_URL", default=""):
        oidc = proveedor_oidc(
            url=env.str("DJANGO_OIDC_URL"),
            cliente=env.str("DJANGO_OIDC_CLIENTE"),
            secreto=env.str("DJANGO_OIDC_SECRETO"),
            nombre=env.str("DJANGO_OIDC_NOMBRE", default="Cuenta institucional"),
            alcance=tuple(env.list("DJANGO_OIDC_ALCANCE", default=["openid", "profile", "email"])),
            campo_curp=env.str("DJANGO_OIDC_CAMPO_CURP", default="curp"),
            confiar_mfa=env.bool("DJANGO_OIDC_CONFIAR_MFA", default=False),
            amr_mfa=tuple(env.list("DJANGO_OIDC_AMR_MFA", default=[])),
            acr_mfa=tuple(env.list("DJANGO_OIDC_ACR_MFA", default=[])),
        )
    if env.str("DJANGO_LLAVE_AUTORIZACION", default=""):
        llave = proveedor_llave(
            autorizacion=env.str("DJANGO_LLAVE_AUTORIZACION"),
            token=env.str("DJANGO_LLAVE_TOKEN"),
            datos=env.str("DJANGO_LLAVE_DATOS"),
            cliente=env.str("DJANGO_LLAVE_CLIENTE"),
            secreto=env.str("DJANGO_LLAVE_SECRETO"),
            nombre=env.str("DJANGO_LLAVE_NOMBRE", default="Llave"),
            salida=env.str("DJANGO_LLAVE_SALIDA", default=""),
            parametro_redireccion=env.str(
                "DJANGO_LLAVE_PARAMETRO_REDIRECCION", default="redirect_uri"
            ),
            token_json=env.bool("DJANGO_LLAVE_TOKEN_JSON", default=False),
            parametros_token=env.dict("DJANGO_LLAVE_PARAMETROS_TOKEN", default={}),
            campo_token=env.str("DJANGO_LLAVE_CAMPO_TOKEN", default="access_token"),
            encabezado_token=env.str("DJANGO_LLAVE_ENCABEZADO_TOKEN", default="Authorization"),
            prefijo_token=env.str("DJANGO_LLAVE_PREFIJO_TOKEN", default="Bearer"),
            campo_id=env.str("DJANGO_LLAVE_CAMPO_ID", default="curp"),
            campo_curp=env.str("DJANGO_LLAVE_CAMPO_CURP", default="curp"),
            campo_correo=env.str("DJANGO_LLAVE_CAMPO_CORREO", default="correo"),
            correo_verificado=env.bool("DJANGO_LLAVE_CORREO_VERIFICADO", default=True),
            campos_nombre=tuple(
                env.list(
                    "DJANGO_LLAVE_CAMPOS_NOMBRE",
                    default=["nombre", "primerApellido", "segundoApellido"],
                )
            ),
            alcance=tuple(env.list("DJANGO_LLAVE_ALCANCE", default=[])),
        )
    return proveedores(oidc=oidc, llave=llave)
