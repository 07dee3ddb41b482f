"""The capacity plan (issue 50): capacity as data week by week, the plan against the forecast,
the what-if, and the recorded year replayed with the plan's reinforcement."""

import datetime
import re

import pytest
from django.core.management import call_command

from demo import historico_anual
from dictamenes.capacidad.selectors.capacidad import REGISTRO, capacidad
from dictamenes.capacidad.services.plan import Prueba, plan_de_capacidad
from dictamenes.models import Area, Ausencia, DiaInhabil, Refuerzo, Sustitucion
from dictamenes.simulacion.services import motor
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
        motivo="Comisión",
    )
    # The third week (four business days: 25 December is a holiday) software's reviewer is
    # lent to redes.
    Refuerzo.objects.create(
        persona=usuario("revisor.software"),
        area=Area.objects.get(clave="redes"),
        desde=LUNES + datetime.timedelta(days=14),
        hasta=LUNES + datetime.timedelta(days=20),
        motivo="Cierre",
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


@pytest.fixture
def con_historia(demo):
    historico_anual.cargar()


def test_el_plan_de_la_demo_tiene_semanas_en_rojo_y_el_refuerzo_que_las_cierra(con_historia):
    plan = plan_de_capacidad(anio=2026, hoy=HOY)
    assert plan.referencia == 2024 and plan.estandar == 20
    rojas = [s for s in plan.total if s.rojo]
    assert rojas and all(s.p90 > plan.estandar for s in rojas)
    assert plan.rojas_proximas(4)
    assert plan.refuerzo_dias > 0
    assert all(a.refuerzo_dias > 0 for a in plan.areas)
    assert plan.segundos < 1
    # The recommended reinforcement, tried, closes every red week.
    prueba = Prueba(
        refuerzos=tuple(
            (a.area.pk, s.lunes, s.refuerzo_dias)
            for a in plan.areas
            for s in a.semanas
            if s.refuerzo_dias
        )
    )
    con = plan_de_capacidad(anio=2026, hoy=HOY, prueba=prueba)
    assert not [s for s in con.total if s.rojo]
    assert all(
        c.p90 <= s.p90 for c, s in zip(con.total, plan.total, strict=True) if s.p90 is not None
    )


def test_un_corte_anticipado_no_deja_llegadas_despues(con_historia):
    corte = datetime.date(2026, 12, 11)
    plan = plan_de_capacidad(anio=2026, hoy=HOY, prueba=Prueba(corte=corte))
    despues = [s for s in plan.total if s.lunes > corte]
    assert despues and all(s.p90 is None for s in despues)
    assert any("corte al 11/12/2026" in f for f in plan.supuestos)


def test_con_mas_revisores_el_anio_2024_llega_a_la_meta_y_su_ajuste_no_cambia(con_historia):
    ajuste = motor.ajustar(anio=2024)
    comprobacion = motor.comprobar(ajuste)
    assert (comprobacion.simulado.mediana, comprobacion.simulado.p90) == (14, 23)
    cierre = []
    for veces in (0, 1, 3, 6, 12):
        escenario = motor.Escenario(
            "refuerzo", personas_extra=tuple(("atencion", m, veces) for m in (11, 12))
        )
        cierre.append(motor.simular(ajuste, escenario).en_meses((11, 12)).p90)
    assert cierre == sorted(cierre, reverse=True) and cierre[0] > cierre[-1]
    assert cierre[-1] <= 10


def test_simular_anio_con_plan_recomienda_el_refuerzo_y_alcanza_la_meta(con_historia, capsys):
    call_command("simular_anio", "--anio", "2024", "--plan", "--meses", "11,12")
    salida = capsys.readouterr().out
    assert "los 5 revisores que hoy tienen el rol" in salida
    meses = dict(re.findall(r"^Mes (\d+): (\d+) días-revisor", salida, re.M))
    assert set(meses) == {"11", "12"} and all(int(d) > 0 for d in meses.values())
    total = re.search(r"Refuerzo recomendado: (\d+) días-revisor", salida)
    assert int(total.group(1)) == sum(int(d) for d in meses.values())
    fila = next(linea for linea in salida.splitlines() if linea.startswith("(d)"))
    assert int(fila.split()[-3]) <= 10
    assert "Se alcanza la meta" in salida


def test_un_area_cuyo_revisor_falta_recibe_su_parte_del_refuerzo(con_historia):
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
