"""Login throttling (django-axes), the password rules, the Content Security Policy, the
Permissions-Policy and CORS, and the production cookies, as a person or an attacker meets
them."""

import datetime
import json
import re

import pytest
import time_machine
from django.urls import reverse

from config.seguridad import PERMISOS_NEGADOS
from demo.usuarios import CONTRASENA_DEMO
from tests.config.test_settings import SECRET, run_python
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import perfil_de_area, usuario

pytestmark = pytest.mark.django_db

LOGIN = "/cuentas/login/"


def intentar(client, username, password, ip="10.0.0.7"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, follow=False
    )


def bloquear(client, username="firmante", ip="10.0.0.7"):
    for _ in range(4):
        respuesta = intentar(client, username, "no-es-la-contrasena", ip)
        assert respuesta.status_code == 200
        assert "El usuario o la contraseña no son correctos." in respuesta.content.decode()
    # The fifth failure is the one that locks.
    assert intentar(client, username, "no-es-la-contrasena", ip).status_code == 429


def test_cinco_intentos_fallidos_bloquean_aun_con_la_contrasena_correcta(demo, client):
    bloquear(client)
    respuesta = intentar(client, "firmante", CONTRASENA_DEMO)
    assert respuesta.status_code == 429
    html = respuesta.content.decode()
    assert "Acceso bloqueado temporalmente" in html
    assert "Hubo 5 intentos fallidos seguidos" in html and "durante 15 minutos" in html
    assert "_auth_user_id" not in client.session
    # The admin's login is the same door.
    admin = client.post(
        reverse("admin:login"),
        {"username": "firmante", "password": CONTRASENA_DEMO},
        REMOTE_ADDR="10.0.0.7",
    )
    assert admin.status_code == 429


def test_el_bloqueo_es_de_ese_usuario_desde_esa_direccion_y_dura_15_minutos(demo, client):
    bloquear(client)
    # Another person at the same office, and the same person from elsewhere, still enter.
    assert intentar(client, "mesa", CONTRASENA_DEMO).status_code == 302
    client.post(reverse("logout"))
    assert intentar(client, "firmante", CONTRASENA_DEMO, ip="10.0.0.8").status_code == 302
    client.post(reverse("logout"))
    assert intentar(client, "firmante", CONTRASENA_DEMO).status_code == 429
    with time_machine.travel(datetime.timedelta(minutes=16)):
        assert intentar(client, "firmante", CONTRASENA_DEMO).status_code == 302


def test_entrar_bien_pone_en_cero_los_fallos(demo, client):
    for _ in range(4):
        intentar(client, "firmante", "no-es-la-contrasena")
    assert intentar(client, "firmante", CONTRASENA_DEMO).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        intentar(client, "firmante", "no-es-la-contrasena")
    # Four more failures, not eight: still allowed.
    assert intentar(client, "firmante", CONTRASENA_DEMO).status_code == 302


def test_detras_del_proxy_cuenta_la_direccion_del_cliente(demo, client, settings):
    settings.DICTAMENES_PROXIES = 1
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "firmante", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 200.1.1.1",
        )
    # The proxy's client 200.1.1.1 is locked out; what it claimed to the left is ignored,
    # and another client behind the same proxy is not.
    otra = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "9.9.9.9, 200.1.1.2"}
    misma = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "5.5.5.5, 200.1.1.1"}
    datos = {"username": "firmante", "password": CONTRASENA_DEMO}
    assert client.post(LOGIN, datos, **misma).status_code == 429
    assert client.post(LOGIN, datos, **otra).status_code == 302


def test_detras_del_proxy_sin_direccion_se_entra_igual(demo, client, settings, caplog):
    """A proxy that sends no X-Forwarded-For in front of gunicorn's Unix socket (REMOTE_ADDR
    empty): the login works (it answered 500), and the log says what to fix."""
    settings.DICTAMENES_PROXIES = 1
    datos = {"username": "firmante", "password": CONTRASENA_DEMO}
    assert client.post(LOGIN, datos, REMOTE_ADDR="").status_code == 302
    assert "X-Forwarded-For" in caplog.text


@pytest.mark.parametrize(
    ("nueva", "mensaje"),
    [
        ("corta-1a", "La contraseña es demasiado corta. Debe contener por lo menos 12"),
        ("123456789012345", "Esta contraseña es totalmente numérica."),
        ("password1234", "Esta contraseña es muy común."),
        ("firmante2026", "La contraseña es muy similar a"),
    ],
)
def test_una_contrasena_debil_se_rechaza_en_espanol(demo, client, nueva, mensaje):
    entrar(client, "firmante")
    respuesta = client.post(
        reverse("password_change"),
        {"old_password": CONTRASENA_DEMO, "new_password1": nueva, "new_password2": nueva},
    )
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert mensaje in html
    assert 'id="id_new_password2_error"' in html  # next to its field, for screen readers
    client.post(reverse("logout"))
    entrar(client, "firmante")  # the old password still works


def test_una_contrasena_fuerte_se_acepta(demo, client):
    entrar(client, "firmante")
    nueva = "Nopal-Saguaro-Bacanora-7"
    respuesta = client.post(
        reverse("password_change"),
        {"old_password": CONTRASENA_DEMO, "new_password1": nueva, "new_password2": nueva},
    )
    assert respuesta.url == reverse("password_change_done")
    assert "Su contraseña se cambió" in client.get(respuesta.url).content.decode()
    client.post(reverse("logout"))
    entrar(client, "firmante", nueva)


POLITICA_ESTRICTA = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}


def politica(respuesta) -> dict:
    return dict(
        (d.strip().split(" ", 1) + [""])[:2]
        for d in respuesta.headers["Content-Security-Policy"].split(";")
    )


@pytest.mark.parametrize(
    "url", ["/", "/cuentas/login/", "/registro/", "/verificar/", "/estandares/", "/solicitudes/"]
)
def test_las_paginas_propias_llevan_la_politica_estricta(demo, client, url):
    entrar(client, "auditor")
    reglas = politica(client.get(url))
    for directiva, valor in POLITICA_ESTRICTA.items():
        assert reglas[directiva] == valor, directiva
    assert "style-src-attr" not in reglas


@pytest.mark.parametrize("url", ["/flujos/workflow/inbox/", "/admin/", "/api/v1/docs/"])
def test_las_paginas_de_terceros_solo_permiten_atributos_de_estilo(demo, admin_client, url):
    reglas = politica(admin_client.get(url))
    assert reglas["style-src-attr"] == "'unsafe-inline'"
    assert reglas["script-src"] == "'self'"


COOKIES_DE_PRODUCCION = """
import json, django
django.setup()
from django.test.utils import override_settings
# No collectstatic here: plain static storage, the cookies are what is looked at.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
User.objects.create_user("persona", password="una-contrasena-larga-2026")
from django.test import Client
c = Client(HTTP_HOST="dictamenes.sonora.gob.mx")
pagina = c.get("/cuentas/login/", secure=True)
entrada = c.post(
    "/cuentas/login/",
    {"username": "persona", "password": "una-contrasena-larga-2026"},
    secure=True,
)
cookies = {**pagina.cookies, **entrada.cookies}
print(json.dumps({
    "cookies": {n: {k: str(m[k]) for k in ("secure", "httponly", "samesite", "path", "domain")}
                for n, m in cookies.items()},
    "entrada": entrada.status_code,
    "hsts": pagina.headers.get("Strict-Transport-Security"),
    "csp": pagina.headers.get("Content-Security-Policy"),
    "http": c.get("/", secure=False).status_code,
}))
"""


def test_en_produccion_las_cookies_son_seguras_y_solo_https(tmp_path):
    resultado = run_python(
        COOKIES_DE_PRODUCCION,
        "config.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="dictamenes.sonora.gob.mx",
        DJANGO_URL_PUBLICA="https://dictamenes.sonora.gob.mx",
        DJANGO_VAR_DIR=str(tmp_path),
    )
    assert resultado.returncode == 0, resultado.stderr
    datos = json.loads(resultado.stdout.strip().splitlines()[-1])
    assert datos["entrada"] == 302
    cookies = datos["cookies"]
    assert set(cookies) == {"__Host-csrftoken", "__Host-sesion"}
    for nombre, atributos in cookies.items():
        assert atributos["secure"] == "True", nombre
        assert atributos["samesite"] == "Lax", nombre
        assert atributos["path"] == "/" and atributos["domain"] == "", nombre
    assert cookies["__Host-sesion"]["httponly"] == "True"
    assert datos["hsts"].startswith("max-age=31536000")
    assert "script-src 'self'" in datos["csp"]
    assert datos["http"] == 301  # plain HTTP goes to HTTPS


def test_restablecer_la_contrasena_por_correo_con_las_mismas_reglas(demo, client, mailoutbox):
    from django.contrib.auth import get_user_model

    correo = get_user_model().objects.get(username="firmante").email
    respuesta = client.post(reverse("password_reset"), {"email": correo})
    assert respuesta.url == reverse("password_reset_done")
    assert "Revise su correo" in client.get(respuesta.url).content.decode()
    (mensaje,) = mailoutbox
    enlace = re.search(r"http://testserver(/cuentas/reset/\S+/)", mensaje.body).group(1)

    formulario = client.get(enlace, follow=True)
    assert "Elegir una contraseña nueva" in formulario.content.decode()
    destino = formulario.redirect_chain[-1][0]
    debil = client.post(destino, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "Esta contraseña es totalmente numérica." in debil.content.decode()
    nueva = "Pitahaya-Mezquite-Yaqui-9"
    hecho = client.post(destino, {"new_password1": nueva, "new_password2": nueva})
    assert hecho.url == reverse("password_reset_complete")
    entrar(client, "firmante", nueva)

    # The link works once: used again, the page says so.
    client.post(reverse("logout"))
    usado = client.get(enlace, follow=True).content.decode()
    assert "El enlace no es válido: ya se usó o venció" in usado


# --- Finding 7 of issue 18: Permissions-Policy everywhere, CORS only on what anyone may read ---

ORIGEN = "https://herramienta.ejemplo.org"
# What anyone may read without a session: the open data and the public API.
ABIERTAS = [
    "/datos-abiertos/",
    "/datos-abiertos/dictamenes.csv",
    "/datos-abiertos/dictamenes.json",
    "/datos-abiertos/catalogo.jsonld",
    "/api/v1/registro/",
    "/api/v1/estandares/publicaciones/",
    "/api/v1/estandares/categorias/",
    "/api/v1/estandares/perfiles/",
    "/api/v1/estandares/requisitos/",
    "/api/v1/ahorros/",
    "/api/v1/esquema/",
]
# Pages, the authenticated API, the admin: no Access-Control-Allow-Origin at all.
CERRADAS = [
    "/",
    "/registro/",
    "/verificar/",
    "/estandares/",
    "/solicitudes/",
    "/indicadores/",
    "/cuentas/login/",
    "/admin/",
    "/flujos/workflow/inbox/",
    "/api/v1/",
    "/api/v1/solicitudes/",
    "/api/v1/dictamenes/",
    "/api/v1/indicadores/",
    "/api/v1/docs/",
]


def permisos(respuesta) -> dict:
    return dict(p.strip().split("=", 1) for p in respuesta["Permissions-Policy"].split(","))


def test_cada_respuesta_niega_camara_microfono_ubicacion_y_pagos(demo, client):
    # One demo for every address (loading it is most of the time).
    for sesion in (None, "auditor"):
        if sesion:
            entrar(client, sesion)
        for url in [*ABIERTAS, *CERRADAS, "/no-existe/"]:
            politica = permisos(client.get(url))
            for permiso in ("camera", "microphone", "geolocation", "payment", "usb"):
                assert politica[permiso] == "()", (url, permiso)
            assert set(politica) == set(PERMISOS_NEGADOS), url


def test_las_paginas_de_error_tambien_llevan_la_politica_de_permisos(client):
    assert (
        "camera=()"
        in client.post(reverse("login"), {}, HTTP_HOST="otro.host")["Permissions-Policy"]
    )  # 400: host not allowed


def test_los_datos_abiertos_y_la_api_publica_se_leen_desde_otro_sitio(demo, client):
    for url in ABIERTAS:
        respuesta = client.get(url, HTTP_ORIGIN=ORIGEN)
        assert respuesta.status_code == 200, url
        assert respuesta["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in respuesta, url


@pytest.mark.parametrize("url", ["/datos-abiertos/dictamenes.json", "/api/v1/registro/"])
def test_la_consulta_previa_del_navegador_se_responde(demo, client, url):
    respuesta = client.options(url, HTTP_ORIGIN=ORIGEN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert respuesta.status_code == 200
    assert respuesta["Access-Control-Allow-Origin"] == "*"
    assert "GET" in respuesta["Access-Control-Allow-Methods"]
    # No token nor cookie crosses: only anonymous reading.
    assert "authorization" not in respuesta["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in respuesta


def test_la_api_publica_evalua_un_perfil_desde_otro_sitio(demo, client):
    perfil = perfil_de_area("computo")
    url = reverse("api:perfil-evaluar", args=[perfil.pk])
    previa = client.options(
        url,
        HTTP_ORIGIN=ORIGEN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert previa["Access-Control-Allow-Origin"] == "*"
    assert "POST" in previa["Access-Control-Allow-Methods"]
    respuesta = client.post(url, {}, content_type="application/json", HTTP_ORIGIN=ORIGEN)
    assert respuesta["Access-Control-Allow-Origin"] == "*"


def test_nada_mas_permite_lecturas_desde_otro_sitio(demo, client):
    entrar(client, "auditor")
    for url in CERRADAS:
        respuesta = client.get(url, HTTP_ORIGIN=ORIGEN)
        assert "Access-Control-Allow-Origin" not in respuesta, url
        previa = client.options(url, HTTP_ORIGIN=ORIGEN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
        assert "Access-Control-Allow-Origin" not in previa, url


def test_la_api_autenticada_no_se_abre_a_otro_sitio_ni_con_token(demo, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=usuario("auditor"))
    respuesta = client.get(
        "/api/v1/solicitudes/", HTTP_ORIGIN=ORIGEN, HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert respuesta.status_code == 200
    assert "Access-Control-Allow-Origin" not in respuesta
