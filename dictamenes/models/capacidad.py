"""The review areas' capacity as data (issue 50): who is away when, and who is lent to an area
for given weeks. Written only through dictamenes.capacidad.services (each change audited; a
reinforcement that grants a role of the procedure only once a second administrator approves
it); read by the capacity plan."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.catalogos import Area
from estandares.entradas import TextoCorto

ERROR_FECHAS = _("La fecha final no puede ser anterior a la inicial.")


class Ausencia(models.Model):
    """Days a person of the Subsecretaría will not review: vacations, leave, a commission."""

    class Motivo(models.TextChoices):
        VACACIONES = "vacaciones", _("Vacaciones")
        INCAPACIDAD = "incapacidad", _("Incapacidad")
        COMISION = "comision", _("Comisión")
        CAPACITACION = "capacitacion", _("Capacitación")
        OTRO = "otro", _("Otro")

    persona = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ausencias",
        verbose_name=_("persona"),
    )
    desde = models.DateField(_("desde"))
    hasta = models.DateField(_("hasta"))
    motivo = models.CharField(_("motivo"), max_length=20, choices=Motivo.choices)
    nota = TextoCorto(_("nota"), max_length=200, blank=True)
    registrada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrada por"),
    )
    registrada_en = models.DateTimeField(_("registrada en"), auto_now_add=True)

    class Meta:
        verbose_name = _("ausencia")
        verbose_name_plural = _("ausencias")
        ordering = ["desde", "persona_id"]
        indexes = [models.Index(fields=["hasta", "desde"], name="ausencia_fechas")]

    def __str__(self) -> str:
        return f"{self.persona} · {self.get_motivo_display()} ({self.desde} a {self.hasta})"

    def clean(self) -> None:
        if self.desde and self.hasta and self.hasta < self.desde:
            raise ValidationError({"hasta": ERROR_FECHAS}, code="fechas")


class Refuerzo(models.Model):
    """A person lent to a review area for given weeks (Monday `desde` to Sunday `hasta`).
    `otorga_rol` / `otorga_area`: what the loan granted that the person did not hold, so that
    its end takes away only that."""

    persona = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="refuerzos",
        verbose_name=_("persona"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="refuerzos", verbose_name=_("área")
    )
    desde = models.DateField(_("desde"))
    hasta = models.DateField(_("hasta"))
    motivo = TextoCorto(_("motivo"), max_length=200)
    otorga_rol = models.BooleanField(_("otorga el rol de revisión técnica"), default=False)
    otorga_area = models.BooleanField(_("otorga el área"), default=False)
    registrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrado por"),
    )
    registrado_en = models.DateTimeField(_("registrado en"), auto_now_add=True)
    concluido_en = models.DateTimeField(_("concluido en"), null=True, blank=True)

    class Meta:
        verbose_name = _("refuerzo")
        verbose_name_plural = _("refuerzos")
        ordering = ["desde", "area_id"]
        indexes = [models.Index(fields=["hasta", "desde"], name="refuerzo_fechas")]

    def __str__(self) -> str:
        return f"{self.persona} en {self.area} ({self.desde} a {self.hasta})"

    def clean(self) -> None:
        if self.desde and self.hasta and self.hasta < self.desde:
            raise ValidationError({"hasta": ERROR_FECHAS}, code="fechas")


class PlanGuardado(models.Model):
    """The capacity plan last computed (capacidad.services.plan), kept in the database so that
    a restart or another server does not run its simulation again (tens of runs: seconds).
    Keyed as the cache keys it (the year, the day, the hour and the version of what is about no
    request): a row is the plan for that key or nothing. Only the latest is kept. Machinery,
    not history: the plan is computed again from the data whenever its key changes."""

    clave = models.CharField(_("clave"), max_length=64, unique=True)
    contenido = models.BinaryField(_("contenido"))
    calculado_en = models.DateTimeField(_("calculado en"), auto_now=True)

    class Meta:
        verbose_name = _("plan de capacidad guardado")
        verbose_name_plural = _("planes de capacidad guardados")
        ordering = ["-calculado_en"]

    def __str__(self) -> str:
        return f"{self.clave} ({self.calculado_en:%Y-%m-%d %H:%M})"
