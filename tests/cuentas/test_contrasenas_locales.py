"""Local passwords switched off (DJANGO_CONTRASENAS_LOCALES=false): nobody but the named
break-glass account enters with one, by any door that takes a password; the login page offers
the state's identity instead. And production refuses to start switched off without a way in."""

import pytest
from django.test import override_settings
from django.urls import reverse

from config.settings.identidad import proveedor_oidc, proveedores
from demo.usuarios import CONTRASENA_DEMO
from dictamenes.models import EventoAuditoria
from tests.config.test_settings import run_manage_production

APAGADAS = override_settings(
    DICTAMENES_CONTRASENAS_LOCALES=False,
    DICTAMENES_CUENTA_EMERGENCIA="admin",
    SOCIALACCOUNT_PROVIDERS=proveedores(
        oidc=proveedor_oidc(
            url="https://identidad.sonora.invalid",
            cliente="dictamenes",
            secreto="secreto",
            nombre="Cuenta institucional Sonora",
        )
    ),
)


@pytest.mark.django_db
@APAGADAS
def test_la_pagina_de_entrada_ofrece_la_identidad_del_estado_y_no_la_contrasena(client, demo):
    pagina = client.get(reverse("login")).content.decode()
    assert "Entrar con Cuenta institucional Sonora" in pagina
    assert 'action="/cuentas/oidc/estatal/login/"' in pagina
    # The password form is only behind «Acceso de emergencia», closed.
    assert "Acceso de emergencia" in pagina
    assert "<details" in pagina and '<details class="entrada-emergencia" open' not in pagina
    assert "¿Olvidó su contraseña?" not in pagina


@pytest.mark.django_db
@APAGADAS
def test_una_contrasena_correcta_no_basta_si_estan_apagadas(client, demo):
    respuesta = client.post(
        reverse("login"), {"username": "requirente.sh", "password": CONTRASENA_DEMO}
    )
    assert respuesta.status_code == 200
    assert "La entrada con contraseña está desactivada" in respuesta.content.decode()
    assert "_auth_user_id" not in client.session
    [rechazo] = EventoAuditoria.objects.filter(tipo="entrada_rechazada")
    assert rechazo.datos == {"usuario": "requirente.sh"}


@pytest.mark.django_db
@APAGADAS
def test_tampoco_por_la_entrada_de_la_administracion(client, demo):
    respuesta = client.post(
        reverse("admin:login"), {"username": "auditor", "password": CONTRASENA_DEMO}
    )
    assert respuesta.status_code == 200
    assert "_auth_user_id" not in client.session
    [rechazo] = EventoAuditoria.objects.filter(tipo="entrada_rechazada")
    assert rechazo.datos == {"usuario": "auditor"}


@pytest.mark.django_db
@APAGADAS
def test_la_cuenta_de_emergencia_si_entra(client, demo):
    respuesta = client.post(reverse("login"), {"username": "admin", "password": CONTRASENA_DEMO})
    assert respuesta.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_encendidas_por_omision_como_en_la_demostracion(client, demo):
    pagina = client.get(reverse("login")).content.decode()
    assert "Entrar con" not in pagina  # no provider configured
    assert "¿Olvidó su contraseña?" in pagina
    respuesta = client.post(
        reverse("login"), {"username": "requirente.sh", "password": CONTRASENA_DEMO}
    )
    assert respuesta.status_code == 302
    assert not EventoAuditoria.objects.filter(tipo="entrada_rechazada").exists()


@pytest.mark.parametrize(
    ("entorno", "mensaje"),
    [
        ({}, "sin proveedor de identidad"),
        (
            {
                "DJANGO_OIDC_URL": "https://identidad.sonora.invalid",
                "DJANGO_OIDC_CLIENTE": "dictamenes",
                "DJANGO_OIDC_SECRETO": "secreto",
            },
            "requiere DJANGO_CUENTA_EMERGENCIA",
        ),
    ],
)
def test_produccion_no_arranca_apagada_sin_forma_de_entrar(tmp_path, entorno, mensaje):
    resultado = run_manage_production(
        tmp_path, "check", DJANGO_CONTRASENAS_LOCALES="false", **entorno
    )
    assert resultado.returncode != 0
    assert mensaje in resultado.stderr


def test_produccion_arranca_apagada_con_proveedor_y_cuenta_de_emergencia(tmp_path):
    resultado = run_manage_production(
        tmp_path,
        "check",
        DJANGO_CONTRASENAS_LOCALES="false",
        DJANGO_CUENTA_EMERGENCIA="emergencia",
        DJANGO_LLAVE_AUTORIZACION="https://llave.sonora.invalid/oauth.xhtml",
        DJANGO_LLAVE_TOKEN="https://llave.sonora.invalid/rest/oauth/obtenerToken",
        DJANGO_LLAVE_DATOS="https://llave.sonora.invalid/rest/oauth/datosUsuario",
        DJANGO_LLAVE_CLIENTE="dictamenes",
        DJANGO_LLAVE_SECRETO="secreto",
    )
    assert resultado.returncode == 0, resultado.stderr
