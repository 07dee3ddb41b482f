"""Issue 59, item 3: the server commands use the same door. `cargar_perfil_estado` files the
whole profile as one pending change in the name of `--usuario` (an active administrator) and
applies nothing, however many administrators there are; a second administrator's approval
applies it in the asker's name. `designar_cuenta_emergencia`, the documented break-glass path,
still applies at once, and its event names who ran it. (`estandares_importar --publicar`:
tests/estandares/test_importar_publicar.py.)"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from dictamenes.management.administrador import ERROR_NO_ADMINISTRADOR, ERROR_SIN_USUARIO
from dictamenes.models import (
    Area,
    CambioPendiente,
    CuentaEmergencia,
    EventoAuditoria,
    PlazoEtapa,
    TextosInstitucionales,
)
from dictamenes.operacion.services import configuracion
from dictamenes.organizacion.services.emergencia import ERROR_SU_PROPIA_CUENTA
from dictamenes.tramite.selectors.tareas import tareas_abiertas, titulo_de
from estandares.models import Categoria
from tests.dictamenes.flujo_utils import admitida, usuario
from tests.dictamenes.operacion.test_perfil_estado import NUEVAS, PERFIL

pytestmark = pytest.mark.django_db


def en_vigor() -> tuple:
    """The rules the profile would change, read straight from their rows."""
    return (
        sorted(Area.objects.values_list("nombre", "activa")),
        sorted(Categoria.objects.values_list("clave", "area__nombre")),
        sorted(TextosInstitucionales.objects.values_list("version", "institucion")),
        sorted(PlazoEtapa.objects.values_list("etapa", "dias_habiles")),
    )


def eventos_desde(numero: int) -> list[tuple[str, str | None]]:
    return [
        (e.tipo, e.usuario.username if e.usuario else None)
        for e in EventoAuditoria.objects.filter(numero__gt=numero)
        .select_related("usuario")
        .order_by("numero")
    ]


def ultimo_evento() -> int:
    ultimo = EventoAuditoria.objects.order_by("-numero").first()
    return ultimo.numero if ultimo else 0


def test_el_perfil_queda_pendiente_a_nombre_de_usuario_y_se_aplica_al_aprobarlo(demo):
    abierta = admitida(areas=("redes",), titulo="Switches")
    (tarea,) = tareas_abiertas(solicitud=abierta)
    revision = titulo_de(tarea=tarea)
    assert revision != "Revisión técnica: Conectividad e Infraestructura"
    antes, desde = en_vigor(), ultimo_evento()

    salida = StringIO()
    call_command("cargar_perfil_estado", str(PERFIL), usuario="admin", stdout=salida)

    # Nothing in force changed: the five areas, their categories, texts and deadlines.
    assert en_vigor() == antes
    (tarea,) = tareas_abiertas(solicitud=abierta)
    assert titulo_de(tarea=tarea) == revision
    (cambio,) = CambioPendiente.objects.all()
    assert (cambio.tipo, cambio.estado, cambio.pedido_por) == (
        "perfil",
        "pendiente",
        usuario("admin"),
    )
    assert cambio.motivo == "Perfil del estado: estado_de_anahuac.toml"
    assert eventos_desde(desde) == [("cambio_pedido", "admin")]
    assert f"Cambio pedido (n.º {cambio.pk}, a nombre de admin)" in salida.getvalue()

    aprobado_desde = ultimo_evento()
    configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin2"))

    assert set(Area.objects.filter(activa=True).values_list("nombre", flat=True)) == set(NUEVAS)
    eventos = eventos_desde(aprobado_desde)
    assert eventos[-1] == ("cambio_aprobado", "admin2")
    # Each change the profile made is in the name of who asked it.
    assert {quien for _tipo, quien in eventos[:-1]} == {"admin"}
    assert [t for t, _q in eventos].count("area_retirada") == 5
    assert [t for t, _q in eventos].count("revision_movida") == 1
    (tarea,) = tareas_abiertas(solicitud=abierta)
    assert titulo_de(tarea=tarea) == "Revisión técnica: Conectividad e Infraestructura"


@pytest.mark.parametrize(
    ("opciones", "mensaje"),
    [
        ({}, str(ERROR_SIN_USUARIO)),
        ({"usuario": "  "}, str(ERROR_SIN_USUARIO)),
        ({"usuario": "nadie"}, str(ERROR_NO_ADMINISTRADOR % {"usuario": "nadie"})),
        ({"usuario": "mesa"}, str(ERROR_NO_ADMINISTRADOR % {"usuario": "mesa"})),
        ({"usuario": "admin2"}, str(ERROR_NO_ADMINISTRADOR % {"usuario": "admin2"})),
    ],
    ids=["sin_usuario", "usuario_en_blanco", "no_existe", "no_administra", "inactiva"],
)
def test_el_perfil_sin_una_persona_administradora_no_escribe_nada(demo, opciones, mensaje):
    admin2 = usuario("admin2")
    admin2.is_active = False  # an administrator's account that was switched off
    admin2.save()
    antes, desde = en_vigor(), ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command("cargar_perfil_estado", str(PERFIL), stdout=StringIO(), **opciones)
    assert str(error.value) == mensaje
    assert en_vigor() == antes
    assert not CambioPendiente.objects.exists()
    assert eventos_desde(desde) == []


@override_settings(DICTAMENES_CUENTA_EMERGENCIA="")
def test_designar_la_cuenta_de_emergencia_nombra_a_quien_lo_corre(demo):
    desde = ultimo_evento()
    call_command(
        "designar_cuenta_emergencia",
        "auditor",
        usuario="admin",
        motivo="Oficio 7/2026",
        stdout=StringIO(),
    )
    assert CuentaEmergencia.objects.get().usuario == usuario("auditor")
    (evento,) = EventoAuditoria.objects.filter(numero__gt=desde)
    assert (evento.tipo, evento.usuario, evento.motivo) == (
        "cuenta_emergencia",
        usuario("admin"),
        "Oficio 7/2026",
    )
    assert evento.descripcion == "Cuenta de emergencia: auditor, designada por admin"


@override_settings(DICTAMENES_CUENTA_EMERGENCIA="")
@pytest.mark.parametrize(
    ("opciones", "mensaje"),
    [
        ({}, str(ERROR_SIN_USUARIO)),
        ({"usuario": "mesa"}, str(ERROR_NO_ADMINISTRADOR % {"usuario": "mesa"})),
        (
            {"usuario": "auditor"},
            str(ERROR_NO_ADMINISTRADOR % {"usuario": "auditor"}),
        ),
    ],
    ids=["sin_usuario", "no_administra", "auditoria_no_administra"],
)
def test_designar_sin_una_persona_administradora_no_designa(demo, opciones, mensaje):
    desde = ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command("designar_cuenta_emergencia", "auditor", motivo="Oficio 7/2026", **opciones)
    assert str(error.value) == mensaje
    assert not CuentaEmergencia.objects.exists()
    assert eventos_desde(desde) == []


@override_settings(DICTAMENES_CUENTA_EMERGENCIA="")
def test_nadie_designa_su_propia_cuenta_de_emergencia(demo):
    desde = ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command("designar_cuenta_emergencia", "admin", usuario="admin", motivo="Oficio 7/2026")
    assert str(error.value) == (
        str(ERROR_SU_PROPIA_CUENTA % {"usuario": "admin"}) + " No se designó ninguna."
    )
    assert not CuentaEmergencia.objects.exists()
    assert eventos_desde(desde) == []


def test_pedir_el_perfil_otra_vez_mientras_espera_no_pide_otro(demo):
    call_command("cargar_perfil_estado", str(PERFIL), usuario="admin", stdout=StringIO())
    antes, desde = en_vigor(), ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command("cargar_perfil_estado", str(PERFIL), usuario="admin2", stdout=StringIO())
    assert str(error.value).startswith(
        "No se cargó nada. Ya hay un cambio pendiente de «Perfil del estado "
        "(estado_de_anahuac.toml)», pedido por "
    )
    assert CambioPendiente.objects.count() == 1
    assert en_vigor() == antes
    assert eventos_desde(desde) == []


@override_settings(DICTAMENES_CUENTA_EMERGENCIA="")
@pytest.mark.parametrize(
    ("cuenta", "roles"), [("admin2", "Administrador"), ("firmante", "Firmante")]
)
def test_nadie_designa_de_emergencia_a_quien_actua_en_el_tramite(demo, cuenta, roles):
    """Designating takes the account out of the approvers (issue 59, found by a review):
    `admin` once designated admin2, stood alone, and could then make a superuser and set
    admin2's password as the break-glass account's."""
    from dictamenes.organizacion.services.emergencia import (
        ERROR_ACTUA_EN_EL_TRAMITE,
        administradores_activos,
    )

    desde = ultimo_evento()
    with pytest.raises(CommandError) as error:
        call_command("designar_cuenta_emergencia", cuenta, usuario="admin", motivo="Oficio 7/2026")
    assert str(error.value) == (
        str(ERROR_ACTUA_EN_EL_TRAMITE % {"usuario": cuenta, "roles": roles})
        + " No se designó ninguna."
    )
    assert not CuentaEmergencia.objects.exists()
    assert eventos_desde(desde) == []
    assert administradores_activos().count() == 2


@override_settings(DICTAMENES_CUENTA_EMERGENCIA="")
def test_designar_a_un_superusuario_que_deja_una_sola_aprobadora_no_designa(demo):
    from django.contrib.auth import get_user_model

    from dictamenes.organizacion.services.emergencia import ERROR_QUEDARIA_UN_APROBADOR

    get_user_model().objects.create_superuser("raiz", "raiz@demo.invalid", "x" * 20)
    admin2 = usuario("admin2")
    admin2.is_active = False
    admin2.save()
    with pytest.raises(CommandError) as error:
        call_command("designar_cuenta_emergencia", "raiz", usuario="admin", motivo="Oficio 7/2026")
    assert str(error.value) == (
        str(ERROR_QUEDARIA_UN_APROBADOR % {"usuario": "raiz"}) + " No se designó ninguna."
    )
    assert not CuentaEmergencia.objects.exists()
    # With admin2 back, raiz may be the break-glass account: two approve.
    admin2.is_active = True
    admin2.save()
    call_command(
        "designar_cuenta_emergencia",
        "raiz",
        usuario="admin",
        motivo="Oficio 7/2026",
        stdout=StringIO(),
    )
    assert CuentaEmergencia.objects.get().usuario.username == "raiz"
