"""The plan's calculation (capacidad.services.nucleo, issue 81, items 4 and 5): the month's
forecast still to come spread by the record's shape, not piled on the days left; absences in
the weeks they fall; scenarios that carry the sample's uncertainty; a recommendation with its
margin, its likelihood and the rule of thumb beside it.

The expected figures are counted here by hand (business days listed with `holidays`, shares
summed in the test), never by the functions under test."""

import datetime
import statistics
from collections import Counter
from dataclasses import replace

import holidays
import pytest
from django.utils import timezone

from dictamenes.capacidad.selectors.capacidad import Capacidad, repartir, semanas_entre
from dictamenes.capacidad.services import nucleo
from dictamenes.models import Area
from dictamenes.organizacion.selectors.calendario import Calendario
from dictamenes.simulacion.selectors.registro_anual import Historial
from dictamenes.simulacion.services import motor, refuerzo

pytestmark = pytest.mark.django_db
ANIO = 2031
FERIADOS = holidays.Mexico(years=range(ANIO - 2, ANIO + 2))


def _habiles(anio: int, mes: int) -> list[datetime.date]:
    """The month's business days, listed here: Monday to Friday, not a federal holiday."""
    dia, dias = datetime.date(anio, mes, 1), []
    while dia.month == mes:
        if dia.weekday() < 5 and dia not in FERIADOS:
            dias.append(dia)
        dia += datetime.timedelta(days=1)
    return dias


def _momento(dia: datetime.date, hora: float) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(dia, datetime.time(9)) + datetime.timedelta(hours=hora)
    )


def _historial(anio: int, *, al_final: bool = False, por_mes: int = 40) -> Historial:
    """A hand-made record: `por_mes` requests a month (all on the month's last three business
    days with `al_final`, else one on each business day in turn), each admitted, reviewed by
    cómputo or software in turn, then the strategic review and the signature, one person per
    step, each task done as soon as it is ready: two hours of an area's review, ten minutes of
    the other steps."""
    h = Historial(anio=anio)
    libre = {}
    for mes in range(1, 13):
        dias = _habiles(anio, mes)
        fechas = [dias[-3 + i % 3] if al_final else dias[i % len(dias)] for i in range(por_mes)]
        for i, dia in enumerate(sorted(fechas)):
            h.llegadas[dia] += 1
            area = "computo" if i % 2 == 0 else "software"
            pasos = ["admision", f"revision_tecnica:{area}", "revision_estrategica", "firma"]
            h.rutas[(f"revision_tecnica:{area}",)] += 1
            h.areas_por_solicitud[1] += 1
            t = _momento(dia, 0)
            for paso in pasos:
                inicio = max(t, libre.get(paso, t))
                horas = 2 if paso.startswith("revision_tecnica") else 1 / 6
                fin = inicio + datetime.timedelta(hours=horas)
                if fin.hour >= 18 or fin.date() != inicio.date():
                    fin = inicio  # the working day is over: done at once
                h.tareas.append((paso, f"p-{paso}", t, fin, True))
                libre[paso], t = fin, fin
    h.presentadas = sum(h.llegadas.values())
    h.atendidas = h.presentadas
    return h


def _cap(hoy, *, ausentes=()) -> Capacidad:
    areas = [
        Area(pk=1, clave="computo", nombre="Cómputo"),
        Area(pk=2, clave="software", nombre="Software"),
    ]
    cal = Calendario.cargar(datetime.date(ANIO - 1, 1, 1), datetime.date(ANIO, 12, 31))
    cap = Capacidad(
        areas=areas, semanas=semanas_entre(hoy, datetime.date(ANIO, 12, 31)), calendario=cal
    )
    fuera = {}
    for persona, desde, hasta in ausentes:
        fuera[persona] = {
            desde + datetime.timedelta(days=i) for i in range((hasta - desde).days + 1)
        }
    return repartir(cap, areas_de={"ana": {"computo"}, "beto": {"software"}}, fuera=fuera)


def _entradas(hoy, *, pronostico_nov=114, recibidas=(), historial=None, ausentes=(), estandar=20):
    historial = historial or _historial(ANIO - 1)
    ajuste = motor.ajustar(anio=ANIO - 1, historial=historial)
    meses = [
        {"mes": m, "recibidas": 0, "pronostico": pronostico_nov if m == 11 else 30}
        for m in range(1, 13)
    ]
    return nucleo.Entradas(
        anio=ANIO,
        hoy=hoy,
        estandar=estandar,
        ajuste=ajuste,
        meses=meses,
        recibidas=list(recibidas),
        cap=_cap(hoy, ausentes=ausentes),
        por_rol={"admision": 1, "revision_estrategica": 1, "firma": 1},
    )


def test_la_forma_del_mes_es_la_del_registro():
    """Arrivals all on the last three business days of every month: the shape has nothing in
    the first tenths; spread one per business day: about a tenth each."""
    al_final = _historial(ANIO - 1, al_final=True)
    dias = [d for m in range(1, 13) for d in _habiles(ANIO - 1, m)]
    forma = nucleo.forma_del_mes(al_final.llegadas, dias)
    assert sum(forma[:8]) == 0 and sum(forma) == pytest.approx(1)
    assert forma[9] > 0.6
    parejo = nucleo.forma_del_mes(Counter(dias), dias)
    assert all(0.07 < p < 0.13 for p in parejo)


def test_lo_que_falta_del_mes_no_es_una_ola_en_sus_ultimos_dias():
    """On 27 November, with 114 forecast for the month and the record arriving evenly: what is
    still to come is the forecast's share of the days ahead (counted here), not 114 less what
    arrived piled on them."""
    hoy = datetime.date(ANIO, 11, 27)
    entradas = _entradas(hoy, recibidas=[datetime.date(ANIO, 11, 3)] * 15)
    forma = [0.1] * 10
    delante = nucleo.por_llegar(entradas, forma)
    dias_nov = _habiles(ANIO, 11)
    quedan = [d for d in dias_nov if d >= hoy]
    dias, _pesos, esperadas = delante[11]
    assert dias == quedan
    # Even shape: each day of the month weighs the same within its tenth; summed by hand.
    decimo = [min(10 * i // len(dias_nov), 9) for i in range(len(dias_nov))]
    cuenta = Counter(decimo)
    parte = sum(0.1 / cuenta[decimo[i]] for i, d in enumerate(dias_nov) if d >= hoy)
    assert esperadas == pytest.approx(114 * parte)
    assert esperadas < 114 * 0.25  # the old plan put 99 on these days
    # One scenario: the day after today gets a handful, not a wave.
    llegadas = nucleo.llegadas_de(entradas, delante, semilla=7)
    del_dia = Counter(d for d, _via in llegadas)
    assert max(del_dia[d] for d in quedan) < 20
    # December, not started: its whole forecast, spread over all its business days.
    assert delante[12][2] == pytest.approx(30)
    assert delante[12][0] == _habiles(ANIO, 12)


def test_lo_que_falta_se_reparte_por_la_forma_de_fin_de_mes():
    """A record whose months arrive on their last three days: a December not started gets
    its forecast on its last days."""
    hoy = datetime.date(ANIO, 11, 2)
    entradas = _entradas(hoy, historial=_historial(ANIO - 1, al_final=True))
    forma = nucleo.forma_del_mes(entradas.ajuste.historial.llegadas, entradas.ajuste.reloj.dias)
    dias, pesos, esperadas = nucleo.por_llegar(entradas, forma)[12]
    ultimos = _habiles(ANIO, 12)[-3:]
    en_los_ultimos = sum(
        w for d, w in zip(dias, pesos, strict=True) if d >= ultimos[0] - datetime.timedelta(days=7)
    )
    assert en_los_ultimos / sum(pesos) > 0.9
    assert esperadas == pytest.approx(30)


def test_las_ausencias_cuentan_en_su_semana_no_en_el_promedio_del_mes():
    """The cómputo reviewer away 14 to 27 December: nobody in cómputo those two weeks, one
    person the week before (not 0.6 of a person all month)."""
    hoy = datetime.date(ANIO, 11, 3)
    entradas = _entradas(
        hoy, ausentes=[("ana", datetime.date(ANIO, 12, 15), datetime.date(ANIO, 12, 26))]
    )
    _mensual, semanal = nucleo.personal(entradas)
    computo = {lunes: n for paso, lunes, n in semanal if paso == "revision_tecnica:computo"}
    assert computo[datetime.date(ANIO, 12, 8)] == 1
    assert computo[datetime.date(ANIO, 12, 15)] == 0
    assert computo[datetime.date(ANIO, 12, 22)] == 0
    assert computo[datetime.date(ANIO, 12, 29)] == 1


def test_el_motor_no_empieza_una_tarea_en_la_semana_en_que_nadie_esta():
    """A step whose only person is away one week: none of its tasks starts that week."""
    ajuste = motor.ajustar(anio=ANIO - 1, historial=_historial(ANIO - 1))
    lunes = datetime.date(ANIO - 1, 6, 9)
    escenario = motor.Escenario(
        "prueba",
        asignacion=True,
        personal_semanal=(("revision_tecnica:computo", lunes, 0.0),),
    )
    r = motor.simular(ajuste, escenario, semilla=3)
    reloj = ajuste.reloj
    desde, hasta = reloj.indice(lunes), reloj.indice(lunes + datetime.timedelta(days=7))
    de_computo = [
        inicio for paso, _i, _l, inicio, _f in r.tareas if paso == "revision_tecnica:computo"
    ]
    assert de_computo and not [t for t in de_computo if desde <= t < hasta]
    sin = motor.simular(ajuste, motor.Escenario("prueba", asignacion=True), semilla=3)
    assert [
        t
        for paso, _i, _l, t, _f in sin.tareas
        if paso == "revision_tecnica:computo" and desde <= t < hasta
    ]


def test_cada_escenario_remuestrea_los_tiempos_del_registro():
    """With the bootstrap, each seed works from its own resample of the measured times: the
    work drawn always comes from the record, and two seeds draw from different samples."""
    historial = _historial(ANIO - 1)
    # Two hours or nothing: make the record's times differ so that a resample can move the mean.
    for i in range(0, len(historial.tareas), 3):
        paso, persona, creada, _fin, propia = historial.tareas[i]
        historial.tareas[i] = (
            paso,
            persona,
            creada,
            creada + datetime.timedelta(minutes=30),
            propia,
        )
    ajuste = motor.ajustar(anio=ANIO - 1, historial=historial)
    medidos = set(ajuste.pasos["revision_tecnica:computo"].servicios)
    escenario = motor.Escenario("prueba", asignacion=True)

    def trabajos(semilla, remuestreo):
        r = motor.simular(ajuste, escenario, semilla=semilla, remuestreo=remuestreo)
        return [f - i for paso, _c, _l, i, f in r.tareas if paso == "revision_tecnica:computo"]

    con = trabajos(1, True)
    assert {round(t, 9) for t in con} <= {round(m, 9) for m in medidos}
    assert con == trabajos(1, True)  # reproducible for its seed
    # The same seed without the bootstrap draws from the record itself: other work.
    assert con != trabajos(1, False)
    assert statistics.fmean(con) != statistics.fmean(trabajos(2, True))


def test_la_recomendacion_lleva_su_margen_su_probabilidad_y_la_regla_al_lado():
    """A rush no staff can take: the recommendation meets the standard in at least 80 % of the
    scenarios (its likelihood), costs at least what meets it in the mean (the margin is the
    difference), and the rule of thumb is one more reviewer in the two areas with most reviews,
    every business day of December ahead."""
    hoy = datetime.date(ANIO, 11, 3)
    historial = _historial(ANIO - 1)
    entradas = _entradas(hoy, pronostico_nov=260, historial=historial, estandar=6)
    calculo = nucleo.calcular(entradas, corridas=8)
    habiles = [d for m in (11, 12) for d in _habiles(ANIO, m) if d >= hoy]
    costo = sum(p.dias(habiles) for p in calculo.recomendacion.prestamos)
    assert calculo.recomendacion.prestamos and costo >= calculo.sin_margen
    assert calculo.margen == pytest.approx(costo - calculo.sin_margen)
    assert calculo.probabilidad is not None and calculo.probabilidad >= nucleo.CUANTIL
    diciembre = _habiles(ANIO, 12)
    assert sorted((p.paso, p.desde, p.hasta, p.personas) for p in calculo.regla) == [
        ("revision_tecnica:computo", diciembre[0], diciembre[-1], 1.0),
        ("revision_tecnica:software", diciembre[0], diciembre[-1], 1.0),
    ]
    assert calculo.regla_probabilidad is not None
    regla = sum(p.dias(habiles) for p in calculo.regla)
    assert regla == 2 * len(diciembre)
    assert calculo.recomienda_regla == (calculo.regla_cumple and regla <= costo)


def test_cada_prestamo_recomendado_hace_falta_hasta_su_ultimo_dia():
    """Ending any loan of the recommendation one business day earlier, some week misses the
    standard in more than the planned share of the scenarios."""
    hoy = datetime.date(ANIO, 11, 3)
    entradas = _entradas(hoy, pronostico_nov=260, estandar=6)
    calculo = nucleo.calcular(entradas, corridas=8)
    prestamos = calculo.recomendacion.prestamos
    assert prestamos
    mensual, semanal = nucleo.personal(entradas)
    escenario = motor.Escenario(
        "Plan de capacidad", asignacion=True, personal=mensual, personal_semanal=semanal
    )
    forma = nucleo.forma_del_mes(entradas.ajuste.historial.llegadas, entradas.ajuste.reloj.dias)
    delante = nucleo.por_llegar(entradas, forma)
    reloj = motor.Reloj.del_anio(ANIO)
    pasos = ["revision_tecnica:computo", "revision_tecnica:software"]

    def cumple(lista) -> bool:
        corridas = [
            motor.simular(
                entradas.ajuste,
                refuerzo.con_prestamos(escenario, lista),
                semilla=s,
                llegadas=nucleo.llegadas_de(entradas, delante, s),
                reloj=reloj,
                remuestreo=True,
            )
            for s in range(7, 15)
        ]
        return all(
            refuerzo.cuantil_de(v, nucleo.CUANTIL) <= 6
            for v in _p90_por_semana(corridas, entradas.cap.semanas, pasos).values()
        )

    assert cumple(prestamos)
    habiles = [d for m in (11, 12) for d in _habiles(ANIO, m)]
    for i, p in enumerate(prestamos):
        dias = [d for d in habiles if p.desde <= d <= p.hasta]
        corto = [replace(p, hasta=dias[-2])] if len(dias) > 1 else []
        assert not cumple([*prestamos[:i], *corto, *prestamos[i + 1 :]]), p


def _p90_por_semana(corridas, semanas, pasos) -> dict:
    """{(monday, step or None): [each run's p90 of that week's arrivals]}, counted here."""
    por = {}
    for r in corridas:
        grupos = {}
        for llegada, dias, areas in zip(r.llegadas, r.dias, r.areas, strict=True):
            lunes = llegada - datetime.timedelta(days=llegada.weekday())
            if lunes not in semanas:
                continue
            for grupo in (None, *[p for p in pasos if p in areas]):
                grupos.setdefault((lunes, grupo), []).append(dias)
        for llave, dias in grupos.items():
            orden = sorted(dias)
            por.setdefault(llave, []).append(orden[min(int(0.9 * len(orden)), len(orden) - 1)])
    return por
