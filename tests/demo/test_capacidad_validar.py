"""capacidad_validar judges the capacity plan in worlds it did not make (issue 81). Here the
two-world version the suite can afford (few runs: its figures are not asserted to meet the
targets, only to be what the worlds say), and the reading of a world's record as the system's
selector reads its own.

What each row claims is checked against the world itself (demo.mundos: it imports nothing of
the product): the loans printed meet the standard there or not as the row says, the minimum
is what the world's search gives, and the difference is their reviewer-days apart.

The world the test asks is the one the command judged in (the same Mundo: its judgements are
kept by their arguments, runs and all, demo.mundos.Mundo._medias), once the test has checked that
it is the world a new Mundo states: a judgement the command asked with other arguments (another
standard, day or number of runs) is not there, and is computed for the test. Asking a new Mundo
ran every run of the command's judgements again: about a quarter of the test's time."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo import mundos, panel_capacidad
from dictamenes.simulacion.services import motor

pytestmark = pytest.mark.django_db
FILA = re.compile(
    r"^\| (\S+) (\d+) \| (.+?) \((\d+)\) \| (\d+) \| (\S+ %|—) \| ([✓✗]) \((\S+)\) "
    r"\| (.+?) \((\S+)\) \| (\S+) \| (\d+), ([✓✗]) \| (\d+)/(\d+) \| \d+ \|$",
    re.M,
)
CORRIDAS, CORRIDAS_MUNDO = 4, 3


def _validar() -> tuple[str, int]:
    salida = io.StringIO()
    codigo = 0
    try:
        call_command(
            "capacidad_validar",
            "--dos",
            "--procesos",
            "1",
            "--corridas",
            str(CORRIDAS),
            "--corridas-mundo",
            str(CORRIDAS_MUNDO),
            stdout=salida,
        )
    except SystemExit as fin:
        codigo = fin.code
    return salida.getvalue(), codigo


def _prestamos(texto: str) -> tuple:
    if texto in ("ninguno", "ningún préstamo alcanza"):
        return ()
    lista = []
    for parte in texto.removesuffix(" (la regla)").split("; "):
        area, fechas, _x = re.match(r"(\S+) (\S+)×(\d+)", parte).groups()
        # A loan of the year's last week may end in the first days of January.
        desde, hasta = (
            datetime.date(panel_capacidad.ANIO + (int(f[3:5]) < 6), int(f[3:5]), int(f[:2]))
            for f in fechas.split("–")
        )
        lista.append(mundos.Prestamo(area, desde, hasta, 1))
    return tuple(lista)


@pytest.fixture
def juzgados(monkeypatch) -> dict:
    """{specification: the Mundo the command judged in}."""
    creados, Mundo = {}, mundos.Mundo

    def crear(espec, anio):
        creados[espec] = mundo = Mundo(espec, anio)
        return mundo

    monkeypatch.setattr(mundos, "Mundo", crear)
    return creados


def _lo_que_dice(mundo) -> tuple:
    """What a world states (its draws) before any run."""
    return (mundo.espec, mundo.anio, mundo.base, mundo.medias, mundo.ausencias)


def test_el_panel_de_dos_mundos_dice_lo_que_los_mundos_dicen(juzgados):
    salida, codigo = _validar()
    filas = FILA.findall(salida)
    assert [(f[0], int(f[1])) for f in filas] == [(e.familia, e.semilla) for e in mundos.DOS_MUNDOS]
    hoy = datetime.date(panel_capacidad.ANIO, 11, 1)
    for fila, espec in zip(filas, mundos.DOS_MUNDOS, strict=True):
        mundo = juzgados[espec]
        nuevo = mundos.mundo.Mundo(espec, panel_capacidad.ANIO)
        assert _lo_que_dice(mundo) == _lo_que_dice(nuevo)
        recomendados = _prestamos(fila[2])
        assert float(fila[3]) == mundo.dias_revisor(recomendados)
        cumple, medias = mundo.cumple(recomendados, estandar=20, desde=hoy, corridas=CORRIDAS_MUNDO)
        assert (fila[6] == "✓") == cumple
        assert float(fila[7]) == pytest.approx(max(medias.values()), abs=0.05)
        minimo = mundos.minimo(mundo, estandar=20, desde=hoy, corridas=CORRIDAS_MUNDO)
        if minimo is None:
            assert fila[8] == "ningún préstamo alcanza" and fila[10] == "—"
        else:
            assert _prestamos(fila[8]) == minimo
            assert float(fila[9]) == mundo.dias_revisor(minimo)
            assert int(fila[10]) == mundo.dias_revisor(recomendados) - mundo.dias_revisor(minimo)
        regla = mundo.regla_empirica(desde=hoy)
        assert int(fila[11]) == mundo.dias_revisor(regla)
        assert (fila[12] == "✓") == mundo.cumple(
            regla, estandar=20, desde=hoy, corridas=CORRIDAS_MUNDO
        )[0]
        assert int(fila[14]) > 0 and int(fila[13]) <= int(fila[14])
    # The targets, and an exit status that agrees with them.
    for meta in (
        "Cobertura",
        "Sobrecosto medio",
        "Sobrecosto, percentil 90",
        "intervalo de 80 %",
        "Error medio con signo",
        "Regla de costumbre",
    ):
        assert meta in salida
    if "Todas las metas." in salida:
        assert codigo == 0
    else:
        assert "Fuera de meta: " in salida and codigo == 1


def _momento(dia, hora):
    return datetime.datetime.combine(dia, datetime.time(hora))


def test_el_registro_de_un_mundo_se_lee_como_el_del_sistema():
    """A hand-made record: the reference year's arrivals by day, its tasks (and the same
    people's tasks of the next year closed before April), its corrections, its routes."""
    d1, d2, d3 = datetime.date(2029, 3, 5), datetime.date(2029, 11, 20), datetime.date(2030, 1, 8)
    t = mundos.TareaRegistrada
    registro = [
        mundos.SolicitudRegistrada(
            1,
            2029,
            _momento(d1, 10),
            ("computo", "redes"),
            False,
            False,
            _momento(d1, 16),
            0,
            (
                t("admision", "mesa-1", _momento(d1, 10), _momento(d1, 11)),
                t("revision_tecnica:computo", "computo-1", _momento(d1, 11), _momento(d1, 13)),
                t("revision_tecnica:redes", "redes-1", _momento(d1, 11), _momento(d1, 14)),
                t("revision_estrategica", "est-1", _momento(d1, 14), _momento(d1, 15)),
                t("firma", "firma-1", _momento(d1, 15), _momento(d1, 16)),
            ),
        ),
        mundos.SolicitudRegistrada(
            2,
            2029,
            _momento(d2, 9),
            ("computo",),
            True,
            True,
            _momento(d2, 16),
            3,
            (
                t("admision", "mesa-1", _momento(d2, 9), _momento(d2, 10)),
                t("subsanar", "requirente", _momento(d2, 10), _momento(d2, 15)),
            ),
        ),
        mundos.SolicitudRegistrada(
            3,
            2030,
            _momento(d3, 9),
            ("computo",),
            False,
            False,
            None,
            None,
            (
                t("admision", "mesa-1", _momento(d3, 9), _momento(d3, 10)),
                t("revision_tecnica:computo", "computo-1", _momento(d3, 10), _momento(d3, 12)),
            ),
        ),
    ]
    h = panel_capacidad.historial_de(registro, 2029)
    assert h.llegadas == Counter({d1: 1, d2: 1})
    assert (h.presentadas, h.prevenidas, h.desechadas_prevenidas, h.atendidas) == (2, 1, 1, 2)
    assert h.rutas == Counter({("revision_tecnica:computo", "revision_tecnica:redes"): 1})
    assert h.areas_por_solicitud == Counter({2: 1})
    zona = timezone.get_current_timezone()
    assert h.correcciones == [
        (timezone.make_aware(_momento(d2, 10), zona), timezone.make_aware(_momento(d2, 15), zona))
    ]
    propias = [(p, persona) for p, persona, _c, _t, propia in h.tareas if propia]
    vecinas = [(p, persona) for p, persona, _c, _t, propia in h.tareas if not propia]
    assert len(propias) == 6 and ("subsanar", "requirente") not in propias
    assert vecinas == [("admision", "mesa-1"), ("revision_tecnica:computo", "computo-1")]
    # What the engine learns from it: the computo review took two working hours.
    ajuste = motor.ajustar(anio=2029, historial=h)
    assert ajuste.pasos["revision_tecnica:computo"].servicios == [pytest.approx(2 / 9)]


def test_la_capacidad_registrada_cuenta_las_ausencias_en_su_semana():
    cal = panel_capacidad.calendario()
    plantilla = mundos.Plantilla(
        personas={"revision_tecnica:computo": ("c-1",), "revision_tecnica:redes": ("r-1",)},
        ausencias=(
            (
                "revision_tecnica:computo",
                "c-1",
                datetime.date(2030, 12, 16),
                datetime.date(2030, 12, 20),
            ),
        ),
    )
    cap = panel_capacidad.capacidad_de(plantilla, datetime.date(2030, 11, 1), cal)
    computo = next(a for a in cap.areas if a.clave == "computo")
    redes = next(a for a in cap.areas if a.clave == "redes")
    assert cap.dias[(computo.pk, datetime.date(2030, 12, 16))] == 0
    assert cap.dias[(computo.pk, datetime.date(2030, 12, 9))] == 5
    assert cap.dias[(redes.pk, datetime.date(2030, 12, 16))] == 5
