"""Issue 18, finding 1: the administrator made itself superuser through Django's stock user
admin. Now no one sets the superuser flag, staff, groups or permissions in the admin, and
every write made there, a superuser's included, is in the audit chain."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from dictamenes.comun.auditoria import cadena_verificar
from dictamenes.models import DiaInhabil, Ente, EventoAuditoria
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db

PODER = ("is_superuser", "is_staff", "groups", "user_permissions")


@pytest.fixture
def superusuario(django_user_model):
    """As `createsuperuser` makes one: the only way there is."""
    return django_user_model.objects.create_superuser(
        "raiz", "raiz@demo.invalid", "contrasena-de-raiz-2026"
    )


def cambio_de_cuenta(cuenta, **extra):
    """What Django's stock change form posted (a browser sends the date joined too), plus
    whatever an attacker adds."""
    return {
        "username": cuenta.username,
        "first_name": cuenta.first_name,
        "last_name": cuenta.last_name,
        "email": cuenta.email,
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        **extra,
    }


def test_el_administrador_no_se_hace_superusuario_desde_el_admin(demo, client):
    admin = usuario("admin")
    assert not admin.is_superuser
    grupos_antes = set(admin.groups.values_list("name", flat=True))
    entrar(client, "admin")
    url = reverse("admin:auth_user_change", args=[admin.pk])

    # What the outside test did: post the flag, every group and permissions to its own account.
    respuesta = client.post(
        url,
        cambio_de_cuenta(
            admin,
            is_superuser="on",
            is_staff="on",
            groups=list(Group.objects.values_list("pk", flat=True)),
            user_permissions=list(Permission.objects.values_list("pk", flat=True)[:50]),
        ),
    )
    assert respuesta.status_code == 302  # the name and e-mail are saved; nothing else
    admin.refresh_from_db()
    assert not admin.is_superuser
    assert set(admin.groups.values_list("name", flat=True)) == grupos_antes
    assert not admin.user_permissions.exists()

    # The form does not even offer them; it shows the roles, and where they change.
    formulario = client.get(url).content.decode()
    for campo in PODER:
        assert f'name="{campo}"' not in formulario, campo
    assert reverse("cuentas:rol_persona", args=[admin.pk]) in formulario
    # No permission reached it either, such as signing.
    assert not admin.has_perm("dictamenes.firmar_dictamen")


def test_crear_una_cuenta_en_el_admin_no_da_rol_ni_acceso(demo, client):
    entrar(client, "admin")
    formulario = client.get(reverse("admin:auth_user_add")).content.decode()
    for campo in (*PODER, "password1", "usable_password"):
        assert f'name="{campo}"' not in formulario, campo
    respuesta = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "nueva",
            "email": "nueva@demo.invalid",
            "usable_password": "true",
            "password1": "una-contrasena-larga-2026",
            "password2": "una-contrasena-larga-2026",
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name="Firmante").pk],
        },
    )
    assert respuesta.status_code == 302
    nueva = usuario("nueva")
    assert not (nueva.is_superuser or nueva.is_staff)
    assert not nueva.groups.exists()
    # Nor a password its creator knows (issue 33): the person chooses it from their e-mail.
    assert not nueva.has_usable_password()
    assert not nueva.check_password("una-contrasena-larga-2026")
    evento = EventoAuditoria.objects.get(tipo="admin_alta")
    assert evento.usuario.username == "admin"
    assert evento.datos["modelo"] == "auth.user"


def test_la_cuenta_de_un_superusuario_esta_fuera_de_su_alcance(demo, client, superusuario):
    entrar(client, "admin")
    cambio = reverse("admin:auth_user_change", args=[superusuario.pk])
    # It may see it, but the page has no form to save.
    pagina = client.get(cambio)
    assert pagina.status_code == 200 and 'name="_save"' not in pagina.content.decode()
    assert client.post(cambio, cambio_de_cuenta(superusuario, email="x@x.invalid")).status_code
    superusuario.refresh_from_db()
    assert superusuario.email == "raiz@demo.invalid"
    # Nor its password: setting it would be taking the account.
    contrasena = reverse("admin:auth_user_password_change", args=[superusuario.pk])
    assert client.get(contrasena).status_code == 403
    assert (
        client.post(
            contrasena,
            {"password1": "tomada-por-otro-2026", "password2": "tomada-por-otro-2026"},
        ).status_code
        == 403
    )
    superusuario.refresh_from_db()
    assert superusuario.check_password("contrasena-de-raiz-2026")


def test_el_superusuario_ve_el_poder_de_una_cuenta_pero_tampoco_lo_cambia(
    demo, client, superusuario
):
    client.force_login(superusuario)
    mesa = usuario("mesa")
    url = reverse("admin:auth_user_change", args=[mesa.pk])
    pagina = client.get(url).content.decode()
    assert "Poder de la cuenta" in pagina
    for campo in PODER:
        assert f'name="{campo}"' not in pagina, campo
    client.post(
        url,
        cambio_de_cuenta(mesa, is_superuser="on", groups=[Group.objects.get(name="Firmante").pk]),
    )
    mesa.refresh_from_db()
    assert not mesa.is_superuser
    assert list(mesa.groups.values_list("name", flat=True)) == ["Mesa de control"]


@pytest.mark.parametrize("quien", ["admin", "superusuario"])
def test_los_grupos_no_se_editan_en_el_admin(demo, client, superusuario, quien):
    if quien == "admin":
        entrar(client, "admin")
    else:
        client.force_login(superusuario)
    grupo = Group.objects.get(name="Mesa de control")
    permisos_antes = set(grupo.permissions.values_list("pk", flat=True))
    url = reverse("admin:auth_group_change", args=[grupo.pk])
    pagina = client.get(url)
    assert pagina.status_code == 200
    assert 'name="permissions"' not in pagina.content.decode()
    assert "Admitir o prevenir solicitudes" in pagina.content.decode()  # shown, read-only
    todos = list(Permission.objects.values_list("pk", flat=True))
    assert client.post(url, {"name": grupo.name, "permissions": todos}).status_code == 403
    assert set(grupo.permissions.values_list("pk", flat=True)) == permisos_antes
    assert client.get(reverse("admin:auth_group_add")).status_code == 403


def test_el_admin_de_entes_no_reparte_permisos_por_objeto(demo, client):
    """guardian's «object permissions» pages granted any permission on an agency to anyone."""
    entrar(client, "admin")
    ente = Ente.objects.get(siglas="SH")
    assert client.get(f"/admin/dictamenes/ente/{ente.pk}/permissions/").status_code != 200
    cambio = client.get(reverse("admin:dictamenes_ente_change", args=[ente.pk]))
    assert "/permissions/" not in cambio.content.decode()


def test_lo_que_un_superusuario_escribe_en_el_admin_queda_en_la_auditoria(
    demo, client, superusuario
):
    client.force_login(superusuario)
    alta = client.post(
        reverse("admin:dictamenes_diainhabil_add"),
        {"fecha": "2030-03-18", "descripcion": "Natalicio de Benito Juárez"},
    )
    assert alta.status_code == 302
    dia = DiaInhabil.objects.get(fecha="2030-03-18")
    ente = Ente.objects.get(siglas="RC")
    # The name is read-only since issue 59 (it changes on «Entes», with a second
    # administrator's approval): the admin changes the agency's type.
    otro_tipo = next(t for t in Ente.Tipo.values if t != ente.tipo)
    cambio = client.post(
        reverse("admin:dictamenes_ente_change", args=[ente.pk]),
        {"tipo": otro_tipo, "activo": "on"},
    )
    assert cambio.status_code == 302
    baja_url = reverse("admin:dictamenes_diainhabil_delete", args=[dia.pk])
    assert client.post(baja_url, {"post": "yes"}).status_code == 302

    eventos = list(EventoAuditoria.objects.filter(tipo__startswith="admin_").order_by("numero"))
    assert [(e.tipo, e.datos["modelo"], e.usuario) for e in eventos] == [
        ("admin_alta", "dictamenes.diainhabil", superusuario),
        ("admin_cambio", "dictamenes.ente", superusuario),
        ("admin_baja", "dictamenes.diainhabil", superusuario),
    ]
    assert all(e.datos["superusuario"] for e in eventos)
    assert ente.nombre in eventos[1].descripcion
    assert "Tipo" in eventos[1].datos["cambios"]  # the fields changed, as the admin logs them
    assert cadena_verificar().integra


def test_el_administrador_no_pone_la_contrasena_de_otra_persona(demo, client):
    """Issue 33: what Django's form posted to set someone's password now only sends them a
    link to their own e-mail (tests/cuentas/test_control_dual.py follows the link)."""
    entrar(client, "admin")
    mesa = usuario("mesa")
    respuesta = client.post(
        reverse("admin:auth_user_password_change", args=[mesa.pk]),
        {
            "usable_password": "true",
            "password1": "provisional-de-mesa-2026",
            "password2": "provisional-de-mesa-2026",
        },
    )
    assert respuesta.status_code == 302
    mesa.refresh_from_db()
    assert not mesa.check_password("provisional-de-mesa-2026")
    evento = EventoAuditoria.objects.get(tipo="contrasena_enlace_enviado")
    assert evento.usuario.username == "admin" and evento.datos["persona"] == mesa.pk


def test_el_borrado_en_bloque_no_se_ofrece(demo, client, superusuario):
    """Django's bulk delete logs with bulk_create, which no receiver hears: deletions go one
    at a time, each in the audit chain."""
    DiaInhabil.objects.create(fecha="2030-03-18", descripcion="Natalicio de Benito Juárez")
    client.force_login(superusuario)
    lista = client.get(reverse("admin:dictamenes_diainhabil_changelist")).content.decode()
    assert "Natalicio de Benito Juárez" in lista
    assert "delete_selected" not in lista


def test_el_superusuario_no_cambia_procesos_ni_tareas_de_viewflow_en_el_admin(
    demo, client, superusuario
):
    """viewflow's own admin would let a superuser set a process's or a task's status by hand;
    it is read-only: the page shows, and a POST changes nothing."""
    from viewflow.workflow.models import Task

    from tests.dictamenes.flujo_utils import presentada

    solicitud = presentada()
    tarea = Task.objects.get(process=solicitud.proceso, flow_task_type="HUMAN")
    client.force_login(superusuario)
    for modelo, objeto in (("process", solicitud.proceso), ("task", tarea)):
        url = reverse(f"admin:viewflow_{modelo}_change", args=[objeto.pk])
        assert client.get(url).status_code == 200
        respuesta = client.post(url, {"status": "CANCELED", "owner": superusuario.pk})
        assert respuesta.status_code == 403
        assert (
            client.get(reverse(f"admin:viewflow_{modelo}_delete", args=[objeto.pk])).status_code
            == 403
        )
    solicitud.proceso.refresh_from_db()
    tarea.refresh_from_db()
    assert (solicitud.proceso.status, tarea.status) == ("NEW", "NEW")
