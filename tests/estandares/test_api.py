import pytest

from estandares.models import Perfil

pytestmark = pytest.mark.django_db

API = "/api/v1/estandares"


def test_listas_publicas(client, edicion_2024, django_assert_max_num_queries):
    assert client.get(f"{API}/publicaciones/").json()["results"][0]["version"] == "2024.1"
    categorias = client.get(f"{API}/categorias/", {"version": "2024.1"}).json()
    assert [c["clave"] for c in categorias["results"]] == [
        "computadora-escritorio",
        "desarrollo-software",
    ]
    with django_assert_max_num_queries(4):
        perfiles = client.get(f"{API}/perfiles/").json()
    basico = perfiles["results"][0]
    assert basico["categoria"] == "computadora-escritorio"
    assert [r["clave"] for r in basico["requisitos"]] == ["ram", "almacenamiento", "monitor"]
    assert client.get(f"{API}/requisitos/").json()["count"] == 5


def test_los_borradores_no_salen_en_la_api(client, borrador):
    assert client.get(f"{API}/publicaciones/").json()["count"] == 0
    assert client.get(f"{API}/perfiles/").json()["count"] == 0
    assert client.get(f"{API}/publicaciones/2024.1/").status_code == 404


def test_evaluar_especificaciones(client, edicion_2024):
    perfil = Perfil.objects.get(clave="basico")
    response = client.post(
        f"{API}/perfiles/{perfil.pk}/evaluar/",
        {"especificaciones": {"ram": "1 TB", "almacenamiento": "HDD", "otra": 1}},
        content_type="application/json",
    )
    assert response.status_code == 200
    datos = response.json()
    assert datos["veredicto"] == "no_cumple"
    assert datos["version"] == "2024.1"
    assert datos["claves_desconocidas"] == ["otra"]
    por_clave = {r["clave"]: r for r in datos["resultados"]}
    assert por_clave["ram"]["resultado"] == "cumple"
    assert por_clave["almacenamiento"]["motivo"].startswith("«HDD» no está entre las opciones")
    assert por_clave["monitor"]["resultado"] == "no_aplica"


def test_evaluar_con_sufijo_json_responde_lo_mismo(client, edicion_2024):
    """The router also answers /evaluar.json (DRF's format suffix): it once answered 500."""
    perfil = Perfil.objects.get(clave="basico")
    cuerpo = {"especificaciones": {"ram": "1 TB", "almacenamiento": "HDD"}}
    respuestas = [
        client.post(f"{API}/perfiles/{perfil.pk}/{ruta}", cuerpo, content_type="application/json")
        for ruta in ("evaluar/", "evaluar.json")
    ]
    assert [r.status_code for r in respuestas] == [200, 200]
    assert respuestas[0].json() == respuestas[1].json()


NO_ES_OBJETO = "«especificaciones» debe ser un objeto {clave: valor}."


@pytest.mark.parametrize(
    ("cuerpo", "mensaje"),
    [
        ({"especificaciones": [1, 2]}, NO_ES_OBJETO),
        ({}, "Este campo es requerido."),
        ({"especificaciones": "x"}, NO_ES_OBJETO),
    ],
    ids=["lista", "sin-especificaciones", "texto"],
)
def test_evaluar_con_entrada_mala_responde_400_en_espanol(client, edicion_2024, cuerpo, mensaje):
    perfil = Perfil.objects.get(clave="basico")
    response = client.post(
        f"{API}/perfiles/{perfil.pk}/evaluar/", cuerpo, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"especificaciones": [mensaje]}


@pytest.mark.parametrize(
    ("metodo", "ruta"),
    [("post", "publicaciones/"), ("delete", "publicaciones/2024.1/")],
    ids=["crear", "borrar"],
)
def test_la_api_es_de_solo_lectura(client, edicion_2024, metodo, ruta):
    """The catalogue is open to anyone (AllowAny) and read-only: writing is a method the
    endpoint does not have (405), not a permission question."""
    response = getattr(client, metodo)(f"{API}/{ruta}")
    assert response.status_code == 405
    assert response.json() == {"detail": f'Método "{metodo.upper()}" no permitido.'}
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert client.get(f"{API}/publicaciones/2024.1/").status_code == 200


def test_esquema_openapi(client, edicion_2024):
    response = client.get("/api/v1/esquema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    esquema = response.json()
    assert "/api/v1/estandares/perfiles/{id}/evaluar/" in esquema["paths"]
