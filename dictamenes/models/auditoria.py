"""The audit chain, the folio counters and the outbox of notices."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.dictamenes import MOTIVOS_MAX
from dictamenes.models.solicitudes import Solicitud
from estandares.entradas import TextoCorto, TextoLargo


class Consecutivo(models.Model):
    """The last folio number handed out for a series and year. Incremented under a row lock
    inside the presenting transaction, so a rollback returns the number: no gaps, no repeats."""

    serie = models.CharField(_("serie"), max_length=20)
    ejercicio = models.PositiveSmallIntegerField(_("ejercicio"))
    ultimo = models.PositiveIntegerField(_("último"), default=0)

    class Meta:
        verbose_name = _("consecutivo")
        verbose_name_plural = _("consecutivos")
        constraints = [
            models.UniqueConstraint(fields=["serie", "ejercicio"], name="consecutivo_unico")
        ]

    def __str__(self) -> str:
        return f"{self.serie} {self.ejercicio}: {self.ultimo}"


class _EventosQuerySet(models.QuerySet):
    """Bulk writes are refused too: history is only ever appended."""

    def update(self, **kwargs):
        raise ValidationError(_("Los eventos de auditoría no se modifican."), code="inmutable")

    def delete(self):
        raise ValidationError(_("Los eventos de auditoría no se borran."), code="inmutable")


class EventoAuditoria(models.Model):
    """Who did what, when and why. Written by the service that makes the change, in the same
    transaction. Append-only and chained: each event holds the hash of the one before and its
    own hash over a canonical serialisation, so rewriting history breaks the chain
    (auditoria.cadena_verificar). On PostgreSQL a trigger also refuses UPDATE and DELETE."""

    numero = models.PositiveBigIntegerField(_("número"), unique=True, editable=False)
    solicitud = models.ForeignKey(
        Solicitud,
        on_delete=models.PROTECT,
        related_name="eventos",
        null=True,
        blank=True,
        verbose_name=_("solicitud"),
    )
    tipo = models.CharField(_("tipo"), max_length=40, db_index=True)
    descripcion = TextoCorto(_("descripción"), max_length=300)
    # A decision's reasons become the dictamen's: the same maximum.
    motivo = TextoLargo(_("motivo"), max_length=MOTIVOS_MAX, blank=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("usuario"),
    )
    datos = models.JSONField(_("datos"), default=dict, blank=True)
    ocurrido_en = models.DateTimeField(_("ocurrido en"), db_index=True, editable=False)
    anterior_hash = models.CharField(_("hash del evento anterior"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    objects = _EventosQuerySet.as_manager()

    class Meta:
        verbose_name = _("evento de auditoría")
        verbose_name_plural = _("eventos de auditoría")
        ordering = ["numero"]
        # The events of some types in a month: the OCDS package of that month (issue 45).
        indexes = [models.Index(fields=["tipo", "ocurrido_en"], name="evento_tipo_fecha_idx")]

    def __init__(self, *args, **kwargs):
        # The service hashes a new event before full_clean(), which normalises its text: the
        # text is normalised as the event is built, so the hash covers what is stored. Only
        # keyword arguments: rows read from the database come positionally and stay as read,
        # so that an old event's hash is checked against its own bytes.
        for campo in ("descripcion", "motivo"):
            if isinstance(kwargs.get(campo), str):
                kwargs[campo] = self._meta.get_field(campo).to_python(kwargs[campo])
        super().__init__(*args, **kwargs)

    def __str__(self) -> str:
        return f"#{self.numero} {self.ocurrido_en:%Y-%m-%d %H:%M} {self.descripcion}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(_("Los eventos de auditoría no se modifican."), code="inmutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Los eventos de auditoría no se borran."), code="inmutable")


class Aviso(models.Model):
    """An e-mail notice waiting in the outbox. It is written in the same transaction as the
    decision it announces, so a decision never goes unannounced and a rolled-back one is never
    announced; it is sent after commit and, if the mail server is down, retried later by
    `manage.py enviar_avisos` (cron)."""

    destinatarios = models.JSONField(_("destinatarios"), default=list)
    asunto = models.CharField(_("asunto"), max_length=300)
    # The plain-text body and its HTML alternative, rendered when the aviso was queued: a
    # retry sends the same e-mail. `enlace` is where its reader acts (absolute).
    mensaje = models.TextField(_("mensaje"))
    html = models.TextField(_("mensaje en HTML"), blank=True)
    enlace = models.URLField(_("enlace"), max_length=500, blank=True)
    creado_en = models.DateTimeField(_("creado en"), auto_now_add=True)
    enviado_en = models.DateTimeField(_("enviado en"), null=True, blank=True)
    intentos = models.PositiveSmallIntegerField(_("intentos"), default=0)
    ultimo_error = models.TextField(_("último error"), blank=True)

    class Meta:
        verbose_name = _("aviso por correo")
        verbose_name_plural = _("avisos por correo")
        ordering = ["creado_en", "id"]
        # The retry job reads only the pending ones, oldest first.
        indexes = [
            models.Index(
                fields=["creado_en"],
                condition=models.Q(enviado_en__isnull=True),
                name="aviso_pendiente_idx",
            )
        ]

    def __str__(self) -> str:
        return self.asunto
