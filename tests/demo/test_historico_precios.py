"""The generated history prices its items as a market would (issue 62, item 8): around each
profile's base, cheaper hardware as the years pass, and a few items far above the market
that the strategic reviewer's flag catches. The expected figures come from the raw items and
demo.precios.BASE, normalised by hand, not from the price services."""

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from demo import historico
from demo.precios import BASE
from dictamenes.models import ConfiguracionVias, Partida, ReferenciaPrecio
from dictamenes.precios import selectors, services

pytestmark = pytest.mark.django_db

HASTA = timezone.make_aware(datetime.datetime(2026, 11, 20, 12, 0))
UN_ANIO = HASTA - datetime.timedelta(days=365)


def _veces_la_base(partida: dict) -> float:
    """The item's unit price as a multiple of its profile's base, in the base's unit: per
    piece, per month of service, per licence-year."""
    precio = partida["precio_unitario"]
    if partida["unidad"] == "servicio":
        precio = precio / partida["meses"]
    elif partida["unidad"] == "licencia":
        precio = precio * 12 / partida["meses"]
    return float(precio / BASE[(partida["perfil__categoria__clave"], partida["perfil__clave"])])


def _partidas():
    return Partida.objects.filter(solicitud__folio__isnull=False).values(
        "pk",
        "cantidad",
        "precio_unitario",
        "unidad",
        "meses",
        "perfil__categoria__clave",
        "perfil__clave",
        "solicitud__creada_en",
    )


def test_los_precios_del_historico_son_los_de_un_mercado(demo):
    historico.generar(anios=3, escala=0.5, hasta=HASTA, semilla=7)
    services.observaciones_reconstruir(hoy=HASTA.date())
    partidas = list(_partidas())
    recientes = [p for p in partidas if p["solicitud__creada_en"] >= UN_ANIO]
    # Each profile's purchases of the last year sit around its base.
    por_perfil = defaultdict(list)
    for p in recientes:
        por_perfil[(p["perfil__categoria__clave"], p["perfil__clave"])].append(_veces_la_base(p))
    assert set(por_perfil) == set(BASE)
    for perfil, veces in por_perfil.items():
        assert 0.8 <= statistics.median(veces) <= 1.25, (perfil, statistics.median(veces))
    assert 0.95 <= statistics.median(v for veces in por_perfil.values() for v in veces) <= 1.07
    # About one in twenty is far above the market (1.6 to 2.5 times the base).
    fuera = [p for p in recientes if _veces_la_base(p) >= 1.6]
    assert 0.03 <= len(fuera) / len(recientes) <= 0.07, len(fuera) / len(recientes)
    # Hardware gets cheaper: two years ago the same desktop cost about 10 % more.
    hace_dos = [
        _veces_la_base(p)
        for p in partidas
        if p["perfil__categoria__clave"].startswith("computadora")
        and p["solicitud__creada_en"] < HASTA - datetime.timedelta(days=2 * 365)
    ]
    este = [
        _veces_la_base(p)
        for p in recientes
        if p["perfil__categoria__clave"].startswith("computadora")
    ]
    assert 1.03 <= statistics.median(hace_dos) / statistics.median(este) <= 1.17
    # A data-centre service or a system is bought once; desktops come by the dozen.
    assert {
        p["cantidad"]
        for p in partidas
        if p["perfil__categoria__clave"]
        in (
            "servicio-centro-datos",
            "desarrollo-software",
        )
    } == {1}
    escritorios = [
        p["cantidad"] for p in partidas if p["perfil__categoria__clave"] == "computadora-escritorio"
    ]
    assert statistics.median(escritorios) >= 12
    # Purchases come from many agencies: every profile's reference reaches the minimum.
    referencias = ReferenciaPrecio.objects.all()
    assert {(r.categoria_clave, r.perfil_clave) for r in referencias} == set(BASE)
    assert all(r.suficiente and r.entes >= 5 for r in referencias)
    # The strategic reviewer's flag (over 25 % above the reference) catches every item far
    # above the market, and few of the others.
    config = ConfiguracionVias.objects.vigentes()
    vistas = selectors.precios_de(
        list(
            Partida.objects.filter(pk__in=[p["pk"] for p in recientes])
            .select_related("perfil__categoria")
            .prefetch_related("cotizaciones")
        ),
        config=config,
        hoy=HASTA.date(),
    )
    senaladas = {pk for pk, vista in vistas.items() if vista.senalada}
    assert {p["pk"] for p in fuera} <= senaladas
    assert len(senaladas - {p["pk"] for p in fuera}) / len(recientes) < 0.1


def _precios(semilla) -> list[tuple]:
    with transaction.atomic():
        historico.generar(anios=1, escala=0.1, hasta=HASTA, semilla=semilla)
        filas = list(
            Partida.objects.filter(solicitud__folio__isnull=False)
            .order_by("solicitud__folio", "pk")
            .values_list("solicitud__folio", "perfil", "cantidad", "precio_unitario", "unidad")
        )
        transaction.set_rollback(True)
    return filas


def test_la_misma_semilla_da_los_mismos_precios(demo):
    primera = _precios(7)
    assert primera == _precios(7)
    assert primera != _precios(8)
    assert all(precio >= Decimal(1) for *_, precio, _u in primera)
