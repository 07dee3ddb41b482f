"""The annual indicator and its breakdowns, on a small dataset whose answers are known."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dictamenes.cifras.selectors import indicadores
from dictamenes.models import Ente, Solicitud
from tests.conocidos import crear_conocidos, solicitud
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


@pytest.fixture
def conocidos(demo):
    crear_conocidos()


def test_indicador_anual(conocidos):
    (fila,) = [f for f in indicadores.por_ejercicio() if f["ejercicio"] == 2025]
    assert (fila["recibidas"], fila["atendidas"], fila["indicador"]) == (5, 4, 80.0)
    # Within the Subsecretaría's 12 business days: 2, 4 and 10 days; not 20.
    assert (fila["en_plazo"], fila["pct_en_plazo"]) == (3, 75.0)


def test_mediana_y_percentil_90(conocidos):
    tiempos = indicadores.tiempos(ejercicio=2025)
    assert tiempos.mediana == 7  # (4 + 10) / 2
    assert tiempos.p90 == 20
    assert tiempos.plazo == 12


def test_llegadas_mensuales_tipos_y_entes(conocidos):
    meses = {m["mes"]: m["n"] for m in indicadores.llegadas_mensuales(ejercicio=2025)}
    assert (meses["ene"], meses["nov"], meses["dic"], meses["jun"]) == (1, 1, 3, 0)
    tipos = {t["tipo_operacion"]: t for t in indicadores.resultados_por_tipo(ejercicio=2025)}
    assert tipos["adquisicion"]["total"] == 4
    assert (tipos["adquisicion"]["favorable"], tipos["adquisicion"]["desechada"]) == (1, 1)
    assert tipos["servicio"]["condicionado"] == 1
    entes = indicadores.principales_entes(ejercicio=2025)
    assert [(e["ente__siglas"], e["n"]) for e in entes] == [("RC", 3), ("SH", 2)]


def test_la_pagina_y_sus_exportaciones(conocidos, client):
    client.force_login(usuario("auditor"))
    html = client.get(reverse("indicadores"), {"ejercicio": 2025}).content.decode()
    assert "80.0 %" in html and "<svg" in html
    csv = client.get(reverse("indicadores_exportar", args=["csv"])).content.decode("utf-8-sig")
    assert "Ejercicio fiscal,Solicitudes recibidas,Solicitudes atendidas" in csv
    assert "2025,5,4,80.0,3,75.0" in csv
    from openpyxl import load_workbook

    xlsx = client.get(reverse("indicadores_exportar", args=["xlsx"])).content
    hoja = load_workbook(io.BytesIO(xlsx)).active
    filas = [list(f) for f in hoja.iter_rows(values_only=True)]
    assert filas[-1][:6] == [2025, 5, 4, 80.0, 3, 75.0]


def test_un_requirente_no_ve_los_indicadores(demo, client):
    client.force_login(usuario("requirente.sh"))
    assert client.get(reverse("indicadores")).status_code == 403
    assert client.get(reverse("indicadores_exportar", args=["csv"])).status_code == 403


def test_las_consultas_no_crecen_con_las_solicitudes(conocidos, client):
    client.force_login(usuario("mesa"))
    sh = Ente.objects.get(siglas="SH")

    def contar():
        with CaptureQueriesContext(connection) as capturadas:
            assert client.get(reverse("indicadores"), {"ejercicio": 2025}).status_code == 200
        return len(capturadas)

    contar()
    antes = contar()
    Solicitud.objects.bulk_create(
        [
            solicitud(
                sh,
                anio=2025,
                mes=(i % 12) + 1,
                estado=Solicitud.Estado.DICTAMINADA,
                dias=i % 15,
                resultado="favorable",
            )
            for i in range(300)
        ]
    )
    assert contar() == antes
