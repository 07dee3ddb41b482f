"""What the provider says about a person: OpenID Connect claims and Llave's user data, both
built from `personas` (the same data the client tests import)."""

from __future__ import annotations

import base64
import json

import jwt
from django.conf import settings
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


# What the ID tokens carry from now on (POST /pruebas/firma): "" signed properly; "otra_clave"
# signed by a key that is not in the JWKS (under the JWKS key's kid); "alterada" with a second
# factor added to `amr` after signing, under the original signature. An attacker's forgeries.
FIRMAS = ("", "otra_clave", "alterada")


def _archivo_firma():
    return settings.CARPETA / "firma.txt"


def firma_poner(modo: str) -> None:
    _archivo_firma().write_text(modo)


def firma_actual() -> str:
    archivo = _archivo_firma()
    return archivo.read_text() if archivo.exists() else ""


def _b64(datos: bytes) -> str:
    return base64.urlsafe_b64encode(datos).rstrip(b"=").decode()


def _de_b64(texto: str) -> bytes:
    return base64.urlsafe_b64decode(texto + "=" * (-len(texto) % 4))


def falsificado(id_token: str, modo: str) -> str:
    """The provider's ID token as the forgery `modo` makes it (FIRMAS)."""
    if not modo:
        return id_token
    cabecera, cuerpo, firma = id_token.split(".")
    claims = json.loads(_de_b64(cuerpo))
    if modo == "alterada":
        claims["amr"] = ["pwd", "otp"]
        return f"{cabecera}.{_b64(json.dumps(claims).encode())}.{firma}"
    from cryptography.hazmat.primitives.asymmetric import rsa

    ajena = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, ajena, algorithm="RS256", headers=json.loads(_de_b64(cabecera)))


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

    def finalize_id_token(self, id_token, token, token_handler, request):
        firmado = super().finalize_id_token(id_token, token, token_handler, request)
        return falsificado(firmado, firma_actual())
