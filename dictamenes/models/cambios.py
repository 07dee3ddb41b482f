"""Dual control (issue 33, issue 48): a change to someone's identity data (names, username,
e-mail, RFC, CURP), a grant of a procedural role, or a change of the rules the procedure runs
on (the review tracks, the institution's texts, the stage deadlines, the areas, a standards
edition, the reasons catalogue, a state's profile) waits here until a second administrator
approves it."""

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
        VIAS = "vias", _("Vías de revisión")
        TEXTOS = "textos", _("Textos de la institución")
        PLAZOS = "plazos", _("Plazos de las etapas")
        AREA = "area", _("Áreas de revisión")
        EDICION = "edicion", _("Edición de los estándares")
        MOTIVO = "motivo", _("Motivos de no aprobación")
        PERFIL = "perfil", _("Perfil del estado")
        REFUERZO = "refuerzo", _("Refuerzo de un área")
        # Issue 59: what the admin site, the commands and the substitutes changed alone.
        ACCESO = "acceso", _("Acceso de una cuenta")
        RETIRO_ROL = "retiro_rol", _("Retirar un rol")
        DIAS_INHABILES = "dias_inhabiles", _("Días inhábiles")
        ENTE = "ente", _("Nombre de un ente")
        CARGO = "cargo", _("Cargo de una persona")
        SUSTITUCION = "sustitucion", _("Suplente de otra área")
        # Issue 77: a chief reassigns others' tasks.
        JEFATURA = "jefatura", _("Jefatura de una persona")

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
        # None for a change of the configuration, which is no one's account.
        null=True,
        blank=True,
    )
    # identidad: {"cambios": {"email": [antes, después], ...}}
    # rol: {"rol": "mesa_control", "ente": id | None, "areas": [ids]}
    # configuration: {"accion", "titulo", "pedido": what the door is called with, "antes": the
    # state it was asked against (a conflict on approval if it changed), "filas": every value
    # it sets, [{"campo", "antes", "despues", "cambia"}], as the page and the e-mails read it}
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
        return f"{self.get_tipo_display()} · {self.persona or self.datos.get('titulo', '')} " + (
            f"({self.get_estado_display()})"
        )

    @property
    def es_de_configuracion(self) -> bool:
        return self.tipo not in (
            self.Tipo.IDENTIDAD,
            self.Tipo.ROL,
            self.Tipo.RETIRO_ROL,
            self.Tipo.ACCESO,
        )
