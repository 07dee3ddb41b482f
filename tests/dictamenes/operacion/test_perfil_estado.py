"""Issue 35, item 5: a second state's profile, loaded by `cargar_perfil_estado` through the
audited doors (areas, texts, deadlines), idempotent, and all or nothing."""

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from dictamenes.management.administrador import ERROR_NO_ADMINISTRADOR
from dictamenes.models import (
    Area,
    CambioPendiente,
    EventoAuditoria,
    PlazoEtapa,
    TextosInstitucionales,
)
from dictamenes.operacion.services import configuracion
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.tramite.selectors.tareas import tareas_abiertas, titulo_de
from estandares.models import Categoria
from tests.dictamenes.flujo_utils import admitida, usuario

pytestmark = pytest.mark.django_db

PERFIL = Path(settings.BASE_DIR) / "demo/perfiles/estado_de_anahuac.toml"
NUEVAS = {
    "Conectividad e Infraestructura": {
        "almacenamiento",
        "punto-acceso",
        "servicio-centro-datos",
        "servicio-internet",
        "servidor",
        "switch",
        "telefonia-ip",
    },
    "Ciberseguridad y Sistemas": {
        "desarrollo-software",
        "firewall-nueva-generacion",
        "licencia-software",
    },
    "Bienes Informáticos": {
        "baja-bienes",
        "computadora-escritorio",
        "computadora-portatil",
        "impresora-multifuncional",
    },
}
ZONA = (
    "La zona horaria del perfil es America/Mexico_City y esta instalación usa "
    "America/Hermosillo: la zona es de la instalación, no de la base de datos. Quien opera el "
    "servidor pone DJANGO_ZONA_HORARIA=America/Mexico_City en su entorno y la reinicia."
)
PLAZOS = {
    "admision": 3,
    "subsanar": 8,
    "revision_area": 7,
    "revision_estrategica": 4,
    "firma": 1,
}


def cargar(archivo=PERFIL, **opciones) -> str:
    """The command, asked by the demo's `admin`: the profile waits for a second administrator
    (the demo's `admin2`), and she approves it (issues 48 and 59)."""
    salida = StringIO()
    opciones.setdefault("usuario", "admin")
    call_command("cargar_perfil_estado", str(archivo), stdout=salida, **opciones)
    for cambio in CambioPendiente.objects.filter(tipo="perfil", estado="pendiente"):
        configuracion.cambio_aprobar(
            cambio=cambio, por=get_user_model().objects.get(username="admin2")
        )
    return salida.getvalue()


def foto() -> tuple:
    """Everything the command may change, to compare before and after."""
    return (
        sorted(Area.objects.values_list("nombre", "activa")),
        sorted(Categoria.objects.values_list("clave", "area__nombre")),
        TextosInstitucionales.objects.count(),
        sorted(PlazoEtapa.objects.values_list("etapa", "dias_habiles")),
        EventoAuditoria.objects.count(),
    )


def test_cargar_el_perfil_deja_tres_areas_sus_textos_plazos_y_eventos(demo):
    # A request under review by Redes: its review must follow its categories.
    abierta = admitida(areas=("redes",), titulo="Switches")
    version = textos_vigentes().version
    antes = EventoAuditoria.objects.count()

    salida = cargar(usuario="admin")

    activas = {a.nombre: a for a in Area.objects.filter(activa=True)}
    assert set(activas) == set(NUEVAS)
    for nombre, claves in NUEVAS.items():
        assert set(activas[nombre].categorias.values_list("clave", flat=True)) == claves
    assert not Categoria.objects.filter(area__activa=False).exists()
    textos = textos_vigentes()
    assert textos.version == version + 1
    assert textos.institucion == "Agencia de Gobierno Digital del Estado de Anáhuac"
    assert textos.lugar == "Ciudad de Texcoco, Anáhuac"
    assert textos.membrete_lineas[0] == "Gobierno del Estado de Anáhuac"
    assert textos.fundamentos_lineas[0] == (
        "Ley de Gobierno Digital del Estado de Anáhuac, artículos 12 y 31"
    )
    assert textos.folio_solicitud == "ANH-SOL/{ejercicio}/{numero:04d}"
    assert textos.folio_dictamen == "AGD-ANH-{anio}-{numero:05d}"
    assert textos.condicion_dias_habiles == 20
    imagen = PERFIL.parent / "estado_de_anahuac_membrete.png"
    assert textos.membrete_imagen_sha256 == hashlib.sha256(imagen.read_bytes()).hexdigest()
    assert dict(PlazoEtapa.objects.values_list("etapa", "dias_habiles")) == PLAZOS
    # The open review of Redes is now Conectividad e Infraestructura's, titled so.
    (tarea,) = tareas_abiertas(solicitud=abierta)
    assert titulo_de(tarea=tarea) == "Revisión técnica: Conectividad e Infraestructura"
    # Each change has its event, by the administrator.
    eventos = EventoAuditoria.objects.filter(pk__gt=0).order_by("pk")[antes:]
    tipos = [e.tipo for e in eventos]
    assert tipos.count("area_agregada") == 3
    assert tipos.count("area_retirada") == 5
    assert tipos.count("revision_movida") == 1
    assert tipos.count("textos_institucionales") == 1
    assert tipos.count("plazo_etapa") == 5
    assert tipos.count("revisor_demo_creado") == 3
    # Asked by admin, applied in her name once admin2 approved it (issue 48).
    assert {e.usuario.username for e in eventos if e.tipo != "cambio_aprobado"} == {"admin"}
    assert [e.usuario.username for e in eventos if e.tipo == "cambio_aprobado"] == ["admin2"]
    assert "Cambio pedido" in salida
    # The demo reviewers review their new area.
    revisora = usuario("revisor.conectividad")
    assert list(revisora.perfil.areas.all()) == [activas["Conectividad e Infraestructura"]]


def test_la_segunda_vez_no_cambia_nada_y_lo_dice(demo):
    cargar()
    antes = foto()
    salida = cargar()
    assert foto() == antes
    assert salida.splitlines() == [
        "El perfil de estado_de_anahuac.toml ya estaba cargado: nada cambió.",
        ZONA,
    ]


@pytest.mark.parametrize(
    ("quitar", "poner", "mensaje"),
    [
        (
            'lugar = "Ciudad de Texcoco, Anáhuac"\n',
            "",
            "No se cargó nada. Falta la clave «institucion.lugar» en el perfil.",
        ),
        (
            '"baja-bienes",',
            '"baja-bienes", "drones",',
            "No se cargó nada. La categoría «drones» del área «Bienes Informáticos» no existe "
            "en las normas publicadas.",
        ),
        (
            '"baja-bienes",',
            "",
            "No se cargó nada. Estas categorías de las normas no están en ninguna área del "
            "perfil: baja-bienes.",
        ),
        (
            'folio_dictamen = "AGD-ANH-{anio}-{numero:05d}"',
            'folio_dictamen = "AGD-ANH-{numero:05d}"',
            "No se cargó nada. «institucion.folio_dictamen»: El patrón debe llevar {anio}, o dos "
            "folios podrían repetirse. Ejemplo: SGD/DT/{anio}/{numero:04d}",
        ),
        (
            "firma = 1\n",
            "",
            "No se cargó nada. Falta la clave «plazos.firma» en el perfil.",
        ),
    ],
    ids=["falta_clave", "categoria_desconocida", "categoria_sin_area", "folio", "plazo"],
)
def test_un_archivo_malo_no_cambia_nada_y_dice_por_que(demo, tmp_path, quitar, poner, mensaje):
    texto = PERFIL.read_text(encoding="utf-8")
    assert quitar in texto
    (tmp_path / "estado_de_anahuac_membrete.png").write_bytes(
        (PERFIL.parent / "estado_de_anahuac_membrete.png").read_bytes()
    )
    malo = tmp_path / "perfil.toml"
    malo.write_text(texto.replace(quitar, poner, 1), encoding="utf-8")
    antes = foto()
    with pytest.raises(CommandError) as error:
        cargar(malo)
    assert str(error.value) == mensaje
    assert foto() == antes


def test_un_fallo_a_medio_cargar_no_deja_nada(demo, tmp_path):
    """The file checks out, but an area of it was retired before: the areas already added and
    the old ones retired are undone with it."""
    from dictamenes.organizacion.services import areas as servicio

    vieja = servicio.area_agregar(nombre="Bienes Informáticos", por=usuario("admin"))
    servicio.area_retirar(area=vieja, por=usuario("admin"))
    antes = foto()
    with pytest.raises(CommandError) as error:
        cargar()
    assert str(error.value) == (
        "No se cargó nada. El área «Bienes Informáticos» existe y está retirada; elija otro nombre."
    )
    assert foto() == antes


def test_una_solicitud_de_dos_areas_nuevas_abre_dos_revisiones_con_sus_nombres(demo):
    cargar()
    # A switch (Conectividad e Infraestructura) and a computer (Bienes Informáticos).
    solicitud = admitida(areas=("redes", "computo"), titulo="Switches y equipos")
    titulos = sorted(titulo_de(tarea=t) for t in tareas_abiertas(solicitud=solicitud))
    assert titulos == [
        "Revisión técnica: Bienes Informáticos",
        "Revisión técnica: Conectividad e Infraestructura",
    ]


def test_sin_administrador_no_carga(demo):
    with pytest.raises(CommandError) as error:
        cargar(usuario="mesa")
    assert str(error.value) == str(ERROR_NO_ADMINISTRADOR % {"usuario": "mesa"})


def test_en_una_instalacion_sin_normas_crea_las_areas_y_dice_sus_claves(demo):
    """A new state loads its profile before its standards, whose import names these areas."""
    from django.apps import apps

    # No edition at all: every row of the standards' app, the leaves first.
    for modelo in reversed(list(apps.get_app_config("estandares").get_models())):
        modelo.objects.all()._raw_delete(modelo.objects.db)
    salida = cargar()
    assert salida.splitlines()[-1] == (
        "Aún no hay normas técnicas: cuando se apruebe el cambio, vuelva a correr este comando; "
        "dirá las claves de área que deben usar las normas al importarlas."
    )
    assert set(Area.objects.filter(activa=True).values_list("nombre", flat=True)) == set(NUEVAS)
    assert textos_vigentes().folio_dictamen == "AGD-ANH-{anio}-{numero:05d}"
    salida = cargar()
    assert salida.splitlines()[-1] == (
        "Aún no hay normas técnicas: impórtelas con estas claves de área en «area» "
        "(bienes-informaticos, ciberseguridad-y-sistemas, conectividad-e-infraestructura) y "
        "vuelva a correr este comando para revisar las categorías."
    )
