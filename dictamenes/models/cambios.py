"""Dual control of accounts (issue 33): a change to someone's identity data (e-mail, RFC,
CURP) or a grant of a procedural role waits here until a second administrator approves it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from estandares.entradas import TextoLargo


class CambioPendiente(models.Model):
    """Who asked, whose account, what changes (before → after), when; and who resolved it.
    Written and resolved only by dictamenes.personas.services.control_dual, each step audited."""

    class Tipo(models.TextChoices):
        IDENTIDAD = "identidad", _("Datos de identidad")
        ROL = "rol", _("Otorgar un rol")

    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", _("Pendiente")
        APROBADO = "aprobado", _("Aprobado")
        RECHAZADO = "rechazado", _("Rechazado")

    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    persona = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cambios_pendientes",
        verbose_name=_("cuenta afectada"),
    )
    # identidad: {"cambios": {"email": [antes, después], ...}}
    # rol: {"rol": "mesa_control", "ente": id | None, "areas": [ids]}
    datos = models.JSONField(_("qué cambia"))
    motivo = TextoLargo(_("motivo"), max_length=500)
    pedido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cambios_pedidos",
        verbose_name=_("pedido por"),
    )
    pedido_en = models.DateTimeField(_("pedido en"), auto_now_add=True)
    estado = models.CharField(
        _("estado"), max_length=20, choices=Estado.choices, default=Estado.PENDIENTE
    )
    resuelto_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cambios_resueltos",
        verbose_name=_("resuelto por"),
    )
    resuelto_en = models.DateTimeField(_("resuelto en"), null=True, blank=True)
    motivo_resolucion = TextoLargo(_("motivo de la resolución"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("cambio pendiente")
        verbose_name_plural = _("cambios pendientes")
        ordering = ["-pedido_en", "-pk"]
        indexes = [models.Index(fields=["estado", "pedido_en"], name="cambio_estado_pedido")]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} · {self.persona} ({self.get_estado_display()})"
