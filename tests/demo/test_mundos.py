"""The worlds the capacity plan is judged in (demo.mundos, issue 81 item 1): they import nothing
from the product, keep their own calendar, and each switch breaks the assumption it names.
No database: the worlds are pure Python. Expected figures are counted here, from the stated
process (its means, shares and days), never by the code under test."""

import ast
import datetime
import math
import random
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from demo import mundos
from demo.mundos import mundo as modulo

ANIO = 2030
HOY = datetime.date(ANIO, 11, 1)
PAQUETE = Path(mundos.__file__).parent


def _importados(ruta: Path) -> list[str]:
    nombres = []
    for nodo in ast.walk(ast.parse(ruta.read_text())):
        if isinstance(nodo, ast.Import):
            nombres += [a.name for a in nodo.names]
        elif isinstance(nodo, ast.ImportFrom) and nodo.level == 0:
            nombres.append(nodo.module)
    return nombres


def test_los_mundos_no_importan_nada_del_producto():
    """Only the standard library, `holidays` and the package itself."""
    ajenos = {
        (ruta.name, nombre)
        for ruta in PAQUETE.glob("*.py")
        for nombre in _importados(ruta)
        if nombre.split(".")[0] not in sys.stdlib_module_names
        and nombre.split(".")[0] != "holidays"
        and not (nombre == "demo.mundos" or nombre.startswith("demo.mundos."))
    }
    assert not ajenos, ajenos


def test_la_prueba_de_importaciones_ve_una_importacion_del_producto(tmp_path):
    """The check above is not blind: a module that imports the product is caught."""
    espia = tmp_path / "espia.py"
    espia.write_text("import datetime\nfrom dictamenes.models import Area\n")
    assert "dictamenes.models" in _importados(espia)


def test_su_calendario_es_el_suyo():
    cal = modulo.Calendario(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    for libre in ("2024-09-16", "2024-12-25", "2024-12-24", "2024-12-31", "2024-11-30"):
        assert not cal.es_habil(datetime.date.fromisoformat(libre)), libre
    assert cal.es_habil(datetime.date(2024, 11, 26))  # an ordinary Tuesday
    # Its working day is eight hours: half a business day is 13:00.
    assert cal.momento(cal.indice[datetime.date(2024, 11, 26)] + 0.5).time() == datetime.time(13)


@pytest.mark.parametrize("familia", ["gamma", "lognormal", "pareto"])
def test_cada_familia_tiene_la_media_declarada_y_su_cola(familia):
    mundo = mundos.Mundo(mundos.Especificacion("x", 1, servicio=familia), ANIO)
    azar = random.Random(5)  # noqa: S311
    n, media = 40_000, 0.5
    valores = sorted(mundo._servicio(azar, media) for _ in range(n))
    # Three standard errors of a mean of n draws (the sample's own spread).
    assert abs(statistics.fmean(valores) - media) <= 3 * statistics.stdev(valores) / math.sqrt(n)
    otro = random.Random(6)  # noqa: S311
    gamma = sorted(otro.gammavariate(2.0, media / 2) for _ in range(n))
    cola, cola_gamma = valores[int(0.99 * n)] / media, gamma[int(0.99 * n)] / media
    if familia == "gamma":
        assert cola == pytest.approx(cola_gamma, rel=0.1)
    else:
        assert cola > 1.2 * cola_gamma


def _casos(**cambios):
    mundo = mundos.Mundo(mundos.Especificacion("x", 1, **cambios), ANIO)
    return mundo, mundo.correr((), 1)


def test_fin_de_mes_pone_la_mitad_de_las_llegadas_en_los_ultimos_tres_dias():
    for fin_de_mes, esperado in ((True, 0.5 + 0.5 * 3 / 21), (False, 3 / 21)):
        mundo, casos = _casos(fin_de_mes=fin_de_mes)
        cal, ultimos = mundo.calendario, 0
        for c in casos:
            dia = c.presentada(cal)
            dias = cal.habiles(dia.replace(day=1), modulo._fin_de_mes(dia.year, dia.month))
            ultimos += dia in dias[-3:]
        assert ultimos / len(casos) == pytest.approx(esperado, abs=0.06)


@pytest.mark.parametrize("desvio", [0.15, -0.15])
def test_el_desvio_mueve_las_llegadas_respecto_del_pronostico(desvio):
    mundo, casos = _casos(desvio=desvio)
    assert len(casos) / sum(mundo.pronostico().values()) == pytest.approx(1 + desvio, abs=0.01)
    base, sin = _casos()
    assert len(sin) / sum(base.pronostico().values()) == pytest.approx(1, abs=0.01)


def _tareas_por_persona(mundo, paso_prefijo="revision_tecnica:"):
    por = defaultdict(list)
    for s in mundo.registro(HOY):
        for t in s.tareas:
            if t.paso.startswith(paso_prefijo):
                por[t.persona].append(t)
    return por


def test_varios_expedientes_a_la_vez_se_ven_en_el_registro():
    varios = mundos.Mundo(mundos.Especificacion("x", 1, varios=True), ANIO)
    uno = mundos.Mundo(mundos.Especificacion("x", 1), ANIO)
    computo = "computo-1"

    # With three files at once, files close out of the order they were taken.
    def fuera_de_orden(mundo):
        tareas = _tareas_por_persona(mundo)[computo]
        por_cierre = sorted(tareas, key=lambda t: t.terminada)
        return sum(a.creada > b.creada for a, b in zip(por_cierre, por_cierre[1:], strict=False))

    assert fuera_de_orden(varios) > 20
    assert fuera_de_orden(uno) < fuera_de_orden(varios) / 4


def test_por_lotes_los_cierres_caen_al_final_de_la_jornada():
    lotes = mundos.Mundo(mundos.Especificacion("x", 1, lotes=True), ANIO)
    cierres = [t.terminada.time() for ts in _tareas_por_persona(lotes, "").values() for t in ts]
    assert sum(h >= datetime.time(16, 55) for h in cierres) / len(cierres) > 0.95
    sin = mundos.Mundo(mundos.Especificacion("x", 1), ANIO)
    cierres = [t.terminada.time() for ts in _tareas_por_persona(sin, "").values() for t in ts]
    assert sum(h >= datetime.time(16, 55) for h in cierres) / len(cierres) < 0.2


def test_las_pausas_alargan_los_dias_y_no_se_registran():
    pausas, con = _casos(pausas=True)
    _mundo, sin = _casos()
    pausados = [c for c in con if c.pausa]
    assert 0.15 < len(pausados) / len(con) < 0.25
    assert statistics.fmean(c.dias for c in con if c.dias is not None) > statistics.fmean(
        c.dias for c in sin if c.dias is not None
    )
    registro = pausas.registro(HOY)
    assert all(s.pausa_registrada == 0 for s in registro)
    # The record shows no step beyond the procedure's.
    pasos = {t.paso.split(":")[0] for s in registro for t in s.tareas}
    assert pasos == {"admision", "subsanar", "revision_tecnica", "revision_estrategica", "firma"}


def _cerradas_en(mundo, mes) -> int:
    """Cómputo's reviews closed in `mes` of the year before: in the rush its queue never
    empties, so what it closes is its pace."""
    return sum(
        t.terminada.year == ANIO - 1 and t.terminada.month == mes
        for t in _tareas_por_persona(mundo)["computo-1"]
    )


def test_medio_tiempo_en_diciembre_y_sin_registrarlo():
    medio = mundos.Mundo(mundos.Especificacion("x", 1, medio_tiempo=True), ANIO)
    entero = mundos.Mundo(mundos.Especificacion("x", 1), ANIO)
    assert _cerradas_en(medio, 12) < 0.65 * _cerradas_en(entero, 12)
    assert _cerradas_en(medio, 11) == pytest.approx(_cerradas_en(entero, 11), rel=0.1)
    assert medio.plantilla() == entero.plantilla()


def test_el_registro_corta_en_su_fecha_y_la_corrida_cero_es_el_anio_que_paso():
    mundo = mundos.Mundo(mundos.Especificacion("x", 3), ANIO)
    corte = datetime.datetime.combine(HOY, datetime.time())
    registro = mundo.registro(HOY)
    assert all(s.presentada < corte for s in registro)
    assert all(t.terminada < corte for s in registro for t in s.tareas)
    assert all(s.atendida is None or s.atendida < corte for s in registro)
    del_anio = sorted(s.presentada for s in registro if s.ejercicio == ANIO)
    cal = mundo.calendario
    realizado = sorted(cal.momento(c.llegada) for c in mundo.correr((), 0))
    assert realizado[: len(del_anio)] == del_anio
    otra = sorted(cal.momento(c.llegada) for c in mundo.correr((), 1))
    assert otra == realizado  # the same arrivals, other courses
    assert [c.areas for c in mundo.correr((), 1)] != [c.areas for c in mundo.correr((), 0)]


def test_el_p90_de_rango_cercano():
    assert modulo.percentil_90(range(1, 11)) == 9
    assert modulo.percentil_90([5]) == 5
    assert modulo.percentil_90(range(1, 21)) == 18
    assert modulo.percentil_90([]) is None


def test_el_minimo_cumple_y_quitarle_un_prestamo_no():
    mundo = mundos.Mundo(mundos.DOS_MUNDOS[0], ANIO)
    cumple, medias = mundo.cumple((), estandar=20, desde=HOY, corridas=4)
    assert not cumple
    minimo = mundos.minimo(mundo, estandar=20, desde=HOY, corridas=4)
    assert minimo
    assert mundo.cumple(minimo, estandar=20, desde=HOY, corridas=4)[0]
    for i in range(len(minimo)):
        menos = minimo[:i] + minimo[i + 1 :]
        assert not mundo.cumple(menos, estandar=20, desde=HOY, corridas=4)[0]
    # A loan shortens its area's December.
    _c, con = mundo.cumple(minimo, estandar=20, desde=HOY, corridas=4)
    area = minimo[0].area
    diciembre = [k for k in medias if k[1] == area and k[0].month == 12]
    assert sum(con[k] for k in diciembre) < sum(medias[k] for k in diciembre)
    assert mundo.dias_revisor(minimo) == sum(
        len(mundo.calendario.habiles(p.desde, p.hasta)) * p.personas for p in minimo
    )


def test_sin_revisores_que_presten_donde_espera_no_hay_minimo():
    """A world whose strategic review is its bottleneck: no loan of reviewers reaches it."""
    mundo = mundos.Mundo(mundos.Especificacion("x", 1), ANIO)
    mundo.medias["revision_estrategica"] = 0.6
    assert mundos.minimo(mundo, estandar=20, desde=HOY, corridas=3) is None


def test_el_panel_es_fijo_y_tiene_treinta_mundos():
    assert len(mundos.PANEL) == 30 and len(set(mundos.PANEL)) == 30
    assert {e.familia for e in mundos.PANEL} == set(mundos.FAMILIAS)
