"""What the commands cron runs on every app server share: one run at a time among them all."""

import sys

from django.core.management.base import OutputWrapper

from dictamenes.comun.exclusion import OTRA_CORRIDA_EN_CURSO, corrida_exclusiva


class UnaCorridaALaVez:
    """Mix into a management command (before BaseCommand): the whole run holds the lock named
    after the command, and a run that finds it taken does nothing and says so on its output."""

    def execute(self, *args, **options):
        nombre = self.__module__.rsplit(".", 1)[-1]
        with corrida_exclusiva(nombre=nombre) as propia:
            if propia:
                return super().execute(*args, **options)
        OutputWrapper(options.get("stdout") or sys.stdout).write(
            str(OTRA_CORRIDA_EN_CURSO % {"nombre": nombre})
        )
        return None
