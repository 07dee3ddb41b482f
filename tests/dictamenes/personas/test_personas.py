import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from dictamenes import exceptions
from dictamenes.models import Area, Ente
from dictamenes.organizacion.selectors import usuarios
from dictamenes.organizacion.services import areas
from dictamenes.personas.services import personas
from dictamenes.roles import Rol

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles():
    return personas.roles_asegurar()


@pytest.fixture
def hacienda(roles):
    # Two agencies that are not in the demo, made here through the service.
    return personas.ente_crear(nombre="Secretaría de Economía", siglas="SE", tipo="dependencia")


@pytest.fixture
def salud(roles):
    return personas.ente_crear(nombre="Secretaría del Trabajo", siglas="STPS", tipo="dependencia")


@pytest.fixture
def redes():
    return areas.area_crear(clave="nube", nombre="Servicios de nube")


def crear(username, roles, **kwargs):
    datos = {
        "password": "una-clave-de-prueba-larga",
        "nombre": "Persona",
        "apellidos": "De Prueba",
        "email": f"{username}@ejemplo.invalid",
        "rfc": kwargs.pop("rfc", "PEPR800101AB1"),
    }
    datos.update(kwargs)
    return personas.usuario_crear(username=username, roles=roles, **datos)


def test_roles_asegurar_crea_un_grupo_por_rol_y_es_idempotente():
    etiquetas = {str(rol.label) for rol in Rol}
    Group.objects.filter(name__in=etiquetas).delete()  # the demo's, made by the same service
    personas.roles_asegurar()
    personas.roles_asegurar()
    assert sorted(Group.objects.filter(name__in=etiquetas).values_list("name", flat=True)) == (
        sorted(etiquetas)
    )


def test_el_requirente_solo_ve_su_propia_dependencia(hacienda, salud):
    usuario = crear("req.sh", [Rol.REQUIRENTE], ente=hacienda)

    assert usuario.has_perm("dictamenes.view_ente", hacienda)
    assert not usuario.has_perm("dictamenes.view_ente", salud)
    assert list(usuarios.entes_visibles(usuario=usuario)) == [hacienda]


def test_el_auditor_ve_todas_las_dependencias(hacienda, salud):
    auditor = crear("auditor.nuevo", [Rol.AUDITOR])
    visibles = set(usuarios.entes_visibles(usuario=auditor))
    assert {hacienda, salud} < visibles
    assert visibles == set(Ente.objects.all())


def test_el_revisor_queda_ligado_a_sus_areas(roles, redes):
    revisor = crear("rev.redes", [Rol.REVISOR_TECNICO], areas=[redes])
    assert list(revisor.perfil.areas.all()) == [redes]
    assert usuarios.roles_de(usuario=revisor) == [Rol.REVISOR_TECNICO]


@pytest.mark.parametrize(
    ("roles_", "kwargs", "mensaje"),
    [
        ([Rol.REQUIRENTE], {}, exceptions.ERROR_REQUIRENTE_SIN_ENTE),
        ([Rol.MESA_CONTROL], {"ente": "SE"}, exceptions.ERROR_INTERNO_CON_ENTE),
        ([Rol.REVISOR_TECNICO], {}, exceptions.ERROR_REVISOR_SIN_AREA),
        ([], {}, exceptions.ERROR_SIN_ROLES),
    ],
)
def test_combinaciones_de_rol_invalidas_se_rechazan_sin_dejar_rastro(
    hacienda, roles_, kwargs, mensaje
):
    if kwargs.get("ente"):
        kwargs["ente"] = Ente.objects.get(siglas=kwargs["ente"])
    with pytest.raises(ValidationError) as exc:
        crear("x", roles_, **kwargs)
    assert str(mensaje) in exc.value.messages
    assert not Group.objects.filter(user__username="x").exists()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="x").exists()


def test_rfc_invalido_se_rechaza_en_espanol_y_no_crea_usuario(roles):
    from django.contrib.auth import get_user_model

    with pytest.raises(ValidationError) as exc:
        crear("malo", [Rol.AUDITOR], rfc="NO-ES-RFC")
    assert "El RFC debe tener 13 caracteres" in str(exc.value)
    assert not get_user_model().objects.filter(username="malo").exists()


def test_siglas_repetidas_no_crean_un_segundo_ente(hacienda):
    antes = (Ente.objects.count(), Area.objects.count())
    with pytest.raises(ValidationError):
        personas.ente_crear(nombre="Otra Economía", siglas="SE", tipo="dependencia")
    assert (Ente.objects.count(), Area.objects.count()) == antes


@pytest.mark.parametrize("nombre", ["Ana\u200b", "\ufeffAna", "Ana\U000e0041"])
def test_el_nombre_de_una_cuenta_creada_por_el_servicio_rechaza_los_invisibles(hacienda, nombre):
    with pytest.raises(ValidationError) as error:
        crear("req.invisible", [Rol.REQUIRENTE], ente=hacienda, nombre=nombre)
    assert "first_name" in error.value.message_dict
    assert not get_user_model().objects.filter(username="req.invisible").exists()
