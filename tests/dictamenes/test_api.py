"""The API shows each person exactly what the pages show, and nothing more."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from demo.usuarios import USUARIOS
from dictamenes.api import campos
from dictamenes.models import Dictamen, Solicitud
from dictamenes.tramite.selectors.access import solicitudes_visibles
from dictamenes.tramite.services import solicitudes
from estandares import entradas
from tests.dictamenes.flujo_utils import borrador, en_firma, firmar, usuario
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db


def _datos():
    # One request of each agency with a demo requirente; one of them signed.
    borrador(requirente="requirente.rc", titulo="Del Registro Civil")
    return firmar(en_firma(areas=("computo",)))


datos_del_modulo = por_modulo(_datos)


@pytest.fixture
def datos(demo, datos_del_modulo):
    return de_nuevo(datos_del_modulo)


def cliente(username):
    api = APIClient()
    api.force_authenticate(usuario(username))
    return api


def ids(respuesta):
    return {fila["id"] for fila in respuesta.json()["results"]}


@pytest.mark.parametrize("username", [u[0] for u in USUARIOS])
def test_la_api_y_las_paginas_ven_lo_mismo(datos, client, username):
    persona = usuario(username)
    esperadas = set(solicitudes_visibles(usuario=persona).values_list("pk", flat=True))
    api = cliente(username)
    assert ids(api.get("/api/v1/solicitudes/")) == esperadas
    client.force_login(persona)
    for solicitud in Solicitud.objects.all():
        pagina = client.get(reverse("solicitudes:detalle", args=[solicitud.pk])).status_code
        detalle = api.get(f"/api/v1/solicitudes/{solicitud.pk}/").status_code
        assert (pagina == 200) == (detalle == 200) == (solicitud.pk in esperadas)
    dictamenes = ids(api.get("/api/v1/dictamenes/"))
    visibles = set(Dictamen.objects.filter(solicitud__in=esperadas).values_list("pk", flat=True))
    assert dictamenes == visibles
    for dictamen in Dictamen.objects.all():
        pdf = api.get(f"/api/v1/dictamenes/{dictamen.pk}/pdf/")
        pagina = client.get(
            reverse("solicitudes:dictamen_pdf", args=[dictamen.solicitud_id, dictamen.pk])
        )
        assert pdf.status_code == pagina.status_code
    indicadores = api.get("/api/v1/indicadores/").status_code
    pagina = client.get(reverse("indicadores")).status_code
    assert (indicadores == 200) == (pagina == 200)


def test_anonimos_solo_ven_el_registro_publico(datos):
    api = APIClient()
    for ruta in ("/api/v1/solicitudes/", "/api/v1/dictamenes/"):
        # TokenAuthentication comes first, so DRF answers 401 and says how to authenticate.
        respuesta = api.get(ruta)
        assert respuesta.status_code == 401, ruta
        assert respuesta["WWW-Authenticate"] == "Token"
        assert respuesta.json() == {"detail": "Las credenciales de autenticación no se proveyeron."}
    registro = api.get("/api/v1/registro/").json()
    assert registro["results"][0]["folio"] == datos.folio
    assert "firmante" not in str(registro).lower()


def test_un_sistema_con_token_crea_un_borrador_de_su_ente(datos):
    token = Token.objects.create(user=usuario("requirente.sh"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    respuesta = api.post(
        "/api/v1/solicitudes/",
        {
            "tipo_operacion": "adquisicion",
            "titulo": "Desde el sistema de compras",
            "justificacion": "Equipos con más de diez años de uso.",
            "alineacion": "Eje 3",
            "monto_estimado": "1000.00",
            "ejercicio": 2026,
        },
        format="json",
    )
    assert respuesta.status_code == 201, respuesta.json()
    creada = Solicitud.objects.get(titulo="Desde el sistema de compras")
    assert (creada.ente.siglas, creada.estado) == ("SH", "borrador")
    assert creada.eventos.get().tipo == "creacion"


def test_errores_en_json_y_en_espanol(datos):
    api = cliente("mesa")
    respuesta = api.post(
        "/api/v1/solicitudes/",
        {
            "tipo_operacion": "adquisicion",
            "titulo": "x",
            "justificacion": "Equipos con más de diez años de uso.",
            "alineacion": "x",
            "monto_estimado": "1",
            "ejercicio": 2026,
        },
        format="json",
    )
    assert respuesta.status_code == 403
    assert respuesta.json()["detail"] == "Solo el personal de una dependencia crea solicitudes."
    respuesta = cliente("requirente.sh").post("/api/v1/solicitudes/", {"titulo": ""}, format="json")
    assert respuesta.status_code == 400
    assert "Este campo es requerido." in str(respuesta.json())


def test_el_esquema_openapi_es_valido(tmp_path):
    from openapi_spec_validator import validate
    from openapi_spec_validator.readers import read_from_filename

    archivo = tmp_path / "esquema.yaml"
    call_command("spectacular", "--file", str(archivo), "--validate", "--fail-on-warn")
    esquema, _ = read_from_filename(str(archivo))
    validate(esquema)
    for ruta in (
        "/api/v1/solicitudes/",
        "/api/v1/dictamenes/{id}/pdf/",
        "/api/v1/registro/",
        "/api/v1/indicadores/",
    ):
        assert ruta in esquema["paths"]


def test_documentacion_navegable(client):
    respuesta = client.get("/api/v1/docs/")
    assert respuesta.status_code == 200
    assert "swagger" in respuesta.content.decode().lower()


def test_un_filtro_o_una_pagina_que_no_son_numero_dan_400_en_espanol(datos):
    """They were ignored (the whole list came back): now the API says what is wrong."""
    from estandares import entradas

    api = cliente("auditor")
    assert api.get("/api/v1/solicitudes/", {"monto_max": "NaN"}).json() == {
        "monto_max": [str(entradas.ERROR_MONTO)]
    }
    assert api.get("/api/v1/solicitudes/", {"ejercicio": "1e3", "ente": "-1"}).json() == {
        "ente": [str(entradas.ERROR_ENTERO)],
        "ejercicio": [str(entradas.ERROR_ENTERO)],
    }
    for lista in ("/api/v1/solicitudes/", "/api/v1/dictamenes/"):
        respuesta = api.get(lista, {"page": "Infinity"})
        assert respuesta.status_code == 400
        assert respuesta.json() == {"page": [str(entradas.ERROR_PAGINA)]}
        # A well-formed page past the last is DRF's 404, as before.
        assert api.get(lista, {"page": "99"}).status_code == 404
    # Well-formed values still filter.
    assert ids(api.get("/api/v1/solicitudes/", {"monto_min": "1", "monto_max": "999999999.99"}))


NUEVA = {
    "tipo_operacion": "adquisicion",
    "titulo": "Conmutadores para el C5i",
    "justificacion": "Los actuales ya no tienen soporte.",
    "alineacion": "Eje 3",
    "monto_estimado": "150000.50",
    "ejercicio": 2026,
}


def _crear(**cambios):
    return cliente("requirente.sh").post(
        "/api/v1/solicitudes/", {**NUEVA, **cambios}, format="json"
    )


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        # Accepted before, against the schema that Schemathesis reads: now refused.
        ("monto_estimado", "-1", campos.ERROR_MONTO_POSITIVO),
        ("monto_estimado", "0", campos.ERROR_MONTO_POSITIVO),
        ("monto_estimado", "0.00", campos.ERROR_MONTO_POSITIVO),
        ("monto_estimado", "1e3", entradas.ERROR_MONTO),
        ("monto_estimado", "", entradas.ERROR_MONTO),
        ("monto_estimado", 1000, campos.ERROR_NO_ES_TEXTO),
        # The current fiscal year or the next (issue 59): the service's own message.
        ("ejercicio", 0, "El ejercicio fiscal de una solicitud es el actual ("),
        ("ejercicio", 32768, "El ejercicio fiscal de una solicitud es el actual ("),
        ("titulo", 12345, campos.ERROR_NO_ES_TEXTO),
        # A tab at the end was stripped and accepted; inside, refused: refused either way now.
        ("titulo", "Conmutadores\t", "(U+0009)"),
        ("justificacion", "   ", "Este campo no puede estar en blanco."),
        ("alineacion", "x" * 4001, "no tenga más de 4000 caracteres"),
    ],
)
def test_la_api_rechaza_lo_que_el_esquema_no_permite(datos, campo, valor, mensaje):
    respuesta = _crear(**{campo: valor})
    assert respuesta.status_code == 400
    assert str(mensaje) in str(respuesta.json()[campo])
    assert not Solicitud.objects.filter(titulo=NUEVA["titulo"]).exists()


def test_la_api_acepta_lo_que_el_esquema_permite(datos):
    """A CR LF in a multi-line text (what a textarea sends) was refused as a control
    character: it is a line break, stored as LF as the pages store it."""
    respuesta = _crear(
        justificacion="Primera línea.\r\nSegunda línea.",
        monto_estimado="0.01",
        # The next fiscal year at most (issue 59, item 5; it accepted 2100 before).
        ejercicio=timezone.localdate().year + 1,
        titulo="  Conmutadores para el C5i  ",
    )
    assert respuesta.status_code == 201, respuesta.json()
    creada = Solicitud.objects.get(pk=respuesta.json()["id"])
    assert creada.justificacion == "Primera línea.\nSegunda línea."
    assert creada.titulo == "Conmutadores para el C5i"
    assert str(creada.monto_estimado) == "0.01"
    assert respuesta.json()["titulo"] == "Conmutadores para el C5i"


def test_un_numero_de_la_consulta_con_espacios_da_400(datos):
    """`?page=%1F` (a control character that Python counts as a blank) was read as the first
    page, and `?ente=%20` as no filter: the schema says integer, so the API says 400."""
    api = cliente("auditor")
    for lista in ("/api/v1/solicitudes/", "/api/v1/dictamenes/", "/api/v1/registro/"):
        assert api.get(lista, {"page": "\x1f"}).json() == {"page": [str(entradas.ERROR_PAGINA)]}
        assert api.get(lista, {"page": " 1"}).status_code == 400
        assert api.get(lista, {"page": ""}).status_code == 200
    assert api.get("/api/v1/estandares/perfiles/", {"page": "1 "}).status_code == 400
    assert api.get("/api/v1/solicitudes/", {"ente": " "}).json() == {
        "ente": [str(entradas.ERROR_ENTERO)]
    }
    assert api.get("/api/v1/solicitudes/", {"ente": "", "ejercicio": ""}).status_code == 200


def test_la_lista_de_dictamenes_enlaza_cada_pdf(datos):
    api = cliente("requirente.sh")
    (fila,) = api.get("/api/v1/dictamenes/").json()["results"]
    assert fila["url_pdf"] == f"http://testserver/api/v1/dictamenes/{fila['id']}/pdf/"
    pdf = api.get(fila["url_pdf"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert api.get(f"/api/v1/dictamenes/{fila['id']}/").json()["url_pdf"] == fila["url_pdf"]


def _otra_vez_sin_partidas(api, ruta: str) -> dict:
    """The list read twice: the second answer is the first, and it asks nothing of the items
    (its rows were kept at this version of the data)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    primera = api.get(ruta).json()
    with CaptureQueriesContext(connection) as capturadas:
        segunda = api.get(ruta).json()
    assert segunda == primera
    assert not any('"dictamenes_partida"' in q["sql"] for q in capturadas), capturadas
    return segunda


def test_la_lista_de_solicitudes_se_arma_una_vez_por_version_de_los_datos(datos):
    """A page of /api/v1/solicitudes/ is built once per version of the data: read again, its
    items are not asked; a draft's title corrected through its door (the same page, the same
    ids), the very next read says so; and who may not see the draft, still does not."""
    api = cliente("auditor")
    _otra_vez_sin_partidas(api, "/api/v1/solicitudes/")
    del_registro = Solicitud.objects.get(titulo="Del Registro Civil")
    solicitudes.solicitud_actualizar(
        solicitud=del_registro,
        usuario=usuario("requirente.rc"),
        datos={"titulo": "Del Registro Civil, corregida"},
    )
    titulos = [f["titulo"] for f in api.get("/api/v1/solicitudes/").json()["results"]]
    assert "Del Registro Civil, corregida" in titulos and "Del Registro Civil" not in titulos
    de_otro_ente = cliente("requirente.sh").get("/api/v1/solicitudes/").json()["results"]
    assert de_otro_ente and all(f["ente"] == "SH" for f in de_otro_ente)


def test_la_lista_de_dictamenes_se_arma_una_vez_por_version_de_los_datos(datos):
    """A page of /api/v1/dictamenes/ is built once per version of the data, the same rows for
    everyone who may see them: read again, its items are not asked; the dictamen cancelled
    (the same page, the same ids), the very next read says so; and who may not see it, still
    does not."""
    from dictamenes.emision.services import rectificacion
    from tests.dictamenes.flujo_utils import credencial

    api = cliente("auditor")
    segunda = _otra_vez_sin_partidas(api, "/api/v1/dictamenes/")
    assert [(f["folio"], f["estado"]) for f in segunda["results"]] == [(datos.folio, "vigente")]
    assert cliente("requirente.rc").get("/api/v1/dictamenes/").json()["results"] == []
    rectificacion.dictamen_cancelar(
        dictamen=datos,
        usuario=usuario("firmante"),
        credencial=credencial(),
        motivo="La dependencia desistió de la compra.",
    )
    filas = api.get("/api/v1/dictamenes/").json()["results"]
    assert [(f["folio"], f["estado"]) for f in filas] == [(datos.folio, "cancelado")]
    assert cliente("requirente.sh").get("/api/v1/dictamenes/").json()["results"] == filas


def test_un_titulo_de_espacio_de_ancho_cero_y_bom_da_400(datos):
    """Issue 33, as the outside probe sent it: `{"titulo": "\u200b\ufeff"}` was a 201 with a
    title nobody can read. Now a 400, the title counts as blank, and the schema's pattern
    refuses it too (so Schemathesis never sends it as valid)."""
    import json
    import re

    cuerpo = json.dumps({**NUEVA, "titulo": "TITULO"}).replace('"TITULO"', r'"\u200b\ufeff"')
    assert r'"titulo": "\u200b\ufeff"' in cuerpo
    respuesta = cliente("requirente.sh").post(
        "/api/v1/solicitudes/", cuerpo, content_type="application/json"
    )
    assert respuesta.status_code == 400
    assert respuesta.json() == {"titulo": ["Este campo no puede estar en blanco."]}
    assert not Solicitud.objects.filter(titulo__contains="\u200b").exists()
    assert not re.fullmatch(campos.patron_texto(multilinea=False), "\u200b\ufeff")


def test_la_raiz_de_la_api_tiene_titulo_en_espanol(demo, client):
    """Issue 47: /api/v1/ was titled "Api Root" (DRF's name for its class)."""
    from lxml import html as lxml_html

    client.force_login(usuario("auditor"))
    respuesta = client.get(reverse("api:api-root"), HTTP_ACCEPT="text/html")
    assert respuesta.status_code == 200
    arbol = lxml_html.fromstring(respuesta.content.decode())
    assert arbol.xpath("//h1")[0].text_content().strip() == "API de Dictámenes TIC · versión 1"
    assert (
        arbol.xpath("//title")[0]
        .text_content()
        .strip()
        .startswith("API de Dictámenes TIC · versión 1")
    )
    assert "Api Root" not in respuesta.content.decode()
    descripcion = " ".join(arbol.xpath("//div[@class='pull-left']")[0].text_content().split())
    assert descripcion.startswith("Las colecciones de la API de Dictámenes TIC, versión 1.")
