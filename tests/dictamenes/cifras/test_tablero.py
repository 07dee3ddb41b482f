"""The indicators page at ten years of history (issue 45): each fiscal year's figures are cached
under that year's version, which the door that writes events moves; after a change only the
year it touched is computed again, and the page shows what the same selectors give over the
whole history with no cache. Whether those figures are right is test_oraculo's question: it
checks them against code that shares nothing with the selectors."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache as django_cache
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from dictamenes.cifras.selectors import ahorros, indicadores, tablero
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Contrato, Ente, PlazoEtapa, Solicitud
from dictamenes.tramite.selectors.estados import ATENDIDA
from dictamenes.tramite.services import plazos
from tests.conocidos import crear_conocidos, dictamen_registrado, solicitud
from tests.dictamenes.flujo_utils import perfil_de_area, usuario
from tests.guardadas import SIN_CACHE, sin_csrf

pytestmark = pytest.mark.django_db
E = Solicitud.Estado


@pytest.fixture
def conocidos(demo):
    crear_conocidos()
    # Two dictámenes of an earlier year, one with items and a contract: savings to split.
    sh = Ente.objects.get(siglas="SH")
    s = solicitud(sh, anio=2024, mes=5, estado=E.DICTAMINADA, dias=6, resultado="favorable")
    s.save()
    s.partidas.create(
        perfil=perfil_de_area("computo"),
        descripcion="Equipos",
        cantidad=4,
        precio_unitario=Decimal("1000.00"),
        capitulo="5000",
        partida_especifica="51501",
        especificaciones={},
    )
    Contrato.objects.create(
        dictamen=dictamen_registrado(s),
        numero="C-2024-1",
        proveedor="Proveedor",
        monto=Decimal("3500.00"),
        fecha=s.presentada_en.date(),
        registrado_por=usuario("requirente.sh"),
        registrado_en=s.presentada_en,
    )
    django_cache.clear()


def _sin_barras(filas):
    return [{k: v for k, v in f.items() if k != "barra"} for f in filas]


def _directo(ejercicio: int) -> dict:
    """The figures of the page computed over the whole history, with no cache at all."""
    filas = ahorros.por_ente_y_categoria()
    return {
        "anuales": indicadores.por_ejercicio(),
        "ahorro_anual": ahorros.totales(filas),
        "ahorro": [f for f in filas if f["ejercicio"] == ejercicio],
        "tiempos": indicadores.tiempos(ejercicio=ejercicio),
        "entes": indicadores.principales_entes(ejercicio=ejercicio),
    }


def _del_tablero(ejercicio: int) -> dict:
    t = tablero.tablero(pedido=ejercicio)
    return {
        "anuales": _sin_barras(t["anuales"]),
        "ahorro_anual": [
            {k: v for k, v in f.items() if k != "ahorro_miles"} for f in t["ahorro"]["anuales"]
        ],
        "ahorro": t["ahorro"]["filas"],
        "tiempos": t["tiempos"],
        "entes": _sin_barras(t["entes"]),
    }


@pytest.fixture
def calculados(monkeypatch):
    """The years whose figures were computed (not read from the cache)."""
    anios = []
    original = tablero._de_los_ejercicios

    def contar(faltan):
        anios.extend(faltan)
        return original(faltan)

    monkeypatch.setattr(tablero, "_de_los_ejercicios", contar)
    return anios


def _cambiar(solicitud_, **campos):
    """A change as every service makes it: the data and its event, in one transaction."""
    with transaction.atomic():
        Solicitud.objects.filter(pk=solicitud_.pk).update(**campos)
        evento_registrar(tipo="prueba", descripcion="Cambio de prueba", solicitud=solicitud_)


def test_tras_un_cambio_solo_se_calcula_el_ejercicio_que_toco(conocidos, calculados):
    tablero.tablero(pedido=2025)
    assert set(calculados) == {2024, 2025}
    calculados.clear()
    tablero.tablero(pedido=2025)
    assert calculados == []  # nothing changed: every year read from the cache
    # A dictamen of 2025 is back to be signed (as a rectification would leave it).
    dictaminada = Solicitud.objects.filter(ejercicio=2025, estado=E.DICTAMINADA).first()
    _cambiar(dictaminada, estado=E.FIRMA)
    antes = _directo(2025)
    assert _del_tablero(2025) == antes
    assert calculados == [2025]
    # The figures moved, and the other year's stayed as they were.
    (fila,) = [f for f in antes["anuales"] if f["ejercicio"] == 2025]
    assert (fila["recibidas"], fila["atendidas"]) == (5, 3)


def test_un_cambio_sin_solicitud_vuelve_a_calcular_todos_los_anios(conocidos, calculados):
    tablero.tablero(pedido=2025)
    calculados.clear()
    # The Subsecretaría's deadline is shorter: fewer requests of every year were on time.
    plazos.plazo_fijar(
        etapa=PlazoEtapa.Etapa.REVISION_AREA, dias=1, por=usuario("admin"), motivo="Prueba"
    )
    assert _del_tablero(2025) == _directo(2025)
    assert set(calculados) == {2024, 2025}


def _fila_2025(client) -> list[str]:
    """The cells of 2025's row of the page's annual table, as a person reads them."""
    html = client.get(reverse("indicadores"), {"ejercicio": 2025}).content.decode()
    fila = re.search(r'<a href="\?ejercicio=2025"[^>]*>2025</a></th>(.*?)</tr>', html)[1]
    return re.findall(r'<td class="num">([^<]*)</td>', fila)


def _sin_csrf(respuesta) -> str:
    return sin_csrf(respuesta.content.decode())


def test_la_pagina_guardada_es_la_de_sin_cache(conocidos, client):
    """The page is rendered once per version of the data: the kept one is byte for byte the
    page rendered with no cache at all, for each year asked."""
    client.force_login(usuario("auditor"))
    for pedido in ({}, {"ejercicio": 2024}):
        with override_settings(CACHES=SIN_CACHE):
            sin_cache = client.get(reverse("indicadores"), pedido)
        primera = client.get(reverse("indicadores"), pedido)
        segunda = client.get(reverse("indicadores"), pedido)
        assert "indicadores/_ahorro.html" in {t.name for t in primera.templates}
        assert "indicadores/_ahorro.html" not in {t.name for t in segunda.templates}
        assert _sin_csrf(primera) == _sin_csrf(segunda) == _sin_csrf(sin_cache)


def test_la_pagina_tras_un_cambio_muestra_la_cifra_nueva(conocidos, client):
    client.force_login(usuario("auditor"))
    assert _fila_2025(client) == ["5", "4", "80.0 %", "75.0 %"]
    pendiente = (
        Solicitud.objects.filter(ejercicio=2025, presentada_en__isnull=False)
        .exclude(estado__in=ATENDIDA)
        .get()
    )
    _cambiar(pendiente, estado=E.DICTAMINADA, resultado="favorable")
    assert _fila_2025(client) == ["5", "5", "100.0 %", "60.0 %"]


def test_el_ahorro_tras_un_cambio_se_calcula_solo_para_el_ente_que_toco(conocidos, monkeypatch):
    """The savings of a year are kept per agency: a change to a request of SH computes again
    SH's piece of that year, not the other agencies' nor the other years'; and the page still
    gives what a direct computation gives."""
    calculadas = []
    original = ahorros.piezas_por_ejercicio_y_ente

    def contar(*, ejercicios, entes):
        calculadas.append((ejercicios and list(ejercicios), entes and sorted(entes)))
        return original(ejercicios=ejercicios, entes=entes)

    monkeypatch.setattr(ahorros, "piezas_por_ejercicio_y_ente", contar)
    tablero.tablero(pedido=2024)
    # With the cache empty, every year's pieces in one go (of every year and agency).
    assert calculadas == [(None, None)]
    calculadas.clear()
    sh = Ente.objects.get(siglas="SH")
    dictaminada = Solicitud.objects.get(ejercicio=2024, ente=sh, estado=E.DICTAMINADA)
    Contrato.objects.filter(dictamen__solicitud=dictaminada).update(monto=Decimal("1000.00"))
    _cambiar(dictaminada, dias_habiles_atencion=7)
    assert _del_tablero(2024) == _directo(2024)
    assert calculadas == [([2024], [sh.pk])]
