"""The fast track in the year simulation: the requests it sends fast are the ones the track
rule sends fast with the tracks as configured, a fast request makes one technical review, and
the year-end rush is measured against the goal."""

import dataclasses
import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo import historico
from dictamenes.models import Ente, Partida, Solicitud
from dictamenes.models.vias import VIAS_INICIALES, ConfiguracionVias, Via
from dictamenes.simulacion.services import motor as simulacion
from dictamenes.simulacion.services import via_rapida as simulacion_vias
from estandares.cumplimiento import Veredicto
from estandares.models import Perfil, Publicacion
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db
HASTA = timezone.make_aware(datetime.datetime(2026, 4, 30, 12, 0))

# A small imported record of 2024, every request presented in November and attended in 16
# business days (so every simulated request of the full track takes 16, and one of the fast
# track takes 16 × 7/12, rounded up: 10). (clave, type, amount, result)
CONOCIDO = [
    ("a", "adquisicion", "100000", "favorable"),
    ("b", "servicio", "300000", "favorable"),
    ("c", "adquisicion", "700000", "favorable"),
    ("d", "renovacion", "1200000", "favorable"),
    ("e", "desarrollo", "200000", "favorable"),  # custom software: always full review
    ("f", "adquisicion", "150000", "condicionado"),  # taken as not complying
    ("g", "adquisicion", "5000000", "favorable", 3),  # in March: not in the rush
]


def _registro_conocido(claves="abcdef"):
    ente = Ente.objects.order_by("pk").first()
    autor = usuario("requirente.sh")
    return {
        clave: Solicitud.objects.create(
            ente=ente,
            folio=f"SOL-2024-{clave.upper()}",
            ejercicio=2024,
            tipo_operacion=tipo,
            titulo=f"Solicitud {clave}",
            justificacion="Registro histórico importado.",
            alineacion="Programa de Gobierno Digital.",
            monto_estimado=Decimal(monto),
            estado=Solicitud.Estado.DICTAMINADA,
            resultado=resultado,
            presentada_en=_momento(mes),
            atendida_en=_momento(mes) + datetime.timedelta(days=22),
            dias_habiles_atencion=16,
            creada_por=autor,
        )
        for clave, tipo, monto, resultado, *mes in CONOCIDO
        if clave in claves
    }


def _momento(mes: list[int]) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2024, (mes or [11])[0], 12, 10, 0))


def _rapidas_con_la_config_vigente() -> list[str]:
    ajuste = simulacion.ajustar(anio=2024)
    registro = simulacion_vias.registro_del_anio(anio=2024)
    rapida = simulacion_vias.via_rapida(
        registro=registro,
        config=ConfiguracionVias.objects.vigentes(),
        historial=ajuste.historial,
    )
    montos = [s.monto for s in registro.solicitudes]
    return sorted(str(m) for m, via in zip(montos, rapida.vias, strict=True) if via == Via.RAPIDA)


def _linea_con(salida: str, inicio: str) -> str:
    return next(linea for linea in salida.splitlines() if linea.startswith(inicio))


def test_las_vias_configuradas_deciden_cuantas_van_por_la_via_rapida(demo, capsys):
    _registro_conocido()
    # Version 1: under $500,000, not custom software, favorable without conditions.
    assert _rapidas_con_la_config_vigente() == ["100000.00", "300000.00"]
    call_command("simular_anio", "--anio", "2024")
    salida = capsys.readouterr().out
    assert (
        "Con la regla de la vía (selectors/vias.py), 2 de 6 solicitudes de 2024 van por la vía "
        "rápida (33.3 %)"
    ) in salida
    assert "umbral $500,000.00; categorías que siempre van a revisión completa: " in salida
    assert "Supuesto: 6 de 6 solicitudes del registro no tienen partidas" in salida
    # A new version with a higher threshold: the $700,000 one goes fast too.
    ConfiguracionVias.objects.create(
        version=2,
        creado_en=timezone.now(),
        **(VIAS_INICIALES | {"umbral_monto": Decimal("1000000.00")}),
    )
    assert _rapidas_con_la_config_vigente() == ["100000.00", "300000.00", "700000.00"]
    call_command("simular_anio", "--anio", "2024")
    salida = capsys.readouterr().out
    assert "3 de 6 solicitudes de 2024 van por la vía rápida (50.0 %)" in salida
    assert "(versión 2): umbral $1,000,000.00;" in salida
    # A threshold tried on the command line is not saved.
    call_command("simular_anio", "--anio", "2024", "--umbral", "100000.01")
    salida = capsys.readouterr().out
    assert "1 de 6 solicitudes de 2024 van por la vía rápida (16.7 %)" in salida
    assert "umbral probado $100,000.01 (sin guardar; el configurado es $1,000,000.00)" in salida
    assert ConfiguracionVias.objects.count() == 2
    # The scenario is the fast track even when the configuration has it off (said so).
    ConfiguracionVias.objects.create(
        version=3,
        creado_en=timezone.now(),
        **(VIAS_INICIALES | {"rapida_activa": False, "umbral_monto": Decimal("1000000.00")}),
    )
    call_command("simular_anio", "--anio", "2024")
    salida = capsys.readouterr().out
    assert "La vía rápida no está activa en la configuración: se simula como si lo estuviera." in (
        salida
    )
    assert "3 de 6 solicitudes de 2024 van por la vía rápida (50.0 %)" in salida


def test_las_partidas_registradas_cuentan_en_lugar_de_las_supuestas(demo):
    """A request with items is classified by them: a $100,000 purchase whose item is a
    firewall (always full review) does not go fast, as its type alone would have sent it."""
    solicitudes = _registro_conocido("ab")
    firewall = Perfil.objects.filter(
        categoria__clave="firewall-nueva-generacion",
        categoria__publicacion__estado=Publicacion.Estado.VIGENTE,
    ).first()
    Partida.objects.create(
        solicitud=solicitudes["a"],
        perfil=firewall,
        descripcion="Firewall perimetral",
        cantidad=1,
        precio_unitario=Decimal("100000.00"),
        capitulo="5000",
        partida_especifica="51501",
        veredicto=Veredicto.CUMPLE,
    )
    registro = simulacion_vias.registro_del_anio(anio=2024)
    assert registro.derivadas == 1
    assert registro.supuesto.startswith("1 de 2 solicitudes del registro no tienen partidas")
    assert _rapidas_con_la_config_vigente() == ["300000.00"]


def test_la_tabla_del_cierre_y_el_umbral_que_alcanzaria_la_meta(demo, capsys):
    _registro_conocido()
    call_command("simular_anio", "--anio", "2024")
    salida = capsys.readouterr().out
    assert "Cierre del año (solicitudes presentadas en los meses 10, 11, 12;" in salida
    # Full track: 16 days (over its 12); fast: 10 (over its 7). p90 of six is the slowest.
    assert _linea_con(salida, "(a) Hoy").split() == (
        ["(a)", "Hoy,", "sin", "vía", "rápida", "6", "0", "16.0", "16", "100.0", "%"]
    )
    # (b): the two fast ones weigh 7/12 of a task, so the month's load (5.2) is below the
    # record's lightest (6), and the days shrink in proportion: ceil(16 × 5.2 / 6) = 14.
    assert _linea_con(salida, "(b) Con").split() == (
        ["(b)", "Con", "vía", "rápida", "6", "2", "14.0", "14", "100.0", "%"]
    )
    assert _linea_con(salida, "(c) Vía").split()[:6] == [
        "(c)",
        "Vía",
        "rápida,",
        "planeación",
        "y",
        "asignación",
    ]
    assert "No se alcanza: p90 14." in salida
    # The conditioned one stays on the full track whatever the threshold.
    assert (
        "Ningún umbral la alcanza, ni sin categorías de revisión completa: con todas las "
        "solicitudes bajo el umbral, el p90 del cierre es 11 (mediana 7.0), con 5 de 6 "
        "solicitudes del cierre en la vía rápida;"
    ) in salida
    assert (
        "Si todas las solicitudes del cierre fueran por la vía rápida (lo que la regla no "
        "permite), el p90 sería 6 (mediana 6.0): la meta pide además que más partidas "
        "cumplan en la autoevaluación."
    ) in salida
    # Without it, the custom software one needs its category off the full-review list. (A
    # $5,000,000 request in March, outside the rush, puts the search's ceiling above the
    # threshold it finds.)
    Solicitud.objects.filter(folio="SOL-2024-F").delete()
    _registro_conocido("g")
    call_command("simular_anio", "--anio", "2024")
    salida = capsys.readouterr().out
    assert (
        "Con un umbral de $1,250,000.00 y sin categorías de revisión completa se alcanzaría: "
        "p90 10 (mediana 10.0, fuera de plazo 100.0 %, 5 de 5 solicitudes del cierre en la vía "
        "rápida)."
    ) in salida
    # Without it too, a threshold alone does.
    Solicitud.objects.filter(folio="SOL-2024-E").delete()
    call_command("simular_anio", "--anio", "2024")
    salida = capsys.readouterr().out
    assert (
        "Con un umbral de $1,250,000.00 se alcanzaría: p90 10 (mediana 10.0, fuera de plazo "
        "100.0 %, 4 de 4 solicitudes del cierre en la vía rápida)."
    ) in salida
    # A threshold above every amount: the goal is reached as configured.
    call_command("simular_anio", "--anio", "2024", "--umbral", "2000000")
    salida = capsys.readouterr().out
    assert _linea_con(salida, "(b) Con").split() == (
        ["(b)", "Con", "vía", "rápida", "4", "4", "10.0", "10", "100.0", "%"]
    )
    assert "Se alcanza: p90 10." in salida


def test_una_solicitud_por_la_via_rapida_hace_una_sola_revision_tecnica(demo):
    """On a record with every step: the same requests, the same course, but each fast one
    makes one technical review (by one reviewer of its areas) instead of one per area."""
    historico.generar(anios=2, escala=0.3, hasta=HASTA, semilla=7)
    ajuste = simulacion.ajustar(anio=2025)
    registro = simulacion_vias.registro_del_anio(anio=2025)
    assert registro.derivadas == 0  # the generated requests have items
    por_la_regla = simulacion_vias.via_rapida(
        registro=registro, config=ConfiguracionVias.objects.vigentes(), historial=ajuste.historial
    )
    # The generator's items all fail their self-check (no specifications): the rule sends
    # none fast. The course of a fast request is what is tested here: every other one is.
    assert set(por_la_regla.vias) == {Via.COMPLETA}
    rapida = dataclasses.replace(
        por_la_regla,
        vias=tuple(Via.RAPIDA if i % 2 else Via.COMPLETA for i in range(len(por_la_regla.vias))),
    )
    base = simulacion.simular(ajuste, simulacion.COMO_SE_REGISTRO, rapida=rapida)
    con_via = simulacion.simular(ajuste, simulacion_vias.escenarios_via_rapida()[0], rapida=rapida)
    assert con_via.vias == list(rapida.vias) and con_via.rapidas > 0
    assert set(base.vias) == {Via.COMPLETA}
    esperadas = [
        min(n, 1) if via == Via.RAPIDA else n
        for n, via in zip(base.revisiones, con_via.vias, strict=True)
    ]
    assert con_via.revisiones == esperadas
    # Some fast request had two areas: it now makes one review.
    assert any(
        n == 2 and via == Via.RAPIDA for n, via in zip(base.revisiones, con_via.vias, strict=True)
    )
    assert sum(con_via.revisiones) < sum(base.revisiones)
    # Its deadlines are the fast track's: 12 - 5 - 3 + 2 + 1 business days.
    assert {p for p, v in zip(con_via.plazos, con_via.vias, strict=True) if v == Via.RAPIDA} == {7}
    assert sum(con_via.dias) < sum(base.dias)


def test_un_umbral_que_no_es_monto_se_rechaza(demo):
    with pytest.raises(Exception, match=re.escape("--umbral: un monto en pesos, 0 o mayor")):
        call_command("simular_anio", "--anio", "2024", "--umbral", "mucho")
