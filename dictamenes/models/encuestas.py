"""The requirente's satisfaction survey, kept so that no answer leads back to a person.

Three tables that share nothing: the invitation (which request was invited, and whether it
was answered), the answers waiting for their batch, and the answers (the fiscal year, the
step where the request ended, three scores and a comment). No answer carries a link to a
user, a request or an invitation, nor any time, and each has a random key.

Storage must not link them either (issue 33): a row written in the transaction that marks
the invitation answered and writes the audit event shares that transaction's id (PostgreSQL's
`xmin`) with the event, and rows lie in the table in the order they were written (`ctid`).
So answering writes only a sealed `RespuestaEnEspera`: its content encrypted (AES-GCM, a key
derived from SECRET_KEY) and padded to one length, so that a copy of the database, a backup
or the table's dead rows show neither the scores nor the comment's length. And it does not
append it (issue 59): it rewrites the whole waiting table in a random order with new random
keys (encuestas.services.respuestas_en_espera_barajar), so that neither the rows'
order on disk, their keys nor their transaction tell which answer came when. A separate step
(encuestas.services.encuestas_publicar, run by cron) opens a group's waiting answers once
there are at least five, writes them to `RespuestaEncuesta` in a shuffled order, all in one
transaction of its own, and deletes them from the waiting table. The published figures then
only ever move by five answers or more, so comparing them before and after one answer tells
nothing about it either."""

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
    """One anonymous answer. Read only in aggregates of at least five
    (encuestas.selectors)."""

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


class RespuestaEnEspera(models.Model):
    """An answer given and not yet published: sealed, of one length whatever it says, with a
    random key and no time. Its group (fiscal year and the step where the request ended) is
    in the clear, since a batch is made per group; the audit log tells it anyway, as it is
    the request's own."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ejercicio = models.PositiveSmallIntegerField(_("ejercicio fiscal"))
    etapa_final = models.CharField(
        _("etapa en que terminó"),
        max_length=20,
        choices=RespuestaEncuesta.EtapaFinal.choices,
    )
    # encuestas.services.respuesta_sellar: nonce, then the AES-GCM ciphertext and its tag.
    sellada = models.BinaryField(_("respuesta sellada"))

    class Meta:
        verbose_name = _("respuesta en espera de su lote")
        verbose_name_plural = _("respuestas en espera de su lote")
        ordering = ["ejercicio", "etapa_final", "id"]
        indexes = [models.Index(fields=["ejercicio", "etapa_final"])]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
