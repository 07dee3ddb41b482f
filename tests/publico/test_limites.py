"""Finding 3 of issue 18: 40 uploads to /verificar/ from one address were all answered 200 in
6 s, each up to 30 MB, read whole and run through signature validation. Now every form an
anonymous visitor may send is limited per client address (429 in Spanish, with Retry-After),
and the verification upload is capped at what a dictamen weighs and read as it arrives."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.urls.resolvers import RoutePattern

from dictamenes.emision.services import integridad
from publico import subida
from publico import views as vistas
from tests.backends.proveedor_oidc import proveedor_iniciado
from tests.cuentas.identidad_utils import CLAVE_OIDC, configuracion, retornos
from tests.dictamenes.flujo_utils import pdf_valido, perfil_de_area, usuario

pytestmark = pytest.mark.django_db

PDF = pdf_valido()
CLIENTE = "200.76.10.5"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def reloj_detenido():
    """The limits count in fixed windows: the clock stands still unless a test moves it."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, 5), tick=False) as reloj:
        yield reloj


def subir(client, contenido=PDF, ip=CLIENTE, **extra):
    return client.post(
        reverse("verificar"),
        {"pdf": SimpleUploadedFile("dictamen.pdf", contenido)},
        REMOTE_ADDR=ip,
        **extra,
    )


@pytest.fixture(scope="module")
def proveedor():
    """The test identity provider (OpenID Connect, and Llave's names) on loopback."""
    servidor = proveedor_iniciado(**retornos("http://testserver"))
    yield servidor
    servidor.stop()


@pytest.fixture
def con_proveedores(settings, proveedor):
    """Both identity providers configured, as the environment would: their sign-in routes
    exist (with none configured they answer 404, and nothing about them is tested)."""
    settings.SOCIALACCOUNT_PROVIDERS = configuracion(proveedor)
    return proveedor


def limitada(respuesta, maximo_segundos) -> str:
    """The 429 page: Spanish, and a Retry-After the visitor can trust."""
    assert respuesta.status_code == 429
    assert 0 < int(respuesta["Retry-After"]) <= maximo_segundos
    html = respuesta.content.decode()
    assert "Demasiadas solicitudes" in html
    assert "Por seguridad, espere" in html
    return html


def test_de_41_subidas_desde_una_direccion_las_primeras_10_se_verifican(client, reloj_detenido):
    respuestas = [subir(client) for _ in range(41)]
    assert [r.status_code for r in respuestas[:10]] == [200] * 10
    assert "Documento NO auténtico." in respuestas[0].content.decode()
    for respuesta in respuestas[10:]:
        html = limitada(respuesta, 60)
        assert "Documento" not in html  # the PDF was not verified
    # Another address is not affected.
    assert subir(client, ip="189.203.4.4").status_code == 200
    # Once the wait it announced is over, the same address verifies again.
    reloj_detenido.shift(int(respuestas[-1]["Retry-After"]))
    assert subir(client).status_code == 200


def test_con_sesion_tambien_hay_limite_y_se_cuenta_por_la_cuenta(demo, client):
    """A session is no way around the limit: a signed-in person counts by their account, so
    changing address does not help, and a colleague at the same office is not affected."""
    from django.test import Client

    from tests.dictamenes.flujo_utils import usuario

    client.force_login(usuario("requirente.sh"))
    for i in range(10):
        assert subir(client, ip=f"189.203.4.{i}").status_code == 200
    limitada(subir(client, ip="189.203.4.99"), 60)
    colega = Client()
    colega.force_login(usuario("requirente.rc"))
    assert subir(colega).status_code == 200


def test_mas_de_60_subidas_en_una_hora_esperan_a_la_hora_siguiente(client, reloj_detenido):
    for _ in range(6):
        assert {subir(client).status_code for _ in range(10)} == {200}
        reloj_detenido.shift(60)
    respuesta = subir(client)
    limitada(respuesta, 3600)
    reloj_detenido.shift(int(respuesta["Retry-After"]))
    assert subir(client).status_code == 200


def test_x_forwarded_for_no_cuenta_sin_proxies_de_confianza(client):
    """Writing another address in X-Forwarded-For does not escape the limit..."""
    for i in range(10):
        assert subir(client, HTTP_X_FORWARDED_FOR=f"10.9.9.{i}").status_code == 200
    limitada(subir(client, HTTP_X_FORWARDED_FOR="10.9.9.99"), 60)


def test_detras_del_proxy_cuenta_la_direccion_que_vio_el_proxy(client, settings):
    """...but behind DJANGO_PROXIES=1 each client the proxy saw has its own count."""
    settings.DICTAMENES_PROXIES = 1
    proxy = {"ip": "10.0.0.1"}
    for _ in range(10):
        assert subir(client, HTTP_X_FORWARDED_FOR="200.1.1.1", **proxy).status_code == 200
    limitada(subir(client, HTTP_X_FORWARDED_FOR="1.2.3.4, 200.1.1.1", **proxy), 60)
    assert subir(client, HTTP_X_FORWARDED_FOR="200.1.1.2", **proxy).status_code == 200


# --- The other forms anyone may send ------------------------------------------------------------


def test_el_formulario_de_entrada_se_limita_por_direccion(demo, client):
    """Many usernames from one address (django-axes locks one username after 5 failures)."""
    for i in range(30):
        datos = {"username": f"persona{i}", "password": "x"}
        assert client.post(reverse("login"), datos, REMOTE_ADDR=CLIENTE).status_code == 200
    datos = {"username": "persona30", "password": "x"}
    limitada(client.post(reverse("login"), datos, REMOTE_ADDR=CLIENTE), 60)
    for i in range(30):
        datos = {"username": f"persona{i}", "password": "x"}
        client.post(reverse("admin:login"), datos, REMOTE_ADDR=CLIENTE)
    limitada(client.post(reverse("admin:login"), datos, REMOTE_ADDR=CLIENTE), 60)
    # Reading the login page is never limited.
    assert client.get(reverse("login"), REMOTE_ADDR=CLIENTE).status_code == 200


@pytest.mark.parametrize(
    ("boton", "destino"),
    [
        (f"/cuentas/oidc/{CLAVE_OIDC}/login/", "issuer"),
        ("/cuentas/llave/login/", "llave_autorizar_url"),
    ],
    ids=["oidc", "llave"],
)
def test_entrar_con_un_proveedor_se_limita_por_direccion(
    demo, client, con_proveedores, boton, destino
):
    """«Entrar con …» writes a session and asks the provider each time: 30 a minute from one
    address are sent to the provider, the 31st waits (the form's limit, as the login page's)."""
    autorizar = getattr(con_proveedores, destino)
    for _ in range(30):
        respuesta = client.post(boton, REMOTE_ADDR=CLIENTE)
        assert respuesta.status_code == 302
        assert respuesta["Location"].startswith(autorizar)
    html = limitada(client.post(boton, REMOTE_ADDR=CLIENTE), 60)
    assert autorizar not in html
    # Another address is not affected.
    assert client.post(boton, REMOTE_ADDR="189.203.4.4").status_code == 302


def test_restablecer_la_contrasena_envia_a_lo_mas_5_correos_por_minuto(demo, client, mailoutbox):
    from django.contrib.auth import get_user_model

    correo = get_user_model().objects.get(username="firmante").email
    for _ in range(5):
        respuesta = client.post(reverse("password_reset"), {"email": correo}, REMOTE_ADDR=CLIENTE)
        assert respuesta.status_code == 302
    limitada(client.post(reverse("password_reset"), {"email": correo}, REMOTE_ADDR=CLIENTE), 60)
    assert len(mailoutbox) == 5


def test_la_autoevaluacion_de_estandares_se_limita(demo, client):
    url = reverse("estandares:autoevaluacion")
    respuestas = [client.post(url, {}, REMOTE_ADDR=CLIENTE) for _ in range(31)]
    assert {r.status_code for r in respuestas[:30]} == {200}
    limitada(respuestas[30], 60)


def test_la_api_publica_responde_429_en_json_y_en_espanol(demo, client):
    perfil = perfil_de_area("computo")
    url = reverse("api:perfil-evaluar", args=[perfil.pk])
    respuestas = [
        client.post(url, {}, content_type="application/json", REMOTE_ADDR=CLIENTE)
        for _ in range(31)
    ]
    assert all(r.status_code != 429 for r in respuestas[:30])
    ultima = respuestas[30]
    assert ultima.status_code == 429
    assert ultima["Content-Type"] == "application/json"
    assert 0 < int(ultima["Retry-After"]) <= 60
    detalle = ultima.json()["detail"]
    assert detalle.startswith("Demasiadas solicitudes desde su dirección. Intente de nuevo en ")
    # As the published schema says it (Schemathesis's status, header and body conformance).
    import jsonschema

    esquema = client.get(reverse("api:esquema"), HTTP_ACCEPT="application/json").json()
    operacion = esquema["paths"]["/api/v1/estandares/perfiles/{id}/evaluar/"]["post"]
    documentada = operacion["responses"]["429"]
    assert {n.lower() for n in documentada["headers"]} <= {n.lower() for n in ultima.headers}
    jsonschema.validate(ultima.json(), esquema["components"]["schemas"]["Error"])


def test_un_sistema_con_token_no_es_anonimo_para_la_api(demo, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=usuario("auditor"))
    perfil = perfil_de_area("computo")
    url = reverse("api:perfil-evaluar", args=[perfil.pk])
    for _ in range(35):
        respuesta = client.post(
            url,
            {},
            content_type="application/json",
            REMOTE_ADDR=CLIENTE,
            HTTP_AUTHORIZATION=f"Token {token.key}",
        )
        assert respuesta.status_code != 429


# --- The size of the upload ----------------------------------------------------------------------


def test_un_pdf_mas_grande_que_el_limite_se_rechaza_en_espanol(client):
    respuesta = subir(client, PDF + bytes(subida.maximo()))
    assert respuesta.status_code == 413
    html = respuesta.content.decode()
    assert "El archivo pesa más de 2.0\xa0MB: es demasiado grande para ser un dictamen" in html
    assert "Documento" not in html


def test_un_cuerpo_anunciado_mayor_que_el_limite_se_rechaza_sin_leerlo():
    class CuerpoQueNoSeLee(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("se leyó el cuerpo de una subida que debía rechazarse")

    peticion = RequestFactory().post(
        reverse("verificar"),
        content_type="multipart/form-data; boundary=LIMITE",
        CONTENT_LENGTH=str(30 * MB),
    )
    peticion.META["wsgi.input"] = CuerpoQueNoSeLee()
    peticion._stream = CuerpoQueNoSeLee()
    respuesta = vistas.verificar(peticion)
    assert respuesta.status_code == 413
    assert "demasiado grande para ser un dictamen" in respuesta.content.decode()


def test_de_un_archivo_que_no_es_pdf_no_se_guarda_mas_que_su_principio(client, monkeypatch):
    recibido = {}
    original = integridad.pdf_subido_verificar

    def espiar(*, archivo):
        recibido["tamano"] = archivo.size
        return original(archivo=archivo)

    monkeypatch.setattr(integridad, "pdf_subido_verificar", espiar)
    respuesta = subir(client, b"MZ" + bytes(MB))
    assert respuesta.status_code == 200
    assert "El archivo no es un PDF." in respuesta.content.decode()
    assert recibido["tamano"] <= 64 * 1024  # the first chunk, not the megabyte


def test_el_pdf_de_un_dictamen_llega_entero_y_se_verifica(client, monkeypatch):
    recibido = {}
    original = integridad.pdf_subido_verificar

    def espiar(*, archivo):
        recibido["tamano"] = archivo.size
        recibido["en_disco"] = hasattr(archivo, "temporary_file_path")
        return original(archivo=archivo)

    monkeypatch.setattr(integridad, "pdf_subido_verificar", espiar)
    grande = PDF + b"%" + bytes(MB)
    assert subir(client, grande).status_code == 200
    # Written to a temporary file as it arrived; read into memory once, by the verification.
    assert recibido == {"tamano": len(grande), "en_disco": True}


# --- Every form anyone may send is in the table --------------------------------------------------

# Answer an anonymous POST without reading it (as a GET, or by leaving): nothing to limit.
SIN_CUERPO = {
    "logout",
    "admin:logout",
    "inicio",
    "index",  # /flujos/ redirects to its queue
    "estandares:catalogo",
    "estandares:edicion",
    "estandares:comparar",
    "estandares:categoria",
}
# Reach a view that reads the POST and refuses it for what it names, not for who sends it:
# each one by name, with its exact answer.
RECHAZADAS = {
    # Where a provider sends the browser back (with a GET). Without a sign-in started in this
    # browser (its state) the answer is the refusal page, whatever the method.
    "openid_connect_callback": 403,
    "llave_callback": 403,
    # Whoever cannot see the request is told it does not exist (design.md), signed in or not.
    "solicitudes:dictamen_pdf": 404,
}


def _rutas():
    """(URL name, sample kwargs) of every named URL; DRF's format suffixes left out."""

    def recorrer(resolver, espacio=""):
        for patron in resolver.url_patterns:
            if hasattr(patron, "url_patterns"):
                yield from recorrer(
                    patron, espacio + (f"{patron.namespace}:" if patron.namespace else "")
                )
            elif patron.name:
                if isinstance(patron.pattern, RoutePattern):
                    nombres = patron.pattern.converters
                else:
                    nombres = patron.pattern.regex.groupindex
                if "format" not in nombres:
                    yield espacio + patron.name, dict.fromkeys(nombres, "1")

    yield from recorrer(get_resolver())


def sin_nada_que_leer(url: str, respuesta) -> bool:
    """Refused before the view reads the form, for who asks or how: the method (405), the
    API's credentials (401), a login page first, or viewflow's door (403 under /flujos/)."""
    if respuesta.status_code in (401, 405):
        return True
    if respuesta.status_code == 302:
        return respuesta["Location"].startswith(("/cuentas/login/", "/admin/login/"))
    return respuesta.status_code == 403 and url.startswith("/flujos/")


def test_cada_formulario_que_acepta_un_anonimo_tiene_limite(demo, settings, con_proveedores):
    """A new page that an anonymous visitor may POST to fails here until it has a limit. Every
    named URL is asked, with the identity providers configured and real objects where a
    sample "1" would not exist: no route is passed over for a 404 of its own."""
    from estandares import selectors as estandares_selectors

    vigente = estandares_selectors.publicacion_vigente(fecha=datetime.date(2026, 3, 2))
    categoria = vigente.categorias.order_by("pk").first()
    existentes = {
        # An object that exists where "1" may not (PostgreSQL does not restart its sequences).
        "api:perfil-evaluar": {"pk": perfil_de_area("computo").pk},
        "estandares:edicion": {"version": vigente.version},
        "estandares:categoria": {"version": vigente.version, "clave": categoria.clave},
        "openid_connect_login": {"provider_id": CLAVE_OIDC},
        "openid_connect_callback": {"provider_id": CLAVE_OIDC},
        "admin:app_list": {"app_label": "dictamenes"},
    }
    alcanzadas, rechazadas = set(), {}
    for numero, (nombre, kwargs) in enumerate(_rutas()):
        url = reverse(nombre, kwargs=existentes.get(nombre, kwargs))
        ip = f"10.{numero // 250}.{numero % 250}.1"
        respuesta = Client().post(url, {}, REMOTE_ADDR=ip)
        if sin_nada_que_leer(url, respuesta):
            continue
        if nombre in RECHAZADAS:
            rechazadas[nombre] = respuesta.status_code
        else:
            alcanzadas.add(nombre)
    assert rechazadas == RECHAZADAS
    assert alcanzadas == SIN_CUERPO | set(settings.DICTAMENES_LIMITES)
