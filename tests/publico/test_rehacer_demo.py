"""Every reference the demo prints, rebuilt from the open data alone (issue 93, item 6).

The demo as `make run` loads it, and then what a strategic reviewer and the firmante do the
same morning through the doors: the requests waiting for the strategic review are decided
(their items' prices read the references of that moment), then the dictámenes waiting for the
signature are signed, those first, the just-decided ones last. So dictámenes of the same
profiles are issued the same day after some decisions: the day alone no longer tells which
purchases a decision saw (3 of 12 printed references could not be rebuilt that way).

Each row of precios-referencia-decisiones is rebuilt with tests.publico.test_rehacer_referencia
.rehecha (the rule written plainly, no import from dictamenes.precios) from
precios-referencia-observaciones, both downloaded through their public addresses, and compared
with the row and with what the dictamen's verification page prints for the item."""

import pytest

from dictamenes.models import DecisionPartida, Solicitud
from tests import demo_completa
from tests.dictamenes.flujo_utils import decidir, firmar
from tests.por_modulo import por_modulo
from tests.publico.test_rehacer_referencia import (
    _csv,
    _impresas,
    _instante,
    como_la_imprime,
    de_la_fila,
    rehecha,
)

pytestmark = pytest.mark.django_db

RAZON = "El precio se contrasta con la investigación de mercado y la referencia del estado."


def _construir() -> dict:
    demo_completa.cargar()
    por_decidir = list(
        Solicitud.objects.filter(estado=Solicitud.Estado.REVISION_ESTRATEGICA).order_by("pk")
    )
    por_firmar = list(Solicitud.objects.filter(estado=Solicitud.Estado.FIRMA).order_by("pk"))
    for solicitud in por_decidir:
        decidir(
            solicitud,
            # Every item approved, each with its reason (a flagged price asks for one).
            partidas={
                p.pk: {"resultado": "aprobada", "texto": RAZON} for p in solicitud.partidas.all()
            },
            motivos="Procede: las áreas opinan que cumple los estándares.",
        )
    for solicitud in [*por_firmar, *por_decidir]:
        firmar(Solicitud.objects.get(pk=solicitud.pk))
    return {"decididas": [s.pk for s in por_decidir], "firmadas": [s.pk for s in por_firmar]}


demo_del_dia = por_modulo(_construir)


def test_cada_referencia_impresa_de_la_demostracion_se_rehace_con_los_archivos(
    demo, demo_del_dia, client
):
    observaciones = _csv(client, "precios-referencia-observaciones")
    decisiones = _csv(client, "precios-referencia-decisiones")
    # Every item decided with a reference under an issued dictamen is a row (a plain count of
    # the decisions that kept one), and the day's two strategic reviews are among them.
    assert len(decisiones) == (
        DecisionPartida.objects.filter(
            referencia_unitaria__isnull=False, partida__solicitud__dictamenes__isnull=False
        ).count()
    )
    folios_del_dia = set(
        Solicitud.objects.filter(pk__in=demo_del_dia["decididas"]).values_list(
            "dictamenes__folio", flat=True
        )
    )
    assert folios_del_dia <= {d["folio"] for d in decisiones}
    impresas = {folio: _impresas(client, folio) for folio in {d["folio"] for d in decisiones}}
    assert sum(map(len, impresas.values())) == len(decisiones)

    for d in decisiones:
        reconstruida = rehecha(d, observaciones)
        assert de_la_fila(d) == reconstruida, d
        assert como_la_imprime(impresas[d["folio"]][d["descripcion"]]) == {
            **{c: v for c, v in reconstruida.items() if c != "minimo_mxn"},
            "desde": d["desde"],
            "hasta": d["hasta"],
            "regla": d["regla"],
        }, d

    # The data tells the rule from its bug: some windows hold a purchase issued the same day
    # after the decision, and for some of them the day alone gives another reference.
    def despues_el_mismo_dia(d) -> bool:
        return any(
            (o["categoria_clave"], o["perfil_clave"], o["unidad"])
            == (d["categoria_clave"], d["perfil_clave"], d["unidad"])
            and o["fecha"] == d["hasta"]
            and o["folio"] != d["folio"]
            and _instante(o["emitido_en"]) > _instante(d["decidida_en"])
            for o in observaciones
        )

    con_posteriores = [d for d in decisiones if despues_el_mismo_dia(d)]
    por_el_dia = [
        (d["folio"], d["partida"])
        for d in decisiones
        if rehecha(d, observaciones, por_dia=True) != de_la_fila(d)
    ]
    assert por_el_dia, "ninguna referencia distingue la hora del día"
    assert set(por_el_dia) <= {(d["folio"], d["partida"]) for d in con_posteriores}
    print(
        f"\n{len(decisiones)} referencias impresas, todas rehechas; {len(con_posteriores)} con "
        f"compras emitidas el mismo día después de decidir, {len(por_el_dia)} que con solo el "
        f"día no se rehacen"
    )
