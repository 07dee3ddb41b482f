"""Production's log: one JSON line per request (its id, the user's id, the view, the status,
the time, the queries) and one per business event (its type, number, request and user ids,
and the id of the request it came in), and nothing personal: no username, e-mail or path."""

import io
import json
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from config.observacion import FormatoJson
from tests.config.test_settings import SECRET, run_python
from tests.dictamenes.flujo_utils import presentada, usuario

PETICION_EN_PRODUCCION = """
import django
django.setup()
from django.test import Client
cabeceras = dict([%s])
r = Client().get("/salud/vivo?curp=GODE561231HDFRRN09", REMOTE_ADDR="10.1.1.1", **cabeceras)
print(r.status_code, r["X-Request-ID"])
"""


def _produccion(*cabeceras, proxies="0"):
    resultado = run_python(
        PETICION_EN_PRODUCCION % ", ".join(repr(c) for c in cabeceras),
        "config.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_URL_PUBLICA="https://dictamenes.sonora.gob.mx",
        DJANGO_PROXIES=proxies,
        # WhiteNoise warns on stderr that there is no collectstatic here: not a log line.
        PYTHONWARNINGS="ignore",
    )
    assert resultado.returncode == 0, resultado.stderr
    codigo, request_id = resultado.stdout.split()
    lineas = [json.loads(linea) for linea in resultado.stderr.splitlines()]
    return codigo, request_id, lineas, resultado.stderr


def test_en_produccion_cada_peticion_es_una_linea_json_con_su_id():
    codigo, request_id, lineas, crudo = _produccion()
    assert codigo == "200"
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    (linea,) = lineas
    assert linea.pop("time").endswith("+00:00")
    assert isinstance(linea.pop("duration_ms"), float)
    assert linea == {
        "level": "INFO",
        "logger": "dictamenes.peticiones",
        "message": "GET salud_vivo 200",
        "request_id": request_id,
        "user_id": None,
        "view": "salud_vivo",
        "method": "GET",
        "status": 200,
        "queries": 0,
    }
    # Neither the query string nor the client's address reach the log.
    assert "GODE561231HDFRRN09" not in crudo and "10.1.1.1" not in crudo


def test_el_id_del_proxy_se_acepta_solo_detras_de_un_proxy_y_bien_formado():
    del_proxy = ("HTTP_X_REQUEST_ID", "5f2b3c4d5e6f708192a3b4c5d6e7f809")
    assert _produccion(del_proxy, proxies="1")[1] == del_proxy[1]
    # Without a proxy of its own, the header is the client's to write.
    assert _produccion(del_proxy, proxies="0")[1] != del_proxy[1]
    # A header that would break the log line or the response is replaced.
    _, request_id, lineas, _ = _produccion(
        ("HTTP_X_REQUEST_ID", 'a" }\\n{"user_id": 1'), proxies="1"
    )
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert lineas[0]["request_id"] == request_id


@pytest.fixture
def bitacora():
    """The JSON lines the business events and the requests write, as production formats them."""
    salida = io.StringIO()
    manejador = logging.StreamHandler(salida)
    manejador.setFormatter(FormatoJson())
    registradores = [
        logging.getLogger("dictamenes.eventos"),
        logging.getLogger("dictamenes.peticiones"),
    ]
    niveles = [r.level for r in registradores]
    for registrador in registradores:
        registrador.addHandler(manejador)
        registrador.setLevel(logging.INFO)
    yield lambda: [json.loads(linea) for linea in salida.getvalue().splitlines()]
    for registrador, nivel in zip(registradores, niveles, strict=True):
        registrador.removeHandler(manejador)
        registrador.setLevel(nivel)


@pytest.mark.django_db
def test_una_accion_auditada_es_una_linea_json_con_la_peticion_que_la_hizo(
    client, bitacora, django_capture_on_commit_callbacks
):
    solicitud = presentada()
    mesa = usuario("mesa")
    client.force_login(mesa)
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(
            reverse("solicitudes:admision", args=[solicitud.pk]), {"decision": "admitir"}
        )
    assert respuesta.status_code == 302
    request_id = respuesta["X-Request-ID"]
    lineas = bitacora()
    eventos = [linea for linea in lineas if linea["logger"] == "dictamenes.eventos"]
    assert [e["event"] for e in eventos] == ["admision"], lineas
    for evento in eventos:
        assert evento["request_id"] == request_id
        assert evento["user_id"] == mesa.pk
        assert evento["object_id"] == solicitud.pk
        assert isinstance(evento["event_number"], int)
    (peticion,) = [linea for linea in lineas if linea["logger"] == "dictamenes.peticiones"]
    assert peticion["request_id"] == request_id
    assert peticion["user_id"] == mesa.pk
    assert peticion["view"] == "solicitudes:admision"
    assert peticion["status"] == 302
    crudo = json.dumps(lineas, ensure_ascii=False)
    assert mesa.username not in crudo and mesa.email not in crudo and solicitud.folio not in crudo


@pytest.mark.django_db
def test_un_cambio_que_se_deshace_no_deja_linea(bitacora, django_capture_on_commit_callbacks):
    from django.db import transaction

    from dictamenes.comun.auditoria import evento_registrar

    with django_capture_on_commit_callbacks(execute=True) as pendientes:
        try:
            with transaction.atomic():
                evento_registrar(tipo="prueba", descripcion="se deshace")
                raise RuntimeError
        except RuntimeError:
            pass
    assert pendientes == [] and bitacora() == []


# --- The survey's answer names nobody (issue 59, item 8) --------------------------------------


@pytest.mark.django_db
def test_la_encuesta_no_deja_en_la_bitacora_quien_la_respondio(
    client, demo, bitacora, django_capture_on_commit_callbacks
):
    """The form and the answer are logged (view, status, time, queries) and so is the event,
    but no line of those requests carries the requirente's id, username or e-mail. The mark
    is the view's: the same person's next request is logged with their id as always."""
    from tests.dictamenes.tramite.test_encuesta import terminadas

    (solicitud,) = terminadas(1)
    requirente = usuario("requirente.sh")
    client.force_login(requirente)
    pagina = reverse("solicitudes:encuesta", args=[solicitud.pk])
    formulario = client.get(pagina)
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(
            pagina, {"claridad": "2", "tiempo": "1", "trato": "4", "comentario": "Lento."}
        )
    assert (formulario.status_code, respuesta.status_code) == (200, 302)
    ids = {formulario["X-Request-ID"], respuesta["X-Request-ID"]}
    lineas = [linea for linea in bitacora() if linea["request_id"] in ids]
    assert sorted((linea["logger"], linea["message"]) for linea in lineas) == [
        ("dictamenes.eventos", "evento encuesta_respondida"),
        ("dictamenes.peticiones", "GET solicitudes:encuesta 200"),
        ("dictamenes.peticiones", "POST solicitudes:encuesta 302"),
    ]
    assert [linea["user_id"] for linea in lineas] == [None, None, None]
    crudo = json.dumps(lineas, ensure_ascii=False)
    assert requirente.username not in crudo and requirente.email not in crudo

    inicio = client.get(reverse("inicio"))
    (linea,) = [x for x in bitacora() if x["request_id"] == inicio["X-Request-ID"]]
    assert (linea["view"], linea["user_id"]) == ("inicio", requirente.pk)


@pytest.mark.django_db
def test_en_una_peticion_sin_identidad_el_evento_tampoco_nombra_a_su_usuario(
    demo, bitacora, django_capture_on_commit_callbacks
):
    """A business event recorded while serving a view marked sin_identidad_en_bitacora keeps
    its user in the audit trail, not in the log line."""
    from django.db import transaction

    from dictamenes.comun.auditoria import evento_registrar
    from dictamenes.comun.observacion import Peticion, peticion_iniciar, peticion_terminar

    mesa = usuario("mesa")
    for anonima in (True, False):
        ficha = peticion_iniciar(Peticion(request_id=f"prueba-{anonima}", sin_identidad=anonima))
        try:
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                evento = evento_registrar(tipo="prueba", descripcion="x", usuario=mesa)
        finally:
            peticion_terminar(ficha)
        assert evento.usuario_id == mesa.pk
    assert [(x["request_id"], x["user_id"]) for x in bitacora()] == [
        ("prueba-True", None),
        ("prueba-False", mesa.pk),
    ]


@pytest.mark.django_db
def test_la_encuesta_rechazada_antes_de_su_vista_tampoco_nombra_a_quien_la_envio(
    demo, bitacora, settings
):
    """A survey refused before its view runs, here by a rate limit on it (counted per
    account, so the user is read), is logged without the user's id too: the mark is the
    view's, not only what the view does when it runs."""
    from tests.dictamenes.tramite.test_encuesta import terminadas

    settings.DICTAMENES_LIMITES = {**settings.DICTAMENES_LIMITES, "solicitudes:encuesta": ["1/h"]}
    primera, segunda = terminadas(2)
    cliente = Client()
    cliente.force_login(usuario("requirente.sh"))
    datos = {"claridad": "2", "tiempo": "1", "trato": "4"}
    pagina = "solicitudes:encuesta"
    assert cliente.post(reverse(pagina, args=[primera.pk]), datos).status_code == 302
    respuesta = cliente.post(reverse(pagina, args=[segunda.pk]), datos)
    assert respuesta.status_code == 429
    (linea,) = [x for x in bitacora() if x["request_id"] == respuesta["X-Request-ID"]]
    assert (linea["view"], linea["status"], linea["user_id"]) == ("solicitudes:encuesta", 429, None)
