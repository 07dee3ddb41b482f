"""Families of categories in the split check (issue 59, item 5): $450,000 of desktops and
$450,000 of laptops both went by the fast track, because neighbouring categories were never
compared. A family, part of the tracks' configuration and changed under dual control on
/cuentas/vias/, makes the split check compare its categories as one."""

import html

import pytest
from django.core.exceptions import ValidationError

from dictamenes.consola.forms.vias import ViasForm
from dictamenes.models import CambioPendiente, ConfiguracionVias, EventoAuditoria
from dictamenes.operacion.services import vias as servicio
from dictamenes.tramite.selectors.vias import vias_vigentes
from tests.dictamenes.dual_utils import aprobar_pendientes
from tests.dictamenes.flujo_utils import detalle, usuario
from tests.dictamenes.tramite import test_fraccionamiento as tf
from tests.dictamenes.tramite.test_vias import nueva_version

pytestmark = pytest.mark.django_db

COMPUTO_PERSONAL = {
    "nombre": "Equipo de cómputo personal",
    "categorias": ["computadora-escritorio", "computadora-portatil"],
}
ESCRITORIO = {
    "nucleos_cpu": 8,
    "ram": 16,
    "almacenamiento": 512,
    "tipo_almacenamiento": "SSD",
    "garantia_sitio": 3,
    "tpm_20": True,
}


def escritorios():
    """$450,000 of desktops: 30 × $15,000."""
    return tf.pedida(
        titulo="Computadoras de escritorio para ventanillas",
        de=tf.perfil("computadora-escritorio"),
        descripcion="Computadora de escritorio",
        cantidad=30,
        precio="15000.00",
        specs=ESCRITORIO,
    )


def portatiles():
    """$450,000 of laptops: 25 × $18,000."""
    return tf.pedida(
        titulo="Laptops para supervisores",
        de=tf.perfil("computadora-portatil"),
        descripcion="Laptop para supervisor",
        cantidad=25,
        precio="18000.00",
        specs=tf.LAPTOP,
    )


def test_sin_familia_escritorios_y_portatiles_no_se_comparan(demo):
    escritorio = tf.presentar(escritorios())
    laptop = tf.presentar(portatiles())
    assert (escritorio.via, laptop.via, laptop.via_fraccion) == ("rapida", "rapida", [])


def test_con_la_familia_escritorios_y_portatiles_son_un_posible_fraccionamiento(demo, como):
    nueva_version(fraccion_familias=[COMPUTO_PERSONAL])
    escritorio = tf.presentar(escritorios())
    laptop = tf.presentar(portatiles())
    assert laptop.via == "completa"
    aviso = tf.aviso(
        escritorio.folio,
        "$900,000.00",
        de="de la misma familia de categorías «Equipo de cómputo personal»",
    )
    assert laptop.via_razones[-1] == aviso
    assert laptop.via_fraccion == [
        {
            "criterio": "familia",
            "nombre": "Equipo de cómputo personal",
            "folios": [escritorio.folio],
            "suma": "900000.00",
        }
    ]
    # The earlier one, undecided, is re-examined too; both pages say it.
    escritorio.refresh_from_db()
    assert escritorio.via == "completa"
    pagina = como("mesa").get(detalle(laptop)).content.decode()
    assert (
        "del mismo ente y de la misma familia de categorías «Equipo de cómputo personal», "
        "suman $900,000.00 con esta"
    ) in pagina
    # By profile, families do not apply: a profile is narrower than a category.
    nueva_version(fraccion_criterio="perfil")
    assert tf.presentar(portatiles()).via_fraccion == [
        {
            "criterio": "perfil",
            "nombre": "Computadora portátil · Básico",
            "folios": [laptop.folio],
            "suma": "900000.00",
        }
    ]


def _formulario(**cambios) -> dict:
    return tf._formulario(**cambios)


def test_la_familia_se_pide_en_la_pagina_y_se_aplica_con_la_aprobacion_de_otra_persona(demo, como):
    admin = como("admin")
    html_vias = admin.get("/cuentas/vias/").content.decode()
    assert (
        '<div id="vigente-familias"><dt>Familias de categorías</dt><dd>Red de área local '
        "(Switch, Punto de acceso inalámbrico)</dd></div>"
    ) in html_vias
    texto = (
        "Red de área local: switch, punto-acceso\n"
        "Equipo de cómputo personal: computadora-escritorio, computadora-portatil"
    )
    assert admin.post("/cuentas/vias/", _formulario(fraccion_familias=texto)).status_code == 302
    # Nothing applied until a second administrator approves (dual control, issue 48).
    assert vias_vigentes().version == 1
    pedido = CambioPendiente.objects.get(tipo=CambioPendiente.Tipo.VIAS)
    red = {"nombre": "Red de área local", "categorias": ["switch", "punto-acceso"]}
    # As the audit keeps a version's values: by name, each family's claves sorted.
    assert pedido.datos["pedido"]["fraccion_familias"] == [
        COMPUTO_PERSONAL,
        {"nombre": "Red de área local", "categorias": ["punto-acceso", "switch"]},
    ]
    # What the second administrator reads before approving: before → after, by name.
    assert [f for f in pedido.datos["filas"] if f["campo"] == "Familias de categorías"] == [
        {
            "campo": "Familias de categorías",
            "antes": "Red de área local (Punto de acceso inalámbrico, Switch)",
            "despues": "Equipo de cómputo personal (Computadora de escritorio, Computadora "
            "portátil); Red de área local (Punto de acceso inalámbrico, Switch)",
            "cambia": True,
        }
    ]
    aprobar_pendientes()
    nueva = vias_vigentes()
    # Stored with each family's categories in the edition's order.
    assert (nueva.version, nueva.fraccion_familias) == (2, [COMPUTO_PERSONAL, red])
    evento = EventoAuditoria.objects.get(tipo="vias_revision")
    assert evento.datos["antes"]["fraccion_familias"] == [
        {"nombre": "Red de área local", "categorias": ["punto-acceso", "switch"]}
    ]
    assert evento.datos["despues"]["fraccion_familias"] == [
        COMPUTO_PERSONAL,
        {"nombre": "Red de área local", "categorias": ["punto-acceso", "switch"]},
    ]
    html_vias = admin.get("/cuentas/vias/").content.decode()
    assert (
        "<li>Familias de categorías: Red de área local (Switch, Punto de acceso inalámbrico) → "
        "Equipo de cómputo personal (Computadora de escritorio, Computadora portátil); Red de "
        "área local (Switch, Punto de acceso inalámbrico)</li>"
    ) in html_vias


@pytest.mark.parametrize(
    ("texto", "error"),
    [
        ("Cómputo computadora-escritorio, computadora-portatil", servicio.ERROR_FAMILIA_FORMATO),
        (
            "Cómputo: computadora-escritorio, mainframe",
            servicio.ERROR_FAMILIA_CATEGORIA % {"clave": "mainframe", "nombre": "Cómputo"},
        ),
        (
            "Cómputo: computadora-escritorio, computadora-escritorio",
            servicio.ERROR_FAMILIA_POCAS % {"nombre": "Cómputo"},
        ),
        (
            "Cómputo: computadora-escritorio, computadora-portatil\n"
            "Escritorio: computadora-escritorio, servidor",
            servicio.ERROR_FAMILIA_REPETIDA
            % {"clave": "computadora-escritorio", "una": "Cómputo", "otra": "Escritorio"},
        ),
        (
            "Cómputo: computadora-escritorio, computadora-portatil\nCÓMPUTO: switch, servidor",
            servicio.ERROR_FAMILIA_NOMBRE_REPETIDO % {"nombre": "CÓMPUTO"},
        ),
        (
            ": switch, servidor",
            servicio.ERROR_FAMILIA_NOMBRE % {"maximo": servicio.FAMILIA_NOMBRE_MAXIMO},
        ),
    ],
)
def test_una_familia_mal_escrita_se_dice_en_espanol_y_no_se_pide_nada(demo, como, texto, error):
    respuesta = como("admin").post("/cuentas/vias/", _formulario(fraccion_familias=texto))
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors == {"fraccion_familias": [str(error)]}
    pagina = respuesta.content.decode()
    assert html.escape(texto.split("\n")[0]) in pagina  # what was typed is kept
    assert not CambioPendiente.objects.exists()
    assert ConfiguracionVias.objects.count() == 1


@pytest.mark.parametrize("familias", ["Cómputo", [["switch"]], [{"nombre": 3, "categorias": []}]])
def test_el_servicio_rechaza_familias_que_no_son_familias(demo, familias):
    """A stored request of change is JSON: whatever it holds is refused, never a 500."""
    vigentes = vias_vigentes()
    datos = {campo: getattr(vigentes, campo) for campo in servicio.CAMPOS}
    with pytest.raises(ValidationError) as error:
        servicio.vias_guardar(datos=datos | {"fraccion_familias": familias}, por=usuario("admin"))
    assert error.value.message_dict == {"fraccion_familias": [str(servicio.ERROR_FAMILIA_FORMATO)]}
    assert ConfiguracionVias.objects.count() == 1


def test_el_formulario_muestra_las_familias_como_se_escriben():
    assert ViasForm.familias_texto([COMPUTO_PERSONAL]) == (
        "Equipo de cómputo personal: computadora-escritorio, computadora-portatil"
    )


def test_la_pagina_publica_del_tramite_nombra_las_familias(demo, client):
    pagina = client.get("/tramite/").content.decode()
    assert (
        '<p id="familias-fraccionamiento">Estas familias de categorías se comparan como una '
        "sola: Red de área local (Switch, Punto de acceso inalámbrico).</p>"
    ) in pagina
    nueva_version(fraccion_criterio="perfil")
    assert 'id="familias-fraccionamiento"' not in client.get("/tramite/").content.decode()
