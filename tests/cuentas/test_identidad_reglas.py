"""The rules of who a provider's person is here, without a provider: when the provider's
second factor counts, and the e-mails that link nobody."""

import pytest
from django.contrib.auth import get_user_model

from cuentas.provider import _mfa
from dictamenes.models import AccesoPendiente, EventoAuditoria
from dictamenes.personas.services import identidad
from dictamenes.personas.services.identidad import Identidad

User = get_user_model()


@pytest.mark.parametrize(
    ("ajustes", "amr", "acr", "esperado"),
    [
        ({"confiar_mfa": False}, ["pwd", "otp"], "urn:sonora:mfa", ""),
        ({"confiar_mfa": True}, ["pwd", "otp"], None, "amr: pwd otp"),
        ({"confiar_mfa": True}, ["pwd"], None, ""),
        (
            {"confiar_mfa": True, "acr_mfa": ["urn:sonora:mfa"]},
            ["pwd"],
            "urn:sonora:mfa",
            "acr: urn:sonora:mfa",
        ),
        ({"confiar_mfa": True, "acr_mfa": ["urn:sonora:mfa"]}, ["pwd"], "urn:sonora:pwd", ""),
        # Only the amr values the configuration names, when it names them.
        ({"confiar_mfa": True, "amr_mfa": ["hwk"]}, ["pwd", "otp"], None, ""),
        ({"confiar_mfa": True}, "otp", None, ""),  # amr is a list, or nothing
    ],
)
def test_el_segundo_factor_del_proveedor_cuenta_solo_si_lo_afirma_y_se_confia(
    ajustes, amr, acr, esperado
):
    assert _mfa(ajustes=ajustes, amr=amr, acr=acr) == esperado


def _identidad(**datos) -> Identidad:
    return Identidad(
        proveedor="Cuenta institucional", clave="openid_connect/estatal", uid="7", **datos
    )


@pytest.mark.django_db
def test_un_correo_de_dos_cuentas_no_vincula_ninguna(demo):
    User.objects.filter(username__in=["auditor", "mesa"]).update(email="compartido@sonora.gob.mx")
    with pytest.raises(identidad.EntradaRechazada, match="más de una cuenta"):
        identidad.entrada_resolver(
            identidad=_identidad(correo="Compartido@sonora.gob.mx", correo_verificado=True)
        )
    assert EventoAuditoria.objects.get(tipo="entrada_rechazada").datos["correo"] == (
        "Compartido@sonora.gob.mx"
    )


@pytest.mark.django_db
def test_un_correo_sin_verificar_no_vincula(demo):
    User.objects.filter(username="auditor").update(email="auditor@sonora.gob.mx")
    with pytest.raises(identidad.AccesoEnEspera):
        identidad.entrada_resolver(
            identidad=_identidad(
                correo="auditor@sonora.gob.mx", correo_verificado=False, curp="PEDE900303MSRRSC01"
            )
        )
    assert AccesoPendiente.objects.get().correo == "auditor@sonora.gob.mx"
    with pytest.raises(identidad.EntradaRechazada, match="ni un correo verificado"):
        identidad.entrada_resolver(
            identidad=_identidad(correo="auditor@sonora.gob.mx", correo_verificado=False)
        )


def _persona_del_proveedor(extra_data) -> Identidad:
    """Who the OpenID Connect provider says signed in, read from what allauth keeps of it."""
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin

    from cuentas.provider import ProveedorOIDC

    app = SocialApp(
        provider="openid_connect",
        provider_id="estatal",
        name="Cuenta institucional",
        settings={"server_url": "https://idp.invalid", "campo_curp": "curp"},
    )
    cuenta = SocialAccount(provider="estatal", uid="7", extra_data=extra_data)
    return ProveedorOIDC(request=None, app=app).identidad(SocialLogin(account=cuenta))


USERINFO = {"email": "ana@sonora.gob.mx", "email_verified": True, "curp": "x", "name": "Ana"}
ID_TOKEN = {"email": "token@sonora.gob.mx", "email_verified": False, "name": "Token"}
DE_USERINFO = ("ana@sonora.gob.mx", True, "X", "Ana")


@pytest.mark.parametrize(
    ("extra_data", "esperada"),
    [
        # The userinfo first: it says more than the ID token.
        ({"userinfo": USERINFO, "id_token": ID_TOKEN}, DE_USERINFO),
        ({"id_token": ID_TOKEN}, ("token@sonora.gob.mx", False, "", "Token")),
        # An account kept before allauth 65.11 has the claims at the top.
        (USERINFO, DE_USERINFO),
    ],
)
def test_la_persona_del_proveedor_oidc_se_lee_de_lo_que_allauth_guarda(extra_data, esperada):
    persona = _persona_del_proveedor(extra_data)
    assert (persona.correo, persona.correo_verificado, persona.curp, persona.nombre) == esperada
