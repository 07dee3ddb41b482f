"""The agencies a person acts for as requirente: the plain query of access.entes_de_requirente
answers what guardian's get_objects_for_user answers, for every way the permission is held
or not held."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, get_objects_for_user

from dictamenes.models import Ente
from dictamenes.tramite.selectors.access import entes_de_requirente

pytestmark = pytest.mark.django_db

PERMISO = "dictamenes.actuar_como_requirente"


def _de_guardian(usuario) -> list[int]:
    return sorted(
        get_objects_for_user(usuario, PERMISO, klass=Ente, accept_global_perms=False).values_list(
            "pk", flat=True
        )
    )


def _leidos(usuario) -> list[int]:
    usuario = get_user_model().objects.get(pk=usuario.pk)  # nothing kept on the object
    return entes_de_requirente(usuario=usuario)


def test_los_entes_del_requirente_son_los_que_guardian_da(demo):
    Usuario = get_user_model()
    uno, dos, tres, cuatro = Ente.objects.order_by("pk")[:4]
    por_grupo = Usuario.objects.create_user("por.grupo")
    por_grupo.groups.add(g := Group.objects.create(name="Requirentes de prueba"))
    assign_perm(PERMISO, g, uno)
    assign_perm(PERMISO, g, dos)
    propio = Usuario.objects.create_user("propio")
    assign_perm(PERMISO, propio, tres)
    ambos = Usuario.objects.create_user("ambos")
    ambos.groups.add(g)
    assign_perm(PERMISO, ambos, tres)
    assign_perm(PERMISO, ambos, uno)  # held both ways: once
    # Another permission on an agency, and this one on another kind of object: neither counts.
    otro = Usuario.objects.create_user("otro")
    assign_perm("dictamenes.change_ente", otro, cuatro)
    assign_perm("auth.change_group", otro, g)
    ajeno = Group.objects.create(name="Otro grupo")
    assign_perm(PERMISO, ajeno, cuatro)  # a group the people above are not in
    nadie = Usuario.objects.create_user("nadie")
    jefe = Usuario.objects.create_superuser("jefe")

    esperado = {
        por_grupo: [uno.pk, dos.pk],
        propio: [tres.pk],
        ambos: sorted([uno.pk, dos.pk, tres.pk]),
        otro: [],
        nadie: [],
        jefe: sorted(Ente.objects.values_list("pk", flat=True)),
    }
    for usuario, entes in esperado.items():
        assert _de_guardian(usuario) == entes, usuario.username
        assert _leidos(usuario) == entes, usuario.username
    # The demo's requirentes, through their agencies' groups.
    for usuario in Usuario.objects.filter(username__startswith="requirente."):
        assert _leidos(usuario) == _de_guardian(usuario) != [], usuario.username
