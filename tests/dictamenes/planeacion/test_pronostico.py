"""The load forecast blends the annual programmes with each area's history, on a known dataset.

The dataset (fiscal year 2026, history 2024 and 2025, one reviewer per area in the demo):
- seguridad plans nothing, but its agencies arrive in December: 50 requests in 2024 and 70 in
  2025 (10 of them also with a redes item), 60 a year on average; and 3 a year in June.
- redes plans 30 lines for December 2026, and its December history agrees: 30 requests a year
  (2025: 20 of its own and the 10 shared with seguridad).
"""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import Area, Ente, LineaPrograma, Partida, ProgramaAnual, Solicitud
from dictamenes.planeacion.services import pronostico as servicio
from tests.dictamenes.flujo_utils import CATEGORIA_DE_AREA, perfil_de_area, usuario

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
ANIO = 2026
ENERO = datetime.date(ANIO, 1, 15)


def llegadas(anio, mes, n, *areas, dia=10):
    """n presented requests of `anio`, in `mes`, each with one item per area named (an area
    named twice gives the request two items of it)."""
    solicitudes = Solicitud.objects.bulk_create(
        [
            Solicitud(
                ente=Ente.objects.get(siglas="SH"),
                ejercicio=anio,
                tipo_operacion="adquisicion",
                titulo="h",
                justificacion="x",
                alineacion="x",
                monto_estimado=Decimal(1000),
                estado=Solicitud.Estado.DICTAMINADA,
                creada_por=usuario("requirente.sh"),
                presentada_en=datetime.datetime(anio, mes, dia, 12, tzinfo=TZ),
            )
            for _ in range(n)
        ]
    )
    Partida.objects.bulk_create(
        [
            Partida(
                solicitud=s,
                perfil=perfil_de_area(area),
                descripcion=area,
                cantidad=1,
                precio_unitario=Decimal(1000),
                capitulo="5000",
                partida_especifica="51501",
            )
            for s in solicitudes
            for area in areas
        ]
    )


def planear(area, mes, n):
    programa, _ = ProgramaAnual.objects.get_or_create(
        ente=Ente.objects.get(siglas="RC"),
        ejercicio=ANIO,
        defaults={"registrado_por": usuario("requirente.rc")},
    )
    LineaPrograma.objects.bulk_create(
        [
            LineaPrograma(
                programa=programa,
                categoria=CATEGORIA_DE_AREA[area],
                area=Area.objects.get(clave=area),
                descripcion=f"Línea {i}",
                cantidad=1,
                monto_estimado=Decimal(1000),
                capitulo="5000",
                partida_especifica="51501",
                mes_previsto=mes,
            )
            for i in range(n)
        ]
    )


@pytest.fixture
def conocido(demo):
    llegadas(2024, 12, 50, "seguridad")
    llegadas(2025, 12, 60, "seguridad")
    llegadas(2025, 12, 10, "seguridad", "seguridad", "redes")
    for anio in (2024, 2025):
        llegadas(anio, 6, 3, "seguridad")
    llegadas(2024, 12, 30, "redes")
    llegadas(2025, 12, 20, "redes")
    planear("redes", 12, 30)


def mes_de(datos, clave, mes):
    return next(a for a in datos["areas"] if a["area"].clave == clave)["meses"][mes - 1]


def test_un_area_sin_planes_con_historia_de_diciembre_excede_en_diciembre(conocido):
    datos = servicio.pronostico(anio=ANIO, hoy=ENERO)
    capacidad = 1 * datos["habiles"][12] * 2  # one reviewer × business days × 2 a day
    assert 30 < capacidad < 60
    # A request with two seguridad items counts once: (50 + 70) / 2 years.
    assert mes_de(datos, "seguridad", 12) == {
        "mes": 12,
        "carga": 60,
        "capacidad": capacidad,
        "excede": True,
    }
    assert mes_de(datos, "seguridad", 6)["carga"] == 3
    assert mes_de(datos, "seguridad", 6)["excede"] is False
    # An area with neither plans nor history carries nothing.
    assert mes_de(datos, "software", 12)["carga"] == 0


def test_planes_e_historia_que_coinciden_no_se_suman(conocido):
    """Rule: the larger of (received + planned) and history, never their sum: 30 planned and
    30 a year in the record are 30, under the capacity; their sum, 60, would exceed it."""
    datos = servicio.pronostico(anio=ANIO, hoy=ENERO)
    redes = mes_de(datos, "redes", 12)
    assert (redes["carga"], redes["excede"]) == (30, False)
    assert redes["capacidad"] < 60
    # The whole: 80 requests in December 2024 and 90 in 2025, against 30 planned.
    diciembre = datos["meses"][11]
    assert (diciembre["planeadas"], diciembre["historico"], diciembre["pronostico"]) == (
        30,
        85.0,
        85,
    )


def test_los_planes_por_encima_de_la_historia_cuentan(conocido):
    planear("redes", 12, 20)  # 50 planned against 30 a year in the record
    redes = mes_de(servicio.pronostico(anio=ANIO, hoy=ENERO), "redes", 12)
    assert (redes["carga"], redes["excede"]) == (50, True)


def test_el_mes_en_curso_suma_lo_recibido_a_lo_planeado_y_no_a_la_historia(conocido):
    # December 2026, on the 10th: 25 redes requests arrived and the 30 lines are still due;
    # 20 seguridad requests arrived, against 60 a year in the record.
    llegadas(ANIO, 12, 25, "redes", dia=2)
    llegadas(ANIO, 12, 20, "seguridad", dia=2)
    llegadas(ANIO, 6, 1, "seguridad")
    datos = servicio.pronostico(anio=ANIO, hoy=datetime.date(ANIO, 12, 10))
    assert mes_de(datos, "redes", 12)["carga"] == 55
    assert mes_de(datos, "seguridad", 12)["carga"] == 60
    # A month gone by counts what came, not the history: 1 in June, where history says 3.
    assert mes_de(datos, "seguridad", 6)["carga"] == 1
    assert datos["meses"][11]["pronostico"] == 85


def test_la_pagina_marca_el_area_y_explica_la_regla(conocido, client):
    client.force_login(usuario("estrategico"))
    with time_machine.travel(datetime.datetime(ANIO, 1, 15, 12, tzinfo=TZ), tick=False):
        html = client.get(reverse("planeacion:pronostico")).content.decode()
        capacidad = servicio.pronostico()["habiles"][12] * 2
    fila = re.search(r"<tr><th scope=\"row\">Seguridad[^<]*</th>(.*?)</tr>", html).group(1)
    diciembre = re.findall(r"<td[^>]*>(.*?)</td>", fila)[11]
    assert diciembre == f"60/{capacidad} <strong>excede</strong>"
    assert str(servicio.METODO_CARGA_AREA) in html and str(servicio.METODO_PRONOSTICO) in html


def test_las_consultas_de_la_pagina_no_crecen_con_la_historia(demo, client):
    client.force_login(usuario("mesa"))

    def contar():
        with CaptureQueriesContext(connection) as capturadas:
            assert client.get(reverse("planeacion:pronostico")).status_code == 200
        return len(capturadas)

    contar()
    antes = contar()
    for anio in range(2019, 2026):
        for mes in range(1, 13):
            llegadas(anio, mes, 2, "seguridad", "redes", "computo")
            llegadas(anio, mes, 1, "software")
    planear("redes", 5, 10)
    planear("infraestructura", 11, 10)
    assert Solicitud.objects.count() == 7 * 12 * 3
    assert contar() == antes


def test_la_historia_sin_partidas_cuenta_por_la_parte_de_cada_area(demo):
    """Imported years may lack the items. 2025's December: 30 seguridad, 10 redes and 40
    without items; so seguridad is 3/4 of December's 80 and redes 1/4. October has only
    requests without items (20): it takes the shares of the whole history, 3/4 and 1/4."""
    llegadas(2025, 12, 30, "seguridad")
    llegadas(2025, 12, 10, "redes")
    llegadas(2025, 12, 40)
    llegadas(2025, 10, 20)
    datos = servicio.pronostico(anio=ANIO, hoy=ENERO)
    assert (mes_de(datos, "seguridad", 12)["carga"], mes_de(datos, "redes", 12)["carga"]) == (
        60,
        20,
    )
    assert mes_de(datos, "seguridad", 12)["excede"] is True
    assert (mes_de(datos, "seguridad", 10)["carga"], mes_de(datos, "redes", 10)["carga"]) == (
        15,
        5,
    )
    assert mes_de(datos, "computo", 12)["carga"] == 0


def test_una_historia_sin_ninguna_partida_toma_las_partes_del_anio(demo):
    """Past years imported without items: the year's requests give the shares. 80 in December
    2025; this January, 3 with seguridad items and 1 with redes: 60 and 20 in December."""
    llegadas(2025, 12, 80)
    llegadas(ANIO, 1, 3, "seguridad", dia=5)
    llegadas(ANIO, 1, 1, "redes", dia=5)
    datos = servicio.pronostico(anio=ANIO, hoy=ENERO)
    assert (mes_de(datos, "seguridad", 12)["carga"], mes_de(datos, "redes", 12)["carga"]) == (
        60,
        20,
    )
    assert mes_de(datos, "seguridad", 12)["excede"] is True


def test_la_capacidad_del_pronostico_cuenta_solo_a_quien_puede_revisar(demo):
    """Issue 60, item 4: a person with the area but not the reviewer role, a reviewer whose
    account is off, and an area retired: none of them is a reviewer of the forecast."""
    from dictamenes.models import Perfil

    redes = Area.objects.get(clave="redes")
    Perfil.objects.get(usuario=usuario("mesa")).areas.add(redes)  # area, no reviewer role
    apagado = usuario("revisor.seguridad")
    apagado.is_active = False
    apagado.save(update_fields=["is_active"])
    Area.objects.filter(clave="software").update(activa=False)
    areas = {
        f["area"].clave: f["meses"][0]["capacidad"] for f in servicio.pronostico(anio=2026)["areas"]
    }
    dias = servicio.pronostico(anio=2026)["habiles"][1]
    por_revisor = dias * servicio.settings.DICTAMENES_REVISIONES_POR_DIA
    assert areas["redes"] == por_revisor  # revisor.redes alone, not the mesa
    assert areas["seguridad"] == 0
    assert areas["software"] == 0
    assert areas["computo"] == por_revisor
