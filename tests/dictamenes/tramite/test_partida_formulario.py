"""The requirente's item form: what each specification asks, choosing the profile without
premature errors, and the autoevaluación answered while typing (the JSON endpoint)."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from dictamenes.models import Partida
from estandares import cumplimiento
from estandares import selectors as estandares_selectors
from tests.dictamenes.flujo_utils import borrador, perfil_de_area, usuario

pytestmark = pytest.mark.django_db

REQUERIDO = "Este campo es requerido."


@pytest.fixture
def solicitud(demo):
    return borrador(areas=())


@pytest.fixture
def basico():
    """Computadora de escritorio · Básico: RAM ≥ 8 GB (numeral 1.1.2), SSD o NVMe."""
    return perfil_de_area("computo")


def como(username, **kwargs):
    cliente = Client(**kwargs)
    cliente.force_login(usuario(username))
    return cliente


def bloque(pagina: str, clave: str) -> str:
    """The text of one requisito's block in the form, tags stripped."""
    inicio = pagina.index(f'id="req-{clave}"')
    fin = pagina.find('<div class="campo" id="req-', inicio + 1)
    trozo = pagina[inicio : fin if fin > 0 else len(pagina)]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", trozo)))


def test_cada_especificacion_dice_lo_que_exige(solicitud, basico):
    url = reverse("solicitudes:partida_nueva", args=[solicitud.pk])
    pagina = como("requirente.sh").get(url, {"perfil": basico.pk}).content.decode()

    assert (
        "Mínimo 8 GB · obligatorio · Estándares Técnicos 2024 (ejemplo), numeral 1.1.2"
        in bloque(pagina, "ram")
    )
    assert "Valores permitidos: SSD, NVMe · obligatorio" in bloque(pagina, "tipo_almacenamiento")
    assert "Mínimo 21.5 pulgadas · recomendado" in bloque(pagina, "tamano_monitor")
    assert "Debe cumplirse" in bloque(pagina, "tpm_20")
    # A screen reader reads the requirement with its field.
    assert re.search(r'id="id_esp-ram"[^>]*aria-describedby="id_esp-ram_helptext"', pagina) or (
        re.search(r'aria-describedby="id_esp-ram_helptext"[^>]*id="id_esp-ram"', pagina)
    )
    assert 'id="id_esp-ram_helptext">Mínimo 8 GB' in pagina
    # Nothing judged before anything is typed: no premature "No cumple".
    assert "No cumple" not in bloque(pagina, "ram")


def test_elegir_el_perfil_no_marca_errores_y_conserva_lo_escrito(solicitud, basico):
    url = reverse("solicitudes:partida_nueva", args=[solicitud.pk])
    r = como("requirente.sh").post(
        url,
        {"perfil": basico.pk, "descripcion": "Equipos para ventanilla", "cantidad": ""},
    )
    pagina = r.content.decode()

    assert r.status_code == 200
    assert REQUERIDO not in pagina
    assert 'aria-invalid="true"' not in pagina
    assert 'value="Equipos para ventanilla"' in pagina
    assert f'<option value="{basico.pk}" selected>' in pagina
    assert "Especificaciones (autoevaluación)" in pagina
    assert not Partida.objects.filter(solicitud=solicitud).exists()


def test_elegir_sin_perfil_avisa_sin_errores(solicitud):
    url = reverse("solicitudes:partida_nueva", args=[solicitud.pk])
    r = como("requirente.sh").post(url, {"descripcion": "Switches"})
    pagina = r.content.decode()
    assert r.status_code == 200
    assert "Elija un perfil técnico de la lista" in pagina
    assert REQUERIDO not in pagina
    assert 'value="Switches"' in pagina


def test_guardar_incompleto_si_marca_los_errores(solicitud, basico):
    url = reverse("solicitudes:partida_nueva", args=[solicitud.pk])
    r = como("requirente.sh").post(
        url, {"perfil": basico.pk, "descripcion": "Equipos", "guardar": "1"}
    )
    assert r.status_code == 400
    assert REQUERIDO in r.content.decode()
    assert 'value="Equipos"' in r.content.decode()


def test_la_partida_guardada_muestra_su_resultado_bajo_cada_requisito(solicitud, basico):
    """Without JavaScript the result shows after saving, on the item's own form."""
    cliente = como("requirente.sh")
    r = cliente.post(
        reverse("solicitudes:partida_nueva", args=[solicitud.pk]),
        {
            "perfil": basico.pk,
            "descripcion": "Equipos",
            "cantidad": "2",
            "precio_unitario": "15000",
            "capitulo": "5000",
            "partida_especifica": "51501",
            "esp-ram": "4",
            "esp-ram__unidad": "GB",
            "esp-tipo_almacenamiento": "SSD",
            "guardar": "1",
        },
    )
    assert r.status_code == 302
    partida = solicitud.partidas.get()
    pagina = cliente.get(reverse("solicitudes:partida", args=[solicitud.pk, partida.pk]))
    texto = pagina.content.decode()
    assert "No cumple : 4 GB es menor que el mínimo de 8 GB" in bloque(texto, "ram")
    assert "Cumple : «SSD» es una opción aceptada" in bloque(texto, "tipo_almacenamiento")
    # The item keeps its own profile chosen in the list (it used to come back blank).
    assert f'<option value="{basico.pk}" selected>' in texto


# --- The evaluation endpoint --------------------------------------------------------------


def evaluar(cliente, solicitud, datos):
    return cliente.post(reverse("solicitudes:partida_evaluar", args=[solicitud.pk]), datos)


def test_el_punto_de_evaluacion_responde_lo_que_dice_el_motor(solicitud, basico):
    r = evaluar(
        como("requirente.sh"),
        solicitud,
        {"perfil": basico.pk, "esp-ram": "4", "esp-ram__unidad": "GB"},
    )
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    respuesta = r.json()
    ram = next(x for x in respuesta["resultados"] if x["clave"] == "ram")
    assert ram["resultado"] == "no_cumple"
    assert ram["etiqueta"] == "No cumple"
    assert ram["motivo"] == "4 GB es menor que el mínimo de 8 GB"
    # The same engine, the same answer, requisito by requisito.
    spec = estandares_selectors.perfil_spec(perfil=basico)
    motor = cumplimiento.evaluar(spec, {"ram": {"valor": "4", "unidad": "GB"}})
    assert [(x["clave"], x["resultado"], x["motivo"]) for x in respuesta["resultados"]] == [
        (x.clave, x.resultado, x.motivo) for x in motor.resultados
    ]
    assert respuesta["veredicto"] == motor.veredicto == "no_cumple"
    assert not Partida.objects.filter(solicitud=solicitud).exists()


def test_el_punto_de_evaluacion_acepta_otra_unidad(solicitud, basico):
    r = evaluar(
        como("requirente.sh"),
        solicitud,
        {"perfil": basico.pk, "esp-almacenamiento": "1", "esp-almacenamiento__unidad": "TB"},
    )
    almacenamiento = next(x for x in r.json()["resultados"] if x["clave"] == "almacenamiento")
    assert almacenamiento["resultado"] == "cumple"
    assert almacenamiento["motivo"].startswith("1 TB (1000 GB) cumple")


@pytest.mark.parametrize("username", ["requirente.rc", "mesa", "revisor.computo"])
def test_el_punto_de_evaluacion_no_es_para_otra_dependencia(solicitud, basico, username):
    r = evaluar(como(username), solicitud, {"perfil": basico.pk, "esp-ram": "4"})
    assert r.status_code == 404


def test_el_punto_de_evaluacion_pide_sesion_post_y_csrf(solicitud, basico):
    url = reverse("solicitudes:partida_evaluar", args=[solicitud.pk])
    assert Client().post(url, {"perfil": basico.pk}).status_code == 302
    assert como("requirente.sh").get(url).status_code == 405
    sin_token = como("requirente.sh", enforce_csrf_checks=True)
    assert sin_token.post(url, {"perfil": basico.pk, "esp-ram": "4"}).status_code == 403


@pytest.mark.parametrize(
    ("datos", "mensaje", "campo", "del_campo"),
    [
        (
            {"esp-ram": "mucho"},
            estandares_selectors.ERROR_VALORES_ILEGIBLES,
            "ram",
            "Introduzca un número.",
        ),
        (
            {"esp-tipo_almacenamiento": "Disquete"},
            estandares_selectors.ERROR_VALORES_ILEGIBLES,
            "tipo_almacenamiento",
            "Seleccione una opción válida. Disquete no es una de las opciones disponibles.",
        ),
        (
            {"esp-ram": "8", "esp-ram__unidad": "XB"},
            estandares_selectors.ERROR_VALORES_ILEGIBLES,
            "ram",
            "Seleccione una opción válida. XB no es una de las opciones disponibles.",
        ),
    ],
    ids=["texto-por-numero", "opcion-fuera-de-lista", "unidad-inexistente"],
)
def test_valores_ilegibles_dan_400_en_espanol(solicitud, basico, datos, mensaje, campo, del_campo):
    r = evaluar(como("requirente.sh"), solicitud, {"perfil": basico.pk, **datos})
    assert r.status_code == 400
    assert r.json()["error"] == str(mensaje)
    assert r.json()["errores"][campo] == [del_campo]


@pytest.mark.parametrize("perfil", ["", "abc", "987654"], ids=["vacio", "texto", "inexistente"])
def test_perfil_invalido_da_400_en_espanol(solicitud, perfil):
    r = evaluar(como("requirente.sh"), solicitud, {"perfil": perfil, "esp-ram": "4"})
    assert r.status_code == 400
    assert r.json()["error"] == str(estandares_selectors.ERROR_PERFIL_NO_VIGENTE)


@pytest.mark.parametrize("perfil", ["²", "١٢", "NaN", "99999999999999999999999"])
def test_un_perfil_que_no_es_numero_en_la_direccion_da_400_en_espanol(solicitud, basico, perfil):
    """?perfil= preselects a profile; a value that is not a number once answered 500 («²»
    passes str.isdigit) or was read as another number («١٢» as 12)."""
    from estandares.entradas import ERROR_ENTERO, ERROR_ENTERO_GRANDE

    url = reverse("solicitudes:partida_nueva", args=[solicitud.pk])
    r = como("requirente.sh").get(url, {"perfil": perfil})
    assert r.status_code == 400
    pagina = html.unescape(r.content.decode())
    assert f"Perfil: {ERROR_ENTERO}" in pagina or f"Perfil: {ERROR_ENTERO_GRANDE}" in pagina
    # The page still works: the right number preselects its profile.
    assert como("requirente.sh").get(url, {"perfil": basico.pk}).status_code == 200
