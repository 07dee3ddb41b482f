"""The fingerprint of each open-data address: machinery, not part of the procedure."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HuellaConjunto(models.Model):
    """The SHA-256 of the bytes an open-data address serves (publico.huellas) and when they
    last changed: that instant is the file's Last-Modified and its dct:modified in the
    catalogue. It survives a lost cache or a restart, and moves only when the bytes do.
    Derived from what is published and recomputable at any time: no audit event."""

    clave = models.CharField(_("clave"), max_length=255, primary_key=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    cambiado_en = models.DateTimeField(_("cambiado en"))

    class Meta:
        verbose_name = _("huella de un conjunto de datos")
        verbose_name_plural = _("huellas de los conjuntos de datos")
        ordering = ["clave"]

    def __str__(self) -> str:
        return f"{self.clave}: {self.sha256[:12]}"


class EntregaOCDS(models.Model):
    """An OCDS release as it was first published (publico.ocds.entregas), kept so that it never
    changes after: a release is an event, and the standard wants it immutable. Later facts are
    later releases. The text is kept as written (key order and all), so the bytes served stay
    the same. Derived from an audit event, not a change of the procedure: no event of its own."""

    evento = models.OneToOneField(
        "dictamenes.EventoAuditoria",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="entrega_ocds",
        verbose_name=_("evento"),
    )
    entrega = models.TextField(_("entrega (JSON)"))
    publicada_en = models.DateTimeField(_("publicada en"))
    # The release's date, when it is not the event's second: a second after the previous
    # release of its ocid (two events within one second). Empty in the releases kept before
    # it was recorded, which all carry their event's second.
    fecha = models.DateTimeField(_("fecha de la entrega"), null=True, blank=True)

    class Meta:
        verbose_name = _("entrega OCDS publicada")
        verbose_name_plural = _("entregas OCDS publicadas")

    def __str__(self) -> str:
        return f"entrega del evento {self.evento_id}"


class EntregaOCDSHistorica(models.Model):
    """What EntregaOCDS is for an event, for a request without events of its own (the history
    from before the system, imported or generated): each of its releases (presented; attended)
    as first published, so that renaming the institution or the agency later leaves it alone."""

    solicitud = models.ForeignKey(
        "dictamenes.Solicitud",
        on_delete=models.PROTECT,
        related_name="entregas_ocds_historicas",
        verbose_name=_("solicitud"),
    )
    # The fact, as the release's id ends: "presentada" or "atendida" (publico.ocds.entregas).
    hecho = models.CharField(_("hecho"), max_length=16)
    # When the fact happened: the month whose package carries the release, and its order there.
    ocurrido_en = models.DateTimeField(_("ocurrido en"))
    fecha = models.DateTimeField(_("fecha de la entrega"))
    entrega = models.TextField(_("entrega (JSON)"))
    publicada_en = models.DateTimeField(_("publicada en"))

    class Meta:
        verbose_name = _("entrega OCDS publicada de una solicitud sin historia")
        verbose_name_plural = _("entregas OCDS publicadas de solicitudes sin historia")
        constraints = [
            models.UniqueConstraint(fields=["solicitud", "hecho"], name="entrega_historica_unica")
        ]
        indexes = [models.Index(fields=["ocurrido_en"], name="entrega_historica_fecha")]

    def __str__(self) -> str:
        return f"entrega {self.hecho} de la solicitud {self.solicitud_id}"
