"""What the commands cron runs on every app server share: one run at a time among them all,
and a record of each run (models.CorridaPeriodica) that the operator's page reads."""

import logging
import sys

from django.core.management.base import CommandError, OutputWrapper
from django.db import DatabaseError

from dictamenes.models import CorridaPeriodica
from dictamenes.operacion.exclusion import OTRA_CORRIDA_EN_CURSO, corrida_exclusiva
from dictamenes.operacion.services import corridas

logger = logging.getLogger(__name__)


class RequiereAtencion(CommandError):
    """The run did its job, and what it found needs a person: the run is recorded as good
    (it is not overdue), and the command still ends with a non-zero status (`returncode`)."""

    def __init__(self, mensaje: str, *, returncode: int = 1, datos: dict | None = None):
        super().__init__(mensaje, returncode=returncode)
        self.datos = datos


class UnaCorridaALaVez:
    """Mix into a management command (before BaseCommand): the whole run holds the lock named
    after the command, and a run that finds it taken does nothing and says so on its output.
    Each run is recorded: started, then ended well, failed (its error, in brief) or skipped.
    A command may leave `self.corrida_mensaje` (a line for the operator) and
    `self.corrida_datos` (what its next run should read) on a good run."""

    corrida_mensaje = ""
    corrida_datos = None

    def execute(self, *args, **options):
        nombre = self.__module__.rsplit(".", 1)[-1]
        with corrida_exclusiva(nombre=nombre) as propia:
            if propia:
                return self._registrada(nombre, *args, **options)
        aviso = str(OTRA_CORRIDA_EN_CURSO % {"nombre": nombre})
        corridas.corrida_omitida(nombre=nombre, mensaje=aviso)
        OutputWrapper(options.get("stdout") or sys.stdout).write(aviso)
        return None

    def _registrada(self, nombre, *args, **options):
        corrida = corridas.corrida_iniciar(nombre=nombre)
        Resultado = CorridaPeriodica.Resultado
        try:
            salida = super().execute(*args, **options)
        except RequiereAtencion as exc:
            corridas.corrida_terminar(
                corrida=corrida, resultado=Resultado.OK, mensaje=str(exc), datos=exc.datos
            )
            raise
        except BaseException as exc:  # KeyboardInterrupt and SystemExit too: it did not finish
            mensaje = str(exc) or type(exc).__name__
            try:
                corridas.corrida_terminar(
                    corrida=corrida, resultado=Resultado.FALLO, mensaje=mensaje
                )
            except DatabaseError:  # the database that failed the run: its own error matters
                logger.exception("No se pudo registrar el fin de la corrida de %s", nombre)
            raise
        corridas.corrida_terminar(
            corrida=corrida,
            resultado=Resultado.OK,
            mensaje=self.corrida_mensaje,
            datos=self.corrida_datos,
        )
        return salida
