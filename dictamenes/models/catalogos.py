"""Catalogues the administrator keeps: agencies, review areas, people's profiles, non-working
days, step deadlines and substitutions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.base import (
    CURP,
    ERROR_PERFIL_ENTE_Y_AREAS,
    RFC_PERSONA_FISICA,
    EtiquetasEnCache,
)
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import TextoCorto


class Ente(EtiquetasEnCache, models.Model):
    """A state agency (dependencia or entidad) that requests dictámenes."""

    class Tipo(models.TextChoices):
        DEPENDENCIA = "dependencia", _("Dependencia")
        ENTIDAD = "entidad", _("Entidad paraestatal")
        DESCONCENTRADO = "desconcentrado", _("Órgano desconcentrado")

    # Published as the buyer of each OCDS process and in the register: no personal data
    # (issue 59), whichever path writes it (the admin, ente_crear, a rename under dual control).
    nombre = TextoCorto(_("nombre"), max_length=200, unique=True, validators=[SIN_DATOS_PERSONALES])
    # Published raw beside the name (the OCDS buyer's id, every dataset's ente_siglas) and
    # written once, by the same doors (issue 77): no personal data either.
    siglas = TextoCorto(_("siglas"), max_length=20, unique=True, validators=[SIN_DATOS_PERSONALES])
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    activo = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("ente")
        verbose_name_plural = _("entes")
        ordering = ["nombre"]
        # Granted per object to the agency's own requirente group only.
        permissions = [("actuar_como_requirente", _("Presentar y corregir solicitudes del ente"))]

    def __str__(self) -> str:
        return f"{self.nombre} ({self.siglas})"


class Area(models.Model):
    """A review area of the Subsecretaría; each owns some categories of the standards."""

    clave = models.SlugField(_("clave"), max_length=40, unique=True)
    nombre = TextoCorto(_("nombre"), max_length=120, unique=True)
    activa = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("área de revisión")
        verbose_name_plural = _("áreas de revisión")
        ordering = ["nombre"]
        # Granted per object to the area's reviewer group.
        permissions = [("revisar_area", _("Revisar las partidas del área"))]

    def __str__(self) -> str:
        return self.nombre


class Perfil(models.Model):
    """Who a person is in the procedure: an agency's staff, or the Subsecretaría's."""

    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="perfil",
        verbose_name=_("usuario"),
    )
    rfc = models.CharField(
        _("RFC"),
        max_length=13,
        unique=True,
        validators=[RFC_PERSONA_FISICA],
        help_text=_("Debe coincidir con el RFC de la e.firma de la persona."),
    )
    curp = models.CharField(
        _("CURP"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[CURP],
        help_text=_(
            "Con ella se vincula la cuenta cuando la persona entra con Llave o con su "
            "identidad institucional."
        ),
    )
    # Printed on each dictamen the person signs and on its public verification page.
    cargo = TextoCorto(_("cargo"), max_length=200, blank=True, validators=[SIN_DATOS_PERSONALES])
    ente = models.ForeignKey(
        Ente,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="personal",
        verbose_name=_("ente"),
    )
    areas = models.ManyToManyField(
        Area, blank=True, related_name="personal", verbose_name=_("áreas")
    )
    es_jefe = models.BooleanField(
        _("jefe de área"),
        default=False,
        help_text=_("Puede reasignar tareas entre personas del mismo rol."),
    )

    class Meta:
        verbose_name = _("perfil")
        verbose_name_plural = _("perfiles")
        ordering = ["usuario__username"]

    def __str__(self) -> str:
        return self.usuario.get_full_name() or self.usuario.get_username()

    def clean(self) -> None:
        self.rfc = (self.rfc or "").strip().upper()
        # The M2M can only be checked once saved; services call validar_pertenencia too.
        if self.ente_id and self.pk and self.areas.exists():
            raise ValidationError(ERROR_PERFIL_ENTE_Y_AREAS, code="ente_y_areas")


class DiaInhabil(models.Model):
    """A day declared non-working by the Subsecretaría, on top of the federal holidays."""

    fecha = models.DateField(_("fecha"), unique=True)
    descripcion = TextoCorto(_("descripción"), max_length=200)

    class Meta:
        verbose_name = _("día inhábil")
        verbose_name_plural = _("días inhábiles")
        ordering = ["fecha"]

    def __str__(self) -> str:
        return f"{self.fecha:%d/%m/%Y} · {self.descripcion}"


class PlazoEtapa(EtiquetasEnCache, models.Model):
    """The deadline of each step, in business days; administrators edit it."""

    class Etapa(models.TextChoices):
        ADMISION = "admision", _("Admisión")
        SUBSANAR = "subsanar", _("Subsanar la prevención")
        REVISION_AREA = "revision_area", _("Revisión técnica por área")
        REVISION_ESTRATEGICA = "revision_estrategica", _("Revisión estratégica")
        FIRMA = "firma", _("Firma")

    etapa = models.CharField(_("etapa"), max_length=30, choices=Etapa.choices, unique=True)
    dias_habiles = models.PositiveSmallIntegerField(_("días hábiles"))

    class Meta:
        verbose_name = _("plazo de etapa")
        verbose_name_plural = _("plazos de etapa")
        ordering = ["etapa"]

    def __str__(self) -> str:
        return f"{self.get_etapa_display()}: {self.dias_habiles} días hábiles"


class Sustitucion(models.Model):
    """A reviewer on leave names a substitute for a date range."""

    titular = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sustituciones",
        verbose_name=_("titular"),
    )
    suplente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suplencias",
        verbose_name=_("suplente"),
    )
    desde = models.DateField(_("desde"))
    hasta = models.DateField(_("hasta"))
    motivo = TextoCorto(_("motivo"), max_length=200)

    class Meta:
        verbose_name = _("sustitución")
        verbose_name_plural = _("sustituciones")
        ordering = ["-desde"]

    def __str__(self) -> str:
        return f"{self.suplente} por {self.titular} ({self.desde} a {self.hasta})"
