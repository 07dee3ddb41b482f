"""What the installation's operator reads: each run of the periodic commands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CorridaPeriodica(models.Model):
    """One run of a periodic command (dictamenes.operacion.periodicas), written by the lock
    wrapper every cron command shares (dictamenes.management.cron): a row at its start, «en
    curso», finished at its end as it ended. A run that found another one holding the lock is
    recorded as «omitida». A run killed halfway stays «en curso»: the next one writes its own
    row. Machinery, not history of the procedure: old rows are pruned (corridas.py)."""

    class Resultado(models.TextChoices):
        EN_CURSO = "en_curso", _("en curso")
        OK = "ok", _("terminó bien")
        FALLO = "fallo", _("falló")
        OMITIDA = "omitida", _("omitida: otra corrida seguía en curso")

    nombre = models.CharField(_("comando"), max_length=60)
    inicio = models.DateTimeField(_("inicio"))
    fin = models.DateTimeField(_("fin"), null=True, blank=True)
    resultado = models.CharField(
        _("resultado"), max_length=10, choices=Resultado.choices, default=Resultado.EN_CURSO
    )
    mensaje = models.CharField(_("mensaje"), max_length=500, blank=True)
    # What the run wants remembered: estado_del_sistema keeps here the items it found in
    # «falla», so that its next run tells the administrators only of new ones.
    datos = models.JSONField(_("datos"), default=dict, blank=True)

    class Meta:
        verbose_name = _("corrida de un comando periódico")
        verbose_name_plural = _("corridas de los comandos periódicos")
        ordering = ["-inicio", "-id"]
        # The last run, and the last good one, of each command.
        indexes = [
            models.Index(fields=["nombre", "resultado", "-inicio"], name="corrida_ultima_idx")
        ]

    def __str__(self) -> str:
        return f"{self.nombre} {self.inicio:%Y-%m-%d %H:%M} {self.get_resultado_display()}"
