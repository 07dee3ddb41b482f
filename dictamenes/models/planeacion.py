"""The agencies' annual ICT programme and its lines."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.catalogos import Area, Ente
from dictamenes.models.solicitudes import Partida, Solicitud
from estandares.entradas import TextoCorto


class ProgramaAnual(models.Model):
    """The ICT procurements an agency plans for a fiscal year, from its PAAAS."""

    ente = models.ForeignKey(
        Ente, on_delete=models.PROTECT, related_name="programas", verbose_name=_("ente")
    )
    ejercicio = models.PositiveSmallIntegerField(_("ejercicio fiscal"))
    registrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrado por"),
    )
    registrado_en = models.DateTimeField(_("registrado en"), auto_now_add=True)

    class Meta:
        verbose_name = _("programa anual")
        verbose_name_plural = _("programas anuales")
        ordering = ["-ejercicio", "ente__nombre"]
        constraints = [models.UniqueConstraint(fields=["ente", "ejercicio"], name="programa_unico")]

    def __str__(self) -> str:
        return f"{self.ente.siglas} {self.ejercicio}"


class LineaPrograma(models.Model):
    programa = models.ForeignKey(
        ProgramaAnual,
        on_delete=models.CASCADE,
        related_name="lineas",
        verbose_name=_("programa"),
    )
    categoria = TextoCorto(_("categoría (clave)"), max_length=60)
    perfil = TextoCorto(_("perfil (clave)"), max_length=60, blank=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("área revisora")
    )
    descripcion = TextoCorto(_("descripción"), max_length=300)
    cantidad = models.PositiveIntegerField(_("cantidad"))
    monto_estimado = models.DecimalField(_("monto estimado (MXN)"), max_digits=14, decimal_places=2)
    capitulo = models.CharField(_("capítulo"), max_length=4, choices=Partida.Capitulo.choices)
    partida_especifica = models.CharField(_("partida específica"), max_length=5)
    mes_previsto = models.PositiveSmallIntegerField(_("mes en que se presentará"))
    solicitud = models.OneToOneField(
        Solicitud,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linea_programa",
        verbose_name=_("solicitud presentada"),
    )
    recordada_en = models.DateTimeField(_("recordatorio enviado"), null=True, blank=True)

    class Meta:
        verbose_name = _("línea del programa")
        verbose_name_plural = _("líneas del programa")
        ordering = ["programa", "mes_previsto", "id"]
        indexes = [models.Index(fields=["categoria", "mes_previsto"])]

    def __str__(self) -> str:
        return f"{self.descripcion} ({self.mes_previsto:02d})"
