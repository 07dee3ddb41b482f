"""Cron runs the same jobs on every app server at the same minute: one run of each job at a
time (dictamenes/operacion/exclusion.py), and the reminders lock the rows they mark.

"Another server" here is another thread, with a database connection of its own.
"""

import contextlib
import datetime
import io
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command, get_commands
from django.db import connection

from dictamenes.models import Aviso, LineaPrograma
from dictamenes.operacion import exclusion
from dictamenes.planeacion.services import programa as planeacion
from tests.backends.paralelo import en_paralelo
from tests.backends.plugin import require_postgres
from tests.dictamenes.planeacion.test_planeacion import ANIO, BUENO, importar

COMANDOS_DE_CRON = [
    "avisar_vencimientos",
    "capacidad_avisar",
    "enviar_avisos",
    "publicar_encuestas",
    "recordar_programa",
    "recordar_vigencias",
    "workflow_timers",
]
# The day the programme BUENO's March line is due for its reminder.
DIA_DE_RECORDAR = datetime.datetime(ANIO, 2, 20, 12, tzinfo=datetime.UTC)


def _en_otra_conexion(funcion):
    """funcion() in a thread of its own, as another server would run it; returns its value."""
    resultado = {}

    def correr():
        try:
            resultado["valor"] = funcion()
        finally:
            connection.close()

    hilo = threading.Thread(target=correr, daemon=True)
    hilo.start()
    hilo.join(30)
    return resultado["valor"]


@contextlib.contextmanager
def otra_corrida(nombre: str):
    """Another run of the job `nombre` holds its lock until the block ends."""
    tomada, soltar, resultado = threading.Event(), threading.Event(), {}

    def correr():
        try:
            with exclusion.corrida_exclusiva(nombre=nombre) as propia:
                resultado["propia"] = propia
                tomada.set()
                soltar.wait(30)
        finally:
            tomada.set()
            connection.close()

    hilo = threading.Thread(target=correr, daemon=True)
    hilo.start()
    assert tomada.wait(30)
    assert resultado.get("propia") is True, "la otra corrida no obtuvo el candado"
    try:
        yield
    finally:
        soltar.set()
        hilo.join(30)


def _intentar(nombre: str) -> bool:
    def intento():
        with exclusion.corrida_exclusiva(nombre=nombre) as propia:
            return propia

    return _en_otra_conexion(intento)


def _correr(comando: str) -> str:
    salida = io.StringIO()
    call_command(comando, stdout=salida)
    return salida.getvalue().strip()


@pytest.mark.django_db
def test_una_corrida_a_la_vez_y_el_candado_se_suelta_al_terminar_o_fallar():
    with exclusion.corrida_exclusiva(nombre="recordar_programa") as propia:
        assert propia is True
        assert _intentar("recordar_programa") is False
        # Each job has its own lock.
        assert _intentar("enviar_avisos") is True
    assert _intentar("recordar_programa") is True

    with pytest.raises(ZeroDivisionError), exclusion.corrida_exclusiva(nombre="enviar_avisos"):
        1 / 0  # noqa: B018
    assert _intentar("enviar_avisos") is True


def test_workflow_timers_es_el_de_flujos_con_su_candado():
    # Django runs the command of the first installed app that has one.
    assert get_commands()["workflow_timers"] == "flujos", (
        "manage.py workflow_timers corre el de viewflow, sin candado: «flujos» debe ir antes "
        "de «viewflow» en INSTALLED_APPS"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("comando", COMANDOS_DE_CRON)
def test_la_segunda_corrida_simultanea_no_hace_nada_y_lo_dice(comando):
    with otra_corrida(comando):
        salida = _correr(comando)
    assert salida == str(exclusion.OTRA_CORRIDA_EN_CURSO % {"nombre": comando})
    # Once the other run ends, the next one does the job.
    assert salida != _correr(comando)


def test_mientras_otro_servidor_recuerda_esta_corrida_no_envia_nada(
    demo, django_capture_on_commit_callbacks
):
    importar(BUENO)
    with time_machine.travel(DIA_DE_RECORDAR), django_capture_on_commit_callbacks(execute=True):
        with otra_corrida("recordar_programa"):
            assert _correr("recordar_programa").startswith("Otra corrida de recordar_programa")
        assert mail.outbox == []
        assert LineaPrograma.objects.filter(recordada_en__isnull=False).count() == 0

        assert _correr("recordar_programa") == "1 recordatorio(s) enviados."
    assert [m.subject for m in mail.outbox] == [
        "[Dictámenes TIC] Recordatorio: solicitud planeada para el mes 3"
    ]


@pytest.mark.django_db(transaction=True)
def test_dos_corridas_de_recordatorios_a_la_vez_recuerdan_cada_linea_una_vez(demo):
    """The service itself, called twice at once without the command's lock: each line is
    marked under its row lock, so each agency gets one reminder per line."""
    require_postgres()
    importar(BUENO.replace(",3\n", ",3\n" + "switch,,Switches de piso,8,90000,5000,51501,3\n"))
    with time_machine.travel(DIA_DE_RECORDAR):
        lineas = planeacion.lineas_por_recordar().count()
        resultados, errores = en_paralelo(lambda _: planeacion.recordatorios_enviar(), [1, 2])
    assert errores == []
    assert lineas == 2
    assert sorted(resultados) in ([0, 2], [1, 1])
    assert Aviso.objects.filter(asunto__startswith="Recordatorio").count() == 2
    assert LineaPrograma.objects.filter(recordada_en__isnull=False).count() == 2
