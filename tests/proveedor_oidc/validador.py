"""What the provider says about a person: OpenID Connect claims and Llave's user data, both
built from `personas` (the same data the client tests import)."""

from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.proveedor_oidc.personas import POR_USUARIO, Persona

# Application.name of the two clients that `sembrar` registers.
NOMBRE_OIDC = "oidc"
NOMBRE_LLAVE = "llave"

# Claims beyond the standard ones, and the scope each needs. amr and acr describe the
# sign-in itself, so they come with "openid" (in the id_token and userinfo alike).
CLAIMS_PROPIOS = {"curp": "curp", "amr": "openid", "acr": "openid"}
# Discovery's claims_supported.
CLAIMS_PUBLICADOS = (
    "sub",
    "email",
    "email_verified",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    *CLAIMS_PROPIOS,
)


def persona_de(usuario) -> Persona | None:
    return POR_USUARIO.get(usuario.get_username())


def claims_de(usuario) -> dict:
    """The claims of a user, before they are filtered by the granted scopes."""
    persona = persona_de(usuario)
    if persona is None:  # someone made by hand (e.g. createsuperuser): what the model knows
        return {
            "email": usuario.email,
            "email_verified": bool(usuario.email),
            "name": usuario.get_full_name() or usuario.get_username(),
            "given_name": usuario.first_name,
            "family_name": usuario.last_name,
            "preferred_username": usuario.get_username(),
            "amr": ["pwd"],
        }
    claims = {
        "email": persona.correo,
        "email_verified": True,
        "name": persona.nombre_completo,
        "given_name": persona.nombre,
        "family_name": persona.apellidos,
        "preferred_username": persona.usuario,
        "curp": persona.curp,
        "amr": persona.amr,
    }
    if persona.acr:
        claims["acr"] = persona.acr
    return claims


def datos_llave(usuario) -> dict:
    """The answer of Llave MX's datosUsuario for a user."""
    persona = persona_de(usuario)
    if persona is None:
        return {
            "curp": "",
            "nombre": usuario.first_name,
            "primerApellido": usuario.last_name,
            "segundoApellido": "",
            "correo": usuario.email,
        }
    return {
        "curp": persona.curp,
        "nombre": persona.nombre,
        "primerApellido": persona.primer_apellido,
        "segundoApellido": persona.segundo_apellido,
        "correo": persona.correo,
    }


class ValidadorProveedor(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, **CLAIMS_PROPIOS}

    def get_additional_claims(self, request):
        return claims_de(request.user)

    def get_discovery_claims(self, request):
        return list(CLAIMS_PUBLICADOS)
