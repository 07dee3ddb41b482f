"""The requirente's satisfaction survey, kept so that no answer leads back to a person.

Two tables that share nothing: the invitation (which request was invited, and whether it was
answered) and the answer (the fiscal year, the step where the request ended, three scores and
a comment). The answer carries no link to a user, a request or an invitation, no time at all
and a random key, so neither a join nor the order of the rows ties it to an invitation or to
the audit event that says an answer was given. Answers reach the published figures in
batches of at least five per group, so that comparing the figures before and after one
answer tells nothing about it."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.solicitudes import Solicitud
from estandares.entradas import TextoLargo

CALIFICACION_MINIMA, CALIFICACION_MAXIMA = 1, 5
COMENTARIO_MAX = 1000


class InvitacionEncuesta(models.Model):
    """One survey per request that ended: any requirente of its agency may answer it, once."""

    solicitud = models.OneToOneField(
        Solicitud,
        on_delete=models.PROTECT,
        related_name="invitacion_encuesta",
        verbose_name=_("solicitud"),
    )
    creada_en = models.DateTimeField(_("invitada en"))
    respondida = models.BooleanField(_("respondida"), default=False)

    class Meta:
        verbose_name = _("invitación a la encuesta")
        verbose_name_plural = _("invitaciones a la encuesta")
        ordering = ["-creada_en", "id"]

    def __str__(self) -> str:
        return str(self.solicitud)


def _calificacion(nombre):
    return models.PositiveSmallIntegerField(
        nombre,
        validators=[
            MinValueValidator(CALIFICACION_MINIMA),
            MaxValueValidator(CALIFICACION_MAXIMA),
        ],
    )


class RespuestaEncuesta(models.Model):
    """One anonymous answer. Read only in aggregates of at least five (selectors.encuestas)."""

    class EtapaFinal(models.TextChoices):
        FIRMA = "firma", _("Firma: dictamen emitido")
        PREVENCION = "prevencion", _("Prevención: desechada sin dictamen")

    # A random key: an auto-increment would give away the order of the answers.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ejercicio = models.PositiveSmallIntegerField(_("ejercicio fiscal"))
    etapa_final = models.CharField(
        _("etapa en que terminó"), max_length=20, choices=EtapaFinal.choices
    )
    claridad = _calificacion(_("claridad de los requisitos"))
    tiempo = _calificacion(_("tiempo de atención"))
    trato = _calificacion(_("trato recibido"))
    comentario = TextoLargo(_("comentario"), max_length=COMENTARIO_MAX, blank=True)
    # Answers join the figures five at a time per group (services.encuestas): a figure that
    # moved with one answer would give that answer away to whoever saw it before and after.
    publicada = models.BooleanField(_("en las cifras"), default=False)

    class Meta:
        verbose_name = _("respuesta de la encuesta")
        verbose_name_plural = _("respuestas de la encuesta")
        ordering = ["ejercicio", "etapa_final", "id"]
        indexes = [models.Index(fields=["ejercicio", "etapa_final"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{campo}__gte": CALIFICACION_MINIMA})
                & models.Q(**{f"{campo}__lte": CALIFICACION_MAXIMA}),
                name=f"encuesta_{campo}_1_a_5",
            )
            for campo in ("claridad", "tiempo", "trato")
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
