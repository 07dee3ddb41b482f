from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dictamenes.models import DiaInhabil
from dictamenes.organizacion.selectors.calendario import (
    Calendario,
    dias_habiles_entre,
    dias_restantes,
    semaforo,
    sumar_dias_habiles,
    vencimiento,
)

HERMOSILLO = ZoneInfo("America/Hermosillo")

# 2026: Friday 13 March, Monday 16 March (Natalicio de Benito Juárez), Thursday 24 December,
# Friday 25 December (Navidad), Friday 1 January 2027 (Año Nuevo).


def fin_del_dia(fecha: date) -> datetime:
    return datetime(fecha.year, fecha.month, fecha.day, 23, 59, 59, 999999, tzinfo=HERMOSILLO)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=HERMOSILLO)


# Pure calendar: no database.


def test_un_dia_habil_despues_del_viernes_es_el_lunes():
    calendario = Calendario(set())
    assert calendario.sumar(date(2026, 6, 5), 1) == date(2026, 6, 8)
    assert calendario.habiles_entre(date(2026, 6, 5), date(2026, 6, 8)) == 1
    assert calendario.habiles_entre(date(2026, 6, 5), date(2026, 6, 12)) == 5


def test_sumar_desde_sabado_empieza_a_contar_el_lunes():
    calendario = Calendario(set())
    sabado = date(2026, 6, 6)
    assert calendario.sumar(sabado, 0) == date(2026, 6, 8)
    assert calendario.sumar(sabado, 1) == date(2026, 6, 8)
    assert calendario.sumar(sabado, 3) == date(2026, 6, 10)


def test_sumar_cero_dias_en_dia_habil_devuelve_la_misma_fecha():
    assert Calendario(set()).sumar(date(2026, 6, 10), 0) == date(2026, 6, 10)


def test_sumar_dias_negativos_es_un_error():
    with pytest.raises(ValueError, match="dias debe ser >= 0"):
        Calendario(set()).sumar(date(2026, 6, 10), -1)


def test_habiles_entre_es_simetrico_y_cero_para_la_misma_fecha():
    calendario = Calendario({date(2026, 3, 16)})
    # (13, 20] = 17, 18, 19 and 20 March; Monday 16 is inhábil.
    assert calendario.habiles_entre(date(2026, 3, 13), date(2026, 3, 20)) == 4
    assert calendario.habiles_entre(date(2026, 3, 20), date(2026, 3, 13)) == -4
    assert calendario.habiles_entre(date(2026, 3, 18), date(2026, 3, 18)) == 0


def test_habiles_entre_deshace_sumar_hasta_sesenta_dias():
    calendario = Calendario({date(2026, 3, 16), date(2026, 5, 1)})
    lunes = date(2026, 3, 2)
    for dias in range(61):
        assert calendario.habiles_entre(lunes, calendario.sumar(lunes, dias)) == dias


def test_calendario_rechaza_datetime_en_lugar_de_fecha():
    with pytest.raises(TypeError, match="se esperaba una fecha"):
        Calendario(set()).es_habil(datetime(2026, 6, 5, 12, 0, tzinfo=HERMOSILLO))


# Calendar loaded from the holidays package and the database.


@pytest.mark.django_db
def test_cuenta_salta_el_natalicio_de_benito_juarez():
    # Friday 13 March + 1 skips the weekend and Monday 16 (holiday) -> Tuesday 17.
    assert sumar_dias_habiles(desde=date(2026, 3, 13), dias=1) == date(2026, 3, 17)
    assert dias_habiles_entre(inicio=date(2026, 3, 13), fin=date(2026, 3, 17)) == 1


@pytest.mark.django_db
def test_cuenta_salta_un_dia_inhabil_declarado():
    lunes, jueves = date(2026, 12, 21), date(2026, 12, 24)
    assert dias_habiles_entre(inicio=lunes, fin=jueves) == 3
    DiaInhabil.objects.create(fecha=jueves, descripcion="Asueto decretado")
    assert dias_habiles_entre(inicio=lunes, fin=jueves) == 2
    assert sumar_dias_habiles(desde=date(2026, 12, 23), dias=1) == date(2026, 12, 28)


@pytest.mark.django_db
def test_fin_de_semana_feriados_y_dia_inhabil_en_el_mismo_periodo():
    DiaInhabil.objects.create(fecha=date(2026, 12, 24), descripcion="Asueto decretado")
    # After Wednesday 23: 24 declared, 25 Navidad, 26-27 weekend, 28-31 hábiles,
    # 1 January Año Nuevo, 2-3 weekend -> the 5th business day is Monday 4 January.
    assert sumar_dias_habiles(desde=date(2026, 12, 23), dias=5) == date(2027, 1, 4)
    # (22 December, 4 January]: 23, 28, 29, 30, 31 and 4 out of 13 calendar days.
    assert dias_habiles_entre(inicio=date(2026, 12, 22), fin=date(2027, 1, 4)) == 6


@pytest.mark.django_db
def test_sesenta_dias_habiles_saltan_juarez_y_dia_del_trabajo():
    # 60 weekdays after Monday 2 March is Monday 25 May; 16 March and 1 May add two more.
    assert sumar_dias_habiles(desde=date(2026, 3, 2), dias=60) == date(2026, 5, 27)


@pytest.mark.django_db
def test_motivo_inhabil_explica_cada_dia():
    DiaInhabil.objects.create(fecha=date(2026, 12, 24), descripcion="Asueto decretado")
    calendario = Calendario.cargar(date(2026, 1, 1), date(2026, 12, 31))
    assert calendario.motivo_inhabil(date(2026, 6, 6)) == "sábado"
    assert calendario.motivo_inhabil(date(2026, 6, 7)) == "domingo"
    assert calendario.motivo_inhabil(date(2026, 2, 2)) == "Día de la Constitución"
    assert calendario.motivo_inhabil(date(2026, 3, 16)) == "Natalicio de Benito Juárez"
    assert calendario.motivo_inhabil(date(2026, 11, 16)) == "Día de la Revolución"
    assert calendario.motivo_inhabil(date(2026, 12, 24)) == "Asueto decretado"
    assert calendario.motivo_inhabil(date(2026, 6, 8)) is None
    assert calendario.es_habil(date(2026, 6, 8))
    assert not calendario.es_habil(date(2026, 3, 16))


@pytest.mark.django_db
def test_transmision_del_poder_ejecutivo_solo_en_2024():
    calendario = Calendario.cargar(date(2024, 1, 1), date(2025, 12, 31))
    assert calendario.motivo_inhabil(date(2024, 10, 1)) == (
        "Transmisión del Poder Ejecutivo Federal"
    )
    assert calendario.es_habil(date(2025, 10, 1))


@pytest.mark.django_db
def test_cargar_hace_una_sola_consulta(django_assert_num_queries):
    DiaInhabil.objects.create(fecha=date(2026, 12, 24), descripcion="Asueto decretado")
    DiaInhabil.objects.create(fecha=date(2028, 6, 1), descripcion="Asueto lejano")
    with django_assert_num_queries(1):
        calendario = Calendario.cargar(date(2026, 12, 1), date(2026, 12, 31))
    with django_assert_num_queries(0):
        assert calendario.sumar(date(2026, 12, 23), 1) == date(2026, 12, 28)
        # The span is padded two whole years each side.
        assert calendario.motivo_inhabil(date(2028, 6, 1)) == "Asueto lejano"
        assert calendario.periodo == (date(2024, 1, 1), date(2028, 12, 31))


@pytest.mark.django_db
def test_calendario_cargado_rechaza_fechas_fuera_del_periodo():
    calendario = Calendario.cargar(date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ValueError, match="fuera del periodo cargado"):
        calendario.es_habil(date(2029, 1, 2))


# Deadlines as aware datetimes.


@pytest.mark.django_db
def test_vencimiento_es_el_fin_del_dia_en_hermosillo():
    # Thursday 12 March 22:30 in Hermosillo is already Friday 05:30 UTC; the count starts
    # from the local Thursday, so 1 business day later is Friday 13 (not Tuesday 17).
    desde = datetime(2026, 3, 13, 5, 30, tzinfo=UTC)
    vence = vencimiento(desde=desde, dias=1)
    assert vence == local(2026, 3, 13, 23, 59, 59, 999999)
    assert vence.astimezone(UTC) == datetime(2026, 3, 14, 6, 59, 59, 999999, tzinfo=UTC)
    assert timezone.localtime(vence, HERMOSILLO).utcoffset() == timedelta(hours=-7)


@pytest.mark.django_db
def test_vencimiento_no_depende_de_la_zona_activa_del_usuario():
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        vence = vencimiento(desde=local(2026, 3, 12, 22, 30), dias=3)
    # Friday 13, (16 is Juárez), Tuesday 17, Wednesday 18.
    assert vence == local(2026, 3, 18, 23, 59, 59, 999999)


@pytest.mark.django_db
def test_semaforo_en_los_limites():
    """Amber («Por vencer») on the business day before the due date and on the day itself."""
    vence = fin_del_dia(date(2026, 3, 20))  # Friday
    assert semaforo(vence=vence, ahora=local(2026, 3, 17, 9, 0)) == "verde"  # 3 left
    assert semaforo(vence=vence, ahora=local(2026, 3, 18, 9, 0)) == "verde"  # 2 left
    assert semaforo(vence=vence, ahora=local(2026, 3, 19, 9, 0)) == "amarillo"  # 1 left
    assert semaforo(vence=vence, ahora=local(2026, 3, 20, 23, 59, 59)) == "amarillo"  # today
    assert semaforo(vence=vence, ahora=local(2026, 3, 21, 0, 0)) == "rojo"


@pytest.mark.django_db
def test_un_paso_de_dos_dias_habiles_llega_en_tiempo():
    """The shortest deadline (admisión, firma: 2 business days) arrives green, whatever the
    day it arrives; it turns amber the next business day."""
    for llega in (local(2026, 3, 12, 9, 0), local(2026, 3, 13, 18, 0), local(2026, 3, 14, 11, 0)):
        vence = vencimiento(desde=llega, dias=2)
        assert semaforo(vence=vence, ahora=llega) == "verde", llega
    # Thursday 12 → due Tuesday 17 (Monday 16 is Juárez): amber on Friday 13, not before.
    vence = vencimiento(desde=local(2026, 3, 12, 9, 0), dias=2)
    assert vence == local(2026, 3, 17, 23, 59, 59, 999999)
    assert semaforo(vence=vence, ahora=local(2026, 3, 13, 9, 0)) == "amarillo"


@pytest.mark.django_db
def test_semaforo_cuenta_el_feriado_como_dia_perdido():
    vence = fin_del_dia(date(2026, 3, 18))
    # From Friday 13 only 17 and 18 remain (Monday 16 is Juárez); from Monday 16, only 17
    # and 18 too: amber waits for Tuesday 17.
    assert semaforo(vence=vence, ahora=local(2026, 3, 13, 9, 0)) == "verde"
    assert semaforo(vence=vence, ahora=local(2026, 3, 16, 9, 0)) == "verde"
    assert semaforo(vence=vence, ahora=local(2026, 3, 17, 9, 0)) == "amarillo"
    assert semaforo(vence=vence, ahora=local(2026, 3, 12, 9, 0)) == "verde"


@pytest.mark.django_db
def test_dias_restantes_negativos_al_vencer():
    vence = fin_del_dia(date(2026, 3, 20))  # Friday
    assert dias_restantes(vence=vence, ahora=local(2026, 3, 12, 9, 0)) == 5
    assert dias_restantes(vence=vence, ahora=local(2026, 3, 20, 9, 0)) == 0
    # Overdue during the weekend and on Monday: one business day late; Tuesday: two.
    assert dias_restantes(vence=vence, ahora=local(2026, 3, 21, 9, 0)) == -1
    assert dias_restantes(vence=vence, ahora=local(2026, 3, 23, 9, 0)) == -1
    assert dias_restantes(vence=vence, ahora=local(2026, 3, 24, 9, 0)) == -2


@pytest.mark.django_db
def test_funciones_reusan_un_calendario_cargado(django_assert_num_queries):
    calendario = Calendario.cargar(date(2026, 3, 1), date(2026, 3, 31))
    vence = fin_del_dia(date(2026, 3, 20))
    with django_assert_num_queries(0):
        colores = [
            semaforo(vence=vence, ahora=local(2026, 3, dia, 9, 0), calendario=calendario)
            for dia in (18, 19, 23)
        ]
        assert colores == ["verde", "amarillo", "rojo"]
        assert sumar_dias_habiles(desde=date(2026, 3, 13), dias=1, calendario=calendario) == (
            date(2026, 3, 17)
        )


@pytest.mark.django_db
def test_para_mostrar_lee_la_tabla_una_vez_y_ve_al_instante_un_dia_declarado(
    django_assert_num_queries,
):
    """The inbox and the queue read the declared days from the cache; declaring, changing or
    removing one shows on the next page, not minutes later."""
    diciembre = (date(2026, 12, 1), date(2026, 12, 31))
    Calendario.cargar(*diciembre, para_mostrar=True)
    with django_assert_num_queries(0):
        calendario = Calendario.cargar(*diciembre, para_mostrar=True)
    assert calendario.motivo_inhabil(date(2026, 12, 24)) is None

    dia = DiaInhabil.objects.create(fecha=date(2026, 12, 24), descripcion="Asueto decretado")
    calendario = Calendario.cargar(*diciembre, para_mostrar=True)
    assert calendario.motivo_inhabil(date(2026, 12, 24)) == "Asueto decretado"

    dia.descripcion = "Asueto por decreto"
    dia.save()
    calendario = Calendario.cargar(*diciembre, para_mostrar=True)
    assert calendario.motivo_inhabil(date(2026, 12, 24)) == "Asueto por decreto"

    dia.delete()
    assert (
        Calendario.cargar(*diciembre, para_mostrar=True).motivo_inhabil(date(2026, 12, 24)) is None
    )
    # What sets a deadline never trusts the cache.
    with django_assert_num_queries(1):
        Calendario.cargar(*diciembre)
