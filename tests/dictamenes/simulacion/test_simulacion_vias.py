"""The fast track in the year simulation: the requests it sends fast are the ones the track
rule sends fast with the tracks as configured, a fast request makes one technical review, and
the year-end rush is measured against the goal.

On a generated year with every step (the imported history has no steps: it is not sized).
The generator's items fail their self-check (their profiles ask for specifications it does
not write), so the rule sends none fast; the tests mark every item «Cumple», as a year in
which the requirentes filled them in, and count the fast requests from the rows themselves."""

import dataclasses
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from dictamenes.models import Partida, Solicitud
from dictamenes.models.vias import VIAS_INICIALES, ConfiguracionVias, Via
from dictamenes.simulacion.services import motor as simulacion
from dictamenes.simulacion.services import via_rapida as simulacion_vias
from estandares.cumplimiento import Veredicto
from estandares.models import Perfil, Publicacion
from tests.dictamenes.simulacion.conftest import ANIO

pytestmark = pytest.mark.django_db
RUSH = (10, 11, 12)
COMPLETAS = VIAS_INICIALES["categorias_completas"]
UMBRAL_BAJO = Decimal("100000")


def _todas_cumplen() -> None:
    Partida.objects.filter(solicitud__ejercicio=ANIO).update(veredicto=Veredicto.CUMPLE)


def _rapidas_esperadas(umbral: Decimal, completas=COMPLETAS) -> set[int]:
    """The requests the three conditions send fast, from the item rows: their quantities ×
    prices add up to less than the threshold, each item's profile is of the edition in force
    and its self-check says «Cumple», and none is of a category always fully reviewed."""
    partidas = defaultdict(list)
    for fila in Partida.objects.filter(solicitud__ejercicio=ANIO).values_list(
        "solicitud_id",
        "cantidad",
        "precio_unitario",
        "veredicto",
        "perfil__categoria__clave",
        "perfil__categoria__publicacion__estado",
    ):
        partidas[fila[0]].append(fila[1:])
    return {
        sid
        for sid, filas in partidas.items()
        if sum(cantidad * precio for cantidad, precio, *_ in filas) < umbral
        and all(
            veredicto == Veredicto.CUMPLE
            and estado == Publicacion.Estado.VIGENTE
            and clave not in completas
            for _c, _p, veredicto, clave, estado in filas
        )
    }


def _del_cierre() -> set[int]:
    return {
        pk
        for pk, momento in Solicitud.objects.filter(ejercicio=ANIO).values_list(
            "pk", "presentada_en"
        )
        if timezone.localtime(momento).month in RUSH
    }


def _rapidas_por_la_regla(config=None) -> set[int]:
    """The requests the simulation sends fast, by pk (its arrivals are by day, then pk)."""
    ajuste = simulacion.ajustar(anio=ANIO)
    registro = simulacion_vias.registro_del_anio(anio=ANIO)
    rapida = simulacion_vias.via_rapida(
        registro=registro,
        config=config or ConfiguracionVias.objects.vigentes(),
        historial=ajuste.historial,
    )
    orden = sorted(
        Solicitud.objects.filter(ejercicio=ANIO).values_list("pk", "presentada_en"),
        key=lambda fila: (timezone.localtime(fila[1]).date(), fila[0]),
    )
    return {pk for (pk, _m), via in zip(orden, rapida.vias, strict=True) if via == Via.RAPIDA}


def _linea_con(salida: str, inicio: str) -> str:
    return next(linea for linea in salida.splitlines() if linea.startswith(inicio))


def _van(n: int, total: int) -> str:
    return f"{n} de {total} solicitudes de {ANIO} van por la vía rápida ({100 * n / total:.1f} %)"


def test_las_vias_configuradas_deciden_cuantas_van_por_la_via_rapida(generado, capsys):
    total = Solicitud.objects.filter(ejercicio=ANIO).count()
    # As generated: no item says «Cumple», none goes fast.
    assert _rapidas_esperadas(Decimal("500000")) == set() == _rapidas_por_la_regla()
    call_command("simular_anio", "--anio", str(ANIO))
    assert f"Con la regla de la vía (reglas/vias.py), {_van(0, total)}" in (capsys.readouterr().out)
    _todas_cumplen()
    # Version 1: under $500,000, no category always fully reviewed.
    esperadas = _rapidas_esperadas(Decimal("500000"))
    assert esperadas and _rapidas_por_la_regla() == esperadas
    call_command("simular_anio", "--anio", str(ANIO))
    salida = capsys.readouterr().out
    assert f"Con la regla de la vía (reglas/vias.py), {_van(len(esperadas), total)}" in salida
    assert "umbral $500,000.00; categorías que siempre van a revisión completa: " in salida
    assert "Supuesto:" not in salida  # every request has its items
    # A new version with a higher threshold sends more.
    ConfiguracionVias.objects.create(
        version=2,
        creado_en=timezone.now(),
        **(VIAS_INICIALES | {"umbral_monto": Decimal("1000000.00")}),
    )
    con_millon = _rapidas_esperadas(Decimal("1000000"))
    assert con_millon > esperadas and _rapidas_por_la_regla() == con_millon
    call_command("simular_anio", "--anio", str(ANIO))
    salida = capsys.readouterr().out
    assert _van(len(con_millon), total) in salida
    assert "(versión 2): umbral $1,000,000.00;" in salida
    # A threshold tried on the command line is not saved.
    bajo = _rapidas_esperadas(Decimal("100000.01"))
    assert bajo < esperadas
    call_command("simular_anio", "--anio", str(ANIO), "--umbral", "100000.01")
    salida = capsys.readouterr().out
    assert _van(len(bajo), total) in salida
    assert "umbral probado $100,000.01 (sin guardar; el configurado es $1,000,000.00)" in salida
    assert ConfiguracionVias.objects.count() == 2
    # The scenario is the fast track even when the configuration has it off (said so).
    ConfiguracionVias.objects.create(
        version=3,
        creado_en=timezone.now(),
        **(VIAS_INICIALES | {"rapida_activa": False, "umbral_monto": Decimal("1000000.00")}),
    )
    call_command("simular_anio", "--anio", str(ANIO))
    salida = capsys.readouterr().out
    assert "La vía rápida no está activa en la configuración: se simula como si lo estuviera." in (
        salida
    )
    assert _van(len(con_millon), total) in salida


def test_las_partidas_registradas_cuentan_en_lugar_de_las_supuestas(generado):
    """A request is classified by its items: one under the threshold with a firewall item
    (always full review) does not go fast; a request without items (as if imported) is taken
    as one item of its type's category, «Cumple» only if its dictamen was favorable."""
    _todas_cumplen()
    registro = simulacion_vias.registro_del_anio(anio=ANIO)
    assert registro.derivadas == 0 and registro.supuesto == ""
    antes = _rapidas_esperadas(Decimal("500000"))
    rapida = min(antes)
    firewall = Perfil.objects.filter(
        categoria__clave="firewall-nueva-generacion",
        categoria__publicacion__estado=Publicacion.Estado.VIGENTE,
    ).first()
    Partida.objects.filter(pk=Partida.objects.filter(solicitud_id=rapida).first().pk).update(
        perfil=firewall
    )
    # A favorable purchase that its recorded items keep on the full track (one of a category
    # always reviewed fully; such an item alone costs more than the threshold): imported
    # without items, with its declared amount under the threshold, its type would send it fast.
    sin_partidas = (
        Solicitud.objects.filter(
            ejercicio=ANIO,
            tipo_operacion="adquisicion",
            resultado="favorable",
            partidas__perfil__categoria__clave__in=COMPLETAS,
        )
        .order_by("pk")
        .first()
    )
    assert sin_partidas.pk not in antes
    Partida.objects.filter(solicitud=sin_partidas).delete()
    Solicitud.objects.filter(pk=sin_partidas.pk).update(monto_estimado=Decimal("400000"))
    registro = simulacion_vias.registro_del_anio(anio=ANIO)
    total = Solicitud.objects.filter(ejercicio=ANIO).count()
    assert registro.derivadas == 1
    assert registro.supuesto.startswith(f"1 de {total} solicitudes del registro no tienen partidas")
    assert _rapidas_por_la_regla() == (antes - {rapida}) | {sin_partidas.pk}


def test_la_tabla_del_cierre_y_el_umbral_que_alcanzaria_la_meta(generado, capsys):
    _todas_cumplen()
    # The generated prices are a market's (most purchases cost less than $500,000): with that
    # threshold the fast track already meets the goal. The office configured a lower one.
    ConfiguracionVias.objects.create(
        version=2, creado_en=timezone.now(), **(VIAS_INICIALES | {"umbral_monto": UMBRAL_BAJO})
    )
    call_command("simular_anio", "--anio", str(ANIO))
    salida = capsys.readouterr().out
    assert "Cierre del año (solicitudes presentadas en los meses 10, 11, 12;" in salida
    cierre = _del_cierre()
    rapidas = _rapidas_esperadas(UMBRAL_BAJO) & cierre
    # Each row ends: requests, fast ones, median, p90, late (%).
    hoy = _linea_con(salida, "(a) Hoy").split()[-6:]
    con_via = _linea_con(salida, "(b) Con").split()[-6:]
    con_todo = _linea_con(salida, "(c) Vía").split()[-6:]
    assert hoy[:2] == [str(len(cierre)), "0"]
    assert con_via[:2] == [str(len(cierre)), str(len(rapidas))]
    # Planning moves requests out of the rush.
    assert int(con_todo[0]) < len(cierre)
    # The goal is read on (b): p90 of 10 business days or less.
    p90 = int(con_via[3])
    assert p90 > simulacion_vias.META_P90
    assert f"No se alcanza: p90 {p90}." in salida
    propuesta = re.search(
        r"Con un umbral de \$([\d,]+)\.00 se alcanzaría: p90 (\d+) \(mediana [\d.]+, fuera de "
        r"plazo [\d.]+ %, (\d+) de (\d+) solicitudes del cierre en la vía rápida\)\.",
        salida,
    )
    umbral = Decimal(propuesta[1].replace(",", ""))
    assert int(propuesta[2]) <= simulacion_vias.META_P90
    assert int(propuesta[3]) == len(_rapidas_esperadas(umbral) & cierre)
    assert int(propuesta[4]) == len(cierre)
    # It is the least in steps of $50,000 above the configured one: with it the goal is met,
    # with each step below it is not.
    call_command("simular_anio", "--anio", str(ANIO), "--umbral", str(umbral))
    salida = capsys.readouterr().out
    assert f"Se alcanza: p90 {propuesta[2]}." in salida
    ajuste = simulacion.ajustar(anio=ANIO)
    registro = simulacion_vias.registro_del_anio(anio=ANIO)
    vigente = ConfiguracionVias.objects.vigentes()
    escalon = UMBRAL_BAJO + simulacion_vias.PASO_UMBRAL
    while escalon < umbral:
        probada = simulacion_vias.config_probada(vigente, umbral=escalon)
        rapida = simulacion_vias.via_rapida(
            registro=registro, config=probada, historial=ajuste.historial
        )
        resultado = simulacion.simular(
            ajuste, simulacion_vias.escenarios_via_rapida()[0], rapida=rapida
        )
        assert resultado.en_meses(RUSH).p90 > simulacion_vias.META_P90, escalon
        escalon += simulacion_vias.PASO_UMBRAL
    call_command("simular_anio", "--anio", str(ANIO), "--umbral", str(umbral - 50_000))
    assert "No se alcanza" in capsys.readouterr().out


def test_una_solicitud_por_la_via_rapida_hace_una_sola_revision_tecnica(generado):
    """The same requests, the same course, but each fast one makes one technical review (by
    one reviewer of its areas) instead of one per area."""
    ajuste = simulacion.ajustar(anio=ANIO)
    registro = simulacion_vias.registro_del_anio(anio=ANIO)
    assert registro.derivadas == 0  # the generated requests have items
    por_la_regla = simulacion_vias.via_rapida(
        registro=registro, config=ConfiguracionVias.objects.vigentes(), historial=ajuste.historial
    )
    # As generated, the rule sends none fast (see the module's note): every other one is.
    assert set(por_la_regla.vias) == {Via.COMPLETA}
    rapida = dataclasses.replace(
        por_la_regla,
        vias=tuple(Via.RAPIDA if i % 2 else Via.COMPLETA for i in range(len(por_la_regla.vias))),
    )
    base = simulacion.simular(ajuste, simulacion.COMO_SE_REGISTRO, rapida=rapida)
    con_via = simulacion.simular(ajuste, simulacion_vias.escenarios_via_rapida()[0], rapida=rapida)
    assert con_via.vias == list(rapida.vias) and con_via.rapidas > 0
    assert set(base.vias) == {Via.COMPLETA}
    assert con_via.areas == base.areas  # the same course
    esperadas = [
        min(len(areas), 1) if via == Via.RAPIDA else len(areas)
        for areas, via in zip(base.areas, con_via.vias, strict=True)
    ]
    assert con_via.revisiones == esperadas
    # Count the technical reviews the simulation actually ran, per request.
    hechas = defaultdict(int)
    for paso, i, *_tiempos in con_via.tareas:
        if paso.startswith("revision_tecnica"):
            hechas[i] += 1
    assert [hechas[i] for i in range(len(esperadas))] == esperadas
    # Some fast request had two areas: it now makes one review.
    assert any(
        len(areas) == 2 and via == Via.RAPIDA
        for areas, via in zip(base.areas, con_via.vias, strict=True)
    )
    # Its deadlines are the fast track's: 12 - 5 - 3 + 2 + 1 business days.
    assert {p for p, v in zip(con_via.plazos, con_via.vias, strict=True) if v == Via.RAPIDA} == {7}


def test_un_umbral_que_no_es_monto_se_rechaza(demo):
    with pytest.raises(Exception, match=re.escape("--umbral: un monto en pesos, 0 o mayor")):
        call_command("simular_anio", "--anio", "2024", "--umbral", "mucho")
