"""The weekly warning of the capacity plan (issue 50, 5): when one of the coming four weeks is
red, the strategic reviewer and the administrators get one e-mail that week, with each red
week's dates, its expected p90 against the service standard, the reinforcement per area and the
link to «Capacidad para el cierre»; nothing red, nothing sent.

The red state is built as the office would live it, and is the one the plan's other tests
share (conftest.py, cierre.py): the record of earlier years is the history the forecast and the
simulation learn from, and the cómputo and software reviewers are away all December. The weekly
run is made on Wednesday 25 November at noon, the hour of the module's kept plan: the run reads
it, as a run reads the plan the hourly timer kept. (It ran on Monday 2 November at 7:15 with
three reviewers away from 26 October: a plan of its own, its simulation and its search of the
recommendation computed for this module alone.)"""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from dictamenes.avisos.services import url_absoluta
from dictamenes.capacidad.services import aviso as capacidad_aviso
from dictamenes.capacidad.services.plan import plan_de_capacidad
from dictamenes.models import Aviso, CorridaPeriodica, EventoAuditoria
from dictamenes.operacion.periodicas import POR_NOMBRE
from dictamenes.operacion.services import vias
from dictamenes.tramite.selectors.vias import vias_vigentes
from tests.dictamenes.capacidad.conftest import HOY, al_mediodia
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db

AVISADOS = ("estrategico", "admin", "admin2")
DIAS_REVISOR = re.compile(r"([^;:.]+?), (\d+(?:\.\d)?) días-revisor")
SEMANA = "2026-W48"  # HOY's ISO week


def correr(dia: datetime.date, capturar) -> tuple[str, list]:
    """The weekly run on `dia` at noon: its output line and the e-mails sent (after the
    commit, as the outbox sends them)."""
    salida = io.StringIO()
    with al_mediodia(dia), capturar(execute=True):
        call_command("capacidad_avisar", stdout=salida)
    return salida.getvalue(), list(Aviso.objects.order_by("pk"))


def correos(*nombres) -> list[str]:
    return sorted(usuario(n).email for n in nombres)


def test_una_semana_en_rojo_llega_una_vez_a_la_revision_estrategica_y_la_administracion(
    con_historia_y_plan, mailoutbox, django_capture_on_commit_callbacks
):
    with al_mediodia(HOY):
        plan = plan_de_capacidad()
    rojas = plan.rojas_proximas(4)
    assert rojas, "el estado de la prueba debe tener una semana en rojo"

    salida, avisos = correr(HOY, django_capture_on_commit_callbacks)
    assert f"Semana {SEMANA}:" in salida and "Se avisó por correo" in salida
    (correo,) = mailoutbox
    # One e-mail, to the strategic reviewer and the two administrators: not to the other roles.
    assert sorted(correo.to) == correos(*AVISADOS)
    otros = get_user_model().objects.exclude(username__in=AVISADOS).values_list("email", flat=True)
    assert not set(correo.to) & set(otros)
    assert correo.subject == (
        f"[Dictámenes TIC] Capacidad para el cierre: {len(rojas)} de las próximas 4 semanas "
        f"superan el estándar de servicio (p90 de hasta {max(s.p90 for s in rojas)} días "
        f"hábiles; estándar: {plan.estandar})"
    )
    texto = " ".join(correo.body.split())
    # Each red week: its dates, its expected p90 against the standard, and the reinforcement
    # per area the plan recommends (one decimal).
    for semana in rojas:
        domingo = semana.lunes + datetime.timedelta(days=6)
        inicio = texto.index(f"Semana del {semana.lunes:%d/%m/%Y} al {domingo:%d/%m/%Y}")
        fila = texto[inicio : texto.index("Refuerzo recomendado: ", inicio)]
        fila += texto[texto.index("Refuerzo recomendado: ", inicio) :].split(").", 1)[0]
        assert f"p90 esperado: {semana.p90} días hábiles (estándar: {plan.estandar})" in fila
        leidos = {area.strip(): float(dias) for area, dias in DIAS_REVISOR.findall(fila)}
        esperados = {
            a.area.nombre: s.refuerzo_dias
            for a in plan.areas
            for s in a.semanas
            if s.lunes == semana.lunes and s.refuerzo_dias > 0
        }
        assert leidos.keys() == esperados.keys()
        if not esperados:
            assert "ninguno en esa semana" in fila
        for area, dias in esperados.items():
            assert abs(leidos[area] - dias) <= 0.05, (area, leidos[area], dias)
    # The recommendation as actions, as the page writes it: each loan with its dates.
    assert plan.acciones
    for accion in plan.acciones:
        assert f"a {accion.area.nombre} del {accion.desde.day} de " in texto
    # How likely it holds, its margin and the rule of thumb, as the page says them (issue 81).
    n, k = int(10 * plan.probabilidad + 1e-9), int(10 * plan.regla_probabilidad + 1e-9)
    if not plan.recomienda_regla:
        assert (
            f"cada semana queda en el estándar en al menos {n} de cada 10 escenarios; incluye "
            f"un margen de {capacidad_aviso._dias(plan.margen)} días-revisor"
        ) in texto
    areas = " y ".join(dict.fromkeys(a.area.nombre for a in plan.regla))
    assert (
        f"un revisor más en {areas} todo diciembre: {capacidad_aviso._dias(plan.regla_dias)} "
        f"días-revisor; cumple en {k} de cada 10 escenarios."
    ) in texto
    assert ("Se recomienda la regla" in texto) == plan.recomienda_regla
    assert "8 de cada 10 escenarios de la simulación" in texto
    # Weeks beyond the coming four are not in it.
    quinta = HOY - datetime.timedelta(days=HOY.weekday()) + datetime.timedelta(weeks=4)
    assert f"Semana del {quinta:%d/%m/%Y}" not in texto
    # The link to the page, absolute, in the text and as the HTML button.
    enlace = url_absoluta(reverse("capacidad:cierre"))
    assert enlace.endswith("/capacidad/")
    assert enlace in correo.body
    assert f'href="{enlace}"' in correo.alternatives[0].content
    assert "Ver la capacidad para el cierre" in correo.alternatives[0].content
    (evento,) = EventoAuditoria.objects.filter(tipo=capacidad_aviso.TIPO_EVENTO)
    assert evento.datos["semana"] == SEMANA
    assert [r["lunes"] for r in evento.datos["rojas"]] == [s.lunes.isoformat() for s in rojas]

    # The same week again (a second run Wednesday, another on Saturday): no second e-mail.
    for dia in (HOY, HOY + datetime.timedelta(days=3)):
        salida, avisos = correr(dia, django_capture_on_commit_callbacks)
        assert salida.strip() == (
            f"Semana {SEMANA}: ya se avisó esta semana; no se vuelve a avisar."
        )
        assert len(avisos) == 1 and len(mailoutbox) == 1

    # The next week, still red: its own e-mail.
    salida, avisos = correr(HOY + datetime.timedelta(weeks=1), django_capture_on_commit_callbacks)
    assert "Semana 2026-W49:" in salida and "Se avisó por correo" in salida
    assert len(avisos) == 2 and len(mailoutbox) == 2
    assert sorted(mailoutbox[1].to) == correos(*AVISADOS)


def test_sin_semanas_en_rojo_no_hay_correo(
    con_historia_y_plan, mailoutbox, django_capture_on_commit_callbacks
):
    """The administrators raise the full track's standard to the worst expected p90 of the
    coming weeks: a week exactly at the standard meets it, and nothing is sent."""
    with al_mediodia(HOY):
        plan = plan_de_capacidad()
    peor = max(s.p90 for s in plan.rojas_proximas(4))
    vigentes = vias_vigentes()
    datos = {campo: getattr(vigentes, campo) for campo in vias.CAMPOS}
    vias.vias_guardar(
        datos={**datos, "meta_dias_completa": peor},
        por=usuario("admin"),
        motivo="Cierre del ejercicio fiscal",
    )

    salida, avisos = correr(HOY, django_capture_on_commit_callbacks)
    assert salida.strip() == (
        f"Semana {SEMANA}: ninguna de las próximas 4 semanas supera el estándar de servicio "
        f"({peor} días hábiles); no se avisa."
    )
    assert avisos == [] and mailoutbox == []
    assert not EventoAuditoria.objects.filter(tipo=capacidad_aviso.TIPO_EVENTO).exists()


def test_sin_un_ejercicio_registrado_no_hay_plan_ni_correo_y_la_corrida_termina_bien(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    """A new installation, before its first year is recorded: the run says why there is no
    plan, sends nothing, and is not a failure for the operator's page."""
    salida, avisos = correr(HOY, django_capture_on_commit_callbacks)
    assert salida.strip() == (
        f"Semana {SEMANA}: no hay plan de capacidad. No hay un ejercicio anterior a 2026 con "
        "solicitudes atendidas: el plan no tiene de qué aprender los tiempos."
    )
    assert avisos == [] and mailoutbox == []
    corrida = CorridaPeriodica.objects.get(nombre="capacidad_avisar")
    assert corrida.resultado == CorridaPeriodica.Resultado.OK
    assert corrida.mensaje == salida.strip()


def test_es_un_comando_semanal_que_la_pagina_de_operacion_lista(demo, como):
    periodica = POR_NOMBRE["capacidad_avisar"]
    assert periodica.periodo == datetime.timedelta(days=7)
    assert periodica.calendario == "Mon 07:15"
    respuesta = como("admin").get(reverse("cuentas:sistema"))
    assert respuesta.status_code == 200
    assert "capacidad_avisar" in respuesta.content.decode()
