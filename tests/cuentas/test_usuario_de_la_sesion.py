"""The person a session restores (cuentas.backends.ContrasenaLocalBackend.get_user): profile,
groups and permissions read with the person, and still the ones the database holds. The
oracle is plain SQL over Django's auth tables."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.utils import timezone

from cuentas.backends import ContrasenaLocalBackend
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.roles import Rol
from tests.conftest import entrar

pytestmark = pytest.mark.django_db


def _sql(consulta: str, *parametros) -> set:
    with connection.cursor() as cursor:
        cursor.execute(consulta, parametros)
        return {".".join(fila) if len(fila) > 1 else fila[0] for fila in cursor.fetchall()}


def _permisos_propios(pk: int) -> set:
    return _sql(
        "SELECT ct.app_label, p.codename FROM auth_user_user_permissions up "
        "JOIN auth_permission p ON p.id = up.permission_id "
        "JOIN django_content_type ct ON ct.id = p.content_type_id WHERE up.user_id = %s",
        pk,
    )


def _permisos_de_grupos(pk: int) -> set:
    return _sql(
        "SELECT ct.app_label, p.codename FROM auth_user_groups ug "
        "JOIN auth_group_permissions gp ON gp.group_id = ug.group_id "
        "JOIN auth_permission p ON p.id = gp.permission_id "
        "JOIN django_content_type ct ON ct.id = p.content_type_id WHERE ug.user_id = %s",
        pk,
    )


def _grupos(pk: int) -> set:
    return _sql(
        "SELECT g.name FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id "
        "WHERE ug.user_id = %s",
        pk,
    )


def _permiso(nombre: str) -> Permission:
    app, codigo = nombre.split(".")
    return Permission.objects.get(content_type__app_label=app, codename=codigo)


def _persona(**campos):
    """Someone with a group of their own (one permission) and a permission of their own."""
    persona = get_user_model().objects.create_user(username="sesion.prueba", **campos)
    grupo = Group.objects.create(name="Grupo de la prueba")
    grupo.permissions.add(_permiso("auth.delete_group"))
    persona.groups.add(grupo, Group.objects.get(name=str(Rol.AUDITOR.label)))
    persona.user_permissions.add(_permiso("auth.delete_user"))
    return persona


def test_la_persona_de_la_sesion_trae_su_perfil_grupos_y_permisos_en_dos_consultas(
    demo, django_assert_num_queries
):
    pk = get_user_model().objects.get(username="revisor.computo").pk
    with django_assert_num_queries(2):
        persona = ContrasenaLocalBackend().get_user(pk)
        rfc = persona.perfil.rfc
        roles = roles_de(usuario=persona)
        grupos = {g.name for g in persona.groups.all()}
        todos = persona.get_all_permissions()
        persona.has_perm("dictamenes.view_solicitud")
    assert rfc == _sql("SELECT rfc FROM dictamenes_perfil WHERE usuario_id = %s", pk).pop()
    assert grupos == _grupos(pk)
    assert roles == [Rol.REVISOR_TECNICO]
    assert todos == _permisos_propios(pk) | _permisos_de_grupos(pk)


def test_sus_permisos_propios_y_de_grupo_son_los_de_la_base(demo):
    persona = _persona()
    backend = ContrasenaLocalBackend()
    restaurada = backend.get_user(persona.pk)
    assert backend.get_user_permissions(restaurada) == _permisos_propios(persona.pk)
    assert backend.get_group_permissions(restaurada) == _permisos_de_grupos(persona.pk)
    assert "auth.delete_user" in _permisos_propios(persona.pk)
    assert "auth.delete_group" in _permisos_de_grupos(persona.pk)
    assert restaurada.has_perm("auth.delete_user")
    assert restaurada.has_perm("auth.delete_group")
    assert not restaurada.has_perm("auth.change_group")
    assert {g.name for g in restaurada.groups.all()} == _grupos(persona.pk)


def test_un_cambio_de_grupos_o_permisos_se_ve_en_la_siguiente_peticion(demo):
    persona = _persona()
    backend = ContrasenaLocalBackend()
    assert backend.get_user(persona.pk).has_perm("auth.delete_group")
    persona.groups.remove(Group.objects.get(name="Grupo de la prueba"))
    persona.user_permissions.clear()
    siguiente = backend.get_user(persona.pk)
    assert not siguiente.has_perm("auth.delete_group")
    assert not siguiente.has_perm("auth.delete_user")
    assert roles_de(usuario=siguiente) == [Rol.AUDITOR]


def test_un_grupo_agregado_a_la_persona_de_la_peticion_se_ve_en_sus_grupos(demo):
    persona = ContrasenaLocalBackend().get_user(_persona().pk)
    persona.groups.add(Group.objects.get(name=str(Rol.MESA_CONTROL.label)))
    assert {g.name for g in persona.groups.all()} == _grupos(persona.pk)
    assert str(Rol.MESA_CONTROL.label) in _grupos(persona.pk)


def test_un_superusuario_tiene_todos_los_permisos(demo):
    persona = _persona(is_superuser=True)
    restaurada = ContrasenaLocalBackend().get_user(persona.pk)
    todos = _sql(
        "SELECT ct.app_label, p.codename FROM auth_permission p "
        "JOIN django_content_type ct ON ct.id = p.content_type_id"
    )
    assert restaurada.get_all_permissions() == todos
    assert {g.name for g in restaurada.groups.all()} == _grupos(persona.pk)


def test_una_cuenta_desactivada_no_vuelve_de_su_sesion(demo):
    persona = _persona(is_active=False)
    assert ContrasenaLocalBackend().get_user(persona.pk) is None
    assert ContrasenaLocalBackend().get_user(10**9) is None


def test_la_sesion_de_quien_entra_la_restaura_este_backend(demo, client):
    entrar(client, "auditor")
    assert client.session["_auth_user_backend"] == "cuentas.backends.ContrasenaLocalBackend"


def _campos(objeto) -> dict:
    return {
        f.attname: (getattr(objeto, f.attname), type(getattr(objeto, f.attname)))
        for f in objeto._meta.concrete_fields
    }


def test_la_persona_y_su_perfil_son_los_que_lee_el_orm(demo, django_assert_num_queries):
    """Every column, with its type (SQLite keeps dates as text and booleans as integers), as
    Django's select_related reads it; the profile knows its person without asking."""
    modelo = get_user_model()
    pk = modelo.objects.get(username="revisor.computo").pk
    modelo.objects.filter(pk=pk).update(last_login=timezone.now(), first_name="Ñandú")
    orm = modelo.objects.select_related("perfil").get(pk=pk)
    persona = ContrasenaLocalBackend().get_user(pk)
    with django_assert_num_queries(0):
        assert _campos(persona) == _campos(orm)
        assert _campos(persona.perfil) == _campos(orm.perfil)
        assert persona.perfil.usuario is persona
    assert persona._state.db == orm._state.db and not persona._state.adding


def test_sin_perfil_se_restaura_y_no_se_pregunta_por_el(demo, django_assert_num_queries):
    persona = ContrasenaLocalBackend().get_user(_persona().pk)
    with django_assert_num_queries(0):
        assert not hasattr(persona, "perfil")
    assert persona.username == "sesion.prueba"
    assert ContrasenaLocalBackend().get_user("no-es-un-numero") is None
