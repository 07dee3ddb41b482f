import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from demo.usuarios import USUARIOS
from dictamenes.roles import DESCRIPCION_ROL, Rol
from tests.conftest import entrar

pytestmark = pytest.mark.django_db


def test_la_portada_publica_invita_a_iniciar_sesion(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es-mx">' in html
    assert reverse("login") in html
    assert "Dictámenes Técnicos y Estratégicos de TIC" in html


@pytest.mark.parametrize(
    ("username", "roles"), [(u[0], u[5]) for u in USUARIOS], ids=[u[0] for u in USUARIOS]
)
def test_cada_rol_ve_su_panel_y_no_los_ajenos(
    demo, client, django_user_model, username, roles, django_assert_max_num_queries
):
    client.force_login(django_user_model.objects.get(username=username))
    # The worst case: the process's content types not yet read (a test that flushes the
    # database empties them, so the count depended on which test ran before).
    ContentType.objects.clear_cache()
    # The panels (8), and «Pendientes»: one query per group of the person's roles, and its
    # count when it has something (issue 45), with an empty cache (the calendar, the
    # permissions viewflow's queue reads, the institution's texts the header names); 17 for a
    # reviewer when the content types are read too.
    with django_assert_max_num_queries(17):
        response = client.get("/")
    html = response.content.decode()
    for rol in Rol:
        assert (f'data-rol="{rol.value}"' in html) == (rol in roles)
        assert (str(DESCRIPCION_ROL[rol]) in html) == (rol in roles)


def test_el_administrador_llega_al_sitio_de_administracion(demo, client, contrasena_demo):
    entrar(client, "admin", contrasena_demo)
    html = client.get("/").content.decode()
    assert reverse("admin:index") in html
    response = client.get(reverse("admin:dictamenes_ente_changelist"))
    assert response.status_code == 200
    assert "Secretaría de Hacienda" in response.content.decode()


def test_el_requirente_no_entra_al_admin(demo, client, contrasena_demo):
    entrar(client, "requirente.sh", contrasena_demo)
    assert reverse("admin:index") not in client.get("/").content.decode()
    response = client.get(reverse("admin:dictamenes_ente_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_inicio_de_sesion_fallido_en_espanol(demo, client):
    response = client.post(reverse("login"), {"username": "mesa", "password": "mala"})
    assert response.status_code == 200
    # Issue 47: the project's own words, not Django's stock (Spain's) wording.
    assert (
        "El usuario o la contraseña no son correctos. Revise que los escribió bien (las "
        "mayúsculas cuentan) e intente de nuevo. Tras 5 intentos fallidos seguidos, la entrada "
        "se bloquea 15 minutos."
    ) in response.content.decode()
    assert "introduzca" not in response.content.decode()


def test_usuario_sin_rol_recibe_indicaciones(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nuevo", password="x" * 12))
    assert "todavía no tiene un rol asignado" in client.get("/").content.decode()


def test_el_sitio_de_viewflow_esta_montado_y_sin_sesion_niega_el_acceso(client):
    """/flujos/ is viewflow's site: it sends to the queue, which refuses an anonymous visitor
    with the project's 403 page (viewflow checks a permission, not login_required)."""
    response = client.get("/flujos/")
    assert response.status_code == 302
    assert response["Location"] == "./workflow/queue/assign/"
    response = client.get("/flujos/workflow/queue/assign/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Su cuenta no tiene permiso para ver esta página." in html
