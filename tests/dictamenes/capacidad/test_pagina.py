"""«Capacidad para el cierre» (issue 50, items 2 and 3; issue 81, item 6): the page with its
chart, its red weeks, each week's 80 % interval and the recommended reinforcement with its
margin, its likelihood and the rule of thumb beside it; the what-if, which saves nothing; who
may read it; its CSV. Every test sees the demo with ten years of history on 25 November 2026,
with the cómputo and software reviewers away all December (the rush: tests/…/cierre.py)."""

import csv
import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from demo import historico_anual
from dictamenes.capacidad import filtros
from dictamenes.capacidad.services import nucleo
from dictamenes.capacidad.services.plan import plan_de_capacidad
from dictamenes.capacidad.views import COLUMNAS, ERROR_ACCESO
from dictamenes.models import PlanGuardado
from estandares import entradas
from tests.dictamenes.capacidad.cierre import sin_el_cierre
from tests.dictamenes.capacidad.conftest import HOY, al_mediodia
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db
URL = "/capacidad/"
# The plan reads a fixed number of queries whatever the history (its service's selectors); the
# page adds the session, the user and the tracks; the what-if runs the plan twice.
PLAN_CONSULTAS = 45


# The history, the rush and the plan of HOY (noon), kept: built once for the module, and once
# for the process (conftest.py: test_plan_guardado.py shares it), and each test rolls back to
# it (tests/por_modulo.py). Each test still asks for the plan and the page as before, and both
# read the kept plan; what a test writes (a plan of another day, an absence) is undone before
# the next.
_a = al_mediodia


def _pagina(client, quien="estrategico", **consulta):
    client.force_login(usuario(quien))
    respuesta = client.get(URL, consulta)
    return respuesta, respuesta.content.decode()


def _celdas(html: str, titulo: str) -> list[list[str]]:
    """The rows of the table named `titulo` (its region), each as its cells' text."""
    tabla = re.search(rf'aria-label="Tabla: {re.escape(titulo)}"(.*?)</table>', html, re.S)
    filas = re.findall(r"<tr[^>]*>(.*?)</tr>", tabla.group(1), re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", f, re.S)
        ]
        for f in filas[1:]
    ]


def _error(html: str, campo: str) -> str:
    return re.search(rf'id="id_{campo}_error">([^<]*)<', html).group(1)


def _cuentas() -> dict:
    """Rows of every table of the project: what a GET must leave as it was."""
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.managed}


def test_la_demo_muestra_semanas_en_rojo_con_su_refuerzo_y_consultas_acotadas(
    con_historia_y_plan, client, django_assert_max_num_queries
):
    with _a(HOY):
        plan = plan_de_capacidad()
        client.force_login(usuario("estrategico"))
        with django_assert_max_num_queries(PLAN_CONSULTAS):
            respuesta = client.get(URL)
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    rojas = [s for s in plan.total if s.rojo]
    assert rojas
    # The table of the whole office says which weeks are red, in words (not colour alone).
    oficina = _celdas(html, "Toda la oficina, por semana")
    assert [f[0] for f in oficina] == [f"{s.lunes.day} {_mes(s.lunes)}" for s in plan.total]
    en_rojo = [f[0] for f in oficina if "✕ en rojo" in f[1]]
    assert en_rojo == [f"{s.lunes.day} {_mes(s.lunes)}" for s in rojas]
    primera = [s.lunes for s in plan.total].index(rojas[0].lunes)
    assert oficina[primera][1] == f"{rojas[0].p90} ✕ en rojo"
    # The chart hatches exactly the red weeks, and its text alternative names them.
    grafica = re.search(r'<svg[^>]*aria-labelledby="g-plan-titulo".*?</svg>', html, re.S).group(0)
    assert grafica.count('fill="url(#g-plan-rayas)"') == len(rojas)
    titulo = re.search(r"<title[^>]*>(.*?)</title>", grafica).group(1)
    assert f"{len(rojas)} semanas en rojo" in titulo and f"{plan.estandar} días" in titulo
    # The recommended reinforcement of each area, in reviewer-days and weeks.
    refuerzo = {f[0]: f for f in _celdas(html, "Refuerzo recomendado por área")}
    for a in plan.areas:
        fila = refuerzo[a.area.nombre]
        assert fila[2] == f"{a.refuerzo_dias:.1f}"
        primera = next((s for s in a.semanas if s.refuerzo_dias), None)
        if primera is None:
            assert fila[3] == "—"
        else:
            assert fila[3].startswith(f"{primera.lunes.day} {_mes(primera.lunes)}: ")
    # The recommendation as actions: who is lent to which area, from when to when.
    assert plan.acciones
    for accion in plan.acciones:
        assert (
            f"a {accion.area.nombre} del {accion.desde.day} de {_MESES[accion.desde.month - 1]} "
            f"al {accion.hasta.day} de {_MESES[accion.hasta.month - 1]}"
        ) in html
    assert sum(a.dias_revisor for a in plan.acciones) == plan.refuerzo_dias
    assert f"{plan.refuerzo_dias:.1f} días-revisor" in html
    # The assumptions and each reviewer's measured rate with its spread.
    for frase in plan.supuestos:
        assert frase in html
    tasas = _celdas(html, "Revisiones por día de cada persona")
    assert len(tasas) == len(plan.tasas) and tasas[0][3] == (
        f"{plan.tasas[0].p10:.2f} – {plan.tasas[0].p90:.2f}"
    )
    # Areas by their names, not their keys.
    nombres = {a.area.clave: a.area.nombre for a in plan.areas}
    assert tasas[0][1] == ", ".join(nombres[c] for c in plan.tasas[0].areas)


_MESES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


def _mes(fecha: datetime.date) -> str:
    return ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"][
        fecha.month - 1
    ]


def test_la_prueba_de_un_refuerzo_grande_baja_el_p90_y_quita_semanas_rojas_sin_guardar(
    con_historia_y_plan, client, django_assert_max_num_queries
):
    """A large reinforcement of the area with the most red weeks, every week to the close:
    that area's weeks leave the red, the others' capacity stays as it was, nothing is saved."""
    with _a(HOY):
        plan = plan_de_capacidad()
        mas_roja = max(plan.areas, key=lambda a: sum(s.rojo for s in a.semanas))
        client.force_login(usuario("estrategico"))
        antes = _cuentas()
        with django_assert_max_num_queries(2 * PLAN_CONSULTAS - 5):
            respuesta = client.get(
                URL,
                {
                    "area": mas_roja.area.pk,
                    "semana": plan.total[0].lunes.isoformat(),
                    "dias": "50",
                    "semanas": str(len(plan.total)),
                },
            )
        assert _cuentas() == antes  # nothing saved: no reinforcement, no audit event
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    resultado = dict(
        re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", html.split('id="t-resultado"')[1])
    )
    rojas = len([s for s in plan.total if s.rojo])
    assert int(resultado["Semanas en rojo, plan"]) == rojas
    assert int(resultado["Semanas en rojo, con la prueba"]) <= rojas
    assert re.fullmatch(r"[0-9]+\.[0-9]{3} s", resultado["Tiempo de la simulación"])
    for a in plan.areas:
        filas = _celdas(html, f"{a.area.nombre}, por semana")
        if a is mas_roja:
            # Each of its red weeks is shorter with the trial (its requests may still wait on
            # another area or on the strategic review), and its capacity grew.
            rojas_area = [(f, s) for f, s in zip(filas, a.semanas, strict=True) if s.rojo]
            assert rojas_area
            assert all(int(f[2].split()[0]) < s.p90 for f, s in rojas_area)
            assert all(float(f[5]) > float(f[4]) for f in filas)
        else:
            assert [f[5] for f in filas] == [f[4] for f in filas]  # capacity unchanged


def test_el_refuerzo_recomendado_probado_no_deja_semanas_en_rojo(con_historia_y_plan, client):
    with _a(HOY):
        respuesta, html = _pagina(client, "admin", recomendado="on")
    assert respuesta.status_code == 200
    assert "Con la prueba, ninguna semana queda en rojo." in html


def test_una_prueba_mal_escrita_dice_por_que_junto_al_campo_y_muestra_el_plan(
    con_historia_y_plan, client
):
    with _a(HOY):
        plan = plan_de_capacidad()
        respuesta, html = _pagina(
            client, dias="mucho", semanas="3", umbral="-5", corte="2026-11-30"
        )
        assert respuesta.status_code == 400
        assert _error(html, "dias") == filtros.ERROR_DIAS
        assert _error(html, "area") == filtros.ERROR_FALTA_AREA
        assert _error(html, "semana") == filtros.ERROR_FALTA_SEMANA
        assert _error(html, "umbral") == entradas.ERROR_MONTO
        # On 25 November the cut-off (15 November) has passed: no earlier one to try.
        assert _error(html, "corte") == filtros.ERROR_CORTE_VIGENTE % {
            "corte": "15 de noviembre de 2026"
        }
        assert "Resultado de la prueba" not in html
        assert len(_celdas(html, "Toda la oficina, por semana")) == len(plan.total)
        ultima = plan.total[-1].lunes.isoformat()
        respuesta, html = _pagina(
            client,
            area=plan.areas[0].area.pk,
            semana=ultima,
            dias="0",
            semanas="2",
            umbral="５００",
        )
        assert _error(html, "dias") == filtros.ERROR_DIAS_RANGO % {"maximo": 250}
        assert _error(html, "semanas") == filtros.ERROR_SEMANAS % {"n": 1}
        assert _error(html, "umbral") == entradas.ERROR_MONTO
    # On 1 October the page computes that day's plan before it checks the trial. The cut-off's
    # rules and the trial's result do not depend on the rush: without the module's December
    # absences the plan has no red week to search a reinforcement for (its search and margin
    # were most of this test's time, on a plan no other test reads).
    sin_el_cierre()
    with _a(datetime.date(2026, 10, 1)):
        respuesta, html = _pagina(client, corte="2026-09-30", umbral="1000000")
        assert _error(html, "corte") == filtros.ERROR_CORTE_PASADO % {"hoy": "1 de octubre de 2026"}
        assert "id_umbral_error" not in html
        respuesta, html = _pagina(client, corte="2026-10-30")
    assert respuesta.status_code == 200
    assert "Resultado de la prueba" in html
    assert "Con el corte al 30/10/2026" in html


@pytest.mark.parametrize(
    ("quien", "estado"),
    [
        (None, 302),
        ("requirente.sh", 403),
        ("mesa", 403),
        ("revisor.redes", 403),
        ("firmante", 403),
        ("auditor", 403),
        ("estrategico", 200),
        ("admin", 200),
    ],
)
def test_solo_la_revision_estrategica_y_la_administracion_la_leen(demo, client, quien, estado):
    if quien:
        client.force_login(usuario(quien))
    pagina = client.get(URL)
    csv_ = client.get(reverse("capacidad:cierre_csv"))
    assert (pagina.status_code, csv_.status_code) == (estado, estado)
    if estado == 403:
        assert str(ERROR_ACCESO) in pagina.content.decode()
    if estado == 200:
        # Their home page links to it.
        assert f'href="{URL}"' in client.get("/").content.decode()


def test_sin_un_anio_registrado_la_pagina_lo_dice(demo, client):
    with _a(HOY):
        respuesta, html = _pagina(client)
        assert respuesta.status_code == 200
        assert "No hay un ejercicio anterior a 2026 con solicitudes atendidas" in html
        # A malformed trial is still refused with its reason; the CSV has only its columns.
        respuesta, html = _pagina(client, semanas="1e3")
        assert respuesta.status_code == 400 and str(entradas.ERROR_ENTERO) in html
        filas = client.get(reverse("capacidad:cierre_csv")).content.decode("utf-8-sig")
    assert filas.splitlines() == [",".join(str(c) for c in COLUMNAS)]


def test_el_csv_da_una_fila_por_area_y_semana(con_historia_y_plan, client):
    client.force_login(usuario("admin"))
    with _a(HOY):
        plan = plan_de_capacidad()
        respuesta = client.get(reverse("capacidad:cierre_csv"))
    assert respuesta["Content-Type"] == "text/csv; charset=utf-8"
    assert respuesta["Content-Disposition"] == (
        'attachment; filename="capacidad-cierre-2026-al-2026-11-25.csv"'
    )
    filas = list(csv.reader(io.StringIO(respuesta.content.decode("utf-8-sig"))))
    assert filas[0] == [
        "Área",
        "Semana (lunes)",
        "Carga pronosticada (solicitudes)",
        "Capacidad (revisiones)",
        "Cola esperada al cierre de la semana",
        "p90 esperado (días hábiles)",
        "p90 bajo del intervalo de 80 % (días hábiles)",
        "p90 alto del intervalo de 80 % (días hábiles)",
        "Estándar (días hábiles)",
        "En rojo",
        "Refuerzo recomendado (días-revisor)",
    ]
    semanas = len(plan.total)
    assert len(filas) == 1 + (len(plan.areas) + 1) * semanas
    a, s = plan.areas[0], plan.areas[0].semanas[0]
    assert filas[1] == [
        a.area.nombre,
        s.lunes.isoformat(),
        str(round(s.carga, 1)),
        str(round(s.capacidad, 1)),
        str(round(s.cola, 1)),
        str(s.p90),
        str(round(s.p90_bajo, 1)),
        str(round(s.p90_alto, 1)),
        str(plan.estandar),
        "sí" if s.rojo else "no",
        str(round(s.refuerzo_dias, 1)),
    ]
    oficina = [f for f in filas if f[0] == "Toda la oficina"]
    assert [f[9] for f in oficina] == ["sí" if t.rojo else "no" for t in plan.total]
    assert "sí" in [f[9] for f in oficina]
    # Each week's interval, of the office too, as the plan has it: low ≤ high.
    assert [(float(f[6]), float(f[7])) for f in oficina] == [
        (round(t.p90_bajo, 1), round(t.p90_alto, 1)) for t in plan.total
    ]
    assert all(float(f[6]) <= float(f[7]) for f in filas[1:])


def test_con_solo_historia_importada_la_pagina_dice_que_no_dimensiona(demo, client):
    """2023 and 2024 imported, without workflow steps: the page says why it cannot size the
    year and shows what it can (the forecast arrivals), with no p90, queue or reinforcement;
    the CSV leaves those columns empty."""
    historico_anual.cargar()
    with _a(HOY):
        plan = plan_de_capacidad()
        respuesta, html = _pagina(client, "admin")
        filas = list(
            csv.reader(
                io.StringIO(client.get(reverse("capacidad:cierre_csv")).content.decode("utf-8-sig"))
            )
        )
    assert respuesta.status_code == 200 and not plan.dimensionable
    assert "es histórico importado" in html and "no quién hizo cada paso" in html
    llegadas = _celdas(html, "Llegadas pronosticadas por semana")
    assert len(llegadas) == len(plan.total)
    assert all(
        abs(float(f[1]) - s.carga) <= 0.0500001 for f, s in zip(llegadas, plan.total, strict=True)
    )
    assert "Refuerzo recomendado" not in html and "✕ en rojo" not in html
    assert "Probar antes de pedir" not in html
    oficina = [f for f in filas if f[0] == "Toda la oficina"]
    assert oficina and all(f[3] == f[4] == f[5] == f[6] == f[7] == "" for f in oficina), oficina[:2]


def _entero(valor: float) -> str:
    """A figure as the page rounds it (floatformat: half away from zero)."""
    return str(Decimal(str(valor)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _dias(valor: float) -> str:
    """Reviewer-days as the page writes them: no decimal when whole."""
    return _entero(valor) if valor == int(valor) else f"{valor:.1f}"


def _texto(html: str) -> str:
    """The page's words as read: tags out, white space as one."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _n(probabilidad: float) -> int:
    """«n de cada 10»: the share of scenarios, in tenths rounded down."""
    return int(Decimal(str(probabilidad)) * 10)


def test_cada_semana_muestra_el_intervalo_de_80_por_ciento_del_plan(con_historia_y_plan, client):
    """Issue 81, item 6: beside each week's p90, of the office and of each area, the plan's
    80 % interval (its scenarios' 10th to 90th percentile), in words a screen reader says;
    the glossary says what an interval and a scenario are."""
    with _a(HOY):
        plan = plan_de_capacidad()
        respuesta, html = _pagina(client)
    assert respuesta.status_code == 200
    assert any(s.p90_alto > s.p90_bajo for s in plan.total)  # an interval, not a point
    oficina = _celdas(html, "Toda la oficina, por semana")
    assert '<th scope="col" class="num">Intervalo de 80 %</th>' in html
    assert [f[2] for f in oficina] == [
        f"{_entero(s.p90_bajo)} a {_entero(s.p90_alto)}" for s in plan.total
    ]
    for a in plan.areas:
        filas = _celdas(html, f"{a.area.nombre}, por semana")
        assert [f[2] for f in filas] == [
            f"{_entero(s.p90_bajo)} a {_entero(s.p90_alto)}" for s in a.semanas
        ], a.area.nombre
    glosario = dict(re.findall(r"<dt>([^<]*)</dt><dd>(.*?)</dd>", html, re.S))
    assert "8 de cada 10 escenarios" in glosario["Intervalo de 80 %"]
    assert f"El plan corre {plan.corridas} escenarios." in _texto(glosario["Escenario"])


def test_el_refuerzo_dice_con_que_probabilidad_cumple_su_margen_y_la_regla_de_costumbre(
    con_historia_y_plan, client
):
    """The recommendation with its likelihood (n of 10 scenarios, the plan's least share of a
    week within the standard, rounded down), its margin over what meets the standard in the
    mean scenario, the slowest week with it and its interval; the rule of thumb beside it,
    with its reviewer-days and likelihood. Here the plan's own search is cheaper: the rule is
    not recommended."""
    with _a(HOY):
        plan = plan_de_capacidad()
        respuesta, html = _pagina(client)
    assert respuesta.status_code == 200
    assert plan.acciones and not plan.recomienda_regla
    assert plan.probabilidad >= nucleo.CUANTIL and plan.margen > 0
    seccion = _texto(html.split('id="t-refuerzo"')[1].split("</section>")[0])
    assert (
        f"Con este refuerzo, cada semana queda en el estándar en al menos "
        f"{_n(plan.probabilidad)} de cada 10 escenarios."
    ) in seccion
    assert (
        f"Incluye un margen de {_dias(plan.margen)} días-revisor sobre lo que basta en el "
        "escenario medio."
    ) in seccion
    peor = max(plan.con_refuerzo, key=lambda s: s.p90)
    assert (
        f"La semana más lenta con el refuerzo, la del {peor.lunes.day} de "
        f"{_MESES[peor.lunes.month - 1]}, queda con un p90 de {peor.p90} días hábiles "
        f"(intervalo de 80 %: {_entero(peor.p90_bajo)} a {_entero(peor.p90_alto)}; "
        f"estándar: {plan.estandar})."
    ) in seccion
    areas = " y ".join(dict.fromkeys(a.area.nombre for a in plan.regla))
    assert plan.regla and plan.regla_probabilidad is not None
    assert (
        f"La regla de costumbre —un revisor más en {areas} todo diciembre— cuesta "
        f"{_dias(plan.regla_dias)} días-revisor y cumple en {_n(plan.regla_probabilidad)} de "
        "cada 10 escenarios."
    ) in seccion
    assert "Se recomienda la regla" not in seccion


def test_cuando_la_regla_de_costumbre_basta_y_no_cuesta_mas_la_pagina_la_recomienda(
    con_historia_y_plan, client, monkeypatch
):
    """When the rule of thumb meets the standard as often and costs no more, the plan's loans
    are the rule's, and the page says the rule is recommended and why (set up by marking the
    calculation's result: the page's words, not the rule's test)."""
    calcular = nucleo.calcular

    def con_la_regla(entradas, **kwargs):
        calculo = calcular(entradas, **kwargs)
        if entradas.recomendar:
            calculo.regla_cumple = calculo.recomienda_regla = True
        return calculo

    monkeypatch.setattr(nucleo, "calcular", con_la_regla)
    PlanGuardado.objects.all().delete()  # computed again, through the marked calculation
    with _a(HOY):
        plan = plan_de_capacidad()
        respuesta, html = _pagina(client)
    assert respuesta.status_code == 200 and plan.recomienda_regla
    # The loans are the rule's: one reviewer in its two areas, December's business days.
    assert [(a.area.pk, a.desde, a.hasta) for a in plan.acciones] == [
        (a.area.pk, a.desde, a.hasta) for a in plan.regla
    ]
    seccion = _texto(html.split('id="t-refuerzo"')[1].split("</section>")[0])
    areas = " y ".join(dict.fromkeys(a.area.nombre for a in plan.regla))
    assert "La regla de costumbre, que aquí es la recomendación:" in seccion
    assert (
        f"La regla de costumbre —un revisor más en {areas} todo diciembre— cuesta "
        f"{_dias(plan.regla_dias)} días-revisor y cumple en {_n(plan.regla_probabilidad)} de "
        "cada 10 escenarios."
    ) in seccion
    assert (
        "Se recomienda la regla porque cumple el estándar tan a menudo como pide el plan (cada "
        f"semana, en al menos {_n(nucleo.CUANTIL)} de cada 10 escenarios) y no cuesta más que "
        "el refuerzo que busca el plan por su cuenta."
    ) in seccion
    # The search's likelihood and margin are not the rule's: not said of it.
    assert "Con este refuerzo" not in seccion and "Incluye un margen" not in seccion
    for accion in plan.acciones:
        assert f"a {accion.area.nombre} del {accion.desde.day} de diciembre" in seccion
