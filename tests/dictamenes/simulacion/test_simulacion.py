"""The year simulation learns from a record with every step of the flow: the time each
step's work takes, not its wait; its people; the routes. It replays the recorded year before
it compares scenarios, and a record without steps (imported history) it does not size.

The expectations come from outside the engine: the world's stated process (demo.historico.
mundo, which generated the record), its own tasks, the rows in the database, or arithmetic
on the business calendar."""

import datetime
import math
import re
import statistics
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from demo import historico_anual
from demo.historico import mundo
from dictamenes.flow_port import Nodo, nodo
from dictamenes.models import Area, Solicitud
from dictamenes.organizacion.selectors.calendario import JORNADA_FIN, JORNADA_INICIO, Calendario
from dictamenes.roles import Rol
from dictamenes.simulacion.services import comprobacion
from dictamenes.simulacion.services import motor as simulacion
from dictamenes.tramite.services import etapas
from tests.dictamenes.flujo_utils import (
    admitida,
    en_firma,
    firmar,
    persona,
    presentada,
    revisar,
    usuario,
)
from tests.dictamenes.simulacion.conftest import ANIO, generar

pytestmark = pytest.mark.django_db
RUSH = (10, 11, 12)
COMPUTO = "revision_tecnica:computo"
JORNADA_HORAS = JORNADA_FIN.hour - JORNADA_INICIO.hour


def _trabajo_del_mundo(generador) -> dict[str, list[float]]:
    """Each step's work per task as the world drew it (end − start), sorted."""
    por_paso: dict[str, list[float]] = {}
    for caso in generador.casos[ANIO]:
        for tarea in caso.tareas:
            if tarea.paso != mundo.SUBSANAR:
                por_paso.setdefault(tarea.paso, []).append(tarea.fin - tarea.inicio)
    return {paso: sorted(v) for paso, v in por_paso.items()}


def _p90(valores) -> int:
    orden = sorted(valores)
    return orden[min(int(0.9 * len(orden)), len(orden) - 1)]


def test_el_ajuste_mide_el_trabajo_y_el_personal_del_mundo_y_reproduce_el_anio(
    generado, django_assert_max_num_queries
):
    # The record is read with a fixed number of queries, whatever its size (~700 requests).
    with django_assert_max_num_queries(16):
        ajuste = simulacion.ajustar(anio=ANIO)
    declarado = mundo.Mundo()
    trabajo = _trabajo_del_mundo(generado)
    assert sorted(ajuste.pasos) == sorted(declarado.pasos())
    for paso in declarado.pasos():
        medido = ajuste.pasos[paso]
        # Each task's service is the work the world drew for it, not its wait in the queue
        # (to the microsecond the record keeps).
        assert len(medido.servicios) == len(trabajo[paso]), paso
        assert (
            max(abs(a - b) for a, b in zip(medido.servicios, trabajo[paso], strict=True)) < 1e-4
        ), paso
        # So the mean is the stated one within 3 standard errors of a mean of n gamma draws.
        media, n = declarado.media(paso), len(medido.servicios)
        tolerancia = 3 * media / math.sqrt(declarado.forma * n)
        assert abs(medido.media - media) <= tolerancia, (paso, medido.media, media, tolerancia)
        # One person per step, every month the step worked (the demo has one user per role).
        assert set(medido.personal.values()) == {1}, paso
    # The replay: the record's median and p90 are the world's own count of each request's
    # days, and they fall within the range of the engine's runs (and here within 20 %).
    dias = [caso.dias for caso in generado.casos[ANIO]]
    replay = comprobacion.comprobar(ajuste)
    assert (replay.registrado_mediana, replay.registrado_p90) == (
        statistics.median(dias),
        _p90(dias),
    )
    simulado = replay.simulado
    assert len(simulado.dias) == len(dias)
    assert abs(simulado.mediana - statistics.median(dias)) <= 0.2 * statistics.median(dias)
    assert abs(simulado.p90 - _p90(dias)) <= 0.2 * _p90(dias)
    assert replay.reproduce
    (a, b), (c, d) = replay.banda_mediana, replay.banda_p90
    assert a <= statistics.median(dias) <= b and c <= _p90(dias) <= d


def test_los_escenarios_cambian_lo_que_cambian(generado):
    ajuste = simulacion.ajustar(anio=ANIO)
    planeacion, asignacion, _ambas, refuerzo = simulacion.escenarios(
        ajuste, area="computo", meses=RUSH
    )
    base = simulacion.simular(ajuste, simulacion.COMO_SE_REGISTRO)
    # Deterministic for a seed, another seed another year.
    con_plan = simulacion.simular(ajuste, planeacion)
    assert simulacion.simular(ajuste, planeacion).dias == con_plan.dias
    assert simulacion.simular(ajuste, planeacion, semilla=8).dias != con_plan.dias
    # Planning: 60 % of the requests arrive instead on a business day from January to October.
    # Expected in the rush: 40 % of those recorded there, plus October's share of the business
    # days of January to October of the 60 % moved; within 3 standard deviations.
    cal = Calendario.cargar(datetime.date(ANIO, 1, 1), datetime.date(ANIO, 12, 31))
    habiles = [
        datetime.date(ANIO, 1, 1) + datetime.timedelta(days=i)
        for i in range(304)  # January 1 to October 31
        if cal.es_habil(datetime.date(ANIO, 1, 1) + datetime.timedelta(days=i))
    ]
    q = sum(d.month == 10 for d in habiles) / len(habiles)
    en_rush = sum(m in RUSH for m in base.meses)
    probabilidades = [0.4 + 0.6 * q if m in RUSH else 0.6 * q for m in base.meses]
    esperado = sum(probabilidades)
    desviacion = math.sqrt(sum(p * (1 - p) for p in probabilidades))
    movidos = len(con_plan.en_meses(RUSH).dias)
    assert abs(movidos - esperado) <= 3 * desviacion, (movidos, esperado, desviacion)
    assert movidos < en_rush
    # With fewer arrivals in the rush, the rush is quicker.
    assert con_plan.en_meses(RUSH).p90 < base.en_meses(RUSH).p90
    # One person per step: assigning by load is the same as at random.
    assert simulacion.simular(ajuste, asignacion).dias == base.dias
    # One more computo reviewer from October: nothing changes before it (the requests of
    # January to August closed long before), and the year's days go down, seed after seed.
    assert "computo" in refuerzo.nombre
    for semilla in (7, 1, 2, 3):
        sin = simulacion.simular(ajuste, simulacion.COMO_SE_REGISTRO, semilla=semilla)
        con = simulacion.simular(ajuste, refuerzo, semilla=semilla)
        antes = [i for i, mes in enumerate(sin.meses) if mes <= 8]
        assert [con.dias[i] for i in antes] == [sin.dias[i] for i in antes], semilla
        assert sum(con.dias) < sum(sin.dias), semilla


def test_una_solicitud_hace_el_mismo_trabajo_en_todos_los_escenarios(generado):
    """Common random numbers, as simular's comment promises: admission, a step no scenario
    here changes, takes each request the same work whether computo has one more reviewer."""
    ajuste = simulacion.ajustar(anio=ANIO)
    refuerzo = simulacion.escenarios(ajuste, area="computo", meses=RUSH)[3]

    def admisiones(resultado):
        return {
            i: fin - inicio for paso, i, _l, inicio, fin in resultado.tareas if paso == "admision"
        }

    base = admisiones(simulacion.simular(ajuste, simulacion.COMO_SE_REGISTRO))
    con = admisiones(simulacion.simular(ajuste, refuerzo))
    assert [i for i in base if abs(base[i] - con[i]) > 1e-9] == []


def test_el_trabajo_del_segundo_anio_no_cuenta_la_cola_que_heredo(demo):
    """Two generated years: December 2024's queue carries into January 2025, as in any year
    lived in the system. The 2025 services are still the world's work."""
    generador = generar(escala=1, anios=2)
    ajuste = simulacion.ajustar(anio=ANIO)
    trabajo = _trabajo_del_mundo(generador)
    lejos = {
        paso: max(medido.servicios) - max(trabajo[paso])
        for paso, medido in ajuste.pasos.items()
        if max(medido.servicios) - max(trabajo[paso]) > 1e-4
    }
    assert lejos == {}


def test_el_comando_imprime_el_ajuste_junto_a_los_escenarios(generado, capsys):
    call_command("simular_anio", "--anio", str(ANIO), "--area", "redes", "--meses", "11,12")
    salida = capsys.readouterr().out
    atendidas = Solicitud.objects.filter(ejercicio=ANIO, dias_habiles_atencion__isnull=False)
    assert f"Registro de {ANIO}: {atendidas.count()} solicitudes atendidas." in salida
    assert "Aprendido del registro: prevenciones" in salida
    # One person per step, every month.
    assert "admision 1-1, " in salida and "revision_tecnica:redes 1-1, " in salida
    assert "registrado" in salida and "simulado" in salida and "banda de 20 corridas" in salida
    assert "El modelo reproduce el registro: su mediana y su p90 caen dentro" in salida
    assert "Un revisor más en redes (meses 11, 12)" in salida
    assert "Asignación por carga" in salida and "fuera de plazo" in salida
    # The replay, the four scenarios and the two with the fast track, counted while they
    # run, before the table.
    assert re.search(
        r"^Simulación · escenarios: 7 de 7 \(100\.0 %\), .+; simulados 7, ", salida, re.M
    )
    assert re.search(r"^Simulación: simulados 7, sin comparar 0, fallidos 0 en ", salida, re.M)


def test_el_historico_importado_no_se_dimensiona(demo, capsys):
    """The demo's 2024 was imported: each request's days, nobody's steps. There is nothing
    to learn a service time or a number of people from: it says so and sizes nothing."""
    historico_anual.cargar()
    with pytest.raises(simulacion.SinPasos, match="no tiene pasos del flujo"):
        simulacion.ajustar(anio=2024)
    filas = Solicitud.objects.filter(ejercicio=2024)
    dias = list(
        filas.exclude(dias_habiles_atencion=None).values_list("dias_habiles_atencion", flat=True)
    )
    por_mes = Counter(
        timezone.localtime(momento).month
        for momento in filas.values_list("presentada_en", flat=True)
    )
    call_command("simular_anio", "--anio", "2024")
    salida = capsys.readouterr().out
    assert f"Registro de 2024: {len(dias)} solicitudes atendidas." in salida
    assert "no tiene pasos del flujo (histórico importado)" in salida
    lineas = salida.splitlines()
    encabezado = lineas.index("mes " + " ".join(f"{m:>4}" for m in range(1, 13)))
    assert lineas[encabezado + 1].split() == [str(por_mes[m]) for m in range(1, 13)]
    assert f"mediana {statistics.median(dias):.1f} y p90 {_p90(dias)} días hábiles" in salida
    assert "No se simulan escenarios" in salida
    for tabla in ("Ajuste", "Planeación", "Un revisor más", "Cierre del año", "Vía rápida con"):
        assert tabla not in salida
    call_command("simular_anio", "--anio", "2024", "--plan")
    salida = capsys.readouterr().out
    assert "Plan de capacidad: no se puede dimensionar con este registro" in salida
    assert "no se da un refuerzo en días-revisor" in salida
    assert not re.search(r"\d\s*días-revisor", salida)
    assert "Prestar" not in salida


def _momento(dia: datetime.date, hora: int, minuto: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(dia, datetime.time(hora, minuto)))


def _dias_habiles(anio: int):
    cal = Calendario.cargar(datetime.date(anio, 1, 1), datetime.date(anio, 12, 31))
    return [
        datetime.date(anio, 1, 1) + datetime.timedelta(days=i)
        for i in range(365)
        if cal.es_habil(datetime.date(anio, 1, 1) + datetime.timedelta(days=i))
    ]


def test_los_parametros_son_los_del_registro(demo):
    """A small known record: four requests presented this year; one prevenida, two admitted
    (one to computo and redes, one to computo), one information request, one signed. The
    mesa's three admissions and the firma are then put at known moments."""
    con_dos = admitida(areas=("computo", "redes"))
    firmada = en_firma(areas=("computo",))
    prevenida = presentada()
    presentada()
    etapas.admision_resolver(
        solicitud=prevenida, usuario=usuario("mesa"), admitir=False, faltantes="La cotización."
    )
    peticion = etapas.informacion_pedir(
        solicitud=con_dos,
        usuario=usuario("revisor.redes"),
        area=Area.objects.get(clave="redes"),
        pregunta="¿Cuántos puertos?",
    )
    etapas.informacion_responder(
        peticion=peticion, usuario=usuario("requirente.sh"), respuesta="Cuarenta y ocho."
    )
    revisar(con_dos, "computo")
    revisar(con_dos, "redes")
    firmar(firmada)
    anio = timezone.localdate().year
    habiles = _dias_habiles(anio)
    # A Tuesday and its next business day; a Friday followed by a business Monday.
    martes = next(d for d in habiles if d.weekday() == 1 and d + datetime.timedelta(1) in habiles)
    viernes = next(d for d in habiles if d.weekday() == 4 and d + datetime.timedelta(3) in habiles)
    hechas = Task.objects.filter(status=STATUS.DONE)
    admisiones = list(hechas.filter(flow_task=nodo(Nodo.ADMISION)).order_by("pk"))
    assert {t.owner.username for t in admisiones} == {"mesa"} and len(admisiones) == 3
    # The three wait in the mesa's queue from 10:00; she finishes them at 10:45, 12:15 and at
    # 9:30 of the next business day: the second's work starts when the first is done.
    fines = [
        _momento(martes, 10, 45),
        _momento(martes, 12, 15),
        _momento(martes + datetime.timedelta(1), 9, 30),
    ]
    for tarea, fin in zip(admisiones, fines, strict=True):
        Task.objects.filter(pk=tarea.pk).update(created=_momento(martes, 10), finished=fin)
    # The firmante's only task: from Friday 11:00 to Monday 10:00, idle before it.
    hechas.filter(flow_task=nodo(Nodo.FIRMA)).update(
        created=_momento(viernes, 11), finished=_momento(viernes + datetime.timedelta(3), 10)
    )
    ajuste = simulacion.ajustar(anio=anio)
    assert ajuste.parte_prevenciones == 1 / 4
    assert ajuste.parte_desechadas == 0
    assert ajuste.parte_peticiones == 1 / 2
    assert ajuste.areas_por_solicitud == {2: 1, 1: 1}
    assert ajuste.rutas == {
        ("revision_tecnica:computo", "revision_tecnica:redes"): 1,
        ("revision_tecnica:computo",): 1,
    }
    assert ajuste.peso_areas == {"revision_tecnica:computo": 2, "revision_tecnica:redes": 1}
    # Hours of work over the working day (JORNADA_INICIO to JORNADA_FIN).
    horas = [0.75, 1.5, (JORNADA_FIN.hour - 12.25) + (9.5 - JORNADA_INICIO.hour)]
    assert ajuste.pasos["admision"].servicios == pytest.approx(
        [h / JORNADA_HORAS for h in horas], abs=1e-6
    )
    # The weekend does not count: Friday 11:00 to 18:00, then Monday 9:00 to 10:00.
    assert ajuste.pasos["firma"].servicios == pytest.approx(
        [((JORNADA_FIN.hour - 11) + (10 - JORNADA_INICIO.hour)) / JORNADA_HORAS], abs=1e-6
    )
    assert ajuste.pasos["admision"].personal == {martes.month: 1}
    assert ajuste.pasos["firma"].personal == {viernes.month: 1}
    assert ajuste.historial.atendidas == 1


def test_con_dos_revisores_la_asignacion_por_carga_no_reparte_peor_que_al_azar(demo):
    """A record where computo had two reviewers, assigned at random (as the generator does):
    the model learns both, and one queue for two people (by load) keeps computo's tasks
    waiting less than two queues drawn at random, seed after seed. (The days of the whole
    year are not compared: they move with the other steps' draws, see the xfail above.)"""
    persona(
        "revisor.computo2",
        roles=[Rol.REVISOR_TECNICO],
        rfc="RCDX800101AB1",
        areas=[Area.objects.get(clave="computo")],
    )
    generar()
    ajuste = simulacion.ajustar(anio=ANIO)
    # Two users at 0.85: round(1.7) = 2 people in computo, every month; one elsewhere.
    assert set(ajuste.pasos[COMPUTO].personal.values()) == {2}
    assert set(ajuste.pasos["revision_tecnica:redes"].personal.values()) == {1}
    asignacion = simulacion.escenarios(ajuste, area=None, meses=(12,))[1]
    assert asignacion.asignacion
    for semilla in range(1, 7):
        azar = simulacion.simular(ajuste, simulacion.COMO_SE_REGISTRO, semilla=semilla)
        carga = simulacion.simular(ajuste, asignacion, semilla=semilla)
        assert len(carga.esperas[COMPUTO]) == len(azar.esperas[COMPUTO])
        assert statistics.fmean(carga.esperas[COMPUTO]) < statistics.fmean(azar.esperas[COMPUTO]), (
            semilla
        )
