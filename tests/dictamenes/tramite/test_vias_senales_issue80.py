"""Issue 80, item 1: each sign's threshold is «configurable under dual control». The five
thresholds only the signs read (near-identical quotes, the fiscal year's last days, a supplier's
share of an agency's spend and from how many contracts, the days without a delivery) are edited
in «Vías de revisión», in a fieldset «Señales» whose help names the sign that reads each one;
asked by one administrator, applied by another through the same door
(operacion.services.vias.vias_guardar), stated before → after in the pending change, the audit
event and the versions' history, and refused in Spanish next to the field when out of range.

The ranges are written here by hand from the issue's brief and the model's validators: the
service reads them from the model, so a test that read them too would check nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dictamenes.models import CambioPendiente, ConfiguracionVias, EventoAuditoria
from dictamenes.operacion.services import configuracion
from dictamenes.tramite.selectors.vias import vias_vigentes
from tests.dictamenes.dual_utils import aprobar_pendientes, pendientes
from tests.dictamenes.flujo_utils import usuario
from tests.dictamenes.tramite.test_vias_config import URL, _errores, _formulario, guardar

pytestmark = pytest.mark.django_db

COBERTURA = "Escriba un por ciento de 0 a 20, con dos decimales a lo más (p. ej. 0.5)."
CIERRE = "Escriba un número entero de días hábiles, de 1 a 60."
DOMINANTE = "Escriba un número entero de 10 a 100 por ciento."
CONTRATOS = "Escriba un número entero de contratos, de 2 a 1000."
ENTREGA = "Escriba un número entero de días hábiles, de 1 a 250."
RANGOS = {
    "senal_cierre_dias": (1, 60, CIERRE),
    "senal_dominante_pct": (10, 100, DOMINANTE),
    "senal_dominante_contratos": (2, 1000, CONTRATOS),
    "senal_entrega_dias": (1, 250, ENTREGA),
}


def _fuera_de_rango():
    for campo, (minimo, maximo, mensaje) in RANGOS.items():
        yield pytest.param({campo: minimo - 1}, {campo: [mensaje]}, id=f"{campo}-bajo")
        yield pytest.param({campo: maximo + 1}, {campo: [mensaje]}, id=f"{campo}-alto")


@pytest.mark.parametrize(
    ("cambios", "esperados"),
    [
        *_fuera_de_rango(),
        pytest.param(
            {"senal_cobertura_pct": Decimal("-0.01")},
            {"senal_cobertura_pct": [COBERTURA]},
            id="cobertura-negativa",
        ),
        pytest.param(
            {"senal_cobertura_pct": Decimal("20.01")},
            {"senal_cobertura_pct": [COBERTURA]},
            id="cobertura-alta",
        ),
        # A third decimal would be cut by the database without saying so.
        pytest.param(
            {"senal_cobertura_pct": Decimal("0.505")},
            {"senal_cobertura_pct": [COBERTURA]},
            id="cobertura-tres-decimales",
        ),
        pytest.param(
            {"senal_cobertura_pct": "0.5"}, {"senal_cobertura_pct": [COBERTURA]}, id="texto"
        ),
        pytest.param({"senal_cierre_dias": True}, {"senal_cierre_dias": [CIERRE]}, id="booleano"),
        pytest.param({"senal_entrega_dias": "20"}, {"senal_entrega_dias": [ENTREGA]}, id="txt"),
    ],
)
def test_cada_umbral_fuera_de_su_rango_se_dice_en_espanol_y_no_guarda_nada(
    demo, cambios, esperados
):
    assert _errores(**cambios) == esperados
    assert ConfiguracionVias.objects.count() == 1
    assert not EventoAuditoria.objects.filter(tipo="vias_revision").exists()


def test_los_extremos_de_cada_rango_valen(demo):
    """The lower ends in one version, the upper in the next: an off-by-one either way fails."""
    bajos = guardar(
        senal_cobertura_pct=Decimal(0),
        **{campo: minimo for campo, (minimo, _, _m) in RANGOS.items()},
    )
    assert {c: getattr(bajos, c) for c in [*RANGOS, "senal_cobertura_pct"]} == {
        "senal_cierre_dias": 1,
        "senal_dominante_pct": 10,
        "senal_dominante_contratos": 2,
        "senal_entrega_dias": 1,
        "senal_cobertura_pct": Decimal(0),
    }
    altos = guardar(
        senal_cobertura_pct=Decimal("20.00"),
        **{campo: maximo for campo, (_, maximo, _m) in RANGOS.items()},
    )
    assert (altos.version, {c: getattr(altos, c) for c in [*RANGOS, "senal_cobertura_pct"]}) == (
        3,
        {
            "senal_cierre_dias": 60,
            "senal_dominante_pct": 100,
            "senal_dominante_contratos": 1000,
            "senal_entrega_dias": 250,
            "senal_cobertura_pct": Decimal("20.00"),
        },
    )


# The pending change's rows that change (label, before, after).
FILAS = [
    (
        "Cotizaciones casi iguales: precios o razones que difieren a lo más (%)",
        "0.50 %",
        "1.25 %",
    ),
    (
        "Cierre del ejercicio: presentada en sus últimos días hábiles",
        "5 días hábiles",
        "1 día hábil",
    ),
    (
        "Concentración: un proveedor con más de este % de lo contratado por el ente en el año",
        "60 %",
        "75 %",
    ),
    (
        "Concentración: solo en entes con al menos estos contratos en el año",
        "4 contratos",
        "6 contratos",
    ),
    (
        "Sin entrega registrada estos días hábiles después del término del contrato",
        "20 días hábiles",
        "30 días hábiles",
    ),
]
NUEVOS = {
    "senal_cobertura_pct": Decimal("1.25"),
    "senal_cierre_dias": 1,
    "senal_dominante_pct": 75,
    "senal_dominante_contratos": 6,
    "senal_entrega_dias": 30,
}


def _pedido_en_la_pagina(admin, **cambios):
    return admin.post(
        URL,
        _formulario(
            senal_cobertura_pct="1.25",
            senal_cierre_dias="1",
            senal_dominante_pct="75",
            senal_dominante_contratos="6",
            senal_entrega_dias="30",
            motivo="Acuerdo de señales 80",
            **cambios,
        ),
    )


def test_la_pagina_los_ofrece_cada_uno_con_la_senal_que_lo_lee(como):
    html = como("admin").get(URL).content.decode()
    assert '<fieldset id="senales"><legend>Señales</legend>' in html
    assert (
        '<span class="ayuda" id="id_senal_dominante_contratos_helptext">La concentración se '
        "mira solo en los entes con al menos estos contratos en el año: con menos, uno solo ya "
        "sería la mayor parte. De 2 a 1000. Lo lee la señal «Un proveedor concentra el gasto "
        "del ente».</span>"
    ) in html
    assert (
        "dos decimales a lo más (p. ej. 0.5). Lo lee la señal «Cotizaciones que parecen de "
        "cobertura».</span>"
    ) in html
    # A threshold of issue 62 that two signs read says so too.
    assert (
        "De 1 a 1000. Lo leen las señales «Precio sobre la referencia» y «Aprobada sobre la "
        "referencia sin motivo».</span>"
    ) in html
    assert 'name="senal_cobertura_pct" value="0.50"' in html
    # The values in force, in each sign's own sentence.
    assert (
        "<li><strong>Presentada al cierre del ejercicio</strong>: Se presentó en los últimos 5 "
        "días hábiles de su ejercicio fiscal.</li>"
    ) in html


def test_se_piden_en_la_pagina_otra_persona_los_aprueba_y_la_version_nueva_los_tiene(como):
    admin = como("admin")
    respuesta = _pedido_en_la_pagina(admin)
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    [cambio] = pendientes(CambioPendiente.Tipo.VIAS)
    assert [
        (f["campo"], f["antes"], f["despues"]) for f in cambio.datos["filas"] if f["cambia"]
    ] == FILAS
    assert vias_vigentes().version == 1

    # Who asked cannot apply it: not on the page, not through the service.
    respuesta = admin.post(
        reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"}
    )
    assert respuesta.status_code == 403
    with pytest.raises(PermissionDenied):
        configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin"))
    assert vias_vigentes().version == 1

    aprobar_pendientes(client=admin)
    nueva = vias_vigentes()
    assert (nueva.version, {c: getattr(nueva, c) for c in NUEVOS}) == (2, NUEVOS)
    evento = EventoAuditoria.objects.get(tipo="vias_revision")
    assert {c: evento.datos["antes"][c] for c in NUEVOS} == {
        "senal_cobertura_pct": "0.50",
        "senal_cierre_dias": 5,
        "senal_dominante_pct": 60,
        "senal_dominante_contratos": 4,
        "senal_entrega_dias": 20,
    }
    assert {c: evento.datos["despues"][c] for c in NUEVOS} == {
        **NUEVOS,
        "senal_cobertura_pct": "1.25",
    }

    html = como("admin").get(URL).content.decode()
    for campo, antes, despues in FILAS:
        assert f"<li>{campo[0].upper()}{campo[1:]}: {antes} → {despues}</li>" in html, campo
    assert (
        "<li><strong>Sin entrega registrada</strong>: Pasaron 30 días hábiles del término de un "
        "contrato sin acta de entrega-recepción registrada.</li>"
    ) in html


@pytest.mark.parametrize(
    ("cambios", "campo", "mensaje"),
    [
        ({"senal_cobertura_pct": "20.5"}, "senal_cobertura_pct", COBERTURA),
        ({"senal_cobertura_pct": "0.505"}, "senal_cobertura_pct", COBERTURA),
        ({"senal_cobertura_pct": "medio"}, "senal_cobertura_pct", COBERTURA),
        ({"senal_cierre_dias": "0"}, "senal_cierre_dias", CIERRE),
        ({"senal_dominante_pct": "9"}, "senal_dominante_pct", DOMINANTE),
        ({"senal_dominante_contratos": "1001"}, "senal_dominante_contratos", CONTRATOS),
        ({"senal_entrega_dias": "251"}, "senal_entrega_dias", ENTREGA),
    ],
    ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else None,
)
def test_la_pagina_dice_el_error_junto_al_campo_y_no_pide_nada(como, cambios, campo, mensaje):
    respuesta = como("admin").post(URL, _formulario(**cambios))
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors == {campo: [mensaje]}
    html = respuesta.content.decode()
    assert f'<span class="error" id="id_{campo}_error">{mensaje}</span>' in html
    assert "No se guardó nada: corrija lo señalado en cada campo." in html
    assert not CambioPendiente.objects.filter(tipo=CambioPendiente.Tipo.VIAS).exists()
    assert ConfiguracionVias.objects.count() == 1


def test_un_cambio_pedido_antes_de_la_issue_80_deja_los_umbrales_como_estan(como):
    """A change asked before these fields existed names none of them: approved, it keeps
    those of the version in force (changed in between here, so not the defaults)."""
    guardar(senal_entrega_dias=40, senal_cobertura_pct=Decimal("2.5"))
    respuesta = como("admin").post(URL, _formulario(umbral_monto="300,000.00"))
    assert respuesta.status_code == 302
    [cambio] = pendientes(CambioPendiente.Tipo.VIAS)
    for campo in NUEVOS:
        del cambio.datos["pedido"][campo]
    cambio.save(update_fields=["datos"])
    aprobar_pendientes()
    nueva = vias_vigentes()
    assert (nueva.version, nueva.senal_entrega_dias, nueva.senal_cobertura_pct) == (
        3,
        40,
        Decimal("2.50"),
    )
