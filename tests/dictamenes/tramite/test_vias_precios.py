"""The office configures price (issue 62, item 2): the amount from which each item carries
three quotes, the market price's method, and the percentages of the quotes out of line and of
the flag over the reference, in «Vías de revisión», through the same door, the same
dual control and the same audit as the tracks."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dictamenes.exceptions import Conflicto
from dictamenes.models import CambioPendiente, ConfiguracionVias, EventoAuditoria
from dictamenes.operacion.services import configuracion
from dictamenes.tramite.selectors.vias import vias_vigentes
from tests.dictamenes.dual_utils import aprobar_pendientes, pendientes
from tests.dictamenes.flujo_utils import usuario
from tests.dictamenes.tramite.test_vias_config import URL, _errores, _formulario, guardar

pytestmark = pytest.mark.django_db

PORCENTAJE = "Escriba un número entero de 1 a 1000 por ciento."
UMBRAL = (
    "El monto a partir del cual se piden tres cotizaciones no puede ser negativo: escriba 0 o "
    "más pesos."
)
METODO = "Elija uno de los métodos del precio de mercado que se ofrecen."


@pytest.mark.parametrize(
    ("cambios", "esperados"),
    [
        ({"cotizaciones_umbral": Decimal("-0.01")}, {"cotizaciones_umbral": [UMBRAL]}),
        ({"precio_metodo": "moda"}, {"precio_metodo": [METODO]}),
        ({"precio_atipico_pct": 0}, {"precio_atipico_pct": [PORCENTAJE]}),
        ({"precio_senal_pct": 1001}, {"precio_senal_pct": [PORCENTAJE]}),
        ({"precio_senal_pct": "25"}, {"precio_senal_pct": [PORCENTAJE]}),
    ],
    ids=["umbral", "metodo", "atipico", "senal", "senal-texto"],
)
def test_cada_regla_de_precio_se_dice_en_espanol_y_no_guarda_nada(demo, cambios, esperados):
    assert _errores(**cambios) == esperados
    assert ConfiguracionVias.objects.count() == 1
    assert not EventoAuditoria.objects.filter(tipo="vias_revision").exists()


def test_los_limites_de_precio_valen(demo):
    """0 pesos (every request carries quotes), 1 % and 1000 %: all allowed."""
    nueva = guardar(cotizaciones_umbral=Decimal(0), precio_atipico_pct=1, precio_senal_pct=1000)
    assert (nueva.cotizaciones_umbral, nueva.precio_atipico_pct, nueva.precio_senal_pct) == (
        Decimal(0),
        1,
        1000,
    )


def test_la_pagina_dice_cada_error_junto_a_su_campo(como):
    respuesta = como("admin").post(
        URL,
        _formulario(cotizaciones_umbral="-5", precio_atipico_pct="0", precio_senal_pct="1001"),
    )
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors == {
        "cotizaciones_umbral": [UMBRAL],
        "precio_atipico_pct": [PORCENTAJE],
        "precio_senal_pct": [PORCENTAJE],
    }
    html = respuesta.content.decode()
    assert '<fieldset id="precios"><legend>Precios</legend>' in html
    assert 'name="cotizaciones_umbral" value="-5"' in html
    assert not pendientes(CambioPendiente.Tipo.VIAS)


def test_el_cambio_pedido_dice_los_precios_y_al_aprobarse_los_aplica(como):
    admin = como("admin")
    html = admin.get(URL).content.decode()
    assert (
        '<div id="vigente-precios"><dt>Precios</dt><dd>Tres cotizaciones por partida desde '
        "$500,000.00; precio de mercado: mediana de las cotizaciones válidas, sin las que se "
        "alejan más de 50 % de su mediana; se señala la partida más de 25 % sobre la mediana "
        "de referencia</dd></div>"
    ) in html
    assert 'name="cotizaciones_umbral" value="500,000.00"' in html
    respuesta = admin.post(
        URL,
        _formulario(
            cotizaciones_umbral="$250,000.00",
            precio_metodo="menor",
            precio_atipico_pct="40",
            precio_senal_pct="30",
            motivo="Acuerdo de precios",
        ),
    )
    assert respuesta.status_code == 302
    [cambio] = pendientes(CambioPendiente.Tipo.VIAS)
    assert [
        (f["campo"], f["antes"], f["despues"]) for f in cambio.datos["filas"] if f["cambia"]
    ] == [
        (
            "Monto a partir del cual cada partida lleva tres cotizaciones (MXN)",
            "$500,000.00",
            "$250,000.00",
        ),
        (
            "Método del precio de mercado",
            "mediana de las cotizaciones válidas",
            "menor precio válido",
        ),
        ("Cotizaciones fuera de línea: más lejos de su mediana que (%)", "50 %", "40 %"),
        ("Señalar la partida que pasa su precio de referencia en más de (%)", "25 %", "30 %"),
    ]
    assert vias_vigentes().version == 1

    aprobar_pendientes(client=admin)
    nueva = vias_vigentes()
    assert (
        nueva.version,
        nueva.cotizaciones_umbral,
        nueva.precio_metodo,
        nueva.precio_atipico_pct,
        nueva.precio_senal_pct,
    ) == (2, Decimal("250000.00"), "menor", 40, 30)
    evento = EventoAuditoria.objects.get(tipo="vias_revision")
    assert {
        c: evento.datos["despues"][c]
        for c in ("cotizaciones_umbral", "precio_metodo", "precio_atipico_pct", "precio_senal_pct")
    } == {
        "cotizaciones_umbral": "250000.00",
        "precio_metodo": "menor",
        "precio_atipico_pct": 40,
        "precio_senal_pct": 30,
    }
    html = como("admin").get(URL).content.decode()
    assert "<li>Método del precio de mercado: mediana de las cotizaciones válidas → menor " in html
    assert "<li>Señalar la partida que pasa su precio de referencia en más de (%): 25 % → 30 %" in (
        html
    )


def _pedido_por_la_pagina(como, **cambios) -> CambioPendiente:
    respuesta = como("admin").post(URL, _formulario(motivo="Acuerdo del comité", **cambios))
    assert respuesta.status_code == 302
    [cambio] = pendientes(CambioPendiente.Tipo.VIAS)
    return cambio


def test_un_cambio_pedido_antes_de_los_precios_los_deja_como_estan(como):
    """A change asked before issue 62 names no price setting: approved, it keeps those of the
    version in force (not the defaults: here they were changed in between)."""
    guardar(precio_senal_pct=40)
    cambio = _pedido_por_la_pagina(como, umbral_monto="300,000.00")
    for campo in ("cotizaciones_umbral", "precio_metodo", "precio_atipico_pct", "precio_senal_pct"):
        del cambio.datos["pedido"][campo]
    cambio.save(update_fields=["datos"])
    aprobar_pendientes()
    nueva = vias_vigentes()
    assert (nueva.version, nueva.umbral_monto, nueva.precio_senal_pct) == (
        3,
        Decimal("300000.00"),
        40,
    )


def test_al_aprobar_se_revisan_otra_vez_los_precios(como):
    """What the approval applies is checked by the same door: a stored change with a value
    out of range (altered after it was asked) is refused in Spanish and applies nothing."""
    cambio = _pedido_por_la_pagina(como, precio_senal_pct="30")
    cambio.datos["pedido"]["precio_senal_pct"] = 0
    cambio.save(update_fields=["datos"])
    with pytest.raises(Conflicto) as error:
        configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin2"))
    assert str(error.value.message) == PORCENTAJE
    assert vias_vigentes().version == 1


def test_el_servicio_refusa_el_metodo_ajeno_aunque_la_pagina_no_lo_ofrezca(demo):
    with pytest.raises(ValidationError) as error:
        guardar(precio_metodo="", precio_senal_pct=30)
    assert error.value.message_dict == {"precio_metodo": [METODO]}
