"""Actors in threads of their own, each with its own database connection, released together by
a barrier (`en_paralelo`), and the moments one thread waits for in another (`Momento`).

No wait here is endless: a thread that waits for another one's moment gives up after
PLAZO_ESPERA seconds, or at once with the other thread's own error if that one died first;
threads still running after PLAZO_HILOS seconds fail the test and lose their connection.
"""

import contextlib
import threading
import time

import pytest
from django.db import connection

PLAZO_ESPERA = 30  # seconds one thread waits for another's moment
PLAZO_HILOS = 180  # seconds for all the threads of one scenario (fifty signatures take ~30)


class EsperaFallida(AssertionError):
    """A thread waited for another one's moment and it never came."""


class Momento:
    """A point one thread reaches (``llego``) and another waits for (``esperar``).

    The announcing thread runs inside ``anuncia()``: if it fails or ends before reaching the
    point, the waiter stops at once instead of polling forever, and ``en_paralelo`` re-raises
    the announcer's own error. If the point never comes, the waiter fails after PLAZO_ESPERA s.
    """

    def __init__(self, que: str):
        self.que = que
        self.cuando: float | None = None
        self.error: BaseException | None = None
        self._listo = threading.Event()

    def llego(self) -> None:
        self.cuando = time.monotonic()
        self._listo.set()

    @contextlib.contextmanager
    def anuncia(self):
        try:
            yield self
        except BaseException as exc:
            if self.cuando is None:
                self.error = exc
            raise
        finally:
            self._listo.set()  # reached, failed or finished without reaching: stop waiting

    def esperar(self) -> None:
        if not self._listo.wait(PLAZO_ESPERA):
            raise EsperaFallida(
                f"Se esperó {PLAZO_ESPERA} s a que {self.que} y no ocurrió: el otro hilo "
                "sigue sin llegar (¿colgado?)."
            )
        if self.cuando is None:
            como = f"falló ({self.error!r})" if self.error else "terminó"
            raise EsperaFallida(f"El otro hilo {como} antes de que {self.que}.") from self.error


def en_paralelo(funcion, argumentos) -> tuple[list, list]:
    """Run funcion(arg) for every arg in its own thread and connection, all released at once;
    return (results, exceptions) in the order the threads finished.

    Never hangs: a thread left waiting on another that died re-raises that one's error here,
    and threads still running after PLAZO_HILOS s have their connections cut and fail the test.
    """
    salida = threading.Barrier(len(argumentos))
    resultados, errores, conexiones = [], [], {}

    def correr(argumento):
        try:
            connection.ensure_connection()
            conexiones[threading.current_thread().name] = connection.connection.info.backend_pid
            salida.wait(timeout=60)
            resultados.append(funcion(argumento))
        except Exception as exc:  # reported by the caller
            errores.append(exc)
        finally:
            connection.close()

    hilos = [
        threading.Thread(target=correr, args=(a,), name=f"actor-{i}", daemon=True)
        for i, a in enumerate(argumentos)
    ]
    for hilo in hilos:
        hilo.start()
    limite = time.monotonic() + PLAZO_HILOS
    for hilo in hilos:
        hilo.join(timeout=max(0, limite - time.monotonic()))
    colgados = [h.name for h in hilos if h.is_alive()]
    if colgados:
        with connection.cursor() as cursor:
            for nombre in colgados:
                if nombre in conexiones:
                    cursor.execute("SELECT pg_terminate_backend(%s)", [conexiones[nombre]])
        for hilo in hilos:
            hilo.join(timeout=10)
        pytest.fail(
            f"{len(colgados)} de {len(hilos)} hilos seguían corriendo tras {PLAZO_HILOS} s "
            f"({', '.join(colgados)}); se cortaron sus conexiones. Errores: {errores!r}"
        )
    fallidas = [e for e in errores if isinstance(e, EsperaFallida)]
    if fallidas:
        causas = [e for e in errores if not isinstance(e, EsperaFallida)]
        if causas:
            causas[0].add_note(f"(Otro hilo lo esperaba: {fallidas[0]})")
            raise causas[0]
        raise fallidas[0]
    return resultados, errores
