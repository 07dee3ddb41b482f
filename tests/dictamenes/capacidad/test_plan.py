"""The capacity plan (issue 50): capacity as data week by week, the plan against the forecast,
the what-if, and the recorded year replayed with the plan's reinforcement."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from demo import historico_anual
from dictamenes.capacidad.selectors.capacidad import REGISTRO, capacidad
from dictamenes.capacidad.services.plan import Prueba, plan_de_capacidad
from dictamenes.models import Area, Ausencia, DiaInhabil, Refuerzo, Sustitucion
from tests.dictamenes.capacidad.cierre import sin_el_cierre
from tests.dictamenes.capacidad.conftest import al_mediodia
from tests.dictamenes.flujo_utils import admitida, revisar, usuario

pytestmark = pytest.mark.django_db
LUNES = datetime.date(2026, 12, 7)
HOY = datetime.date(2026, 11, 25)


def _dias(cap, clave, lunes=LUNES):
    return cap.dias[(Area.objects.get(clave=clave).pk, lunes)]


def test_la_capacidad_resta_ausencias_e_inhabiles_y_suma_sustituciones_y_refuerzos(demo):
    admin = usuario("admin")
    computo, redes = usuario("revisor.computo"), usuario("revisor.redes")
    semana = {"desde": LUNES, "hasta": LUNES + datetime.timedelta(days=20), "hoy": HOY}
    antes = capacidad(**semana)
    assert _dias(antes, "computo") == _dias(antes, "redes") == 5
    Ausencia.objects.create(
        persona=computo,
        desde=LUNES,
        hasta=LUNES + datetime.timedelta(days=2),
        motivo=Ausencia.Motivo.VACACIONES,
        registrada_por=admin,
    )
    DiaInhabil.objects.create(fecha=LUNES + datetime.timedelta(days=3), descripcion="Asueto")
    # The next week computo's reviewer is away and redes' stands in: redes' reviewer splits
    # the week between both areas.
    Sustitucion.objects.create(
        titular=computo,
        suplente=redes,
        desde=LUNES + datetime.timedelta(days=7),
        hasta=LUNES + datetime.timedelta(days=11),
        motivo="Comisión oficial fuera del estado",
    )
    # The third week (four business days: 25 December is a holiday) software's reviewer is
    # lent to redes.
    Refuerzo.objects.create(
        persona=usuario("revisor.software"),
        area=Area.objects.get(clave="redes"),
        desde=LUNES + datetime.timedelta(days=14),
        hasta=LUNES + datetime.timedelta(days=20),
        motivo="Cierre del ejercicio fiscal",
        registrado_por=admin,
    )
    cap = capacidad(**semana)
    assert _dias(cap, "computo") == 1  # five, less three away, less the non-working day
    assert _dias(cap, "redes") == 4
    segunda = LUNES + datetime.timedelta(days=7)
    assert _dias(cap, "computo", segunda) == _dias(cap, "redes", segunda) == 2.5
    tercera = LUNES + datetime.timedelta(days=14)
    assert _dias(cap, "redes", tercera) == 4 + 2
    assert _dias(cap, "software", tercera) == 2
    # Capacity in reviews: the days times each person's rate.
    area = Area.objects.get(clave="redes").pk
    assert cap.revisiones[(area, tercera)] == pytest.approx(6 * cap.tasas[0].tasa)


def test_la_tasa_de_cada_revisor_se_mide_en_el_registro(demo):
    for _ in range(2):
        revisar(admitida(areas=("computo",)), "computo")
    cap = capacidad(desde=LUNES, hasta=LUNES, hoy=datetime.date.today())
    tasas = {t.persona.username: t for t in cap.tasas}
    medida = tasas["revisor.computo"]
    # Two reviews finished on the day they arrived: two per business day with work in hand.
    assert medida.origen == REGISTRO and medida.tasa == 2 and medida.semanas == 1
    assert (medida.p10, medida.p90) == (2, 2)
    # Without a record of their own, the others' median, and it says so.
    assert tasas["revisor.redes"].tasa == 2
    assert "sin registro propio" in tasas["revisor.redes"].origen_texto


# The tests below start from conftest.py's `con_historia_y_plan`: the demo's history (2023 and
# 2024 imported, without steps; 2025 lived in the system, with every step: the plan learns from
# 2025), the cómputo and software reviewers away all December (cierre.py), and the plan of HOY
# at noon kept as the product keeps it. Built once for the module, and once for the process
# (test_pagina.py and test_plan_guardado.py start from the same state); each test rolls back to
# it (tests/por_modulo.py). Two tests here computed that same plan for themselves (its
# simulation and its search of the recommendation: 10 to 40 s each); at noon of HOY they read
# the kept one.
@pytest.fixture
def a_mediodia(con_historia_y_plan):
    """HOY at noon, the hour of the module's kept plan."""
    with al_mediodia(HOY):
        yield


def _recomendado(plan) -> Prueba:
    """The plan's recommendation as the page's "Sumar el refuerzo que recomienda el plan" tries
    it: reviewer-days per area and week."""
    return Prueba(
        refuerzos=tuple(
            (a.area.pk, s.lunes, s.refuerzo_dias)
            for a in plan.areas
            for s in a.semanas
            if s.refuerzo_dias
        )
    )


def test_sin_dos_revisores_en_diciembre_hay_semanas_en_rojo_y_el_prestamo_que_las_cierra(
    a_mediodia,
):
    """The demo on 25 November, with the cómputo and software reviewers away all December
    (recorded as the administrator records it: the module's state, cierre.py): red weeks, and
    the loans that close them."""
    plan = plan_de_capacidad(anio=2026, hoy=HOY)
    # It learns from 2025, the last year lived in the system, not from the imported 2024.
    assert plan.referencia == 2025 and plan.dimensionable and plan.estandar == 20
    rojas = [s for s in plan.total if s.rojo]
    assert rojas and all(s.p90 > plan.estandar for s in rojas)
    assert plan.rojas_proximas(4)
    # The recommendation as loans: an area, a first and a last day, reviewer-days that add up.
    assert plan.acciones and plan.refuerzo_dias > 0
    assert sum(a.dias_revisor for a in plan.acciones) == plan.refuerzo_dias
    assert all(HOY <= a.desde <= a.hasta <= datetime.date(2026, 12, 31) for a in plan.acciones)
    # The recommended reinforcement, tried, closes every red week, of the office and of each
    # area, and makes no week slower.
    con = plan_de_capacidad(anio=2026, hoy=HOY, prueba=_recomendado(plan))
    assert not [s for s in con.total if s.rojo]
    assert not [s for a in con.areas for s in a.semanas if s.rojo]
    assert all(
        c.p90 <= s.p90 for c, s in zip(con.total, plan.total, strict=True) if s.p90 is not None
    )


def test_una_prueba_sin_cambios_es_el_plan_y_cada_prueba_cambia_solo_lo_que_nombra(
    a_mediodia,
):
    """The what-if agrees with the plan: a trial that asks nothing shows exactly the plan's
    weeks; a threshold or a cut-off changes no capacity; reviewer-days in one area and week
    change that area's capacity in that week only, by those days' reviews. (On the module's
    state, with the December rush: what a trial changes or leaves does not depend on it; redes,
    the area tried, has its reviewer every week.)"""
    plan = plan_de_capacidad(anio=2026, hoy=HOY)

    def semanas(p):
        return [
            (a.area.clave, s.lunes, s.carga, s.capacidad, s.cola, s.p90, s.rojo)
            for a in p.areas
            for s in a.semanas
        ] + [(None, s.lunes, s.carga, s.capacidad, s.cola, s.p90, s.rojo) for s in p.total]

    def capacidades(p):
        return {(a.area.clave, s.lunes): s.capacidad for a in p.areas for s in a.semanas}

    assert semanas(plan_de_capacidad(anio=2026, hoy=HOY, prueba=Prueba())) == semanas(plan)
    umbral = plan_de_capacidad(anio=2026, hoy=HOY, prueba=Prueba(umbral=Decimal(900_000)))
    assert capacidades(umbral) == capacidades(plan)
    corte = plan_de_capacidad(anio=2026, hoy=HOY, prueba=Prueba(corte=datetime.date(2026, 12, 11)))
    assert capacidades(corte) == capacidades(plan)
    redes = Area.objects.get(clave="redes")
    semana = plan.total[2].lunes
    diez = plan_de_capacidad(anio=2026, hoy=HOY, prueba=Prueba(refuerzos=((redes.pk, semana, 10),)))
    antes, despues = capacidades(plan), capacidades(diez)
    cambiadas = {k for k in antes if antes[k] != despues[k]}
    assert cambiadas == {("redes", semana)}
    # Ten reviewer-days more, in reviews: the week's reviews per reviewer-day of that area
    # times (its reviewer-days + 10), the reviewer-days read from the capacity selector.
    cap = capacidad(desde=HOY, hasta=datetime.date(2026, 12, 31), hoy=HOY)
    propios = cap.dias[(redes.pk, semana)]
    assert despues[("redes", semana)] == pytest.approx(
        antes[("redes", semana)] * (propios + 10) / propios
    )
    # A second, identical trial shows the same again: nothing of the first one stays behind.
    otra = plan_de_capacidad(anio=2026, hoy=HOY, prueba=Prueba(refuerzos=((redes.pk, semana, 10),)))
    assert semanas(otra) == semanas(diez)
    assert semanas(plan_de_capacidad(anio=2026, hoy=HOY)) == semanas(plan)


def test_un_corte_anticipado_no_deja_llegadas_despues(con_historia_y_plan):
    corte = datetime.date(2026, 12, 11)
    plan = plan_de_capacidad(anio=2026, hoy=HOY, prueba=Prueba(corte=corte))
    despues = [s for s in plan.total if s.lunes > corte]
    assert despues and all(s.p90 is None for s in despues)
    assert any("corte al 11/12/2026" in f for f in plan.supuestos)


def test_un_registro_importado_no_se_dimensiona(demo):
    """Only the imported 2023 and 2024 (no workflow steps): the plan shows the arrivals and the
    forecast, says why it cannot size, and gives no p90, queue or reinforcement."""
    historico_anual.cargar()
    plan = plan_de_capacidad(anio=2026, hoy=HOY)
    assert plan.referencia == 2024 and not plan.dimensionable
    assert "histórico importado" in plan.motivo and "no quién hizo cada paso" in plan.motivo
    assert sum(s.carga for s in plan.total) > 0
    assert all(s.p90 is None and s.cola is None and s.capacidad is None for s in plan.total)
    assert not plan.acciones and plan.refuerzo_dias == 0 and not plan.rojas_proximas(4)


def test_simular_anio_con_plan_en_un_registro_importado_no_da_dias_revisor(
    con_historia_y_plan, capsys
):
    call_command("simular_anio", "--anio", "2024", "--plan", "--meses", "11,12")
    salida = capsys.readouterr().out
    assert "no tiene pasos del flujo (histórico importado)" in salida
    assert "no se puede dimensionar con este registro" in salida
    assert not re.search(r"\d+ días-revisor", salida)


def test_simular_anio_con_plan_recomienda_prestamos_en_un_registro_con_pasos(
    con_historia_y_plan, capsys
):
    call_command("simular_anio", "--anio", "2025", "--plan", "--meses", "11,12")
    salida = capsys.readouterr().out
    prestamos = re.findall(
        r"^Prestar 1 revisor a (\w+) del (\S+) al (\S+) \((\d+) días-revisor\)\.$", salida, re.M
    )
    total = re.search(r"Refuerzo recomendado: (\d+) días-revisor", salida)
    assert int(total.group(1)) == sum(int(p[3]) for p in prestamos)
    fila = next(linea for linea in salida.splitlines() if linea.startswith("(d)"))
    alcanza = "Se alcanza la meta" in salida
    assert alcanza == (int(fila.split()[-3]) <= 10)


def test_un_area_cuyo_revisor_falta_recibe_su_prestamo(con_historia_y_plan):
    # This test's own state: the history without the module's December rush.
    sin_el_cierre()
    Ausencia.objects.create(
        persona=usuario("revisor.computo"),
        desde=datetime.date(2026, 11, 1),
        hasta=datetime.date(2026, 12, 31),
        motivo=Ausencia.Motivo.VACACIONES,
        registrada_por=usuario("admin"),
    )
    plan = plan_de_capacidad(anio=2026, hoy=HOY)
    computo = next(a for a in plan.areas if a.area.clave == "computo")
    assert all(s.capacidad == 0 for s in computo.semanas)
    assert computo.refuerzo_dias > 0
    assert any(
        a.area.clave == "computo" and a.desde <= datetime.date(2026, 11, 30) for a in plan.acciones
    )
